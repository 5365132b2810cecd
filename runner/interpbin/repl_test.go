package interpbin

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
)

func TestClassifySaysWhatAnInputDefinesAndWhetherItReplays(t *testing.T) {
	for _, tc := range []struct {
		src        string
		names      []string
		replay     bool
		funcValues []string
	}{
		{"x := 5", []string{"x"}, true, nil},
		{"var y, z = 1, len(\"ab\")", []string{"y", "z"}, true, nil},
		{"import \"strings\"", []string{`import "strings"`}, true, nil},
		{"func twice(n int) int {\n\treturn 2 * n\n}", []string{"twice"}, true, nil},
		{"type point struct{ x, y int }\nfunc (p *point) Len() int { return p.x }", []string{"point", "point.Len"}, true, nil},
		{"const k = 3", []string{"k"}, true, nil},
		{"f := func() int { return len(os.Args) }", []string{"f"}, true, []string{"f"}},
		{`ln, _ := net.Listen("tcp", "127.0.0.1:0")`, []string{"ln"}, false, nil},
		{"d := time.Duration(5)", []string{"d"}, false, nil},
		{"x := 1; fmt.Println(x)", []string{"x"}, false, nil},
	} {
		d, ok := classify(tc.src)
		require.True(t, ok, tc.src)
		assert.Equal(t, tc.names, d.names, tc.src)
		assert.Equal(t, tc.replay, d.replay, tc.src)
		assert.Equal(t, tc.funcValues, d.funcValues, tc.src)
	}
	for _, src := range []string{"1 + 2", "fmt.Println(1)", "for {}", "go func() {}()", "x = 3"} {
		d, ok := classify(src)
		if src == "x = 3" {
			assert.True(t, ok && d.replay, "an assignment keeps a variable's value up to date")
			continue
		}
		assert.False(t, ok, "%q defines nothing", src)
	}
}

// runREPL runs REPL with the interpreter built from this work tree on
// input from a pipe, and returns what it printed and the pid of each
// interpreter it started. Its exit status must be 0 when every input
// ran; runREPLStatus returns it.
func runREPL(t *testing.T, input string, o REPLOptions) (string, string, []int) {
	t.Helper()
	out, errOut, pids, code := runREPLStatus(t, input, o)
	if code != 0 {
		t.Errorf("exit status %d", code)
	}
	return out, errOut, pids
}

// runREPLStatus is runREPL that returns the exit status too.
func runREPLStatus(t *testing.T, input string, o REPLOptions) (string, string, []int, int) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the interpreter")
	}
	bin, err := Ensure(t.Context(), root, io.Discard)
	require.NoError(t, err)
	in, w, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { in.Close() })
	go func() {
		io.WriteString(w, input)
		w.Close()
	}()
	var mu sync.Mutex
	var pids []int
	o.started = func(pid int) {
		mu.Lock()
		defer mu.Unlock()
		pids = append(pids, pid)
	}
	var out, errOut testkit.Buffer
	var code int
	done := make(chan error, 1)
	go func() {
		var err error
		code, err = REPL(bin, in, &out, &errOut, o)
		done <- err
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(2 * time.Minute):
		t.Fatalf("the REPL did not finish its input; it printed:\n%s\n%s", out.String(), errOut.String())
	}
	mu.Lock()
	defer mu.Unlock()
	return out.String(), errOut.String(), pids, code
}

// An evaluation that does not stop when asked is ended by killing its
// interpreter: a new one gets the session's definitions, and what cannot
// be replayed is named.
func TestREPLRestartsAnInterpreterThatDoesNotStop(t *testing.T) {
	input := "x := 5\n" +
		"func twice(n int) int {\n\treturn 2 * n\n}\n" +
		`ln, _ := net.Listen("tcp", "127.0.0.1:0")` + "\n" +
		"import \"strings\"\n" +
		"for {}\n" +
		"twice(x)\n" +
		"strings.ToUpper(\"ok\")\n" +
		"ln\n"
	out, errOut, pids, code := runREPLStatus(t, input, REPLOptions{Timeout: 2 * time.Second, Grace: 100 * time.Millisecond, deaf: true})
	assert.Equal(t, 1, code, "piped, a line that was stopped makes the exit status 1")
	assert.Equal(t, "10\n\"OK\"\n", out)
	assert.Contains(t, errOut, "Line 7: stopped: it ran longer than 2s (the repl's --timeout flag sets the limit), and the interpreter did not answer within 100ms, so netbook started a new one.\n",
		"piped, a note names the line it is about")
	assert.Contains(t, errOut, `Kept, replayed into it: x, twice, import "strings".`)
	assert.Contains(t, errOut, "Lost: ln (made by calls")
	assert.Contains(t, errOut, "undefined: ln")
	require.Len(t, pids, 2, "one interpreter, then its replacement")
	p, err := os.FindProcess(pids[0])
	if err == nil {
		assert.Error(t, p.Signal(syscall.Signal(0)), "the first interpreter is gone")
	}
}

