package labrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/proc"
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
}

// Running is a lab server running as a child process, in its own process
// group, started by Program.Start.
type Running struct {
	Network string // "tcp" or "udp"
	Addr    string // the address it listens on, as it printed it
	Who     string // "your server" or "the reference server"

	p       *proc.Process
	stdin   io.WriteCloser
	serving *servingWatch
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
	stdout := o.Stdout
	var serving *servingWatch
	if o.Serving {
		args = append(args, "-serving")
		serving = &servingWatch{out: o.Stdout, seen: make(chan struct{})}
		stdout = serving
	}
	// Its standard input is held open: the server stops when it closes,
	// so that it never outlives netbook.
	// It is not killed when ctx ends: Stop stops it gently.
	stdinR, stdin, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	pr, err := proc.Start(context.WithoutCancel(ctx), p.Path, args, proc.Options{Stdin: stdinR, Stdout: stdout, Stderr: o.Stderr, Match: proc.Listening})
	stdinR.Close() // the child has its copy
	if err != nil {
		stdin.Close()
		return nil, fmt.Errorf("unable to start %s: %w", p.Who(), err)
	}
	s := &Running{Who: p.Who(), p: pr, stdin: stdin, serving: serving}
	network, addr, err := pr.Listening(ctx, o.Ready)
	if err != nil {
		s.Stop()
		if errors.Is(err, proc.ErrExited) {
			err = fmt.Errorf("it exited (%v) before it listened", pr.Err())
		}
		return nil, fmt.Errorf("%s did not start: %w%s", p.Who(), err, quoteOutput(s.Output()))
	}
	s.Network, s.Addr = network, addr
	return s, nil
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

// servingLine is the line the generated main prints with -serving.
var servingLine = regexp.MustCompile(`^\S+ Serve called (Accept|ReadFrom): it is waiting for clients\n$`)

// servingWatch passes a server's output on, a line at a time (as proc
// writes it), and notes the line that says Serve waits for clients.
type servingWatch struct {
	out  io.Writer
	once sync.Once
	seen chan struct{}
}

func (w *servingWatch) Write(p []byte) (int, error) {
	if servingLine.Match(p) {
		w.once.Do(func() { close(w.seen) })
	}
	if w.out == nil {
		return len(p), nil
	}
	return w.out.Write(p)
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
	switch {
	case killed:
		return fmt.Errorf("%s did not exit within %v of SIGINT, so it was killed", s.Who, StopGrace)
	case err != nil:
		return fmt.Errorf("%s exited with %v", s.Who, err)
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
