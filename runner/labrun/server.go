package labrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
)

// StopGrace is how long a server has to exit after SIGINT before it is
// killed: a little longer than the generated main gives Serve to return,
// so that the server can say so itself.
const StopGrace = 3 * time.Second

// StartOptions tune how a server starts.
type StartOptions struct {
	Addr   string        // where to listen; 127.0.0.1:0 when empty
	Quiet  bool          // do not log connections, reads and writes
	Stdout io.Writer     // a copy of its output, a line at a time, if anywhere
	Stderr io.Writer     // a copy of its error output, if anywhere
	Ready  time.Duration // how long to wait for its "listening on" line; 10s when zero
	// Serving makes the server say when its Serve first waits for a
	// client, which closes Running.Serving (netbook up says where to talk
	// to the server then, and not when Serve returns at once).
	Serving bool
	// Limits, when not zero, bound the server's memory, CPU time, file
	// size and open files (sandbox.Options.LimitsOnly: its network and
	// files are the host's), and Running.Why says which one stopped it.
	// ServerLimits gives netbook up's and bench's.
	Limits sandbox.Limits
}

// ServerMemory is the memory a lab's server may use under netbook up and
// bench: far more than any lab needs, and far less than a machine has.
const ServerMemory = 512 << 20

// ServerLimits are the limits of a lab's server that may use cpu of CPU
// time and keep openFiles files and sockets open (no more than the hard
// limit netbook has).
func ServerLimits(cpu time.Duration, openFiles int) sandbox.Limits {
	return sandbox.Limits{Memory: ServerMemory, CPU: cpu, FileSize: sandbox.Default.FileSize, OpenFiles: openFiles, Threads: sandbox.Default.Threads}
}

// Running is a lab server running as a child process, in its own process
// group, started by Program.Start.
type Running struct {
	Network string // "tcp" or "udp"
	Addr    string // the address it listens on, as it printed it
	Who     string // "your server" or "the reference server"

	kind    Kind // and ref: who it is, for WhyIn
	ref     bool
	p       *proc.Process
	stdin   io.WriteCloser
	serving *servingWatch
	limits  sandbox.Limits
	runtime *runtimeLines
}

// Start runs a server program and returns once it listens. A server that
// exits first, or says nothing for o.Ready, is stopped, and the error
// holds what it printed.
func (p *Program) Start(ctx context.Context, o StartOptions) (*Running, error) {
	if p.Kind != Server {
		return nil, fmt.Errorf("lab %s is not a server lab", p.Lab.Name)
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Ready <= 0 {
		o.Ready = 10 * time.Second
	}
	args := []string{"-addr", o.Addr, "-parent"}
	if o.Quiet {
		args = append(args, "-quiet")
	}
	rt := &runtimeLines{}
	stdout, stderr := io.Writer(rt), io.Writer(rt)
	if o.Stdout != nil {
		stdout = io.MultiWriter(o.Stdout, rt)
	}
	if o.Stderr != nil {
		stderr = io.MultiWriter(o.Stderr, rt)
	}
	var serving *servingWatch
	if o.Serving {
		args = append(args, "-serving")
		serving = &servingWatch{out: stdout, seen: make(chan struct{})}
		stdout = serving
	}
	var setup func(*exec.Cmd)
	if o.Limits != (sandbox.Limits{}) {
		setup = func(cmd *exec.Cmd) { sandbox.Wrap(cmd, sandbox.Options{LimitsOnly: true, Limits: o.Limits}) }
	}
	// Its standard input is held open: the server stops when it closes,
	// so that it never outlives netbook.
	// It is not killed when ctx ends: Stop stops it gently.
	stdinR, stdin, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	pr, err := proc.Start(context.WithoutCancel(ctx), p.Path, args, proc.Options{Stdin: stdinR, Stdout: stdout, Stderr: stderr, Match: proc.Listening, Setup: setup})
	stdinR.Close() // the child has its copy
	if err != nil {
		stdin.Close()
		return nil, fmt.Errorf("unable to start %s: %w", p.Who(), err)
	}
	s := &Running{Who: p.Who(), kind: p.Kind, ref: p.Ref, p: pr, stdin: stdin, serving: serving, limits: o.Limits, runtime: rt}
	network, addr, err := pr.Listening(ctx, o.Ready)
	if err != nil {
		s.Stop()
		e := &StartError{Who: p.Who(), Err: err, Output: s.Output(), ExitCode: s.ExitCode(), run: s}
		if errors.Is(err, proc.ErrExited) {
			e.Err, e.exited = fmt.Errorf("it exited (%v) before it listened", pr.Err()), pr.Err()
			e.Limit = s.Why()
		}
		return nil, e
	}
	s.Network, s.Addr = network, addr
	return s, nil
}

// StartError is a server that did not start: it exited before it
// listened, or did not say where it listens in time.
type StartError struct {
	Who      string   // "your server"
	Err      error    // what went wrong
	Output   string   // what it printed
	ExitCode int      // its exit status; -1 while it runs or when a signal ended it
	Limit    string   // which limit stopped it, in words (Running.Why), or ""
	run      *Running // for LimitIn
	exited   error    // how it exited before it listened, for ShortIn
}

// Error says what went wrong and quotes what the server printed.
func (e *StartError) Error() string { return e.Short() + quoteOutput(e.Output) }

// Short says what went wrong without quoting the server's output, for a
// caller that has shown it already (netbook up passes it on as it comes).
func (e *StartError) Short() string { return e.ShortIn(lang.English) }

func (e *StartError) Unwrap() error { return e.Err }

// Why says in words which of StartOptions.Limits stopped the server
// ("your server used more than 512 MiB of memory and was stopped: does
// it keep ..."), or "" while it runs, when it ended well, when it ran
// without limits, or when no limit is to blame.
func (s *Running) Why() string {
	if s.limits == (sandbox.Limits{}) {
		return ""
	}
	st := s.p.State()
	if st == nil || st.Success() {
		return ""
	}
	return explainServer(s.Who, sandbox.Explain(st, s.runtime.String(), s.limits))
}

// explainServer turns sandbox.Explain's words about "the program" into
// words about a server or a client driver (who), with a question on what
// to look for.
func explainServer(who, why string) string {
	if why == "" {
		return ""
	}
	why = strings.Replace(why, "the program", who, 1)
	switch {
	case strings.Contains(why, "of memory and was stopped"):
		why += ": does it keep something for every message or every client, and never let it go?"
	case strings.Contains(why, "of CPU time and was stopped"):
		why += ": does a loop spin without waiting for anything, a read or a channel?"
	}
	return why
}

// runtimeLines keeps the lines of a server's output (both streams) that
// can say which limit stopped it: the Go runtime's own ("fatal error: ...",
// "runtime: ...", the line under a signal), and errors of open files and
// file size, each kind once. A server that logs a line per message and
// then dies would otherwise push them out of what proc keeps.
type runtimeLines struct {
	mu    sync.Mutex
	lines []string
	seen  map[string]bool
}

// maxRuntimeLines bounds what runtimeLines keeps: the first lines count.
const maxRuntimeLines = 32

func (r *runtimeLines) Write(p []byte) (int, error) {
	line := string(p)
	kind := ""
	switch {
	case strings.HasPrefix(line, "fatal error: "), strings.HasPrefix(line, "runtime: "), strings.HasPrefix(line, "runtime/cgo: "),
		strings.HasPrefix(line, "SIG"), strings.HasPrefix(line, "PC="):
		kind = line
	case strings.Contains(line, "too many open files"):
		kind = "files"
	case strings.Contains(line, "file too large"):
		kind = "size"
	default:
		return len(p), nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if len(r.lines) < maxRuntimeLines && !r.seen[kind] {
		r.seen[kind] = true
		r.lines = append(r.lines, strings.TrimRight(line, "\n")+"\n")
	}
	return len(p), nil
}

func (r *runtimeLines) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "")
}