// The time limit stops an evaluation that waits, and the session goes on
// in the same interpreter, its definitions and values intact.
func TestREPLTimeLimitStopsAnEvaluation(t *testing.T) {
	input := "func twice(n int) int {\n\treturn 2 * n\n}\n" +
		`ln, _ := net.Listen("tcp", "127.0.0.1:0")` + "\n" +
		"f := func() int { return 1 }\n" +
		"ln.Accept()\n" +
		"twice(21)\n" +
		`strings.HasPrefix(ln.Addr().String(), "127.0.0.1:")` + "\n" +
		"import \"strings\"\n" +
		`strings.HasPrefix(ln.Addr().String(), "127.0.0.1:")` + "\n"
	out, errOut, pids, code := runREPLStatus(t, input, REPLOptions{Timeout: 2 * time.Second})
	assert.Equal(t, 1, code, "piped, a line that was stopped makes the exit status 1")
	assert.Equal(t, "42\ntrue\n", out)
	assert.Contains(t, errOut, "line 6: stopped: it ran longer than 2s (the repl's --timeout flag sets the limit). Goroutines started so far stop")
	assert.Contains(t, errOut, "define f again.")
	assert.NotContains(t, errOut, "restarted")
	assert.Len(t, pids, 1)
	assert.True(t, strings.Contains(errOut, "line 8: undefined: strings"), errOut)
}

// A time limit so short that it passes while the interpreter starts (its
// SIGINT comes before the interpreter can catch it) is still reported as
// the limit, not as an interpreter that stopped unexpectedly.
func TestREPLTinyTimeLimitIsReportedAsTheLimit(t *testing.T) {
	_, errOut, _, code := runREPLStatus(t, "fmt.Println(1)\n", REPLOptions{Timeout: time.Nanosecond})
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "it ran longer than 1ns (the repl's --timeout flag sets the limit)")
	assert.NotContains(t, errOut, "unexpectedly")
}

// Output that is not a terminal is capped per evaluation: a line that
// prints too much is cut with a note, and the next line's output is shown
// (given the file itself, the interpreter hit the sandbox's file size
// limit and every later line printed nothing). What the pipe still held
// when the line ended (at most its buffer and the copy's) counts toward
// the next line, so the cut is at the cap or a little after it.
func TestREPLCapsEachEvaluationsOutput(t *testing.T) {
	const lines, limit = 20000, 64 << 10
	row := strings.Repeat("x", 99) + "\n"
	input := "line := \"" + strings.TrimSuffix(row, "\n") + "\"\n" +
		fmt.Sprintf("for i := 0; i < %d; i++ { fmt.Println(line) }\n", lines) +
		"fmt.Println(\"still here\")\n"
	out, errOut, _ := runREPL(t, input, REPLOptions{Output: limit})
	all := strings.Repeat(row, lines)
	assert.True(t, strings.HasPrefix(out, all[:limit]), "the first %d bytes are shown", limit)
	assert.True(t, strings.HasSuffix(out, "still here\n"), "the next line's output is shown")
	assert.LessOrEqual(t, len(out), limit+256<<10, "of %d bytes printed, about the cap is shown", len(all))
	assert.Equal(t, 1, strings.Count(errOut, "netbook repl: this line printed more than 64 KiB; the rest of its output is cut."), errOut)
}

