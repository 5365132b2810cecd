// Package verify proves the workbook's labs: that each lab's metadata holds
// together, that every task's test fails on the skeleton (and fails fast),
// and that every test passes on the reference solution.
//
// Nothing is copied over a student's file. The skeleton's tests are built
// from the work tree as it is; the solution's with go test -overlay, which
// maps each student file to the solution's file. A skeleton's panic would
// abort the whole test binary, so each binary is built once and run once
// per test.
package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/hidden"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/shipped"
)

// FailFast is the longest a test may take to fail on the skeleton.
const FailFast = 10 * time.Second

// testTimeout bounds one run of a test binary, for each -count started:
// a run of every task of lab 09 under -race takes about 3 s, so this is
// a hang's bound, never a slow machine's.
const testTimeout = 2 * time.Minute

// Options tune a verification.
type Options struct {
	Race  bool // build the solution's tests with -race
	Count int  // run the solution's whole test binary this many times (default 1)
	Book  *book.Book
	Sums  *labs.Sums
	// AsShipped proves the lab as the book shipped it, whatever the work
	// tree holds: a student's work in the skeleton's files, an edited test
	// and a student's own test files are replaced or left out through the
	// overlay (package shipped). It is how go test ./... proves the book in
	// a student's clone. Without it, verify proves the tree as it is and
	// requires labs/book.sum to describe it, as a book's author needs.
	AsShipped bool
	// Hidden is a folder of an instructor's hidden tests (package hidden):
	// the lab's hidden tests join its own and are proved the same way,
	// against the skeleton and the solution.
	Hidden string
	// NoWrongs leaves the wrong solutions unrun (they are still read, and
	// each must name a task of the lab): proving them builds one test
	// binary each, minutes for the whole book.
	NoWrongs bool
	// Machine says whether this machine meets a need a wrong solution's
	// WHY names (labs.Need): a wrong solution whose test would skip here
	// is not tried, and not counted against the lab. Nil asks this
	// machine (ThisMachine); a test pretends.
	Machine func(labs.Need) bool
	// Jobs is how many wrong solutions are proved at once (0: one per CPU,
	// at most 4). Each is a build and a run of one task.
	Jobs int
}

// jobs is Jobs or its default.
func (o Options) jobs() int {
	if o.Jobs > 0 {
		return o.Jobs
	}
	return min(runtime.NumCPU(), 4)
}

// Report is what verify found about one lab.
type Report struct {
	Lab      string   `json:"lab"`
	Tasks    []Proof  `json:"tasks"`
	Problems []string `json:"problems"`
	// Wrongs are the lab's wrong solutions, each run on the task that must
	// catch it.
	Wrongs []WrongProof `json:"wrongs,omitempty"`
	// Skipped says why the lab was not proved (AsShipped, when the
	// shipped files cannot be recovered); a skipped lab has no problems.
	Skipped string        `json:"skipped,omitempty"`
	Elapsed time.Duration `json:"elapsedNs"`
}

// OK reports whether the lab is proved.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Proof is one task's test run on the skeleton and on the solution.
type Proof struct {
	Test            string        `json:"test"`
	SkeletonFailed  bool          `json:"skeletonFailed"`
	SkeletonElapsed time.Duration `json:"skeletonElapsedNs"`
	SolutionPassed  bool          `json:"solutionPassed"`
	SolutionElapsed time.Duration `json:"solutionElapsedNs"`
}

