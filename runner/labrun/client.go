package labrun

import (
	"context"
	"fmt"
	"time"

	"github.com/netbook/netbook/runner/proc"
)

// Outcome is how one run of a client driver ended.
type Outcome struct {
	Stdout   string // what it printed: compared with the reference's
	Stderr   string // shown, not compared
	ExitCode int    // -1 when it was killed
	Killed   bool   // it was still running at the limit
	Err      error  // how it ended: nil for exit status 0
}

// Run runs a client driver with args (the server's address and the
// session's name) and waits for it to exit, killing it at limit.
func (p *Program) Run(ctx context.Context, args []string, limit time.Duration) (*Outcome, error) {
	if p.Kind != Client {
		return nil, fmt.Errorf("lab %s has no client driver", p.Lab.Name)
	}
	pr, err := proc.Start(ctx, p.Path, args, proc.Options{Timeout: limit})
	if err != nil {
		return nil, fmt.Errorf("unable to start %s: %w", p.Who(), err)
	}
	killed, err := pr.Wait()
	return &Outcome{Stdout: pr.Output(), Stderr: pr.ErrOutput(), ExitCode: pr.ExitCode(), Killed: killed, Err: err}, nil
}
