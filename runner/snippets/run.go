package snippets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/interpbin"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
)

// Engine runs snippets one way: compiled by the Go toolchain (*Built), or
// interpreted (*Interp), or each by the way its markers ask (Pick).
type Engine interface {
	// Runs reports whether the engine runs s.
	Runs(s *book.Snippet) bool
	// Command returns the command that runs s with args. It will start in
	// dir, a fresh temp directory the engine may write the snippet into.
	Command(s *book.Snippet, dir string, args []string) (Cmd, error)
	// Name says how snippets run, for messages: "the Go toolchain".
	Name() string
}

// Cmd is the program that runs a snippet, for runner/proc to start.
type Cmd struct {
	Path string   // the program
	Args []string // its arguments
	Env  []string // its environment; netbook's own when nil
}

// Options tune one run.
type Options struct {
	Timeout time.Duration // how long it may run; DefaultTimeout when zero
	Args    []string      // its command-line arguments
	Stdin   io.Reader     // its standard input; none when nil
	Stream  io.Writer     // where to copy its output as it comes, if anywhere
	// Limits bound its memory, CPU time, files and threads where the
	// operating system can (runner/sandbox); sandbox.Default when zero.
	Limits sandbox.Limits

	shared bool          // a client will join its network namespace (a pair's server)
	join   int           // the pid of the server whose network namespace it joins
	edited *book.Snippet // the student's edit (Stdio.Edited): its positions are its own
	lang   lang.Lang     // the language of the sandbox's words on a limit (Stdio.Lang)
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

// refusalMark is in every refusal the interpreter prints before it exits
// with ExitRefused ("import \"os/exec\" is not allowed in netbook's
// interpreter: ..."). A program may exit with 3 itself (os.Exit(3)); then
// its output lacks the mark and it is not called refused.
const refusalMark = " in netbook's interpreter: "

// refused reports whether res is the interpreter refusing the program,
// not the program's own exit status 3.
func refused(res Result) bool {
	return res.ExitCode == ExitRefused && strings.Contains(res.Output, refusalMark)
}

// ErrOutputCap is the error of a run stopped for printing too much.
var ErrOutputCap = fmt.Errorf("stopped: it printed more than %d KiB", OutputCap>>10)

// cutNote ends the output of a run stopped for printing too much.
var cutNote = fmt.Sprintf("\n[output cut at %d KiB]\n", OutputCap>>10)

// start starts s with e in dir, in a process group of its own
// (runner/proc), its output interleaved, kept and streamed up to OutputCap;
// past that, or at timeout when it is not zero, the group is killed.
func start(ctx context.Context, e Engine, s *book.Snippet, dir string, o Options, timeout time.Duration, match bool) (*proc.Process, error) {
	c, err := e.Command(s, dir, o.Args)
	if err != nil {
		return nil, err
	}
	po := proc.Options{Dir: dir, Env: c.Env, Stdin: o.Stdin, Combined: true, Keep: OutputCap, MaxOutput: OutputCap, Timeout: timeout}
	po.Setup = func(cmd *exec.Cmd) {
		sandbox.Wrap(cmd, sandbox.Options{Dir: dir, Limits: o.Limits, Shared: o.shared, Join: o.join})
	}
	if o.Stream != nil {
		po.Stdout = &limitFilter{w: chapterStream{w: o.Stream, s: s, edited: s == o.edited}}
	}
	if match {
		po.Match = proc.Listening
	}
	return proc.Start(ctx, c.Path, c.Args, po)
}

// Run runs s with e in a fresh temp directory and its own process group,
// behind the OS layer of runner/sandbox, killing the group at the timeout
// or when the output passes OutputCap. When a sandbox limit stopped it,
// Result.Err says which.
func Run(ctx context.Context, e Engine, s *book.Snippet, o Options) Result {
	dir, remove, err := sandbox.TempDir("netbook-run-")
	if err != nil {
		return Result{Err: err, ExitCode: -1}
	}
	defer remove()
	p, err := start(ctx, e, s, dir, o, o.timeout(), false)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		// The time limit passed before the program could start (--timeout
		// 1ns): the same outcome as a program that ran out of it.
		return Result{Err: fmt.Errorf("stopped after %v: the program was still running", o.timeout()), ExitCode: -1, TimedOut: true}
	}
	if err != nil {
		return Result{Err: err, ExitCode: -1}
	}
	_, err = p.Wait()
	res := Result{ExitCode: -1, Cut: p.Cut(), TimedOut: p.TimedOut()}
	why := sandbox.ExplainIn(o.lang, p.State(), p.Output(), o.Limits)
	switch {
	case res.TimedOut:
		err = fmt.Errorf("stopped after %v: the program was still running", o.timeout())
	case why != "" && res.Cut: // the runtime's stack dump filled the cap
		res.Cut, err = false, errors.New(why)
	case res.Cut:
		err = ErrOutputCap
	case p.Killed():
		err = ctx.Err()
	default:
		res.ExitCode = p.ExitCode()
		if why != "" && err != nil {
			err = fmt.Errorf("%s (%v)", why, err)
		}
	}
	res.Output, res.Err = interpbin.DropPanicFrames(sandbox.TrimFatal(p.Output())), err
	if res.Cut {
		res.Output += cutNote
		if o.Stream != nil {
			io.WriteString(o.Stream, cutNote)
		}
	}
	return res
}

// limitFilter passes lines on until the Go runtime's fatal error for a
// sandbox limit, and drops the stack dump after it.
type limitFilter struct {
	w    io.Writer
	done bool
}

func (f *limitFilter) Write(line []byte) (int, error) {
	if !f.done {
		f.w.Write(line)
		f.done = sandbox.FatalLimit(string(line))
	}
	return len(line), nil
}

// chapterStream passes output on, a line at a time as runner/proc delivers
// it, with the temp file's positions turned into the chapter's, so
// "c02s1.go:7:2: undefined: x" reads
// "chapters/02-sockets-in-go.md:63:2: undefined: x"; or, for the student's
// edit of the snippet (edited), whose lines are not the chapter's, into
// the snippet's own: "line 7:2: undefined: x".
type chapterStream struct {
	w      io.Writer
	s      *book.Snippet
	edited bool
}

func (c chapterStream) Write(line []byte) (int, error) {
	n := len(line)
	if interpbin.IsPanicFrame(string(line)) {
		return n, nil // its position is the function's first line, not the panic's
	}
	if file := pkgName(c.s) + ".go"; bytes.Contains(line, []byte(file+":")) || bytes.Contains(line, []byte("/"+pkgName(c.s)+"/main.go:")) {
		if c.edited {
			line = []byte(snippetLines(string(line), file))
		} else {
			line = []byte(mapLines(string(line), c.s, file))
		}
	}
	c.w.Write(line)
	return n, nil
}
