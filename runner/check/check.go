// Package check runs a lab's tests and turns go test's report into what a
// student needs: each task's status, the first failing task's message in
// plain words, and compile errors as compile errors.
package check

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
)

// Result is one lab's check.
type Result struct {
	Lab         string              `json:"lab"`
	Title       string              `json:"title"`
	Status      Status              `json:"status"`
	Passed      int                 `json:"passed"`
	Total       int                 `json:"total"`
	Tasks       []TaskResult        `json:"tasks"`
	BuildErrors []gotest.Diagnostic `json:"buildErrors,omitempty"`
	Failure     *Failure            `json:"failure,omitempty"` // the first task that did not pass
	Problem     string              `json:"problem,omitempty"` // what went wrong outside any task
	Elapsed     time.Duration       `json:"elapsedNs"`
}

// Status is a lab's overall state.
type Status string

// A lab passes when every task passes.
const (
	Passed      Status = "pass"
	Failed      Status = "fail"
	BuildFailed Status = "buildfail"
)

// TaskResult is one task's outcome.
type TaskResult struct {
	Number  int           `json:"number"`
	Title   string        `json:"title"`
	Test    string        `json:"test"`
	Status  gotest.Status `json:"status"`
	Elapsed time.Duration `json:"elapsedNs"`
}

// Failure explains the first task that did not pass.
type Failure struct {
	Task    int           `json:"task"`
	Test    string        `json:"test"`
	Status  gotest.Status `json:"status"`
	Message string        `json:"message"`
}

// Options tune a check.
type Options struct {
	Race    bool
	Timeout time.Duration // for the whole test binary; default 2 minutes
	Overlay string        // an overlay file, to check a lab with other files
}

// Run runs the lab's tests with go test -json and folds the result.
func Run(ctx context.Context, r repo.Root, l *labs.Lab, o Options) (*Result, error) {
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	start := time.Now()
	rep, err := gotest.Run(ctx, gotest.Options{
		Dir:      r.Dir,
		Packages: []string{"./" + filepath.ToSlash(mustRel(r.Dir, l.Dir))},
		Race:     o.Race,
		Timeout:  o.Timeout,
		Overlay:  o.Overlay,
		Env:      []string{"GORACE=atexit_sleep_ms=0"},
	})
	if err != nil {
		return nil, fmt.Errorf("unable to run the tests of %s: %w", l.Name, err)
	}
	res := Fold(l, rep)
	res.Elapsed = time.Since(start).Round(time.Millisecond)
	return res, nil
}

func mustRel(base, path string) string {
	rel, err := filepath.Rel(base, path)
	if err != nil {
		return path
	}
	return rel
}

// Fold maps a go test report onto the lab's tasks.
func Fold(l *labs.Lab, rep *gotest.Report) *Result {
	res := &Result{Lab: l.Name, Title: l.Title, Total: len(l.Tasks), Status: Failed}
	var p *gotest.Package
	if len(rep.Packages) > 0 {
		p = rep.Packages[0]
	}
	switch {
	case p == nil:
		res.Problem = strings.TrimSpace(rep.Stderr)
		if res.Problem == "" {
			res.Problem = "go test printed no result"
		}
	case p.Status == gotest.BuildFailed:
		res.Status = BuildFailed
		res.BuildErrors = p.BuildErrors
		if len(res.BuildErrors) == 0 {
			res.Problem = strings.TrimSpace(p.BuildOutput + rep.Stderr)
		}
	}
	for _, task := range l.Tasks {
		tr := TaskResult{Number: task.Number, Title: task.Title, Test: task.Test, Status: gotest.NotRun}
		var t *gotest.Test
		if p != nil {
			t = p.Find(task.Test)
		}
		if t != nil {
			tr.Status, tr.Elapsed = t.Status, t.Elapsed
		}
		if tr.Status == gotest.Pass {
			res.Passed++
		} else if res.Failure == nil && res.Status != BuildFailed {
			res.Failure = failure(l, task, p, t)
		}
		res.Tasks = append(res.Tasks, tr)
	}
	if res.Status != BuildFailed && res.Passed == res.Total && res.Total > 0 && p != nil && p.Status == gotest.Pass {
		res.Status = Passed
	}
	if res.Status == Failed && res.Failure == nil && res.Problem == "" && p != nil {
		res.Problem = "every task passed but the package failed:\n" + tidy(p.Output, l.Dir)
	}
	return res
}

func failure(l *labs.Lab, task labs.Task, p *gotest.Package, t *gotest.Test) *Failure {
	f := &Failure{Task: task.Number, Test: task.Test, Status: gotest.NotRun}
	switch {
	case t == nil && p != nil && p.Status != gotest.Pass:
		f.Message = "This task never ran: an earlier test stopped the whole test binary (see the message above it).\n" + tidy(p.Output, l.Dir)
	case t == nil:
		f.Message = fmt.Sprintf("go test did not run %s: is the test still in %s?", task.Test, task.File)
	default:
		f.Status = t.Status
		f.Message = tidy(collect(t), l.Dir)
		if t.Status == gotest.TimedOut {
			f.Message = "This task did not finish before the time limit: something is waiting forever (a read with no deadline, an Accept nobody wakes, a lock never released).\n" + f.Message
		}
	}
	return f
}

// collect gathers a test's output and its failing subtests' output.
func collect(t *gotest.Test) string {
	var b strings.Builder
	b.WriteString(t.Output)
	for _, s := range t.Subtests {
		if s.Status != gotest.Pass && s.Status != gotest.Skip {
			b.WriteString(collect(s))
		}
	}
	return b.String()
}

var (
	noise      = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP)|PASS$|FAIL$|ok\s|FAIL\s)`)
	traceLine  = regexp.MustCompile(`^\s*Error Trace:`)
	testLine   = regexp.MustCompile(`^\s*Test:\s`)
	frameFile  = regexp.MustCompile(`^\t(/\S+\.go):(\d+)`)
	goroutine  = regexp.MustCompile(`^goroutine \d+ \[`)
	testifyCon = regexp.MustCompile(`^\s+\t\s*\S`)
)

// tidy keeps what a student needs from test output: the messages, testify's
// Error and Messages blocks without file traces, and for a panic its message
// and where in the lab's code it happened, not the whole stack.
func tidy(out, labDir string) string {
	var keep []string
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \r")
		switch {
		case l == "" || noise.MatchString(l):
			continue
		case traceLine.MatchString(l):
			for i+1 < len(lines) && testifyCon.MatchString(lines[i+1]) && !strings.Contains(lines[i+1], ":\t") {
				i++ // the trace's further file:line lines
			}
			continue
		case testLine.MatchString(l):
			continue
		case strings.HasPrefix(l, "panic: "):
			keep = append(keep, l)
			if where := panicSite(lines[i+1:], labDir); where != "" {
				keep = append(keep, "    at "+where)
			}
			return strings.Join(keep, "\n")
		case goroutine.MatchString(l):
			return strings.Join(keep, "\n")
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// panicSite finds the first stack frame inside the lab's own code.
func panicSite(stack []string, labDir string) string {
	var first string
	for _, l := range stack {
		m := frameFile.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if strings.HasPrefix(m[1], labDir+string(filepath.Separator)) {
			rel := filepath.Join(filepath.Base(labDir), mustRel(labDir, m[1]))
			if !strings.HasSuffix(m[1], "_test.go") {
				return "labs/" + filepath.ToSlash(rel) + ":" + m[2]
			}
			if first == "" {
				first = "labs/" + filepath.ToSlash(rel) + ":" + m[2]
			}
		}
	}
	return first
}
