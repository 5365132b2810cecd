package snippets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/book"
)

// Engine runs snippets one way: compiled by the Go toolchain (*Built), or
// interpreted (*Interp), or each by the way its markers ask (Pick).
type Engine interface {
	// Runs reports whether the engine runs s.
	Runs(s *book.Snippet) bool
	// Command returns the command that runs s with args. It will start in
	// dir, a fresh temp directory the engine may write the snippet into.
	Command(s *book.Snippet, dir string, args []string) (*exec.Cmd, error)
	// Name says how snippets run, for messages: "the Go toolchain".
	Name() string
}

// Options tune one run.
type Options struct {
	Timeout time.Duration // how long it may run; DefaultTimeout when zero
	Args    []string      // its command-line arguments
	Stdin   io.Reader     // its standard input; none when nil
	Stream  io.Writer     // where to copy its output as it comes, if anywhere
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// Result is one run of a snippet.
type Result struct {
	Output   string // stdout and stderr interleaved, at most OutputCap bytes
	Err      error  // a non-zero exit, a timeout, too much output, or a failure to start
	ExitCode int    // -1 when it was killed or did not start
	TimedOut bool
	Cut      bool // the output passed OutputCap, so the run was stopped
}

// ExitRefused is the interpreter's exit status for a program it refuses to
// run: an import or a name outside its standard library
// (runner/interp.ExitRefused).
const ExitRefused = 3

// ErrOutputCap is the error of a run stopped for printing too much.
var ErrOutputCap = fmt.Errorf("stopped: it printed more than %d KiB", OutputCap>>10)

// Run runs s with e in a fresh temp directory and its own process group,
// killing the group at the timeout or when the output passes OutputCap.
func Run(ctx context.Context, e Engine, s *book.Snippet, o Options) Result {
	dir, err := os.MkdirTemp("", "netbook-run-")
	if err != nil {
		return Result{Err: err, ExitCode: -1}
	}
	defer os.RemoveAll(dir)
	cmd, err := e.Command(s, dir, o.Args)
	if err != nil {
		return Result{Err: err, ExitCode: -1}
	}
	return runProcess(ctx, cmd, dir, s, o)
}

func runProcess(ctx context.Context, cmd *exec.Cmd, dir string, s *book.Snippet, o Options) Result {
	cut := make(chan struct{})
	out := &cappedWriter{stream: chapterStream(o.Stream, s), full: func() { close(cut) }}
	cmd.Stdout, cmd.Stderr, cmd.Stdin = out, out, o.Stdin
	cmd.Dir = dir
	cmd.WaitDelay = time.Second
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		return Result{Err: err, ExitCode: -1}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	res := Result{}
	timer := time.NewTimer(o.timeout())
	defer timer.Stop()
	var err error
	select {
	case err = <-done:
	case <-timer.C:
		res.TimedOut = true
		kill(cmd)
		<-done
		err = fmt.Errorf("stopped after %v: the program was still running", o.timeout())
	case <-cut:
		kill(cmd)
		<-done
		err = ErrOutputCap
	case <-ctx.Done():
		kill(cmd)
		<-done
		err = ctx.Err()
	}
	res.ExitCode = -1
	if cmd.ProcessState != nil && !res.TimedOut && !errors.Is(err, ErrOutputCap) {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	out.flush()
	res.Output, res.Cut, res.Err = out.String(), out.isCut(), err
	if res.Cut {
		note := fmt.Sprintf("\n[output cut at %d KiB]\n", OutputCap>>10)
		res.Output += note
		if out.stream != nil {
			io.WriteString(out.stream.w, note)
		}
	}
	return res
}

// cappedWriter keeps at most OutputCap bytes, copies them to stream, and
// calls full once when more arrive.
type cappedWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cut    bool
	stream *lineWriter
	full   func()
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	if room := OutputCap - c.buf.Len(); len(p) > room {
		p = p[:max(room, 0)]
		if !c.cut {
			c.cut = true
			c.full()
		}
	}
	c.buf.Write(p)
	if c.stream != nil {
		c.stream.Write(p)
	}
	return n, nil
}

func (c *cappedWriter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

func (c *cappedWriter) isCut() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cut
}

func (c *cappedWriter) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stream != nil {
		c.stream.Flush()
	}
}

// lineWriter passes output on a line at a time, with the temp file's
// positions turned into the chapter's, so "c02s1.go:7:2: undefined: x"
// reads "chapters/02-sockets-in-go.md:63:2: undefined: x".
type lineWriter struct {
	w       io.Writer
	s       *book.Snippet
	partial []byte
}

func chapterStream(w io.Writer, s *book.Snippet) *lineWriter {
	if w == nil {
		return nil
	}
	return &lineWriter{w: w, s: s}
}

func (l *lineWriter) Write(p []byte) {
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.emit(l.partial[:i+1])
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > 4096 { // a long line without a newline: do not hold it back
		l.Flush()
	}
}

// Flush writes what is left of an unfinished line.
func (l *lineWriter) Flush() {
	if len(l.partial) > 0 {
		l.emit(l.partial)
		l.partial = nil
	}
}

func (l *lineWriter) emit(line []byte) {
	if l.s != nil && bytes.Contains(line, []byte(pkgName(l.s)+".go:")) {
		line = []byte(mapLines(string(line), l.s, pkgName(l.s)+".go"))
	}
	l.w.Write(line)
}
