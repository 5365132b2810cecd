package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/netbook/netbook/internal/linewatch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withStdin makes os.Stdin a pipe that holds input, for the test's length.
func withStdin(t *testing.T, input string) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = old; r.Close() })
	go func() {
		io.WriteString(w, input)
		w.Close()
	}()
}

func TestREPLWithPipedInput(t *testing.T) {
	withStdin(t, "ln, _ := net.Listen(\"tcp\", \"127.0.0.1:0\")\n"+
		"strings.HasPrefix(ln.Addr().String(), \"127.0.0.1:\")\n"+
		"import \"strings\"\n"+
		"strings.HasPrefix(ln.Addr().String(), \"127.0.0.1:\")\n"+
		"import \"os/exec\"\n")
	code, out, errOut := netbook(t, "repl")
	assert.Equal(t, 1, code, "piped, a line that failed makes the exit status 1: %s", errOut)
	assert.Equal(t, "true\n", out)
	assert.Contains(t, errOut, "undefined: strings", "strings is not imported up front")
	assert.Contains(t, errOut, `import "os/exec" is not allowed in netbook's interpreter`)
}

// Piped, the REPL's exit status says whether every input ran: a script
// can tell a line that did not compile, panicked or was left unfinished.
func TestREPLPipedExitStatus(t *testing.T) {
	for _, tc := range []struct {
		input string
		code  int
	}{
		{"x := 1\nfmt.Println(x + 1)\n", 0},
		{"x := 1\nexit()\nx := \n", 0},
		{"x := \n", 1},                      // unfinished at the end
		{"fmt.Println(undefinedName)\n", 1}, // does not compile
		{"panic(\"boom\")\nfmt.Println(2)\n", 1},
		{"var a []int\n_ = a[3]\n", 1},
	} {
		withStdin(t, tc.input)
		code, _, errOut := netbook(t, "repl")
		assert.Equal(t, tc.code, code, "%q: %s", tc.input, errOut)
	}
}

// screenWait bounds each wait for what the terminal shows.
const screenWait = 20 * time.Second

// screen is what the pseudo-terminal shows; a wait starts after the
// previous match.
type screen struct{ *linewatch.Text }

func (s screen) waitFor(t *testing.T, want string) {
	t.Helper()
	s.ExpectString(t, screenWait, want)
}

// terminalREPL is netbook repl running in a pseudo-terminal.
type terminalREPL struct {
	cmd     *exec.Cmd
	tty     *os.File // the terminal's master side
	scr     screen
	exited  chan struct{} // closed when netbook has ended
	waitErr error         // how it ended, once exited is closed
}

// startTerminalREPL builds netbook and starts netbook repl in a fresh
// pseudo-terminal of 40 rows and 120 columns. The test skips where there
// is no pseudo-terminal, and the process is killed when the test ends.
func startTerminalREPL(t *testing.T) *terminalREPL {
	t.Helper()
	return startTerminalREPLTo(t, nil)
}

// startTerminalREPLTo is startTerminalREPL with netbook's standard output
// sent to stdout, when not nil, instead of the terminal.
func startTerminalREPLTo(t *testing.T, stdout *os.File) *terminalREPL {
	t.Helper()
	if testing.Short() {
		t.Skip("builds netbook")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	bin := filepath.Join(t.TempDir(), "netbook")
	build := exec.Command("go", "build", "-o", bin, "./cmd/netbook")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, "repl")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TERM=dumb")
	if stdout != nil {
		cmd.Stdout = stdout // pty leaves it so
	}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Skipf("no pseudo-terminal on this machine (%v): the REPL's piped test still runs", err)
	}
	r := &terminalREPL{cmd: cmd, tty: tty, exited: make(chan struct{})}
	go func() {
		r.waitErr = cmd.Wait()
		close(r.exited)
	}()
	r.scr = screen{&linewatch.Text{}}
	r.scr.Also = func() string { // what the processes and the terminal are doing
		if how := r.ended(); how != "" {
			return "netbook repl has ended: " + how
		}
		return describeTTY(tty)
	}
	copied := make(chan struct{})
	go func() {
		io.Copy(r.scr, tty)
		close(copied)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		tty.Close()
		<-copied
	})
	return r
}