// Lab verifies one lab.
func Lab(ctx context.Context, r repo.Root, l *labs.Lab, o Options) *Report {
	start := time.Now()
	rep := &Report{Lab: l.Name}
	defer func() { rep.Elapsed = time.Since(start).Round(time.Millisecond) }()
	if o.Sums == nil {
		o.Sums = &labs.Sums{}
	}
	base := map[string]string{}
	if o.AsShipped && o.Sums.Has(l) {
		view, err := shipped.Book(ctx, r, l, o.Sums, shipped.Options{Skeleton: true, HideOwn: true})
		if errors.Is(err, shipped.ErrUnrecoverable) {
			rep.Skipped = err.Error()
			return rep
		}
		if err != nil {
			rep.problem("%v", err)
			return rep
		}
		defer view.Close()
		base = view.Overlay
		if l, err = l.Through(base); err != nil {
			rep.problem("%v", err)
			return rep
		}
	}
	hid, err := hidden.Load(o.Hidden, l)
	if err != nil {
		rep.problem("%v", err)
		return rep
	}
	if hid != nil {
		base = maps.Clone(base)
		maps.Copy(base, hid.Overlay())
		if l, err = l.Through(base); err != nil {
			rep.problem("%v", err)
			return rep
		}
	}
	env := hid.Env()
	checkMeta(r, l, o, base, hid, rep)
	checkAuthoring(r, l, base, hid, rep)

	tmp, remove, err := sandbox.TempDir("netbook-verify-")
	if err != nil {
		rep.problem("cannot make a temp dir: %v", err)
		return rep
	}
	defer remove()

	skeletonOverlay := ""
	if len(base) > 0 {
		dir := filepath.Join(tmp, "skeleton")
		if err := os.Mkdir(dir, 0o755); err != nil {
			rep.problem("%v", err)
			return rep
		}
		if skeletonOverlay, err = gotest.WriteOverlay(dir, base); err != nil {
			rep.problem("%v", err)
			return rep
		}
	}
	skeleton := filepath.Join(tmp, "skeleton.test")
	if out, err := build(ctx, r, l, skeleton, skeletonOverlay, false); err != nil {
		if hid != nil {
			rep.problem("the skeleton does not compile with the hidden tests in %s; they must build on the skeleton, as the lab's own do:\n%s",
				hid.Dir, hiddenPaths(r, hid, out))
		} else {
			rep.problem("the skeleton does not compile; a student must start from code that builds:\n%s", out)
		}
		return rep
	}
	solutionFiles, err := l.SolutionFiles()
	if err != nil {
		rep.problem("%v", err)
		return rep
	}
	for _, f := range l.StudentFiles() {
		if _, ok := solutionFiles[f]; !ok {
			rep.problem("the solution has no %s: add solutions/%s/%s", filepath.Base(f), l.Name, filepath.Base(f))
		}
	}
	withSolution := maps.Clone(base)
	maps.Copy(withSolution, solutionFiles)
	overlay, err := gotest.WriteOverlay(tmp, withSolution)
	if err != nil {
		rep.problem("%v", err)
		return rep
	}
	solution := filepath.Join(tmp, "solution.test")
	if out, err := build(ctx, r, l, solution, overlay, o.Race); err != nil {
		rep.problem("the lab does not compile with the solution's files:\n%s", hiddenPaths(r, hid, out))
		return rep
	}
	if out, err := vet(ctx, r, l, overlay); err != nil {
		rep.problem("go vet finds problems in the solution:\n%s", out)
	}
	checkList(ctx, l, skeleton, rep)

	for _, task := range l.Tasks {
		p := Proof{Test: task.Test}
		run := "^" + regexp.QuoteMeta(task.Test) + "$"
		res := runTest(ctx, l, skeleton, run, 1, false, env...)
		p.SkeletonFailed, p.SkeletonElapsed = !res.passed, res.elapsed
		switch {
		case res.passed:
			rep.problem("%s passes on the skeleton: it cannot tell an unfinished lab from a finished one", task.Test)
		case res.noTests:
			rep.problem("%s did not run on the skeleton: %s", task.Test, res.tail())
		case res.elapsed > FailFast:
			rep.problem("%s takes %v to fail on the skeleton, more than %v: fail fast (check for an early return, use deadlines)", task.Test, res.elapsed, FailFast)
		}
		res = runTest(ctx, l, solution, run, 1, false, env...)
		p.SolutionPassed, p.SolutionElapsed = res.passed, res.elapsed
		if !res.passed {
			rep.problem("%s fails on the reference solution:\n%s", task.Test, res.tail())
		}
		rep.Tasks = append(rep.Tasks, p)
	}
	count := max(o.Count, 1)
	if res := runTest(ctx, l, solution, "", count, false, env...); !res.passed {
		rep.problem("the solution's tests fail when run together (-count=%d%s):\n%s", count, raceFlag(o.Race), res.tail())
	}
	proveWrongs(ctx, r, l, withSolution, tmp, o, rep, env)
	return rep
}

