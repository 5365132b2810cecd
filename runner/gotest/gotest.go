// Package gotest runs go test -json and folds its event stream into a
// report: per package, whether it built, and each test's status and output.
// It tells a compile error (with file:line) apart from a failing test, and a
// test that started and never finished (a hang cut by -timeout, or a crash
// in another goroutine) apart from one that failed.
package gotest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
)

// Status is the outcome of a test or a package.
type Status string

// The statuses of a test. A package is Pass, Fail or BuildFailed.
const (
	Pass        Status = "pass"
	Fail        Status = "fail"
	Skip        Status = "skip"
	TimedOut    Status = "timeout"     // still running when -timeout fired
	Interrupted Status = "interrupted" // still running when the test binary died
	NotRun      Status = "notrun"      // never started: an earlier test crashed the binary
	BuildFailed Status = "buildfail"
)

// Report is what one go test run said.
type Report struct {
	Packages []*Package `json:"packages"`
	Stderr   string     `json:"stderr,omitempty"` // what go printed outside the JSON stream
}

// Package is one package's result.
type Package struct {
	ImportPath  string        `json:"importPath"`
	Status      Status        `json:"status"`
	Elapsed     time.Duration `json:"elapsed"`
	Cached      bool          `json:"cached,omitempty"`
	BuildErrors []Diagnostic  `json:"buildErrors,omitempty"`
	BuildOutput string        `json:"buildOutput,omitempty"`
	Output      string        `json:"output,omitempty"` // output not tied to a test
	Tests       []*Test       `json:"tests"`            // top-level tests, in the order they started
	TimedOut    bool          `json:"timedOut,omitempty"`
	// Ended reports whether the test binary's last words were the testing
	// package's verdict, PASS or FAIL: it ran to its end, rather than
	// crashing, being killed or ending the process itself.
	Ended bool `json:"ended,omitempty"`
}

// Test is one test and its subtests.
type Test struct {
	Name     string        `json:"name"`
	Status   Status        `json:"status"`
	Elapsed  time.Duration `json:"elapsed"`
	Output   string        `json:"output,omitempty"`
	Subtests []*Test       `json:"subtests,omitempty"`
}

// Diagnostic is one compiler or vet message.
type Diagnostic struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
	Vet     bool   `json:"vet,omitempty"` // reported by go vet, not the compiler
}

func (d Diagnostic) String() string {
	if d.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Message)
	}
	return fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Message)
}

// Options says how to run go test.
type Options struct {
	Dir      string        // where go runs: the work tree's root
	Packages []string      // package patterns
	Run      string        // -run
	Overlay  string        // -overlay file, absolute
	Race     bool          // -race
	Count    int           // -count; 0 leaves go test's caching on
	Timeout  time.Duration // -timeout; 0 is go test's default
	Env      []string      // added to the environment
	Exec     string        // -exec: the program that runs each test binary
}

// Args returns the go command's arguments for o.
func (o Options) Args() []string {
	args := []string{"test", "-json"}
	if o.Run != "" {
		args = append(args, "-run", o.Run)
	}
	if o.Overlay != "" {
		args = append(args, "-overlay", o.Overlay)
	}
	if o.Race {
		args = append(args, "-race")
	}
	if o.Count > 0 {
		args = append(args, "-count", strconv.Itoa(o.Count))
	}
	if o.Timeout > 0 {
		args = append(args, "-timeout", o.Timeout.String())
	}
	if o.Exec != "" {
		args = append(args, "-exec", o.Exec)
	}
	return append(args, o.Packages...)
}