// ended says how netbook ended, or "" while it runs.
func (r *terminalREPL) ended() string {
	select {
	case <-r.exited:
		if r.waitErr == nil {
			return "exit status 0"
		}
		return r.waitErr.Error()
	default:
		return ""
	}
}

// send types s.
func (r *terminalREPL) send(t *testing.T, s string) {
	t.Helper()
	_, err := io.WriteString(r.tty, s)
	require.NoError(t, err)
}

// wait waits for netbook to end, at most 20 seconds.
func (r *terminalREPL) wait(t *testing.T, why string) {
	t.Helper()
	select {
	case <-r.exited:
	case <-time.After(20 * time.Second):
		t.Fatalf("netbook repl did not end %s", why)
	}
}

// TestREPLInATerminal drives netbook repl through a pseudo-terminal: the
// banner, echoed values, a multi-line function, Ctrl-C stopping an Accept
// that would wait for ever, history with the up arrow, and Ctrl-D.
func TestREPLInATerminal(t *testing.T) {
	r := startTerminalREPL(t)
	scr := r.scr
	send := func(s string) { r.send(t, s) }

	// Keys for the line editor wait for its prompt: a key that arrives while
	// the terminal is between an evaluation (cooked, Ctrl-C a signal) and
	// the next line (raw, Ctrl-C a key) may be taken either way. And a wait
	// for output looks for text that the echo of the typed line lacks.
	scr.waitFor(t, "Try these four lines:")
	scr.waitFor(t, "> ")
	send("1 + 2\r")
	scr.waitFor(t, "3\r\n")
	send(`ln, _ := net.Listen("tcp", "127.0.0.1:0")` + "\r")
	send(`go func() { c, _ := ln.Accept(); fmt.Fprintln(c, "hello"); c.Close() }()` + "\r")
	send(`c, _ := net.Dial("tcp", ln.Addr().String())` + "\r")
	send(`bufio.NewReader(c).ReadString('\n')` + "\r")
	scr.waitFor(t, `"hello\n"`)

	send("func twice(n int) int {\r")
	scr.waitFor(t, "... ")
	send("return 2 * n\r}\r")
	send("twice(21)\r")
	scr.waitFor(t, "42\r\n")

	send(`fmt.Println("wait" + "ing"); ln.Accept()` + "\r")
	scr.waitFor(t, "waiting\r\n") // printed by the evaluation, which now waits in Accept
	send("\x03")                  // Ctrl-C while Accept waits
	scr.waitFor(t, "interrupted. ")
	scr.waitFor(t, "> ")
	send(`"still" + " here"` + "\r")
	scr.waitFor(t, `"still here"`+"\r\n")
	scr.waitFor(t, "> ")
	send("\x1b[A\r") // up arrow: the last line again
	scr.waitFor(t, `"still here"`+"\r\n")
	scr.waitFor(t, "> ")
	send("\x03") // Ctrl-C at the prompt clears the line, the session goes on
	scr.waitFor(t, "^C")
	scr.waitFor(t, "> ")
	send("\x04") // Ctrl-D leaves
	r.wait(t, "on Ctrl-D")
	require.NoError(t, r.waitErr)
}

// TestREPLCtrlDInAnUnfinishedInput: Ctrl-D in the middle of a function
// ends the session with a note that names what did not run, printed with
// the terminal as netbook found it (raw, each of its lines would start
// where the one above ended, the shell's prompt too).
func TestREPLCtrlDInAnUnfinishedInput(t *testing.T) {
	r := startTerminalREPL(t)
	r.scr.waitFor(t, "> ")
	r.send(t, "func twice(n int) int {\r")
	r.scr.waitFor(t, "... ")
	r.send(t, "\x04")
	r.wait(t, "on Ctrl-D")
	require.NoError(t, r.waitErr, "on a terminal, the session ends with 0")
	r.scr.waitFor(t, "unfinished input at the end: func twice(n int) int {\r\n")
}

// TestREPLLateOutputKeepsItsLines: what a goroutine prints after its
// line has ended, while the prompt waits in a raw terminal (a server's
// "accepted ..."), still starts each line at the left edge, not where the
// line above ended. The goroutine's sleep makes it print at the prompt,
// the case that went wrong; printed sooner, the lines look the same.
func TestREPLLateOutputKeepsItsLines(t *testing.T) {
	r := startTerminalREPL(t)
	r.scr.waitFor(t, "> ")
	r.send(t, `go func() { time.Sleep(300 * time.Millisecond); fmt.Println("late one"); fmt.Println("late two") }()`+"\r")
	r.scr.waitFor(t, "late one\r\nlate two\r\n")
	r.send(t, "\x04")
	r.wait(t, "on Ctrl-D")
}

