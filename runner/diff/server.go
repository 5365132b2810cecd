package diff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/lang"
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
			side := &Side{Problem: limitProblem(se.Limit, out), Limit: se.Limit, Exited: true, Output: out, ExitCode: se.ExitCode}
			side.problemIn = func(l lang.Lang) string { return limitProblemIn(l, se.LimitIn(l), out) }
			return side
		}
		side := &Side{Problem: err.Error(), ExitCode: -1}
		if errors.As(err, &se) {
			side.problemIn = se.ErrorIn
		}
		return side
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
		side.problemIn = func(l lang.Lang) string { return limitProblemIn(l, srv.WhyIn(l), out) }
	case exited:
		code := srv.ExitCode()
		side.problem(lang.DiffExited, func(l lang.Lang) []any { return []any{p.WhoIn(l), code} })
	case stopErr != nil && res.OK():
		side.problem(lang.DiffNotStopped, func(l lang.Lang) []any { return []any{stopErrorIn(l, stopErr)} })
	case stopErr != nil:
		side.problem(lang.DiffStopFailed, func(l lang.Lang) []any { return []any{stopErrorIn(l, stopErr)} })
	}
	if side.Problem != "" {
		side.Output = out
	}
	return side
}

// limitProblem is a Side's Problem for a server a limit stopped: why, in
// labrun.Running.Why's words, and, when it printed anything (out), that
// what it printed follows.
func limitProblem(why, out string) string { return limitProblemIn(lang.English, why, out) }

// limitProblemIn is limitProblem in language l.
func limitProblemIn(l lang.Lang, why, out string) string {
	switch {
	case strings.TrimSpace(out) == "":
		return why
	case strings.HasSuffix(why, "?"), strings.HasSuffix(why, "？"):
		return why + l.Sprintf(lang.DiffPrintedQ)
	}
	return why + l.Sprintf(lang.DiffPrinted)
}

// stopErrorIn is Running.Stop's error in language l.
func stopErrorIn(l lang.Lang, err error) string {
	var se *labrun.StopError
	if errors.As(err, &se) {
		return se.In(l)
	}
	return err.Error()
}