// WrongProof is one wrong solution's run of the task that must catch it.
type WrongProof struct {
	Name   string      `json:"name"`
	Task   int         `json:"task"`
	Race   bool        `json:"race,omitempty"`
	Needs  []labs.Need `json:"needs,omitempty"`
	Caught bool        `json:"caught"`
	// NotTried says why the wrong solution was not run on this machine
	// ("needs Linux"): its WHY names a need the machine does not meet, so
	// its test would skip. It is neither caught nor a problem: not proved
	// here.
	NotTried string        `json:"notTried,omitempty"`
	Elapsed  time.Duration `json:"elapsedNs"`
	missing  []labs.Need   // the needs this machine does not meet
}

// ThisMachine reports whether this machine meets need: Linux is the
// system verify runs on; an IPv6 loopback is a TCP listener that opens
// on [::1].
func ThisMachine(need labs.Need) bool {
	switch need {
	case labs.NeedLinux:
		return runtime.GOOS == "linux"
	case labs.NeedIPv6:
		return hasIPv6Loopback()
	}
	return false
}

var hasIPv6Loopback = sync.OnceValue(func() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
})

// unmet returns the needs of w that machine does not meet.
func unmet(w labs.Wrong, machine func(labs.Need) bool) []labs.Need {
	if machine == nil {
		machine = ThisMachine
	}
	var out []labs.Need
	for _, n := range w.Needs {
		if !machine(n) {
			out = append(out, n)
		}
	}
	return out
}

// notTried says why a wrong solution is not run here: "needs Linux",
// "needs Linux and an IPv6 loopback (::1)".
func notTried(missing []labs.Need) string {
	what := make([]string, len(missing))
	for i, n := range missing {
		what[i] = n.What()
	}
	return "needs " + strings.Join(what, " and ")
}

// wrongRaceCount is how many times a race: true wrong solution's task runs
// under -race: the detector sees a race only when the accesses happen, so
// a few runs make it certain enough to be repeatable.
const wrongRaceCount = 3

// proveWrongs builds the lab with each wrong solution's files over the
// reference's and runs the task it names, which must fail: a test that a
// plausible wrong program passes does not teach what it claims to. One
// whose needs this machine does not meet (o.Machine) is neither built nor
// run: it is reported as not tried, with the reason. Up to o.jobs() wrong
// solutions are proved at once (each is a build, then a run that mostly
// waits on sockets); the report lists them in the lab's order whatever
// order they finish in.
func proveWrongs(ctx context.Context, r repo.Root, l *labs.Lab, solution map[string]string, tmp string, o Options, rep *Report, env []string) {
	wrongs, err := l.Wrongs()
	if err != nil {
		rep.problem("%v", err)
	}
	results := make([]wrongResult, len(wrongs))
	sem := make(chan struct{}, o.jobs())
	var wg sync.WaitGroup
	for i, w := range wrongs {
		var task *labs.Task
		for j := range l.Tasks {
			if l.Tasks[j].Number == w.Task {
				task = &l.Tasks[j]
			}
		}
		where := fmt.Sprintf("solutions/%s/wrong/%s", l.Name, w.Name)
		res := &results[i]
		if task == nil {
			res.problems = append(res.problems, fmt.Sprintf("%s/%s names task %d, which the lab does not have", where, labs.WrongFile, w.Task))
			continue
		}
		if o.NoWrongs {
			continue
		}
		if missing := unmet(w, o.Machine); len(missing) > 0 {
			res.proof = &WrongProof{Name: w.Name, Task: w.Task, Race: w.Race, Needs: w.Needs, NotTried: notTried(missing), missing: missing}
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			*res = proveWrong(ctx, r, l, solution, filepath.Join(tmp, fmt.Sprintf("wrong-%d", i)), w, task, where, env)
		})
	}
	wg.Wait()
	for _, res := range results {
		if res.proof != nil {
			rep.Wrongs = append(rep.Wrongs, *res.proof)
		}
		rep.Problems = append(rep.Problems, res.problems...)
	}
}

// wrongResult is what proving one wrong solution found: its proof, if it
// ran, and the problems it shows.
type wrongResult struct {
	proof    *WrongProof
	problems []string
}