// A cut in the middle of a line ends that line, so that the next
// evaluation's output starts a line of its own instead of running on
// from the cut ("xxxxafter"); a cut at the end of a line adds nothing.
func TestOutputCapEndsTheLineItCuts(t *testing.T) {
	var out, note strings.Builder
	c := &outputCap{w: &out, note: &note, max: 10}
	c.Write([]byte("0123456789abc"))
	c.Write([]byte("def\n"))
	c.reset()
	c.Write([]byte("after\n"))
	assert.Equal(t, "0123456789\nafter\n", out.String())
	assert.Equal(t, 1, strings.Count(note.String(), "the rest of its output is cut"))

	out.Reset()
	c = &outputCap{w: &out, note: io.Discard, max: 10}
	c.Write([]byte("01234"))
	c.Write([]byte("56789")) // exactly the cap: nothing is cut yet
	c.Write([]byte("more"))
	c.reset()
	c.Write([]byte("after\n"))
	assert.Equal(t, "0123456789\nafter\n", out.String())

	out.Reset()
	c = &outputCap{w: &out, note: io.Discard, max: 10}
	c.Write([]byte("012345678\nxyz"))
	assert.Equal(t, "012345678\n", out.String(), "the cut falls at a line's end")
}

// An interpreter that dies (a panic in a goroutine kills it) is replaced,
// with the session's definitions.
func TestREPLReplacesAnInterpreterThatDies(t *testing.T) {
	// The goroutine panics once line 6 lets it, and line 6 waits for ever:
	// the panic kills the interpreter while line 6 runs, however busy the
	// machine.
	input := "func twice(n int) int {\n\treturn 2 * n\n}\n" +
		"ready := make(chan bool)\n" +
		"go func(ready chan bool) { <-ready; panic(\"boom\") }(ready)\n" +
		"close(ready); <-make(chan bool)\n" +
		"twice(4)\n"
	out, errOut, pids, code := runREPLStatus(t, input, REPLOptions{})
	assert.Equal(t, 1, code, "piped, a line that killed the interpreter makes the exit status 1")
	assert.Equal(t, "8\n", out)
	assert.Contains(t, errOut, "line 5: panic: boom\ngoroutine ", "the goroutine's panic reads as Go's, named by the go statement's line")
	assert.Contains(t, errOut, "Line 6: a goroutine panicked (above), and a panic that nothing recovers ends a Go program, so netbook started a new interpreter.", "the line that ran when the interpreter died")
	assert.Contains(t, errOut, "Kept, replayed into it: twice, ready.")
	assert.NotContains(t, errOut, "repanicked")
	assert.NotContains(t, errOut, "exit status 2")
	assert.Len(t, pids, 2)
}

// A goroutine that runs a named function is not guarded (runner/interp's
// goGuard): the Go runtime's report of its panic, which the interpreter
// recovered and panicked with again, still reads as Go's; and a panic
// after the line that started it is told as the next line starts.
func TestREPLTellsARepanickedGoroutine(t *testing.T) {
	input := "func f() { var m map[string]int; m[\"a\"] = 1 }\n" +
		"go f()\n" +
		"time.Sleep(100 * time.Millisecond)\n" +
		"1 + 1\n"
	out, errOut, pids, code := runREPLStatus(t, input, REPLOptions{})
	assert.Equal(t, 1, code)
	assert.Equal(t, "2\n", out)
	assert.Contains(t, errOut, "panic: assignment to entry in nil map\n")
	assert.NotContains(t, errOut, "repanicked")
	assert.NotContains(t, errOut, "yaegi", "no stack of the interpreter's")
	assert.Regexp(t, `(Line [23]: a|A) goroutine panicked \(above\), and a panic that nothing recovers ends a Go program, so netbook started a new interpreter\.\nKept, replayed into it: f\.`, errOut)
	assert.Len(t, pids, 2)
}