// interpreterPid is the pid of netbook repl's one child, the interpreter.
// The test skips where pgrep cannot say.
func (r *terminalREPL) interpreterPid(t *testing.T) int {
	t.Helper()
	out, err := exec.Command("pgrep", "-P", strconv.Itoa(r.cmd.Process.Pid)).Output()
	if err != nil {
		t.Skipf("pgrep cannot find netbook's child here: %v", err)
	}
	child, err := strconv.Atoi(strings.TrimSpace(string(out)))
	require.NoError(t, err, "netbook repl should have one child, the interpreter; pgrep says %q", out)
	return child
}

// TestREPLSurvivesItsInterpretersDeath kills the interpreter while netbook
// reads a line, with the terminal raw: the next line says what happened,
// runs in a new interpreter that has the session's definitions, and the
// terminal is as netbook found it when the session ends.
func TestREPLSurvivesItsInterpretersDeath(t *testing.T) {
	r := startTerminalREPL(t)
	r.scr.waitFor(t, "> ")
	r.send(t, "func twice(n int) int { return 2 * n }\r")
	r.scr.waitFor(t, "> ")
	cooked, err := lineEditing(r.tty)
	if err != nil {
		t.Skipf("cannot read the terminal's settings here: %v", err)
	}
	require.False(t, cooked, "while the REPL reads a line, the terminal is raw")
	p, err := os.FindProcess(r.interpreterPid(t))
	require.NoError(t, err)
	require.NoError(t, p.Kill())
	for deadline := time.Now().Add(screenWait); p.Signal(syscall.Signal(0)) == nil; { // until netbook has reaped it
		require.True(t, time.Now().Before(deadline), "the killed interpreter was never reaped")
		time.Sleep(10 * time.Millisecond)
	}

	r.send(t, "twice(21)\r")
	r.scr.waitFor(t, "The interpreter had stopped (signal: killed).")
	r.scr.waitFor(t, "Kept, replayed into it: twice.")
	r.scr.waitFor(t, "42\r\n")
	r.scr.waitFor(t, "> ")
	r.send(t, "\x04")
	r.wait(t, "on Ctrl-D")
	require.NoError(t, r.waitErr)
	cooked, err = lineEditing(r.tty)
	require.NoError(t, err)
	assert.True(t, cooked, "netbook should put the terminal back as it found it (line editing on)")
}

// cpuTicks is the CPU time pid has used, in clock ticks, from /proc.
func cpuTicks(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		t.Skipf("no /proc here to measure the interpreter's CPU time: %v", err)
	}
	f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+2:])
	utime, err1 := strconv.Atoi(f[11])
	stime, err2 := strconv.Atoi(f[12])
	require.NoError(t, err1)
	require.NoError(t, err2)
	return utime + stime
}

// runnableThreads counts the threads of process pid that are running or
// waiting for a CPU (state R in /proc/PID/task/TID/stat).
func runnableThreads(t *testing.T, pid int) int {
	t.Helper()
	stats, err := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "stat"))
	if err != nil || len(stats) == 0 {
		t.Skipf("no /proc here to see the interpreter's threads: %v", err)
	}
	n := 0
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread ended
		}
		if rest := string(b)[strings.LastIndexByte(string(b), ')')+2:]; strings.HasPrefix(rest, "R") {
			n++
		}
	}
	return n
}

