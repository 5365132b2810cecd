package proc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"time"
)

// DefaultKeep is how many bytes of each output stream a Process keeps when
// Options.Keep is zero.
const DefaultKeep = 256 << 10

// Options tune how Start runs a child.
type Options struct {
	// Stdin is the child's standard input. When nil, cmd.Stdin is left as
	// it is (for example a pipe from cmd.StdinPipe).
	Stdin io.Reader
	// Stdout and Stderr, when not nil, receive a copy of each stream a line
	// at a time, as the lines arrive.
	Stdout, Stderr io.Writer
	// Keep is how many bytes of each stream are kept for Output and
	// ErrOutput; DefaultKeep when zero. Lines past it are still copied.
	Keep int
	// Match is a pattern that Match waits for in the standard output, such
	// as `listening on (tcp|udp) (\S+)`.
	Match *regexp.Regexp
}

// Process is a child running in its own process group.
type Process struct {
	cmd     *exec.Cmd
	out     *lines
	errOut  *lines
	matched chan []string // gets the first line that matches Options.Match
	done    chan struct{} // closed once the child has exited and its output is read
	err     error         // cmd.Wait's result, once done is closed
}

// Start starts cmd in a process group of its own. It sets cmd's standard
// output and error (do not set them yourself), and lets Wait take at most a
// second to collect output after the child exits, in case a grandchild
// holds the pipes open.
func Start(cmd *exec.Cmd, o Options) (*Process, error) {
	keep := o.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	p := &Process{cmd: cmd, matched: make(chan []string, 1), done: make(chan struct{})}
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
	p.out = newLines(o.Stdout, keep, onLine)
	p.errOut = newLines(o.Stderr, keep, nil)
	cmd.Stdout, cmd.Stderr = p.out, p.errOut
	if o.Stdin != nil {
		cmd.Stdin = o.Stdin
	}
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = time.Second
	}
	OwnGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		p.out.flush()
		p.errOut.flush()
		close(p.done)
	}()
	return p, nil
}

// Pid is the child's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

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

// Stop asks the process group to stop (SIGINT, as Ctrl-C would), kills it
// if the child has not exited after grace, and returns how the child
// ended. killed reports whether the child had to be killed; anything left
// in its group once it has exited is killed in any case.
func (p *Process) Stop(grace time.Duration) (killed bool, err error) {
	if !p.Exited() {
		Interrupt(p.cmd)
	}
	return p.waitOrKill(grace, nil)
}

// Wait waits for the child to exit by itself, at most limit, and kills the
// group at the limit or when ctx is done. It returns how the child ended;
// killed reports whether it had to be killed.
func (p *Process) Wait(ctx context.Context, limit time.Duration) (killed bool, err error) {
	return p.waitOrKill(limit, ctx.Done())
}

// waitOrKill waits for the child to exit, killing its group at the limit
// or when cancel is closed. Once the child has exited, what is left of its
// group is killed too: a shell's background job, say, which ignores SIGINT.
func (p *Process) waitOrKill(limit time.Duration, cancel <-chan struct{}) (bool, error) {
	t := time.NewTimer(limit)
	defer t.Stop()
	killed := false
	select {
	case <-p.done:
	case <-t.C:
		killed = true
	case <-cancel:
		killed = true
	}
	Kill(p.cmd)
	<-p.done
	return killed, p.err
}
