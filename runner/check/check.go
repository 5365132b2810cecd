// Package check runs a lab's tests and turns go test's report into what a
// student needs: each task's status, the first failing task's message in
// plain words, and compile errors as compile errors.
package check

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/shipped"
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
	// TestsModified lists the book's Go files (tests, given code, relative
	// to labs/) whose copy in the tree differs from the book's; the results
	// use the book's copies. Any other file of the book's that differs
	// (testdata, go.mod) makes the result Unverified instead: the run can
	// only read the student's copy.
	TestsModified []string `json:"testsModified,omitempty"`
	// TestsCheckout lists those of TestsModified that git checkout --
	// puts back as the book's: the work tree is a git checkout whose index
	// holds the book's copy. The report gives the command for them.
	TestsCheckout []string `json:"testsCheckout,omitempty"`
	// Unverified says why the book's own files could not be used: the
	// results come from the student's copies, and never count as a pass.
	// Nil when they were used.
	Unverified *Reason `json:"unverified,omitempty"`
	// OwnTests are the student's own test files: they ran, and do not count.
	OwnTests []string `json:"ownTests,omitempty"`
	// OwnFailed names the student's own tests that failed.
	OwnFailed []string `json:"ownFailed,omitempty"`
	// Findings are the analyzers' advice on the student's code
	// (runner/analysis): what a reviewer would point out even when every
	// task passes. They never change the status.
	Findings []analysis.Finding `json:"advice,omitempty"`
	// LeftOut lists the student's test files left out of the run, and why.
	LeftOut []shipped.Left `json:"leftOut,omitempty"`
	Elapsed time.Duration  `json:"elapsedNs"`
}

// A Reason says why a check could not use the book's own files: the
// book's copies could not be read back (Unrecoverable), or some of them
// are not Go files, which go test -overlay cannot stand in for (Yours). Text
// says it in a language; in JSON and in errors it is its English.
type Reason struct {
	Unrecoverable *shipped.UnrecoverableError
	// Yours lists the book's files (relative to labs/) that the run read
	// from the student's folder, changed or deleted.
	Yours []string
}

// Text says r in language l: the words that follow "because".
func (r *Reason) Text(l lang.Lang) string { return r.text(l, nil) }

// text is Text with the paths in its command as path (see Advice.Path)
// says them; nil leaves them as they are, from the book's folder.
func (r *Reason) text(l lang.Lang, path func(string) string) string {
	if path == nil {
		path = func(p string) string { return p }
	}
	switch {
	case r == nil:
		return ""
	case r.Unrecoverable != nil:
		return r.Unrecoverable.Text(l)
	}
	m := lang.WhyGoOnly
	if len(r.Yours) > 1 {
		m = lang.WhyGoOnlyMany
	}
	paths := make([]string, len(r.Yours))
	for i, f := range r.Yours {
		paths[i] = path("labs/" + f)
	}
	return l.Sprintf(m, l.List(r.Yours), strings.Join(paths, " "))
}

// String is r in English.
func (r *Reason) String() string { return r.Text(lang.English) }