// TestREPLCtrlCStopsABusyLoop: Ctrl-C on for {} gives the prompt back, the
// loop no longer takes the CPU, and what was defined before still works.
func TestREPLCtrlCStopsABusyLoop(t *testing.T) {
	r := startTerminalREPL(t)
	r.scr.waitFor(t, "> ")
	r.send(t, "func twice(n int) int { return 2 * n }\r")
	r.scr.waitFor(t, "> ")
	pid := r.interpreterPid(t)
	r.send(t, "for {}\r")
	r.scr.waitFor(t, "for {}\r\n")
	start := cpuTicks(t, pid)
	for deadline := time.Now().Add(screenWait); cpuTicks(t, pid)-start < 20; { // the loop runs: 0.2 s of CPU
		require.True(t, time.Now().Before(deadline), "for {} never took the CPU")
		time.Sleep(10 * time.Millisecond)
	}
	require.Positive(t, runnableThreads(t, pid), "while for {} runs, a thread of the interpreter is runnable")
	r.send(t, "\x03")
	// On a line of its own, not after the ^C the terminal echoes, which
	// would push its words past the width they are wrapped to.
	r.scr.waitFor(t, "\r\ninterrupted. Goroutines started so far stop")
	r.scr.waitFor(t, "> ")
	// A thread in a busy loop is always runnable (state R), however loaded
	// the machine; one moment with no runnable thread proves the loop
	// stopped, without timing anything.
	for deadline := time.Now().Add(screenWait); runnableThreads(t, pid) > 0; {
		require.True(t, time.Now().Before(deadline), "the interpreter still takes the CPU after Ctrl-C: a thread of it stayed runnable")
		time.Sleep(10 * time.Millisecond) // polling /proc: there is nothing to wait on
	}
	r.send(t, "twice(21)\r")
	r.scr.waitFor(t, "42\r\n")
	r.scr.waitFor(t, "> ")
	r.send(t, "\x04")
	r.wait(t, "on Ctrl-D")
}

// TestREPLErrorsComeBeforeThePrompt: what an evaluation writes to standard
// error (a compile error, a fragment with no newline) is on the screen
// before the next prompt, never after it, where it would land on the line
// being edited, in a raw terminal that adds no carriage returns.
func TestREPLErrorsComeBeforeThePrompt(t *testing.T) {
	r := startTerminalREPL(t)
	r.scr.waitFor(t, "> ")
	r.send(t, "import \"os\"\r")
	r.scr.waitFor(t, "> ")
	for i := range 5 {
		r.send(t, fmt.Sprintf("undefinedName%d\r", i))
		r.scr.waitFor(t, fmt.Sprintf("undefined: undefinedName%d\r\n> ", i))
	}
	r.send(t, "fmt.Fprint(os.Stderr, \"12:\" + \"3\")\r")
	r.scr.waitFor(t, "\r\n12:3> ")
	r.send(t, "\x04")
	r.wait(t, "on Ctrl-D")
	require.NoError(t, r.waitErr)
}

// TestREPLSaysSIGTERMStoppedIt: SIGTERM ends netbook repl with a line
// that says so and status 1, the interpreter killed and the terminal put
// back as netbook found it.
func TestREPLSaysSIGTERMStoppedIt(t *testing.T) {
	r := startTerminalREPL(t)
	r.scr.waitFor(t, "> ")
	pid := r.interpreterPid(t)
	r.send(t, "for {}\r")
	r.scr.waitFor(t, "for {}\r\n")
	require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
	r.scr.waitFor(t, "netbook repl: stopped (SIGTERM)\r\n")
	r.wait(t, "on SIGTERM")
	assert.Equal(t, 1, r.cmd.ProcessState.ExitCode())
	p, err := os.FindProcess(pid)
	if err == nil {
		assert.Error(t, p.Signal(syscall.Signal(0)), "the interpreter is gone: netbook killed and reaped it before it exited")
	}
	cooked, err := lineEditing(r.tty)
	if err != nil {
		t.Skipf("cannot read the terminal's settings here: %v", err)
	}
	assert.True(t, cooked, "netbook should put the terminal back as it found it (line editing on)")
}

// TestREPLWithItsOutputInAFile: netbook repl > out.txt on a terminal
// shows the banner, the prompt and the typed line on the terminal (on
// stderr) and puts the values in the file, as Python's REPL does; the
// student does not type blind.
func TestREPLWithItsOutputInAFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	r := startTerminalREPLTo(t, f)
	r.scr.waitFor(t, "Try these four lines:")
	r.scr.waitFor(t, "> ")
	r.send(t, "20 + 22\r")
	r.scr.waitFor(t, "20 + 22\r\n> ")
	r.send(t, "\x04")
	r.wait(t, "on Ctrl-D")
	require.NoError(t, r.waitErr)
	out, err := os.ReadFile(f.Name())
	require.NoError(t, err)
	assert.Equal(t, "42\n", string(out), "the file holds the values, not the banner or the prompts")
}
