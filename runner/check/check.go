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
	frameFile  = regexp.MustCompile(`^\t(/\S+\.go):(\d+)`)
	goroutine  = regexp.MustCompile(`^goroutine \d+ \[`)
	testifyTag = regexp.MustCompile(`^\s+\t(Error Trace|Error|Test|Messages):\s*\t(.*)$`)
	testifyCon = regexp.MustCompile(`^\s+\t\s+\t(.*)$`)
)

// tidy keeps what a student needs from test output: the messages, testify's
// verdicts with the test's own words first and without file traces, and for
// a panic its message and where in the lab's code it happened, not the
// whole stack.
func tidy(out, labDir string) string {
	var keep []string
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \r")
		switch {
		case l == "" || noise.MatchString(l):
			continue
		case testifyTag.MatchString(l):
			var block []string
			block, i = testifyBlock(lines, i)
			// Put the test's own words on the "file.go:NN:" line before them.
			if n := len(keep); n > 0 && strings.HasSuffix(keep[n-1], ":") && len(block) > 0 && !strings.HasPrefix(block[0], "    ") {
				keep[n-1] += " " + block[0]
				block = block[1:]
			}
			keep = append(keep, block...)
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
		keep = append(keep, strings.TrimPrefix(l, "    "))
	}
	return strings.Join(keep, "\n")
}

// testifyBlock folds testify's labelled block starting at lines[i] into the
// message first, then the verdict (expected/actual), dropping the trace, the
// test name and a diff that repeats a one-line expected/actual pair. It
// returns the lines to keep and the index of the block's last line.
func testifyBlock(lines []string, i int) ([]string, int) {
	fields := map[string][]string{}
	label := ""
	for ; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \r")
		if m := testifyTag.FindStringSubmatch(l); m != nil {
			label = m[1]
			fields[label] = append(fields[label], strings.TrimRight(m[2], " "))
			continue
		}
		if m := testifyCon.FindStringSubmatch(l); m != nil && label != "" {
			fields[label] = append(fields[label], strings.TrimRight(m[1], " "))
			continue
		}
		break
	}
	var out []string
	out = append(out, fields["Messages"]...)
	verdict := fields["Error"]
	if d := indexOf(verdict, "Diff:"); d > 0 && len(verdict) > 0 && oneLinePair(verdict[:d]) {
		verdict = verdict[:d]
	}
	for _, v := range verdict {
		if v != "" {
			out = append(out, "    "+v)
		}
	}
	return out, i - 1
}

func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

// oneLinePair reports whether lines hold one-line "expected:" and "actual"
// values, which say everything a diff of them would.
func oneLinePair(lines []string) bool {
	exp, act := 0, 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "expected:"):
			exp++
		case strings.HasPrefix(l, "actual"):
			act++
		}
	}
	return exp == 1 && act == 1
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
