package labrun

import (
	"context"
	"fmt"
	"os/exec"
	"time"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
)

// Outcome is how one run of a client driver ended.
type Outcome struct {
	Stdout   string // what it printed: compared with the reference's
	Stderr   string // shown, not compared
	ExitCode int    // -1 when it was killed
	Killed   bool   // it was still running at the limit
	Err      error  // how it ended: nil for exit status 0
	// Limit says in words which of the limits Run was given stopped the
	// driver ("your client used more than 512 MiB of memory and was
	// stopped: ..."), or "".
	Limit string
	// limitIn says Limit in another language.
	limitIn func(lang.Lang) string
}

// Run runs a client driver with args (the server's address and the
// session's name) and waits for it to exit, killing it at limit. Limits,
// when not zero, bound its memory, CPU time, file size and open files
// (sandbox.Options.LimitsOnly, as StartOptions.Limits a server's), and
// Outcome.Limit says which one stopped it.
func (p *Program) Run(ctx context.Context, args []string, limit time.Duration, limits sandbox.Limits) (*Outcome, error) {
	if p.Kind != Client {
		return nil, fmt.Errorf("lab %s has no client driver", p.Lab.Name)
	}
	var setup func(*exec.Cmd)
	if limits != (sandbox.Limits{}) {
		setup = func(cmd *exec.Cmd) { sandbox.Wrap(cmd, sandbox.Options{LimitsOnly: true, Limits: limits}) }
	}
	pr, err := proc.Start(ctx, p.Path, args, proc.Options{Timeout: limit, Setup: setup})
	if err != nil {
		return nil, fmt.Errorf("unable to start %s: %w", p.Who(), err)
	}
	killed, err := pr.Wait()
	out := &Outcome{Stdout: pr.Output(), Stderr: pr.ErrOutput(), ExitCode: pr.ExitCode(), Killed: killed, Err: err}
	if st := pr.State(); limits != (sandbox.Limits{}) && st != nil && !st.Success() {
		out.Limit = explainServer(p.Who(), sandbox.Explain(st, out.Stdout+out.Stderr, limits))
		printed := out.Stdout + out.Stderr
		out.limitIn = func(l lang.Lang) string {
			return explainServerIn(l, p.WhoIn(l), sandbox.ExplainIn(l, st, printed, limits))
		}
	}
	return out, nil
}
