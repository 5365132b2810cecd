package diff

import (
	"context"
	"fmt"
	"time"

	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/runner/labrun"
)

// exitGrace is how long a failed session waits to see whether the server
// has crashed.
const exitGrace = 100 * time.Millisecond

// bothServers plays s against a fresh student server and a fresh reference
// server at once.
func bothServers(ctx context.Context, stu, ref *labrun.Program, s *session.Session, timeout time.Duration) *Session {
	st, rf := both(stu, ref, func(p *labrun.Program) *Side { return playServer(ctx, p, s, timeout) })
	return &Session{Status: verdict(st, rf), Student: st, Reference: rf}
}

// playServer starts p on 127.0.0.1:0, plays s against it and stops it. The
// server runs quietly (no log), as it does under the lab's tests.
func playServer(ctx context.Context, p *labrun.Program, s *session.Session, timeout time.Duration) *Side {
	start := time.Now()
	srv, err := p.Start(ctx, labrun.StartOptions{Quiet: true})
	if err != nil {
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
	switch {
	case exited:
		side.Problem = fmt.Sprintf("%s exited during the session (exit status %d); what it printed:", p.Who(), srv.ExitCode())
	case stopErr != nil && res.OK():
		side.Problem = fmt.Sprintf("the conversation went as written, but %v: Serve must return nil soon after its socket is closed; what it printed:", stopErr)
	case stopErr != nil:
		side.Problem = fmt.Sprintf("%v; what it printed:", stopErr)
	}
	if side.Problem != "" {
		side.Output = srv.Output()
	}
	return side
}