// Run runs go test -json and folds its output. A test failure is not an
// error; an error means go test could not be run or said nothing useful.
// When ctx is done (Ctrl-C, a killed terminal), go test and the tests get
// SIGINT and a few seconds to stop, and are killed after that
// (runner/proc); the go command's work directory goes with the run's
// temp dir.
func Run(ctx context.Context, o Options) (*Report, error) {
	// The go command does not remove its work directory (go-build...)
	// when SIGINT stops it in the middle of a build: it keeps it in a temp
	// dir of netbook's, which goes when the run ends (or at the next
	// netbook's sweep, if netbook is killed too).
	work, remove, err := sandbox.TempDir("netbook-test-")
	if err != nil {
		return nil, err
	}
	defer remove()
	env := append(os.Environ(), "GOTMPDIR="+work)
	// go test does not make its test binaries die with it: should netbook
	// be killed with SIGKILL, go test dies (Pdeathsig) and a test stuck in
	// a loop would run on. Each test binary starts through netbook's
	// executable, which has the kernel kill it when go test dies.
	if o.Exec == "" {
		if xprog, dieEnv, ok := sandbox.DieWithParentExec(); ok {
			o.Exec = xprog
			env = append(env, dieEnv)
		}
	}
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	p, err := proc.Start(ctx, "go", o.Args(), proc.Options{
		Dir:    o.Dir,
		Env:    append(env, o.Env...),
		Stdout: pw,
		Stderr: &stderr,
		Keep:   4 << 10,
		Grace:  5 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("unable to run go test (is Go installed and on PATH?): %w", err)
	}
	go func() {
		p.Wait()
		pw.Close()
	}()
	rep, perr := Parse(pr)
	pr.Close() // after a parse error, the rest is not wanted
	_, werr := p.Wait()
	if perr != nil {
		return nil, perr
	}
	rep.Stderr = stderr.String()
	var exit *exec.ExitError
	if werr != nil && !errors.As(werr, &exit) && ctx.Err() == nil {
		return nil, fmt.Errorf("go test: %w", werr)
	}
	if werr != nil && len(rep.Packages) == 0 && ctx.Err() == nil {
		return nil, fmt.Errorf("go test failed: %s", strings.TrimSpace(rep.Stderr))
	}
	return rep, ctx.Err()
}

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Elapsed     float64
	Output      string
	FailedBuild string
}

// Parse folds a go test -json stream into a report.
func Parse(r io.Reader) (*Report, error) { return ParseKeep(r, 0) }

