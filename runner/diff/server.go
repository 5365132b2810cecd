package diff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/sandbox"
)

// exitGrace is how long a failed session waits to see whether the server
// has crashed.
const exitGrace = 100 * time.Millisecond

// bothServers plays s against a fresh student server and a fresh reference
// server at once, each within limits.
func bothServers(ctx context.Context, stu, ref *labrun.Program, s *session.Session, timeout time.Duration, limits sandbox.Limits) *Session {
	st, rf := both(stu, ref, func(p *labrun.Program) *Side { return playServer(ctx, p, s, timeout, limits) })
	return &Session{Status: verdict(st, rf), Student: st, Reference: rf}
}

// playServer starts p on 127.0.0.1:0 within limits, plays s against it and
// stops it. The server runs quietly (no log), as it does under the lab's
// tests.
func playServer(ctx context.Context, p *labrun.Program, s *session.Session, timeout time.Duration, limits sandbox.Limits) *Side {
	start := time.Now()
	srv, err := p.Start(ctx, labrun.StartOptions{Quiet: true, Limits: limits})
	if err != nil {
		var se *labrun.StartError
		if errors.As(err, &se) && se.Limit != "" {
			// Stopped by a limit before it listened: the sentence says
			// why, and the Go runtime's stack dumps would bury it.
			out := sandbox.TrimFatal(se.Output)
			return &Side{Problem: limitProblem(se.Limit, out), Limit: se.Limit, Exited: true, Output: out, ExitCode: se.ExitCode}
		}
		return &Side{Problem: err.Error(), ExitCode: -1}
	}
	// A server that exits ends the session at once, rather than after
	// a step's timeout.
	pctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	go func() {
		select {
		case <-srv.Done():
			stop(fmt.Errorf("%s exited", p.Who()))
		case <-pctx.Done():
		}
	}()
	res := session.Play(pctx, s, srv.Addr, session.Timeout(timeout))
	exited := srv.Exited()
	if !res.OK() && !exited {
		// A server that crashed is the likeliest reason for a failed
		// step: give its exit a moment to be seen.
		select {
		case <-srv.Done():
			exited = true
		case <-time.After(exitGrace):
		}
	}
	stopErr := srv.Stop()
	side := &Side{Followed: res.OK(), Mismatch: mismatch(res.Mismatch), ExitCode: srv.ExitCode(), Elapsed: time.Since(start)}
	side.Exited = exited
	out := srv.Output()
	switch why := srv.Why(); {
	case why != "" && (exited || stopErr != nil):
		// A limit stopped it: say which, in words, and cut the runtime's
		// stack dumps from what it printed.
		out = sandbox.TrimFatal(out)
		side.Problem, side.Limit = limitProblem(why, out), why
	case exited:
		side.Problem = fmt.Sprintf("%s exited during the session (exit status %d); what it printed:", p.Who(), srv.ExitCode())
	case stopErr != nil && res.OK():
		side.Problem = fmt.Sprintf("the conversation went as written, but %v: Serve must return nil soon after its socket is closed; what it printed:", stopErr)
	case stopErr != nil:
		side.Problem = fmt.Sprintf("%v; what it printed:", stopErr)
	}
	if side.Problem != "" {
		side.Output = out
	}
	return side
}

// limitProblem is a Side's Problem for a server a limit stopped: why, in
// labrun.Running.Why's words, and, when it printed anything (out), that
// what it printed follows.
func limitProblem(why, out string) string {
	switch {
	case strings.TrimSpace(out) == "":
		return why
	case strings.HasSuffix(why, "?"):
		return why + " What it printed:"
	}
	return why + "; what it printed:"
}