// MarshalText makes r a string in JSON, as String says it.
func (r *Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Status is a lab's overall state.
type Status string

// A lab passes when every task passes on the book's tests.
const (
	Passed      Status = "pass"
	Failed      Status = "fail"
	BuildFailed Status = "buildfail"
	// Unverified is a lab whose every task passed on test files that are
	// not the book's, because the book's could not be recovered.
	Unverified Status = "unverified"
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
	Task   int           `json:"task"`
	Test   string        `json:"test"`
	Status gotest.Status `json:"status"`
	// Message is what the test said: its t.Error, t.Fatal and t.Log lines,
	// a panic or a data race, tidied (a panic's or each racing access's
	// place in the lab's code, not the stacks).
	Message string `json:"message"`
	// Output is what the code under test printed while the test ran
	// (fmt.Println, log.Printf), as it printed it: apart from Message, so
	// that it never buries what the test said. Empty when it printed
	// nothing.
	Output string `json:"output,omitempty"`
}

// Options tune a check.
type Options struct {
	Race    bool
	Timeout time.Duration // for the whole test binary; default 2 minutes
	// Sums are the book's fingerprints of the labs module; when nil, Run
	// reads labs/book.sum.
	Sums *labs.Sums
	// Overlay maps more of the lab's paths (absolute) to the files that
	// replace them, or to "" to leave a file out: a submission's files, a
	// reference's. It applies over the book's own files.
	Overlay map[string]string
	// Tasks, when not empty, runs only these tasks (by number): the result
	// has only their results, and passes when they all pass.
	Tasks []int
}

// Run runs the lab's tests with go test -json and folds the result. The
// tests are always the book's: any test or given Go file whose copy
// differs from the book's is replaced by the book's copy for the run
// (package shipped), and the result says which. A changed testdata file
// cannot be replaced that way (see overlaid): the result is Unverified and
// says how to put the book's copy back.
func Run(ctx context.Context, r repo.Root, l *labs.Lab, o Options) (*Result, error) {
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	start := time.Now()
	sums := o.Sums
	if sums == nil {
		var err error
		if sums, err = labs.ReadSums(r); err != nil {
			return nil, err
		}
	}
	var unverified *Reason
	view, err := shipped.Book(ctx, r, l, sums, shipped.Options{})
	var lost *shipped.UnrecoverableError
	if errors.As(err, &lost) {
		unverified, view = &Reason{Unrecoverable: lost}, nil
	} else if err != nil {
		return nil, err
	}
	defer view.Close()
	files := map[string]string{}
	if view != nil {
		maps.Copy(files, view.Overlay)
	}
	maps.Copy(files, o.Overlay)
	book := l
	dir, remove, err := sandbox.TempDir("netbook-check-")
	if err != nil {
		return nil, err
	}
	defer remove()
	// The go command takes more than its arguments from the work tree and
	// the environment: a go.work (the root's use and replace lines, and the
	// root module's go.mod), GOFLAGS (from the environment or go env -w:
	// an -overlay of its own, -ldflags, -exec) and a vendor folder. None of
	// them is the book's: the run reads the labs module alone, whose
	// go.mod is one of the book's files, with flags of netbook's.
	work, err := gotest.WriteWorkspace(dir, r.Labs())
	if err != nil {
		return nil, err
	}
	var overlay string
	if len(files) > 0 {
		if book, err = l.Through(files); err != nil {
			return nil, err
		}
		if overlay, err = gotest.WriteOverlay(dir, files); err != nil {
			return nil, err
		}
	}
	run := ""
	if len(o.Tasks) > 0 {
		if book, err = Only(book, o.Tasks); err != nil {
			return nil, err
		}
		run = Pattern(book.Tasks)
	}
	rep, err := gotest.Run(ctx, gotest.Options{
		Dir:      r.Dir,
		Packages: []string{"./" + filepath.ToSlash(mustRel(r.Dir, l.Dir))},
		Run:      run,
		Race:     o.Race,
		Timeout:  o.Timeout,
		Overlay:  overlay,
		Env:      []string{"GORACE=atexit_sleep_ms=0", "GOWORK=" + work, "GOFLAGS=-mod=readonly"},
	})
	if err != nil {
		return nil, fmt.Errorf("unable to run the tests of %s: %w", l.Name, err)
	}
	unmap(rep, r, files)
	res := Fold(book, rep)
	if view != nil {
		res.OwnTests, res.LeftOut = view.Own, view.Hidden
		var yours []string
		for _, f := range view.Restored {
			if overlaid(f) {
				res.TestsModified = append(res.TestsModified, f)
			} else {
				yours = append(yours, f)
			}
		}
		res.TestsCheckout = checkout(ctx, r, res.TestsModified, sums)
		if len(yours) > 0 && unverified == nil {
			unverified = &Reason{Yours: yours}
		}
	}
	if unverified != nil {
		res.Unverified = unverified
		if res.Status == Passed {
			res.Status = Unverified
		}
	}
	res.Elapsed = time.Since(start).Round(time.Millisecond)
	return res, nil
}

// checkout returns those of files (the book's, relative to labs/) whose
// copy in git's index is the book's, so that git checkout -- puts the
// book's copy back: none when the tree is no git checkout, git is
// missing or slow, or the student committed a change to them.
func checkout(ctx context.Context, r repo.Root, files []string, sums *labs.Sums) []string {
	if len(files) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	args := []string{"ls-files", "--stage", "-z", "--"}
	for _, f := range files {
		args = append(args, "labs/"+f)
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = r.Dir
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	// Each entry: "MODE ID STAGE\tPATH\x00", PATH from the top of the
	// work tree, which is r.Dir.
	index := map[string]string{}
	for _, e := range strings.Split(string(out), "\x00") {
		meta, path, ok := strings.Cut(e, "\t")
		if f := strings.Fields(meta); ok && len(f) == 3 && f[2] == "0" {
			index[path] = f[1]
		}
	}
	var back []string
	for _, f := range files {
		if s, ok := sums.Files[f]; ok && s.ID != "" && index["labs/"+f] == s.ID {
			back = append(back, f)
		}
	}
	return back
}

// overlaid reports whether the book's copy of f (relative to labs/) can
// stand in for the student's in a run. go test -overlay replaces Go source
// files only: the tests open testdata from the package's folder as they
// run, and the go command reads go.mod there, so for any other file the
// student's copy, changed or deleted, is what the run sees.
func overlaid(f string) bool {
	return filepath.Ext(f) == ".go"
}

// Only returns a copy of l with only the tasks numbered in numbers, in
// the lab's order; a number that is no task of the lab is an error.
func Only(l *labs.Lab, numbers []int) (*labs.Lab, error) {
	var tasks []labs.Task
	for _, n := range numbers {
		if !slices.ContainsFunc(l.Tasks, func(t labs.Task) bool { return t.Number == n }) {
			return nil, fmt.Errorf("lab %s has no task %d (it has tasks 1 to %d)", l.Name, n, len(l.Tasks))
		}
	}
	for _, t := range l.Tasks {
		if slices.Contains(numbers, t.Number) {
			tasks = append(tasks, t)
		}
	}
	c := *l
	c.Tasks = tasks
	return &c, nil
}

// Pattern is go test's -run pattern that runs exactly these tasks' tests.
func Pattern(tasks []labs.Task) string {
	names := make([]string, len(tasks))
	for i, t := range tasks {
		names[i] = regexp.QuoteMeta(t.Test)
	}
	return "^(" + strings.Join(names, "|") + ")$"
}

// unmap names the book's files by their place in the lab, not by the temp
// files that held them, in compile errors.
func unmap(rep *gotest.Report, r repo.Root, overlay map[string]string) {
	for _, p := range rep.Packages {
		for i, d := range p.BuildErrors {
			for from, to := range overlay {
				if to != "" && filepath.Clean(d.File) == to {
					p.BuildErrors[i].File = r.Rel(from)
				}
			}
		}
	}
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
	// The failure explained is the first task's that ran and did not pass.
	// Go runs tests in the order of their files, not of their numbers: when
	// a later task hangs or panics, a task with a smaller number may never
	// have run, and what stopped it is the task that ran.
	var notRun *Failure
	for _, task := range l.Tasks {
		tr := TaskResult{Number: task.Number, Title: task.Title, Test: task.Test, Status: gotest.NotRun}
		var t *gotest.Test
		if p != nil {
			t = p.Find(task.Test)
		}
		if t != nil {
			tr.Status, tr.Elapsed = t.Status, t.Elapsed
		}
		switch {
		case tr.Status == gotest.Pass:
			res.Passed++
		case res.Failure != nil || res.Status == BuildFailed:
		case t != nil:
			res.Failure = failure(l, task, p, t)
		case notRun == nil:
			notRun = failure(l, task, p, t)
		}
		res.Tasks = append(res.Tasks, tr)
	}
	if res.Failure == nil {
		res.Failure = notRun
	}
	if p != nil {
		res.OwnFailed = ownFailed(l, p)
	}
	// The student's own failing tests fail the package; they do not count.
	if res.Status != BuildFailed && res.Passed == res.Total && res.Total > 0 && p != nil &&
		(p.Status == gotest.Pass || (len(res.OwnFailed) > 0 && !p.TimedOut && onlyOwnFailed(l, p))) {
		res.Status = Passed
	}
	if res.Status == Failed && res.Failure == nil && res.Problem == "" && p != nil {
		res.Problem = "every task passed but the package failed:\n" + tidy(p.Output, l.Dir)
	}
	return res
}

// ownFailed names the tests that failed and are not tasks.
func ownFailed(l *labs.Lab, p *gotest.Package) []string {
	var out []string
	for _, t := range p.Tests {
		if l.TaskFor(t.Name) == nil && t.Status != gotest.Pass && t.Status != gotest.Skip {
			out = append(out, t.Name)
		}
	}
	return out
}

// onlyOwnFailed reports whether the package failed only because of tests
// that are not tasks: nothing crashed the binary and every test finished.
func onlyOwnFailed(l *labs.Lab, p *gotest.Package) bool {
	for _, t := range p.Tests {
		if t.Status == gotest.TimedOut || t.Status == gotest.Interrupted || t.Status == gotest.NotRun {
			return false
		}
	}
	return !strings.Contains(p.Output, "panic:")
}

// Explain says why a task of the lab did not pass in package p's run, in
// the words Run gives its first failure: the test's messages, a panic's
// place in the lab's code, or why it never ran. p may be nil.
func Explain(l *labs.Lab, task labs.Task, p *gotest.Package) string {
	return FailureOf(l, task, p).Message
}

// FailureOf is Explain's failure whole: the message, and apart, what the
// code under test printed while the task's test ran (Failure.Output), as
// Run gives its first failure. p may be nil.
func FailureOf(l *labs.Lab, task labs.Task, p *gotest.Package) *Failure {
	var t *gotest.Test
	if p != nil {
		t = p.Find(task.Test)
	}
	return failure(l, task, p, t)
}

func failure(l *labs.Lab, task labs.Task, p *gotest.Package, t *gotest.Test) *Failure {
	f := &Failure{Task: task.Number, Test: task.Test, Status: gotest.NotRun}
	switch {
	case t == nil && p != nil && p.Status != gotest.Pass:
		f.Message = lang.English.Sprintf(lang.CheckNeverRan) + "\n" + tidy(p.Output, l.Dir)
	case t == nil && p != nil && len(p.Tests) == 0:
		// The binary ended well without running a test: something ended
		// it first, and the tests are the book's, so it is the lab's code.
		f.Message = fmt.Sprintf("go test ran none of the lab's tests, %s among them: the test binary ended before any test started. Does your code end the process, with os.Exit in an init function say? A lab's code returns errors instead.", task.Test)
	case t == nil:
		f.Message = fmt.Sprintf("go test did not run %s: is the test still in %s?", task.Test, task.File)
	default:
		f.Status = t.Status
		f.Message, f.Output = collect(t, l.Dir)
		if t.Status == gotest.TimedOut {
			// In English, as every message: WriteFailure says it in the
			// reader's language.
			f.Message = lang.English.Sprintf(lang.CheckTimedOutWhy) + "\n" + f.Message
		}
	}
	return f
}

// collect gathers a test's output, tidied, and its failing subtests':
// each under the name of its case, and a case that failed with the same
// message as an earlier one by its name only, so that a table of cases
// failing alike does not print the same message three times over.
//
// It returns the message and, apart, what the code under test printed
// while the test and those subtests ran.
func collect(t *gotest.Test, labDir string) (message, output string) {
	parts := []string{}
	said, printed := split(t.Output)
	if own := tidy(said, labDir); own != "" {
		parts = append(parts, own)
	}
	var outs []string
	if printed != "" {
		outs = append(outs, printed)
	}
	type failed struct {
		names []string
		msg   string
	}
	var cases []*failed
	for _, s := range t.Subtests {
		if s.Status == gotest.Pass || s.Status == gotest.Skip {
			continue
		}
		name := caseName(t.Name, s.Name)
		msg, out := collect(s, labDir)
		if out != "" {
			outs = append(outs, out)
		}
		dup := false
		for _, c := range cases {
			if c.msg == msg {
				c.names = append(c.names, name)
				dup = true
				break
			}
		}
		if !dup {
			cases = append(cases, &failed{names: []string{name}, msg: msg})
		}
	}
	// In English, as every message: MessageIn says these lines in the
	// reader's language.
	for _, c := range cases {
		if c.msg != "" {
			parts = append(parts, lang.English.Sprintf(lang.CheckCase, strconv.Quote(c.names[0]))+"\n"+c.msg)
		} else {
			parts = append(parts, lang.English.Sprintf(lang.CheckCaseFailed, strconv.Quote(c.names[0])))
		}
		if rest := c.names[1:]; len(rest) > 0 {
			parts = append(parts, lang.English.Sprintf(lang.CheckSameWay, quoteCases(rest)))
		}
	}
	return strings.Join(parts, "\n"), strings.Join(outs, "\n")
}

var (
	// testLine is a line the testing package writes for t.Log, t.Error or
	// t.Fatal: indented, the test file and line first. The lines after it
	// that are indented further are the rest of its message.
	testLine = regexp.MustCompile(`^( +)\S+\.go:\d+: ?`)
	// progress is go test's line about a test starting or ending.
	progress = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME) |--- (PASS|FAIL|SKIP): )`)
	// raceFence opens and closes the race detector's report.
	raceFence = "=================="
	// resumed finds, inside a line, where the testing package's own
	// text starts after a line the code under test left unfinished: a
	// t.Log line (the testing package's indent of four spaces, then
	// file:line), a line of go test's about a test, the time limit's
	// panic, or any panic or fatal error (which crashAfter confirms).
	resumed = regexp.MustCompile(` {4}[^\s:]+\.go:\d+:( |$)|(=== (RUN|PAUSE|CONT|NAME) |--- (PASS|FAIL|SKIP): )|panic: |fatal error: `)
	// stackHead begins a goroutine's stack in a crash's dump.
	stackHead = regexp.MustCompile(`^goroutine \d+ \[`)
)

// split sorts a test's output, line by line, into what the test said (the
// testing package's lines for t.Log, t.Error and t.Fatal, a panic or fatal
// error with its stack, a race report) and what the code under test
// printed meanwhile. go test's own lines (=== RUN, --- FAIL) go to
// neither.
//
// It goes by the lines' layout, because go test -json gives both as one
// stream. In Go 1.26 each "output" event names its test (the code's
// prints and the test's words alike, by which test ran last), and the
// testing package marks only its own lines about tests (=== RUN, ---
// FAIL: a ^V before each in -json mode, which test2json removes, and by
// which it splits such a line from a print left unfinished); a t.Log
// line carries no mark, and test2json gives no field for it (cmd/test2json
// lists Action, Test, Output and, since 1.25, Key, Value and Path for
// t.Attr and t.ArtifactDir). So split reads the testing package's
// layout (testing.common.log and its outputWriter): a message's first
// line is four spaces and file:line, and each line after it, blank ones
// too, starts with four spaces more ("        want: nil", testify's
// "        \tError:"). A line the code prints while a message is written
// (from another goroutine) is the code's when it does not start so: a
// tab ("\tdebug: x=3"), a blank line, four spaces. A line the code prints
// in the testing package's layout counts as the test's: a limit, not seen
// in the labs, whose code prints its own lines unindented (a server's log
// lines) or with a tab (TestRealFailures has their real failures).
//
// What the labs' code does print is a line left unfinished: a chat
// client's prompt ("> ") waiting for a line, a progress meter's dots.
// The test's next line then continues it ("> " + "    chat_test.go:40:
// ...", or "> panic: test timed out after 2m0s"): split cuts such a line
// where the testing package's text starts, the code's part first.
func split(out string) (said, printed string) {
	var test, code []string
	msgIndent := -1 // the indent of the message being continued, or -1
	crashed, race := false, false
	lines := strings.SplitAfter(out, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		bare := strings.TrimRight(line, "\r\n")
		indent := len(bare) - len(strings.TrimLeft(bare, " "))
		if !crashed && !race {
			if at := resumedAt(bare, lines[i+1:]); at > 0 {
				// The code's unfinished line, then the test's, read
				// again as a line of its own.
				code = append(code, strings.TrimRight(bare[:at], " "))
				lines[i] = line[at:]
				i--
				continue
			}
		}
		switch {
		case race && gotest.IsLeftOutLine(bare):
			// A report cut short (a long output's middle left out, the
			// report with it): what follows is not the report's.
			race = false
			code = append(code, bare)
		case crashed || race:
			if bare == raceFence {
				race = false
			}
			test = append(test, line)
		case strings.HasPrefix(bare, "panic: ") || strings.HasPrefix(bare, "fatal error: "):
			crashed = true
			test = append(test, line)
		case bare == raceFence:
			race = true
			test = append(test, line)
		case progress.MatchString(bare):
			msgIndent = -1
		case msgIndent >= 0 && spaces(bare, msgIndent+4):
			// The testing package indents a message's every line after
			// its first by four spaces more, blank ones too ("        "),
			// one that quotes a file:line too; a line printed with a
			// tab, or blank, is the code's.
			test = append(test, line)
		case testLine.MatchString(bare):
			msgIndent = indent
			test = append(test, line)
		default:
			// The message being continued stays open: the code's prints
			// may come between its lines, from another goroutine.
			code = append(code, strings.TrimRight(bare, " "))
		}
	}
	for len(code) > 0 && strings.TrimSpace(code[len(code)-1]) == "" {
		code = code[:len(code)-1]
	}
	return strings.Join(test, ""), strings.Join(code, "\n")
}

// spaces reports whether line starts with n spaces.
func spaces(line string, n int) bool {
	return len(line) >= n && strings.TrimLeft(line[:n], " ") == ""
}

// resumedAt is where, in line, the testing package's text starts after
// the code's unfinished line (see resumed), or 0 when it does not: a
// panic or fatal error only when the lines after it (rest) are a crash's,
// the time limit's panic always.
func resumedAt(line string, rest []string) int {
	if line == "" || line[0] == ' ' || line[0] == '\t' {
		return 0 // the testing package's lines, or their continuations
	}
	for _, m := range resumed.FindAllStringIndex(line, -1) {
		at, text := m[0], line[m[0]:]
		switch {
		case at == 0:
			continue
		case strings.HasPrefix(text, "panic: test timed out after "):
		case strings.HasPrefix(text, "panic: ") || strings.HasPrefix(text, "fatal error: "):
			if !crashAfter(rest) {
				continue
			}
		}
		return at
	}
	return 0
}

// crashAfter reports whether the lines after a panic's first line are a
// crash's: the panic's own lines, tab-indented ("\tpanic: ..." when it
// was recovered and panicked again), a blank line, then a goroutine's
// stack.
func crashAfter(rest []string) bool {
	for i, l := range rest {
		l = strings.TrimRight(l, "\r\n")
		switch {
		case i >= 20:
			return false
		case l == "" || strings.HasPrefix(l, "\t"):
			continue
		}
		return stackHead.MatchString(l) && i > 0
	}
	return false
}

// caseName is a subtest's name as the test gave it: go test writes spaces
// as underscores.
func caseName(parent, sub string) string {
	return strings.ReplaceAll(strings.TrimPrefix(sub, parent+"/"), "_", " ")
}

// quoteCases names cases: case "a", cases "a" and "b", cases "a", "b" and "c".
func quoteCases(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) == 1 {
		return "case " + q[0]
	}
	return lang.English.Sprintf(lang.CheckCaseNames, strings.Join(q[:len(q)-1], ", ")+" and "+q[len(q)-1])
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
	var races []string // the races said (raceKey), to say each once
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
		case l == raceWarning:
			var report []string
			report, i = raceBlock(lines, i, labDir)
			if key := raceKey(report); !slices.Contains(races, key) {
				keep = append(keep, report...)
				races = append(races, key)
			}
			continue
		case l == raceFence:
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

// raceWarning begins a data race's report, after raceFence.
const raceWarning = "WARNING: DATA RACE"

var (
	// raceAccess is a race report's line about one of the two accesses
	// ("Read at 0x00c000192360 by goroutine 15:", "Previous write at
	// ..."), and raceFrame a line of its stack that names a file.
	raceAccess = regexp.MustCompile(`^(Previous )?(read|write|Read|Write|Atomic|atomic)\b.* by (goroutine \d+|main goroutine):$`)
	raceFrame  = regexp.MustCompile(`^\s+(/\S+\.go):(\d+)( \+0x[0-9a-f]+)?$`)
)

// raceBlock folds the race report starting at lines[i] ("WARNING: DATA
// RACE") into what a student needs: the warning, and for each of the two
// accesses its line, without the address, and where in the lab's code it
// happened (the first frame there, as panicSite finds it), not the
// stacks; the goroutines' births are left out. It returns the lines to
// keep and the index of the report's last line: its closing fence, the
// line before a line of the test's or a gap, or the end.
func raceBlock(lines []string, i int, labDir string) ([]string, int) {
	out := []string{raceWarning}
	var stack []string
	access := ""
	flush := func() {
		if access == "" {
			return
		}
		out = append(out, access)
		if where := raceSite(stack, labDir); where != "" {
			out = append(out, "    at "+where)
		}
		access, stack = "", nil
	}
	j := i + 1
	for ; j < len(lines); j++ {
		l := strings.TrimRight(lines[j], " \r")
		if l == raceFence {
			break
		}
		if testLine.MatchString(l) || gotest.IsLeftOutLine(l) {
			j--
			break
		}
		switch {
		case raceAccess.MatchString(l):
			flush()
			access = l
		case l == "" || !strings.HasPrefix(l, " "):
			flush() // "Goroutine 15 (running) created at:" and its stack
		case access != "":
			stack = append(stack, l)
		}
	}
	flush()
	for k, l := range out {
		out[k] = raceAddress.ReplaceAllString(l, "")
	}
	return out, min(j, len(lines)-1)
}

var (
	// raceAddress is the address in an access's line.
	raceAddress = regexp.MustCompile(` at 0x[0-9a-f]+`)
	// raceGoroutine is the goroutine in an access's line.
	raceGoroutine = regexp.MustCompile(`goroutine \d+`)
)

// raceKey is what two reports of one race (the same accesses, at the
// same places; the same code run by other goroutines) have alike.
func raceKey(report []string) string {
	return raceGoroutine.ReplaceAllString(strings.Join(report, "\n"), "goroutine")
}

// raceSite is where in the lab's code a race report's stack is: its first
// frame in the lab's own code, or in the lab's tests when none is.
func raceSite(stack []string, labDir string) string {
	var first string
	for _, l := range stack {
		m := raceFrame.FindStringSubmatch(l)
		if m == nil || !strings.HasPrefix(m[1], labDir+string(filepath.Separator)) {
			continue
		}
		at := "labs/" + filepath.ToSlash(filepath.Join(filepath.Base(labDir), mustRel(labDir, m[1]))) + ":" + m[2]
		if !strings.HasSuffix(m[1], "_test.go") {
			return at
		}
		if first == "" {
			first = at
		}
	}
	return first
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
