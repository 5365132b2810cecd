package snippets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/interpbin"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
)

// Process is a snippet running in the background, in its own process
// group: the server half of a pair.
type Process struct {
	p      *proc.Process
	remove func() // removes its temp directory
	o      Options
}

// stopGrace is how long a server snippet has to exit after SIGINT.
const stopGrace = 2 * time.Second

// Start starts s with e in the background, in a fresh temp directory and
// its own process group, until ctx is done. The caller waits for its
// address with Addr and stops it with Stop. Its output is kept (and
// streamed to o.Stream) up to OutputCap; past that the process is killed.
func Start(ctx context.Context, e Engine, s *book.Snippet, o Options) (*Process, error) {
	dir, remove, err := sandbox.TempDir("netbook-run-")
	if err != nil {
		return nil, err
	}
	p, err := start(ctx, e, s, dir, o, 0, true)
	if err != nil {
		remove()
		return nil, err
	}
	return &Process{p: p, remove: remove, o: o}, nil
}

// Addr waits for the process to print "listening on ADDR" and returns ADDR.
func (p *Process) Addr(timeout time.Duration) (string, error) {
	_, addr, err := p.p.Listening(context.Background(), timeout)
	switch {
	case errors.Is(err, proc.ErrExited):
		return "", fmt.Errorf("exited before it printed \"listening on ADDR\": %v\n%s", p.p.Err(), indent(p.Output()))
	case err != nil:
		return "", fmt.Errorf("did not print \"listening on ADDR\" within %v, the time limit. Give it longer with --timeout 30s", timeout)
	}
	return addr, nil
}

// Output is what the process printed so far.
func (p *Process) Output() string { return interpbin.DropPanicFrames(p.p.Output()) }

// Stop interrupts the process group, then kills it if it lingers, and
// returns what it printed.
func (p *Process) Stop() string {
	defer p.remove()
	p.p.Stop(stopGrace)
	out := p.Output()
	if p.p.Cut() {
		out += cutNote
	}
	return out
}
