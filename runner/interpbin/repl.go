package interpbin

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/netbook/netbook/runner/replproto"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// DefaultREPLTimeout is how long one evaluation of netbook repl may run
// before it is stopped (netbook repl --timeout).
const DefaultREPLTimeout = 5 * time.Second

// defaultGrace is how long the interpreter has to answer once asked to
// stop an evaluation (Ctrl-C, the time limit) before netbook kills it and
// starts another.
const defaultGrace = time.Second

// DefaultREPLOutput is how much one evaluation may print when netbook
// repl's output is not a terminal (a file, a pipe): the rest is cut, with
// a note. A terminal shows what the time limit lets through.
const DefaultREPLOutput = 4 << 20

// REPLLimits bound a REPL session's interpreter: sandbox.REPLLimits,
// defined there with the run's limits, which netbook run --sandbox-report
// reports.
var REPLLimits = sandbox.REPLLimits

// REPLOptions tune REPL.
type REPLOptions struct {
	Timeout time.Duration // each evaluation's time limit; DefaultREPLTimeout when 0
	Grace   time.Duration // how long a stopped evaluation may take to stop; defaultGrace when 0
	Output  int64         // what one evaluation may print when stdout is not a terminal; DefaultREPLOutput when 0

	// For tests: started is told each interpreter's pid; deaf makes the
	// time limit send no interrupt, as if the interpreter ignored it;
	// width is the terminal's width, for a stderr that is none.
	started func(pid int)
	deaf    bool
	width   int
}

// Examples are the banner's four lines: a listener, a goroutine that
// answers one connection, a client that dials it, and its read of the
// answer.
var Examples = []string{
	`ln, _ := net.Listen("tcp", "127.0.0.1:0")`,
	`go func() { c, _ := ln.Accept(); fmt.Fprintln(c, "hello"); c.Close() }()`,
	`c, _ := net.Dial("tcp", ln.Addr().String())`,
	`bufio.NewReader(c).ReadString('\n')`,
}

// Banner is printed when the REPL starts on a terminal. Each of its lines
// fits in 80 columns.
func Banner(timeout time.Duration) string {
	var b strings.Builder
	b.WriteString("netbook repl: Go, interpreted (yaegi, Go 1.22's library).\n")
	b.WriteString("Imported: bufio, encoding/json, fmt, net, time. Try these four lines:\n")
	for _, e := range Examples {
		b.WriteString("  " + e + "\n")
	}
	fmt.Fprintf(&b, "Each line may run %v (--timeout). Ctrl-C stops what is running,\n", timeout)
	b.WriteString("Ctrl-D (or exit()) leaves. Up and down recall earlier lines.\n")
	return b.String()
}

// errInterrupted is a line reader's report of Ctrl-C at the prompt.
var errInterrupted = errors.New("interrupted")

// lineReader reads one line of input; cont says the line continues an
// unfinished statement.
type lineReader interface {
	ReadLine(cont bool) (string, error)
	Cook() // leave the terminal as the program found it, until the next ReadLine
}

