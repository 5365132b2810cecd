package proc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sync/atomic"
	"time"
)

// DefaultKeep is how many bytes of each output stream a Process keeps when
// Options.Keep is zero.
const DefaultKeep = 256 << 10

// Options tune how Start runs a child.
type Options struct {
	// Dir is the child's working directory; netbook's when empty.
	Dir string
	// Env is the child's environment; netbook's own when nil.
	Env []string
	// Stdin is the child's standard input; none when nil.
	Stdin io.Reader
	// Stdout and Stderr, when not nil, receive a copy of each stream a line
	// at a time, as the lines arrive.
	Stdout, Stderr io.Writer
	// Combined sends the standard error into the standard output's stream,
	// interleaved as the child writes them (Output has both; Stderr is
	// unused).
	Combined bool
	// Keep is how many bytes of each stream are kept for Output and
	// ErrOutput; DefaultKeep when zero. Lines past it are still copied.
	Keep int
	// Timeout, when not zero, kills the child's group after that long.
	Timeout time.Duration
	// Grace, when not zero, is how long the group has to stop once ctx is
	// done or Timeout passes: it gets SIGINT first, as Ctrl-C would send,
	// and SIGKILL only after Grace. The go command needs it to remove its
	// temp dir (go-build…) on the way out; zero kills at once.
	Grace time.Duration
	// MaxOutput, when not zero, kills the child's group once its output
	// passes that many bytes (each stream counted on its own); the bytes
	// past it are dropped, and Cause is ErrOutputLimit.
	MaxOutput int
	// Match is a pattern that Match waits for in the standard output, such
	// as Listening.
	Match *regexp.Regexp
	// Setup, when not nil, is called on the command just before it starts:
	// the place to add to its SysProcAttr (Setpgid is already set).
	Setup func(cmd *exec.Cmd)
}

// Listening matches the line a server prints once its socket is open:
// "listening on tcp 127.0.0.1:41234" (a lab server, netbook up), or
// "listening on 127.0.0.1:41234" (a chapter's snippet). Its submatches are
// the network, if given, and the address; Process.Listening reads them.
var Listening = regexp.MustCompile(`listening on (?:(tcp|udp) )?(\S+)`)

// ErrOutputLimit is the Cause of a child killed for printing more than
// Options.MaxOutput.
var ErrOutputLimit = errors.New("the program printed too much")

// errStopped is the Cause of a child killed by Stop after its grace.
var errStopped = errors.New("it did not stop after SIGINT")

// Process is a child running in its own process group.
type Process struct {
	cmd     *exec.Cmd
	ctx     context.Context // the child's: done when it must die
	cancel  context.CancelCauseFunc
	out     *lines
	errOut  *lines
	matched chan []string // gets the first line that matches Options.Match
	done    chan struct{} // closed once the child has exited and its output is read
	err     error         // cmd.Wait's result, once done is closed
	killed  atomic.Bool   // its context ended while it ran
}

// Start starts the program name with args in a process group of its own,
// under exec.CommandContext: when ctx is done, at o.Timeout or when the
// output passes o.MaxOutput, the whole group is killed. Wait takes at most
// a second to collect output after the child exits, in case a grandchild
// holds the pipes open.
func Start(ctx context.Context, name string, args []string, o Options) (*Process, error) {
	keep := o.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	p := &Process{matched: make(chan []string, 1), done: make(chan struct{})}
	p.ctx, p.cancel = context.WithCancelCause(ctx)
	if o.Timeout > 0 {
		var stop context.CancelFunc
		p.ctx, stop = context.WithTimeout(p.ctx, o.Timeout)
		cancel := p.cancel
		p.cancel = func(cause error) { cancel(cause); stop() }
	}
	cmd := exec.CommandContext(p.ctx, name, args...)
	cmd.Dir, cmd.Env, cmd.Stdin = o.Dir, o.Env, o.Stdin
	cmd.WaitDelay = time.Second
	cmd.Cancel = func() error {
		p.killed.Store(true)
		kill(cmd)
		return nil
	}
	if o.Grace > 0 {
		// Wait kills the child itself once WaitDelay has passed after
		// Cancel, and the rest of its group goes when Wait returns.
		cmd.WaitDelay = o.Grace
		cmd.Cancel = func() error {
			p.killed.Store(true)
			interrupt(cmd)
			return nil
		}
	}
	p.cmd = cmd
	onLine := func(string) {}
	if o.Match != nil {
		found := false
		onLine = func(line string) {
			if m := o.Match.FindStringSubmatch(line); m != nil && !found {
				found = true
				p.matched <- m
			}
		}
	}
	full := func() { p.cancel(ErrOutputLimit) }
	p.out = newLines(o.Stdout, keep, onLine)
	p.out.limit, p.out.full = o.MaxOutput, full
	cmd.Stdout = p.out
	if o.Combined {
		cmd.Stderr = p.out
		p.errOut = newLines(nil, 0, nil)
	} else {
		p.errOut = newLines(o.Stderr, keep, nil)
		p.errOut.limit, p.errOut.full = o.MaxOutput, full
		cmd.Stderr = p.errOut
	}
	ownGroup(cmd)
	if o.Setup != nil {
		o.Setup(cmd)
	}
	if err := cmd.Start(); err != nil {
		p.cancel(err)
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		kill(cmd) // whatever is left of its group: a shell's background job, say
		p.out.flush()
		p.errOut.flush()
		close(p.done)
		p.cancel(nil)
	}()
	return p, nil
}