// Recursion without end stops the interpreter at its stack limit: the
// REPL says so in a sentence, without the runtime's stack dump (hundreds
// of lines of the interpreter's own frames), and goes on in a new one.
func TestREPLExplainsAStackOverflow(t *testing.T) {
	input := "func f(n int) int { return f(n+1) + 1 }\n" +
		"f(0)\n" +
		"f != nil\n"
	out, errOut, pids, code := runREPLStatus(t, input, REPLOptions{Timeout: time.Minute})
	assert.Equal(t, 1, code)
	assert.Equal(t, "true\n", out, "the definition is replayed into the new interpreter")
	assert.Contains(t, errOut, "fatal error: stack overflow\n")
	assert.Contains(t, errOut, "stopped unexpectedly while it ran this line (the program's stack grew past 64 MiB, a stack overflow, and it was stopped: does a function call itself without end?)")
	assert.NotContains(t, errOut, "runtime stack:", "the runtime's stack dump is cut")
	assert.Len(t, pids, 2)
}

// netbook's own notes on a terminal are wrapped at spaces to its width,
// not broken mid-word where the terminal runs out of columns.
func TestREPLNotesFitTheTerminal(t *testing.T) {
	input := "f := func() {}\n" +
		"for {}\n" +
		"func g(n int) int {\n"
	_, errOut, _, _ := runREPLStatus(t, input, REPLOptions{Timeout: time.Second, width: 60})
	assert.Contains(t, errOut, "stopped: it ran longer than 1s")
	assert.Contains(t, errOut, "define f again.")
	assert.Contains(t, errOut, "unfinished input at the end:")
	for _, line := range strings.Split(strings.TrimSuffix(errOut, "\n"), "\n") {
		assert.LessOrEqual(t, len(line), 60, "%q", line)
	}
}

// What an input writes to standard error without ending the line is
// shown, even where it could be the start of a panic frame line or of the
// runtime's fatal error, both of which netbook holds back until it can
// tell, and nothing more comes.
func TestREPLShowsAnUnfinishedLineOfStandardError(t *testing.T) {
	for _, last := range []string{"12:3", "fatal"} {
		input := "import \"os\"\n" +
			"fmt.Println(\"next\")\n" +
			"fmt.Fprint(os.Stderr, \"" + last + "\")\n"
		out, errOut, _ := runREPL(t, input, REPLOptions{})
		assert.Equal(t, "next\n", out)
		assert.Equal(t, last, errOut)
	}
}

// TestBannerFitsEightyColumns: the banner a student sees first is not
// broken mid-word by an 80-column terminal.
func TestBannerFitsEightyColumns(t *testing.T) {
	for _, timeout := range []time.Duration{DefaultREPLTimeout, 90 * time.Second} {
		for _, line := range strings.Split(strings.TrimSuffix(Banner(timeout), "\n"), "\n") {
			assert.LessOrEqual(t, len(line), 80, "%q", line)
		}
	}
	assert.Contains(t, Banner(DefaultREPLTimeout), strings.Join(Examples, "\n  "), "the examples are in the banner, one a line")
}

// SIGHUP and SIGTERM end a session (end, from the signal's goroutine)
// while the session's own goroutine may be starting a new interpreter (a
// restart): end kills whichever interpreter runs, the one being started
// included, and none starts after it, so that none is left behind when
// netbook exits. Here the signal comes just as the new interpreter has
// started, before the session has taken it on; -race tells a missing lock.
func TestREPLEndDuringARestartLeavesNoInterpreter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the interpreter")
	}
	bin, err := Ensure(t.Context(), root, io.Discard)
	require.NoError(t, err)
	var s *replSession
	var pids []int // only start appends, on this goroutine
	ended := make(chan struct{})
	o := REPLOptions{Timeout: 5 * time.Second, Grace: time.Second, started: func(pid int) {
		pids = append(pids, pid)
		if len(pids) == 2 {
			go func() {
				defer close(ended)
				s.end()
			}()
		}
	}}
	s = &replSession{bin: bin, dir: t.TempDir(), stdout: io.Discard, stderr: io.Discard, o: o, sig: make(chan os.Signal, 1)}
	require.NoError(t, s.start())
	require.NoError(t, s.restart("a restart"))
	select {
	case <-ended:
	case <-time.After(time.Minute):
		t.Fatal("end did not return within a minute")
	}
	assert.ErrorIs(t, s.start(), errEnded, "no interpreter starts after the end")
	require.Len(t, pids, 2)
	for _, pid := range pids {
		if p, err := os.FindProcess(pid); err == nil {
			assert.Error(t, p.Signal(syscall.Signal(0)), "interpreter %d is gone: end killed and reaped it", pid)
		}
	}
}