// Tell writes line to the server's standard input. The generated main
// reads one command there: "collect" (see servermain.go.tmpl).
func (s *Running) Tell(line string) error {
	_, err := io.WriteString(s.stdin, line+"\n")
	return err
}

// Serving is closed once the server says that its Serve waits for a
// client (it called Accept or ReadFrom), with StartOptions.Serving; without
// it, it is never closed.
func (s *Running) Serving() <-chan struct{} {
	if s.serving == nil {
		return nil
	}
	return s.serving.seen
}

// servingWatch passes a server's output on, a line at a time (as proc
// writes it), and notes the line that says Serve waits for clients.
type servingWatch struct {
	out  io.Writer
	once sync.Once
	seen chan struct{}
}

// Write passes the line on before it says the server is serving, so that
// whoever waits for Serving and then writes beside the log (netbook up's
// "Talk to it") comes after the line, not before it.
func (w *servingWatch) Write(p []byte) (n int, err error) {
	n = len(p)
	if w.out != nil {
		n, err = w.out.Write(p)
	}
	if servingLine.Match(p) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

// Done is closed when the server has exited.
func (s *Running) Done() <-chan struct{} { return s.p.Done() }

// Exited reports whether the server has exited.
func (s *Running) Exited() bool { return s.p.Exited() }

// ExitCode is the server's exit status, or -1 while it runs or when a
// signal ended it.
func (s *Running) ExitCode() int { return s.p.ExitCode() }

// Pid is the server's process id: netbook bench reads its CPU time and
// memory from it.
func (s *Running) Pid() int { return s.p.Pid() }

// Kill stops the server at once (SIGKILL to its process group), for a
// caller that has what it needs from it and does not judge how it stops.
func (s *Running) Kill() {
	defer s.stdin.Close()
	s.p.Stop(0)
}

// Output is what the server printed: its standard output, then its
// standard error (where a panic goes).
func (s *Running) Output() string {
	return s.p.Output() + s.p.ErrOutput()
}

// Stop stops the server as Ctrl-C would: SIGINT to its process group, then
// SIGKILL if it has not exited after StopGrace. It returns nil when the
// server exited cleanly (status 0: Serve returned nil once its socket was
// closed), and otherwise says what happened.
func (s *Running) Stop() error {
	defer s.stdin.Close()
	killed, err := s.p.Stop(StopGrace)
	if killed || err != nil {
		return &StopError{Who: s.Who, Killed: killed, Err: err, kind: s.kind, ref: s.ref}
	}
	return nil
}

// quoteOutput indents what a program printed, for an error message.
func quoteOutput(out string) string {
	out = strings.TrimRight(out, "\n")
	if out == "" {
		return ""
	}
	lines := strings.Split(out, "\n")
	if len(lines) > maxQuoted {
		lines = append([]string{fmt.Sprintf("(%d lines before)", len(lines)-maxQuoted)}, lines[len(lines)-maxQuoted:]...)
	}
	return "\n  " + strings.Join(lines, "\n  ")
}

// maxQuoted is how many of a program's last lines an error shows.
const maxQuoted = 30