// Pid is the child's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// State is how the child ended, or nil while it runs.
func (p *Process) State() *os.ProcessState {
	if !p.Exited() {
		return nil
	}
	return p.cmd.ProcessState
}

// Done is closed once the child has exited and all its output is read.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the child has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is how the child ended (cmd.Wait's error: nil for exit status 0), or
// nil while it runs.
func (p *Process) Err() error {
	if !p.Exited() {
		return nil
	}
	return p.err
}

// ExitCode is the child's exit status, or -1 while it runs or when a
// signal ended it.
func (p *Process) ExitCode() int {
	if !p.Exited() || p.cmd.ProcessState == nil {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// Killed reports whether netbook killed the child: its context ended, its
// time or output ran out, or it outlived Stop's grace.
func (p *Process) Killed() bool { return p.killed.Load() }

// Cause says why the child was killed: context.DeadlineExceeded at
// Options.Timeout, ErrOutputLimit, or the cause of the caller's context.
// It is nil when the child ended by itself.
func (p *Process) Cause() error {
	if !p.Killed() {
		return nil
	}
	return context.Cause(p.ctx)
}

// TimedOut reports whether the child was killed at Options.Timeout.
func (p *Process) TimedOut() bool { return errors.Is(p.Cause(), context.DeadlineExceeded) }

// Cut reports whether the output passed Options.MaxOutput.
func (p *Process) Cut() bool { return p.out.isCut() || p.errOut.isCut() }

// Output is the standard output kept so far.
func (p *Process) Output() string { return p.out.String() }

// ErrOutput is the standard error kept so far.
func (p *Process) ErrOutput() string { return p.errOut.String() }

// ErrExited is returned by Match when the child exits before printing the
// line it waits for.
var ErrExited = errors.New("the program exited")

// Match waits for the first line of standard output that matches
// Options.Match and returns its submatches. It gives up when the child
// exits first (an error wrapping ErrExited), at the timeout, or when ctx is
// done.
func (p *Process) Match(ctx context.Context, timeout time.Duration) ([]string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case m := <-p.matched:
		p.matched <- m // a later call gets it too
		return m, nil
	case <-p.done:
		select {
		case m := <-p.matched: // printed just before exiting
			p.matched <- m
			return m, nil
		default:
		}
		return nil, fmt.Errorf("%w (%v) before it printed what netbook waits for", ErrExited, p.err)
	case <-t.C:
		return nil, fmt.Errorf("the program did not print what netbook waits for within %v", timeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Listening waits for the child's "listening on" line (Options.Match must
// be Listening) and returns the network it names ("" when it names none)
// and the address. It fails as Match does.
func (p *Process) Listening(ctx context.Context, timeout time.Duration) (network, addr string, err error) {
	m, err := p.Match(ctx, timeout)
	if err != nil {
		return "", "", err
	}
	return ParseListening(m[0])
}

// ParseListening reads a "listening on" line: the network it names, if
// any, and the address.
func ParseListening(line string) (network, addr string, err error) {
	m := Listening.FindStringSubmatch(line)
	if m == nil {
		return "", "", fmt.Errorf("%q does not say where the program listens", line)
	}
	return m[1], m[2], nil
}

// Stop asks the process group to stop (SIGINT, as Ctrl-C would), kills it
// if the child has not exited after grace, and returns how the child
// ended. killed reports whether the child had to be killed; anything left
// in its group once it has exited is killed in any case.
func (p *Process) Stop(grace time.Duration) (killed bool, err error) {
	if !p.Exited() {
		interrupt(p.cmd)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-p.done:
		case <-t.C:
			p.cancel(errStopped)
		}
	}
	<-p.done
	return p.Killed(), p.err
}

// Wait waits for the child to end: by itself, or killed when its context
// is done. killed reports whether it was killed.
func (p *Process) Wait() (killed bool, err error) {
	<-p.done
	return p.Killed(), p.err
}

// Output runs name with args to its end, as Start does, and returns its
// standard output and standard error (the output alone when o.Combined).
// It is exec.Cmd's Output for a child that starts children of its own,
// such as the go command and its compilers: when ctx is done the whole
// group is stopped (SIGINT first when o.Grace is set, as Ctrl-C would),
// and nothing the child started outlives the call. A go command stopped
// in the middle of a build leaves its work directory behind: give it a
// GOTMPDIR that the caller removes (sandbox.GoWorkIn). err is the child's
// exit error, or ctx's error when ctx ended the run.
func Output(ctx context.Context, name string, args []string, o Options) (stdout, stderr string, err error) {
	if o.Keep == 0 {
		o.Keep = 16 << 20
	}
	p, err := Start(ctx, name, args, o)
	if err != nil {
		return "", "", err
	}
	_, err = p.Wait()
	if err != nil && p.Killed() && ctx.Err() != nil {
		err = ctx.Err()
	}
	return p.Output(), p.ErrOutput(), err
}