// proveWrong builds the lab with wrong solution w over the reference in
// dir and runs the task that must catch it.
func proveWrong(ctx context.Context, r repo.Root, l *labs.Lab, solution map[string]string, dir string, w labs.Wrong, task *labs.Task, where string, env []string) wrongResult {
	fail := func(format string, args ...any) wrongResult {
		return wrongResult{problems: []string{fmt.Sprintf(format, args...)}}
	}
	files := maps.Clone(solution)
	maps.Copy(files, w.Files)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fail("%v", err)
	}
	defer os.RemoveAll(dir)
	overlay, err := gotest.WriteOverlay(dir, files)
	if err != nil {
		return fail("%v", err)
	}
	bin := filepath.Join(dir, "wrong.test")
	if out, err := build(ctx, r, l, bin, overlay, w.Race); err != nil {
		return fail("%s does not compile; a wrong solution must build, so that a test catches it:\n%s", where, out)
	}
	count := 1
	if w.Race {
		count = wrongRaceCount
	}
	// With -test.v, to see a test that skipped: a pass is no pass then.
	res := runTest(ctx, l, bin, "^"+regexp.QuoteMeta(task.Test)+"$", count, true, env...)
	skipped := ""
	if res.passed {
		skipped = skipReason(res.output)
	}
	if skipped != "" && len(w.Needs) > 0 {
		// It says what it needs, and this machine has it in name but not
		// in fact (a Linux kernel that does not drop connections past a
		// listener's backlog): not tried here, with the test's own reason.
		return wrongResult{proof: &WrongProof{Name: w.Name, Task: w.Task, Race: w.Race, Needs: w.Needs,
			NotTried: "(its test skipped: " + skipped + ")", Elapsed: res.elapsed}}
	}
	out := wrongResult{proof: &WrongProof{Name: w.Name, Task: w.Task, Race: w.Race, Needs: w.Needs, Caught: !res.passed && !res.noTests, Elapsed: res.elapsed}}
	switch {
	case skipped != "":
		out.problems = []string{fmt.Sprintf("%s passes %s%s because the test skipped (%s): a test that skips for another reason than a need the WHY names (needs: linux, ipv6) is a test to fix", where, task.Test, raceFlag(w.Race), skipped)}
	case res.noTests:
		out.problems = []string{fmt.Sprintf("%s: %s did not run: %s", where, task.Test, res.tail())}
	case res.passed:
		out.problems = []string{fmt.Sprintf("%s passes %s%s, which must catch it: %s", where, task.Test, raceFlag(w.Race), w.Why)}
	}
	return out
}

func raceFlag(race bool) string {
	if race {
		return " -race"
	}
	return ""
}

// checkMeta checks the brief's front matter against the files, reading
// each through the overlay.
func checkMeta(r repo.Root, l *labs.Lab, o Options, overlay map[string]string, h *hidden.Tests, rep *Report) {
	if strings.TrimSpace(l.Title) == "" {
		rep.problem("README.md: the front matter needs a title")
	}
	if l.Serve != "" && l.Serve != "tcp" && l.Serve != "udp" {
		rep.problem("README.md: serve is %q; it must be tcp, udp, or left out", l.Serve)
	}
	if len(l.Files) == 0 {
		rep.problem("README.md: the front matter must list the files the student edits")
	}
	for _, f := range l.Files {
		path := filepath.Join(l.Dir, f)
		if to, ok := overlay[path]; ok {
			path = to
		}
		data, err := os.ReadFile(path)
		switch {
		case err != nil:
			rep.problem("README.md lists %s, which does not exist", f)
		case !bytes.Contains(data, []byte("TODO")):
			rep.problem("%s has no TODO: mark where the student's work goes", f)
		}
	}
	checkChapter(l, o.Book, rep)
	checkLinks(l, rep)
	checkTasks(l, h, rep)
	checkSums(l, o, rep)
}