// REPL runs netbook repl with the interpreter at bin: it reads Go from
// stdin a line at a time (on a terminal with a banner, a prompt, editing
// and history; from a pipe silently) and has the interpreter, a child
// process in a temp directory behind runner/sandbox's fence (REPLLimits),
// evaluate each input and echo its value.
//
// Each evaluation runs at most o.Timeout; Ctrl-C stops it sooner. Either
// sends the interpreter SIGINT, which stops the evaluation (for {}
// included) and, a limit of yaegi, every goroutine and func value made so
// far, except a goroutine blocked in a call (Accept), which stays blocked.
// An interpreter that does not answer within o.Grace is killed and
// another started, into which netbook replays the session's definitions,
// and says which it could not keep. The same happens when the interpreter
// dies (a panic in a goroutine). Ctrl-D ends the session; SIGHUP and
// SIGTERM end it too, with the interpreter, and exit netbook with status 1
// after a line on stderr that says so.
//
// It returns the exit status: 0, or, when stdin is not a terminal, 1 if an
// input failed (it did not compile, was refused, panicked or was stopped,
// or the input ended in the middle of one), so that a script can tell. A
// session on a terminal ends with 0 whatever its inputs did.
//
// With stdin a terminal and stdout not (netbook repl > out.txt), the
// banner, the prompt and the line being typed go to stderr, the values to
// stdout. When stdout is not a terminal, what the interpreter prints passes
// through netbook, which keeps o.Output bytes of each evaluation and cuts
// the rest with a note on stderr (what the pipe still holds as an
// evaluation ends counts toward the next); given a file directly, the interpreter
// would hit the sandbox's file size limit and lose the rest of the
// session's output without a word.
func REPL(bin string, stdin *os.File, stdout, stderr io.Writer, o REPLOptions) (int, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultREPLTimeout
	}
	if o.Grace <= 0 {
		o.Grace = defaultGrace
	}
	if o.Output <= 0 {
		o.Output = DefaultREPLOutput
	}
	dir, remove, err := sandbox.TempDir("netbook-repl-")
	if err != nil {
		return 1, err
	}
	defer remove()

	var restore func()
	if fd := int(stdin.Fd()); term.IsTerminal(fd) {
		if st, err := term.GetState(fd); err == nil {
			restore = func() { term.Restore(fd, st) }
			defer restore()
		}
	}
	// Ctrl-C reaches netbook alone (the interpreter has a process group
	// of its own), which passes it on to the evaluation it stops.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)

	s := &replSession{bin: bin, dir: dir, stdout: stdout, stderr: stderr, o: o, sig: sig, width: o.width}
	if f, ok := stderr.(*os.File); ok && isTerminal(stderr) {
		// netbook's own notes are sentences: wrapped at spaces, not
		// where the terminal breaks them, mid-word.
		s.width = style.Width(f)
	}
	if !isTerminal(stdout) {
		s.out = &outputCap{w: stdout, note: stderr, max: o.Output}
	}
	if err := s.start(); err != nil {
		return 1, err
	}
	defer s.stop()
	interactive := term.IsTerminal(int(stdin.Fd()))
	defer stopOnHangup(s, remove, restore, stderr, interactive)()

	var lines lineReader
	if interactive {
		// The banner, the prompt and the line being typed (which a raw
		// terminal does not echo) belong on the screen: with the values
		// sent to a file (netbook repl > out.txt), on stderr, as Python's
		// REPL does.
		screen := stdout
		if !isTerminal(stdout) && isTerminal(stderr) {
			screen = stderr
		}
		fmt.Fprint(screen, Banner(o.Timeout))
		lines = newTTYReader(stdin, screen)
	} else {
		lines = newPipeReader(stdin)
	}
	defer lines.Cook()
	// failed says an input failed: piped, the session then exits 1, so
	// that a script can tell.
	failed := false
	status := func() int {
		if failed && !interactive {
			return 1
		}
		return 0
	}
	src := ""
	// Piped, each error names its line: n counts the lines read, first is
	// the number of src's first line.
	n, first := 0, 0
	for {
		line, err := lines.ReadLine(src != "")
		if err == nil {
			n++
		}
		switch {
		case errors.Is(err, errInterrupted):
			src = ""
			continue
		case err != nil && !errors.Is(err, io.EOF):
			fmt.Fprintf(stderr, "netbook repl: reading the input: %v\n", err)
			return 1, nil
		case err != nil:
			if src != "" {
				lines.Cook() // a raw terminal would not start the note's next line at its left edge
				s.note("%sunfinished input at the end: %s", replproto.LineLabel(first, src, 0), strings.TrimSpace(src))
				failed = true
			}
			return status(), nil
		}
		if src == "" && (strings.TrimSpace(line) == "exit()" || strings.TrimSpace(line) == "quit()") {
			return status(), nil
		}
		if src == "" && !interactive {
			first = n
		}
		src += line + "\n"
		if strings.TrimSpace(src) == "" {
			src = ""
			continue
		}
		lines.Cook()
		st, err := s.eval(replproto.Request{Src: src, Line: line, First: first})
		if errors.Is(err, errEnded) {
			// SIGHUP or SIGTERM: stopOnHangup says so and exits.
			select {}
		}
		if err != nil {
			return 1, err
		}
		if st != replproto.Incomplete {
			src = ""
		}
		if st == replproto.Failed || st == replproto.Interrupted {
			failed = true
		}
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// stopOnHangup ends the session on SIGHUP (the terminal closed) and
// SIGTERM: the interpreter is killed, the temp dir removed, the terminal
// put back, and netbook says so on stderr and exits with status 1, since
// the line editor's read of a terminal cannot be interrupted. The function
// it returns stops listening for them.
func stopOnHangup(s *replSession, remove, restore func(), stderr io.Writer, interactive bool) (stop func()) {
	hup := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(hup, syscall.SIGHUP, syscall.SIGTERM)
	go func() {
		var sig os.Signal
		select {
		case sig = <-hup:
		case <-done:
			return
		}
		s.end()
		remove()
		if restore != nil {
			restore()
		}
		if interactive {
			fmt.Fprintln(stderr) // the prompt, or a line being printed, ends here
		}
		// After SIGHUP this is for a log: the terminal has gone.
		fmt.Fprintf(stderr, "netbook repl: stopped (%s)\n", signalName(sig))
		os.Exit(1)
	}()
	return func() {
		signal.Stop(hup)
		close(done)
	}
}

// signalName names the signals that end the REPL as a shell does.
func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGHUP:
		return "SIGHUP: the terminal closed"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

type pipeReader struct{ sc *bufio.Scanner }

// maxPipedLine is the longest line the REPL reads from a pipe.
const maxPipedLine = 1 << 20

func newPipeReader(in io.Reader) *pipeReader {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), maxPipedLine)
	return &pipeReader{sc: sc}
}

func (r *pipeReader) Cook() {}

func (r *pipeReader) ReadLine(bool) (string, error) {
	if r.sc.Scan() {
		return r.sc.Text(), nil
	}
	if err := r.sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return "", fmt.Errorf("a line is longer than %s, the most netbook repl reads; the lines after it did not run", sizeOf(maxPipedLine))
	} else if err != nil {
		return "", err
	}
	return "", io.EOF
}