// ParseKeep is Parse keeping at most keep bytes of each test's output, of
// each package's and of its build output (0 keeps everything): what code
// that prints without end cannot turn into memory. A cut output ends with
// a line that says how much was left out.
func ParseKeep(r io.Reader, keep int) (*Report, error) {
	f := folder{pkgs: map[string]*Package{}, tests: map[string]*Test{}, builds: map[string]*strings.Builder{}, keep: keep, cut: map[*string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			// go test prints some errors (a missing package, say) as plain text.
			f.rep.Stderr += string(line) + "\n"
			continue
		}
		f.add(e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("unable to read go test output: %w", err)
	}
	f.finish()
	return &f.rep, nil
}

type folder struct {
	rep    Report
	pkgs   map[string]*Package
	tests  map[string]*Test // key: package + " " + test name
	builds map[string]*strings.Builder
	keep   int
	cut    map[*string]int // bytes left out of each output that reached keep
}

// appendOut adds s to *out, up to the folder's keep.
func (f *folder) appendOut(out *string, s string) {
	if f.keep <= 0 {
		*out += s
		return
	}
	if room := f.keep - len(*out); room > 0 {
		n := min(room, len(s))
		*out += s[:n]
		s = s[n:]
	}
	if len(s) > 0 {
		f.cut[out] += len(s)
	}
}

func (f *folder) pkg(path string) *Package {
	p, ok := f.pkgs[path]
	if !ok {
		p = &Package{ImportPath: path}
		f.pkgs[path] = p
		f.rep.Packages = append(f.rep.Packages, p)
	}
	return p
}

func (f *folder) test(p *Package, name string) *Test {
	key := p.ImportPath + " " + name
	if t, ok := f.tests[key]; ok {
		return t
	}
	t := &Test{Name: name}
	f.tests[key] = t
	if i := strings.LastIndex(name, "/"); i >= 0 {
		parent := f.test(p, name[:i])
		parent.Subtests = append(parent.Subtests, t)
	} else {
		p.Tests = append(p.Tests, t)
	}
	return t
}

func (f *folder) add(e event) {
	switch e.Action {
	case "build-output":
		b, ok := f.builds[e.ImportPath]
		if !ok {
			b = &strings.Builder{}
			f.builds[e.ImportPath] = b
		}
		if f.keep <= 0 || b.Len() < f.keep {
			b.WriteString(e.Output)
		}
		return
	case "build-fail":
		return
	}
	if e.Package == "" {
		return
	}
	p := f.pkg(e.Package)
	if e.Test == "" {
		switch e.Action {
		case "output":
			f.appendOut(&p.Output, e.Output)
			if strings.HasPrefix(e.Output, "ok ") && strings.Contains(e.Output, "(cached)") {
				p.Cached = true
			}
			switch out := strings.TrimRight(e.Output, "\r\n"); {
			case out == "PASS" || out == "FAIL":
				p.Ended = true
			case out == "" || strings.HasPrefix(out, "ok  \t") || strings.HasPrefix(out, "FAIL\t"):
				// go test's own line about the package, after the binary's
			default:
				p.Ended = false
			}
		case "pass", "fail", "skip":
			p.Status = Status(e.Action)
			p.Elapsed = seconds(e.Elapsed)
			if e.FailedBuild != "" {
				p.Status = BuildFailed
				if b := f.builds[e.FailedBuild]; b != nil {
					p.BuildOutput = b.String()
					p.BuildErrors = parseDiagnostics(p.BuildOutput)
				}
			}
		}
		return
	}
	t := f.test(p, e.Test)
	switch e.Action {
	case "run":
		t.Status = "" // running
	case "output":
		f.appendOut(&t.Output, e.Output)
		if strings.HasPrefix(e.Output, "panic: test timed out after") {
			p.TimedOut = true
		}
	case "pass", "fail", "skip":
		t.Status = Status(e.Action)
		t.Elapsed = seconds(e.Elapsed)
	}
}

// finish marks tests that started and never ended, and says where output
// was cut.
func (f *folder) finish() {
	for out, n := range f.cut {
		*out += fmt.Sprintf("\n... (%d more bytes of output left out)\n", n)
	}
	for _, p := range f.rep.Packages {
		unfinished := Interrupted
		if p.TimedOut {
			unfinished = TimedOut
		}
		var mark func(ts []*Test)
		mark = func(ts []*Test) {
			for _, t := range ts {
				if t.Status == "" {
					t.Status = unfinished
				}
				mark(t.Subtests)
			}
		}
		mark(p.Tests)
		if p.Status == "" {
			p.Status = Fail // the stream ended early: go test was killed
		}
	}
}

func seconds(s float64) time.Duration {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond)
}

var diagLine = regexp.MustCompile(`^(\S+\.go):(\d+)(?::(\d+))?: (.*)$`)

// parseDiagnostics pulls file:line:col: message lines out of build output.
// A "# [pkg]" header (rather than "# pkg") introduces go vet's findings.
func parseDiagnostics(out string) []Diagnostic {
	var ds []Diagnostic
	vet := false
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "# ") {
			vet = strings.HasPrefix(l, "# [")
			continue
		}
		m := diagLine.FindStringSubmatch(strings.TrimPrefix(l, "vet: "))
		if m == nil {
			if n := len(ds); n > 0 && strings.HasPrefix(l, "\t") {
				ds[n-1].Message += "\n" + l
			}
			continue
		}
		d := Diagnostic{File: m[1], Message: m[4], Vet: vet}
		d.Line, _ = strconv.Atoi(m[2])
		d.Col, _ = strconv.Atoi(m[3])
		ds = append(ds, d)
	}
	return ds
}

// Find returns the test named name in p, or nil.
func (p *Package) Find(name string) *Test {
	for _, t := range p.Tests {
		if t.Name == name {
			return t
		}
	}
	return nil
}