// checkSums checks that labs/book.sum describes the lab as it stands, so
// that a student's tree can tell the book's files from the student's work.
// A proof as shipped compares nothing: there the differences are the
// student's.
func checkSums(l *labs.Lab, o Options, rep *Report) {
	update := fmt.Sprintf("run netbook verify %02d --update-sums in a tree that holds no student's work", l.Number)
	if !o.Sums.Has(l) {
		rep.problem("labs/%s has no lines for this lab: %s", labs.SumsFile, update)
		return
	}
	if o.AsShipped {
		return
	}
	for _, f := range o.Sums.Changed(l, "") {
		if _, err := os.Stat(filepath.Join(filepath.Dir(l.Dir), filepath.FromSlash(f.Path))); errors.Is(err, fs.ErrNotExist) {
			rep.problem("labs/%s lists %s, which is gone: after removing it on purpose, %s", labs.SumsFile, f.Path, update)
			continue
		}
		if f.Role == labs.Skeleton {
			// Most likely a student's work, in a student's clone: say
			// what proves the book there before what an author does.
			rep.problem("labs/%s is not the skeleton the book shipped (your work?): verify proves the labs as they stand, so its tests may pass on it; "+
				"in a student's clone, prove the book as shipped with: netbook verify --as-shipped (your files are left alone). "+
				"After changing a skeleton on purpose, %s", f.Path, update)
			continue
		}
		rep.problem("labs/%s: %s changed since the sums were written (or a student's work is in the tree): %s", labs.SumsFile, f.Path, update)
	}
	unknown, err := o.Sums.Unknown(l)
	if err != nil {
		rep.problem("%v", err)
	}
	for _, f := range unknown {
		rep.problem("labs/%s does not list %s: %s", labs.SumsFile, f, update)
	}
}

func checkChapter(l *labs.Lab, b *book.Book, rep *Report) {
	if l.Chapter == "" {
		rep.problem("README.md: the front matter needs the chapter that teaches this lab")
		return
	}
	if b == nil {
		return
	}
	c, err := b.Find(l.Chapter)
	switch {
	case err != nil || c.Slug != l.Chapter:
		rep.problem("README.md: chapter %q does not exist (want a slug like 01-networks-and-ports)", l.Chapter)
	case c.Lab != l.Name:
		rep.problem("chapter %s does not link back to this lab: set lab: %s in its front matter", c.Slug, l.Name)
	}
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// checkLinks checks that the brief's relative links resolve.
func checkLinks(l *labs.Lab, rep *Report) {
	for _, m := range mdLink.FindAllStringSubmatch(string(l.Brief), -1) {
		dest := m[1]
		if strings.Contains(dest, "://") || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "mailto:") {
			continue
		}
		dest, _, _ = strings.Cut(dest, "#")
		if _, err := os.Stat(filepath.Join(l.Dir, filepath.FromSlash(dest))); err != nil {
			rep.problem("README.md links to %s, which does not exist", m[1])
		}
	}
}

// checkTasks checks that the lab's tasks are numbered in order and have
// titles. A hidden task (h) is named in the instructor's folder, and its
// number is checked by h.Problems (checkAuthoring), which says what it
// must be.
func checkTasks(l *labs.Lab, h *hidden.Tests, rep *Report) {
	if len(l.Tasks) == 0 {
		rep.problem("no tasks: name the tests TestTask1..., TestTask2..., in the order a student should do them")
	}
	own := 0
	for _, t := range l.Tasks {
		file := t.File
		if h.Hidden(t) {
			file = filepath.Join(h.Dir, t.File)
		} else if own++; t.Number != own {
			rep.problem("%s:%d: %s is out of sequence: tasks are numbered 1, 2, 3... with no gaps or repeats", t.File, t.Line, t.Test)
		}
		if t.Title == "" {
			rep.problem("%s:%d: %s has no doc comment: its first line is the task's title", file, t.Line, t.Test)
		}
	}
}

// checkList compares the tasks parsed from source with the tests the
// compiled binary knows, which catches a test hidden by a build tag.
func checkList(ctx context.Context, l *labs.Lab, bin string, rep *Report) {
	cmd := exec.CommandContext(ctx, bin, "-test.list", "^TestTask")
	cmd.Dir = l.Dir
	out, err := cmd.Output()
	if err != nil {
		rep.problem("cannot list the skeleton's tests: %v", err)
		return
	}
	listed := strings.Fields(string(out))
	for _, t := range l.Tasks {
		if !slices.Contains(listed, t.Test) {
			rep.problem("%s is in %s but not in the compiled tests (a build tag?)", t.Test, t.File)
		}
	}
}

