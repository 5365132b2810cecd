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
	"unicode/utf8"

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
	// Keep is how many bytes of each test's output the report keeps (see
	// ParseKeep): DefaultKeep when zero, everything when negative.
	Keep int
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
	keep := o.Keep
	if keep == 0 {
		keep = DefaultKeep
	}
	rep, perr := ParseKeep(pr, max(keep, 0))
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

// Parse folds a go test -json stream into a report, keeping every byte of
// every output.
func Parse(r io.Reader) (*Report, error) { return ParseKeep(r, 0) }

// DefaultKeep is how many bytes of each test's output Run keeps when
// Options.Keep is zero: a test whose code prints without end (a loop
// printing until the time limit) costs at most this much memory.
const DefaultKeep = 1 << 20

// ParseKeep is Parse keeping at most about keep bytes of each test's
// output and of each package's (0 keeps everything; build output keeps
// its first keep bytes): what code that prints without end cannot turn
// into memory. Of an output longer than that it keeps the first half and
// the last lines, where the test's own verdict is (its t.Error after the
// prints, a time-out's panic), and between them a line that says how
// many bytes were left out (see LeftOut).
func ParseKeep(r io.Reader, keep int) (*Report, error) {
	f := folder{pkgs: map[string]*Package{}, tests: map[string]*Test{}, builds: map[string]*strings.Builder{}, keep: keep, outs: map[*string]*capped{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			// go test prints some errors (a missing package, say) as plain
			// text; kept as the outputs are.
			f.appendOut(&f.rep.Stderr, string(line)+"\n")
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
	outs   map[*string]*capped // each output being gathered; finish writes it
}

// appendOut adds s to the output *out, within the folder's keep.
func (f *folder) appendOut(out *string, s string) {
	c, ok := f.outs[out]
	if !ok {
		c = &capped{keep: f.keep}
		f.outs[out] = c
	}
	c.write(s)
}

// leftOut is the line put where an output was cut: the number of bytes
// left out. LeftOut reads it back.
const leftOut = "... (%d bytes of output left out here)\n"

var leftOutLine = regexp.MustCompile(`(?m)^\.\.\. \((\d+) bytes of output left out here\)$`)

// LeftOut is how many bytes ParseKeep left out of an output it kept (a
// Test's, a Package's), or of a part of one, 0 when it kept it whole: the
// sum of the lines that say so (a crash's lines kept from the middle of
// a long output have one before and after them).
func LeftOut(out string) int64 {
	var n int64
	for _, m := range leftOutLine.FindAllStringSubmatch(out, -1) {
		k, _ := strconv.ParseInt(m[1], 10, 64)
		n += k
	}
	return n
}

// IsLeftOutLine reports whether line (without its "\n") is the one
// ParseKeep puts where it cut an output.
func IsLeftOutLine(line string) bool { return leftOutLine.MatchString(line) }

// capped gathers an output of at most about keep bytes: its first half
// in head; once that is full, its latest pieces in tail, dropping the
// oldest as new ones come; and the count of bytes dropped.
//
// A crash (a panic, a fatal error, and the test binary's panic at its
// time limit) writes its verdict first, then a dump of goroutines that
// can be megabytes long (every goroutine, at a time-out): its first
// lines and the stacks of the tests' own goroutines are kept even when
// the tail has no room left for them (see crash), in at most pinKeep
// bytes more, between the head and the tail, in their order.
//
// A data race's report ("WARNING: DATA RACE" between two lines of "="),
// which the race detector writes wherever the race happened, in the
// middle of megabytes of prints, is kept the same way, in at most
// raceKeep bytes more: the first reports, whole while there is room.
//
// Its memory is bounded by keep, pinKeep, raceKeep and one goroutine's
// stack (blockKeep), however much is written; a piece is a line of go
// test -json, which test2json keeps under 4 KiB.
type capped struct {
	keep     int // 0: everything
	head     strings.Builder
	headFull bool
	tail     []piece // oldest first, from tail[start]
	start    int
	tailLen  int   // bytes in tail[start:]
	cut      int64 // bytes dropped

	pinned    []pinnedPiece // pieces the tail dropped and kept, in order
	pinnedLen int           // bytes in pinned
	pinnedCut int64         // the sum of their cutBefore
	raceLen   int           // bytes in pinned that are races' reports
	crash     crash
	race      race
}

// race follows a data race's report as it comes: a line of "=", then
// "WARNING: DATA RACE", up to the next line of "=".
type race struct {
	fence string // a line of "=" held until the next line says what it opens
	in    bool   // in a report
	n     int    // bytes of the report read so far
}

// raceFence opens and closes the race detector's report; raceWarning is
// the report's first line.
const (
	raceFence   = "==================\n"
	raceWarning = "WARNING: DATA RACE\n"
)

// raceKeep is how many bytes of races' reports c keeps beyond its keep
// and a crash's: half pinKeep, a dozen reports of the labs' size.
func (c *capped) raceKeep() int { return c.pinKeep() / 2 }

// A piece is one write, and the crash it must be kept for (see crash.n),
// 0 when none, or whether it is a race's report's.
type piece struct {
	s     string
	crash int
	race  bool
}

// A pinnedPiece is a piece the tail dropped and kept, and the bytes
// dropped between it and the one kept before it.
type pinnedPiece struct {
	piece
	cutBefore int64
}

// pinKeep is how many bytes of a crash's lines c keeps beyond its keep.
func (c *capped) pinKeep() int { return max(c.keep/8, 16<<10) }

// blockKeep is the longest goroutine stack read whole to see whether it
// is a test's: the runtime prints at most 100 frames of about 150 bytes.
const blockKeep = 32 << 10

// crash follows a crash's lines as they come: the verdict ("panic: ...",
// "fatal error: ...") at the start of a line, its own lines after it,
// tab-indented (a time-out's "running tests:" and the test names), then
// the goroutines' stacks, each "goroutine N [state]:" up to a blank line.
// Kept whatever their place: the verdict and its lines, the first stack
// (the goroutine that crashed; at a time-out, the alarm's, a few lines)
// and the stack of each goroutine running a test, which testing.tRunner
// runs (not the main goroutine's, which runs them all): where the test
// waited when its time ran out.
//
// The code under test may print a line that reads like a crash's: only
// the last crash's lines are kept, as a crash is the test binary's last
// output.
type crash struct {
	lineStart bool // the next piece starts a line (the first does)
	n         int  // crashes begun; the one being read, when > 0
	verdict   bool // in the crash's own lines, before the first blank line
	stacks    int  // stacks begun
	block     []string
	blockLen  int
	inBlock   bool // reading a stack into block
	spill     bool // reading a stack too long for block: written as it comes
}

// crashLine reports whether line starts a crash's verdict: at the start
// of a line, or, for the testing package's time-out, after a line the
// code under test left unfinished ("> panic: test timed out after 2m0s").
// It reads every line of every output: no regular expression.
func crashLine(line string) bool {
	return strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") ||
		strings.Contains(line, timedOutPanic)
}

// stackHead reports whether line begins a goroutine's stack in a crash's
// dump: "goroutine 19 [IO wait]:".
func stackHead(line string) bool {
	rest, ok := strings.CutPrefix(line, "goroutine ")
	digits := len(rest) - len(strings.TrimLeft(rest, "0123456789"))
	return ok && digits > 0 && strings.HasPrefix(rest[digits:], " [")
}

// timedOutPanic begins the testing package's panic when the test binary
// runs out of time.
const timedOutPanic = "panic: test timed out after "

func (c *capped) write(s string) {
	if s == "" {
		return
	}
	if c.keep <= 0 {
		c.head.WriteString(s)
		return
	}
	cr := &c.crash
	start := c.empty() || cr.lineStart
	cr.lineStart = strings.HasSuffix(s, "\n")
	if !cr.inBlock && c.raceLine(s, start) {
		return
	}
	switch {
	case !start && cr.inBlock:
		// The rest of a long line: as its start went.
		c.buffer(s)
	case !cr.inBlock && (start && crashLine(s) || strings.HasPrefix(s, timedOutPanic)):
		// (The time limit's panic may follow a piece of a line the
		// code left unfinished, "> ", given apart.)
		cr.n++
		cr.verdict, cr.stacks = true, 0
		c.unpin()
		c.add(s, true)
	case !start:
		c.add(s, cr.verdict)
	case cr.n == 0:
		c.add(s, false)
	case stackHead(s):
		c.endStack()
		cr.verdict = false
		cr.stacks++
		cr.inBlock, cr.spill = true, false
		c.buffer(s)
	case cr.inBlock:
		c.buffer(s)
		if s == "\n" {
			c.endStack()
		}
	case cr.verdict && (strings.HasPrefix(s, "\t") || s == "\n"):
		// The crash's own lines end at a blank line, kept too.
		cr.verdict = s != "\n"
		c.add(s, true)
	default:
		cr.verdict = false
		c.add(s, false)
	}
}

// raceLine follows a race's report (see race), and reports whether it
// took s: a line of "=" is held until the next says whether it opens a
// report; a report's lines are kept for it. A report ends at its closing
// line, at a crash, or, if it never closes (the code printed its first
// lines), after raceKeep bytes.
func (c *capped) raceLine(s string, start bool) bool {
	r := &c.race
	if r.fence != "" {
		fence := r.fence
		r.fence = ""
		if start && s == raceWarning {
			r.in, r.n = true, 0
			c.addRace(fence)
			c.addRace(s)
			return true
		}
		c.add(fence, false)
	}
	if r.in && !(start && crashLine(s)) && r.n <= c.raceKeep() {
		c.addRace(s)
		r.in = !(start && s == raceFence)
		return true
	}
	r.in = false
	if start && s == raceFence {
		r.fence = s
		return true
	}
	return false
}

// addRace adds s, a piece of a race's report.
func (c *capped) addRace(s string) {
	c.race.n += len(s)
	c.addPiece(piece{s: s, race: true})
}

// empty reports whether nothing was written yet: the first piece starts
// a line.
func (c *capped) empty() bool {
	return c.head.Len() == 0 && !c.headFull
}

// buffer holds a piece of the stack being read, until its end says
// whether it is kept; a stack longer than blockKeep is written as it
// comes, not kept.
func (c *capped) buffer(s string) {
	cr := &c.crash
	if cr.spill {
		c.add(s, false)
		return
	}
	cr.block = append(cr.block, s)
	cr.blockLen += len(s)
	if cr.blockLen > blockKeep {
		for _, b := range cr.block {
			c.add(b, false)
		}
		cr.block, cr.blockLen, cr.spill = cr.block[:0], 0, true
	}
}

// endStack writes the stack read, kept when it is the first or a test's.
func (c *capped) endStack() {
	cr := &c.crash
	if !cr.inBlock {
		return
	}
	pin := false
	if !cr.spill {
		test, main := false, false
		for _, b := range cr.block {
			test = test || strings.HasPrefix(b, "testing.tRunner(")
			main = main || strings.HasPrefix(b, "main.main(")
		}
		pin = cr.stacks == 1 || (test && !main)
	}
	for _, b := range cr.block {
		c.add(b, pin)
	}
	cr.block, cr.blockLen, cr.inBlock, cr.spill = cr.block[:0], 0, false, false
}

// add puts s in the head while it has room, else in the tail; pin says
// to keep it for the crash being read.
func (c *capped) add(s string, pin bool) {
	p := piece{s: s}
	if pin {
		p.crash = c.crash.n
	}
	c.addPiece(p)
}

// addPiece puts p in the head while it has room, else in the tail.
func (c *capped) addPiece(p piece) {
	s := p.s
	if !c.headFull && c.head.Len()+len(s) <= c.keep/2 {
		c.head.WriteString(s)
		return
	}
	// The head ends at the end of a piece: go test -json gives whole
	// lines (a long one in pieces), so that the lines after it are whole.
	c.headFull = true
	room := c.keep - c.keep/2
	if len(s) > room {
		// One piece longer than the tail's room: its end.
		cut := len(s) - room
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		c.cut += int64(cut)
		p = piece{s: strings.Clone(s[cut:])}
	}
	c.tail = append(c.tail, p)
	c.tailLen += len(p.s)
	for c.tailLen > room {
		c.tailLen -= len(c.tail[c.start].s)
		c.drop(c.tail[c.start])
		c.tail[c.start] = piece{}
		c.start++
	}
	if c.start > len(c.tail)/2 {
		// Move the pieces kept down, so that the slice does not grow
		// with every piece dropped.
		c.tail = c.tail[:copy(c.tail, c.tail[c.start:])]
		c.start = 0
	}
}

// drop leaves out p, a piece the tail has no more room for, unless it is
// the last crash's to keep, or a race's report's, and there is room for
// it among the pieces kept.
func (c *capped) drop(p piece) {
	switch {
	case p.race && c.raceLen+len(p.s) <= c.raceKeep():
		c.raceLen += len(p.s)
	case p.crash == 0 || p.crash != c.crash.n || c.pinnedLen-c.raceLen+len(p.s) > c.pinKeep():
		c.cut += int64(len(p.s))
		return
	}
	c.pinned = append(c.pinned, pinnedPiece{piece: p, cutBefore: c.cut - c.pinnedCut})
	c.pinnedLen += len(p.s)
	c.pinnedCut = c.cut
}

// unpin leaves out the pieces kept for an earlier crash; races' reports
// stay.
func (c *capped) unpin() {
	kept := c.pinned[:0]
	var carry int64 // bytes left out since the last piece kept
	c.pinnedLen, c.pinnedCut = 0, 0
	for _, p := range c.pinned {
		if !p.race {
			carry += p.cutBefore + int64(len(p.s))
			c.cut += int64(len(p.s))
			continue
		}
		p.cutBefore += carry
		carry = 0
		kept = append(kept, p)
		c.pinnedLen += len(p.s)
		c.pinnedCut += p.cutBefore
	}
	clear(c.pinned[len(kept):])
	c.pinned = kept
}

// close writes the stack being read, if the output ended in one, and a
// line of "=" held.
func (c *capped) close() {
	c.endStack()
	if f := c.race.fence; f != "" {
		c.race.fence = ""
		c.add(f, false)
	}
}

// String is the output kept: its head; the pieces of a crash kept from
// its middle; the tail; and where bytes were left out, a line that says
// how many.
func (c *capped) String() string {
	var b strings.Builder
	b.Grow(c.head.Len() + c.pinnedLen + c.tailLen + 64*(len(c.pinned)+1))
	b.WriteString(c.head.String())
	gap := func(n int64) {
		if n <= 0 {
			return
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, leftOut, n)
	}
	cut := c.cut
	for _, p := range c.pinned {
		gap(p.cutBefore)
		cut -= p.cutBefore
		b.WriteString(p.s)
	}
	gap(cut)
	for _, p := range c.tail[c.start:] {
		b.WriteString(p.s)
	}
	return b.String()
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
		// After a line the code left unfinished, the panic comes on
		// the same line: "> panic: test timed out after 2m0s".
		if strings.Contains(e.Output, timedOutPanic) {
			p.TimedOut = true
		}
	case "pass", "fail", "skip":
		t.Status = Status(e.Action)
		t.Elapsed = seconds(e.Elapsed)
	}
}

// finish writes the outputs gathered, and marks tests that started and
// never ended.
func (f *folder) finish() {
	for out, c := range f.outs {
		c.close()
		*out = c.String()
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