func build(ctx context.Context, r repo.Root, l *labs.Lab, out, overlay string, race bool) (string, error) {
	args := []string{"test", "-c", "-o", out}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	if race {
		args = append(args, "-race")
	}
	args = append(args, "./"+filepath.ToSlash(rel(r.Dir, l.Dir)))
	return goCmd(ctx, r.Dir, args...)
}

func vet(ctx context.Context, r repo.Root, l *labs.Lab, overlay string) (string, error) {
	return goCmd(ctx, r.Dir, "vet", "-overlay", overlay, "./"+filepath.ToSlash(rel(r.Dir, l.Dir)))
}

// hiddenPaths names the hidden tests' files in the go command's output
// as it names every other file outside the book, relative to the book's
// root, where the go command would mangle them: hidden tests in
// ~/netbook-hidden beside a book in ~/netbook come out as .-hidden/...
// (gotest.Shortened).
func hiddenPaths(r repo.Root, h *hidden.Tests, out string) string {
	if h == nil {
		return out
	}
	short := gotest.Shortened(r.Dir, h.Dir)
	if short == "" {
		return out
	}
	sep := string(filepath.Separator)
	return strings.ReplaceAll(out, short+sep, rel(r.Dir, h.Dir)+sep)
}

func goCmd(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func rel(base, path string) string {
	r, err := filepath.Rel(base, path)
	if err != nil {
		return path
	}
	return r
}

type testRun struct {
	passed  bool
	noTests bool
	elapsed time.Duration
	output  string
}

// tail is the end of the run's output, where the failure is; for a run
// that timed out, it is the head of the panic, which names the tests that
// were still running.
func (t testRun) tail() string {
	lines := strings.Split(strings.TrimRight(t.output, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: test timed out") {
			lines = append(lines[i:min(i+12, len(lines))], "...")
			break
		}
	}
	if len(lines) > 30 {
		lines = append([]string{"..."}, lines[len(lines)-30:]...)
	}
	return "    " + strings.Join(lines, "\n    ")
}

// skipReason returns which test skipped in output (a run with -test.v),
// and why: "TestX/sub: the last line its t.Skip said", or "" when none
// skipped. With -test.v a test's log lines follow its "=== RUN" (or
// "=== CONT") line as they are written, so the reason is the last of them
// before the next "===" or "---" line.
func skipReason(output string) string {
	lines := strings.Split(output, "\n")
	for _, l := range lines {
		rest, ok := strings.CutPrefix(strings.TrimSpace(l), "--- SKIP: ")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, " ")
		why := ""
		in := false
		for _, m := range lines {
			t := strings.TrimSpace(m)
			switch {
			case strings.HasPrefix(t, "=== "):
				f := strings.Fields(t)
				in = len(f) == 3 && f[2] == name
			case strings.HasPrefix(t, "--- "):
				in = false
			case in && logLine.MatchString(t):
				why = logLine.ReplaceAllString(t, "")
			}
		}
		if why == "" {
			return name
		}
		return name + ": " + why
	}
	return ""
}

// logLine is the start of a test's log line: "greet_linux_test.go:45: ".
var logLine = regexp.MustCompile(`^[^\s:]+\.go:\d+: `)

// runTest runs a compiled test binary in the lab's folder, as go test would,
// with env added to the environment. A wrong solution's run adds -test.v,
// which names the tests that skipped, and why, and -test.failfast: the
// first of count runs that fails is enough.
func runTest(ctx context.Context, l *labs.Lab, bin, run string, count int, wrong bool, env ...string) testRun {
	bound := testTimeout * time.Duration(max(1, count/10))
	args := []string{"-test.count=" + strconv.Itoa(count), "-test.timeout=" + bound.String()}
	if run != "" {
		args = append(args, "-test.run="+run)
	}
	if wrong {
		args = append(args, "-test.v", "-test.failfast")
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = l.Dir
	cmd.Env = append(append(os.Environ(), "GORACE=atexit_sleep_ms=0"), env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	res := testRun{elapsed: time.Since(start).Round(time.Millisecond), output: string(out)}
	var exit *exec.ExitError
	switch {
	case err == nil:
		res.passed = !bytes.Contains(out, []byte("no tests to run"))
		res.noTests = !res.passed
	case errors.As(err, &exit):
	default:
		res.output += "\n" + err.Error()
	}
	return res
}
