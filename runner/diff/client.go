package diff

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/netbook/netbook/labs/loopback"
	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/sandbox"
)

// ClientLimit is how long a client driver may run before it is killed.
const ClientLimit = 15 * time.Second

// acceptGrace is how long a session may still wait for a connection once
// the client has exited: long enough for a connection the client made to
// reach the player, no longer, since an exited client connects no more.
const acceptGrace = 100 * time.Millisecond

// errClientExited stops a session still waiting for the client to connect.
var errClientExited = errors.New("the client exited without connecting")

// bothClients plays s as the server for the student's client and, on
// another listener, for the reference's, at once, and compares what the
// two drivers printed.
func bothClients(ctx context.Context, stu, ref *labrun.Program, s *session.Session, timeout time.Duration, limits sandbox.Limits) *Session {
	st, rf := both(stu, ref, func(p *labrun.Program) *Side { return playClient(ctx, p, s, timeout, limits) })
	res := &Session{Status: verdict(st, rf), Student: st, Reference: rf}
	if rf.ExitCode != 0 && rf.Problem == "" {
		res.Status = BadSession
		code := rf.ExitCode
		rf.problem(lang.DiffDriverStatus, func(lang.Lang) []any { return []any{code} })
	}
	if res.Status != BadSession {
		res.Printed = comparePrinted(lang.English, rf, st)
		if res.Printed != "" {
			res.Status = Differs
			res.printedIn = func(l lang.Lang) string { return comparePrinted(l, rf, st) }
		}
	}
	return res
}

// playClient plays s as the server on a fresh loopback listener and runs
// p's driver against it, named after the session, within limits.
func playClient(ctx context.Context, p *labrun.Program, s *session.Session, timeout time.Duration, limits sandbox.Limits) *Side {
	start := time.Now()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return &Side{Problem: err.Error(), ExitCode: -1}
	}
	defer ln.Close()
	var opened atomic.Int32
	sctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	done := make(chan *session.Result, 1)
	go func() {
		done <- session.Play(sctx, s, "", session.Listener(ln), session.Timeout(timeout),
			session.Observe(func(e session.Event) {
				if e.Kind == session.Opened {
					opened.Add(1)
				}
			}))
	}()
	name := sessionName(s)
	out, err := p.Run(ctx, []string{ln.Addr().String(), name}, ClientLimit, limits)
	if err != nil {
		stop(err)
		<-done
		return &Side{Problem: err.Error(), ExitCode: -1}
	}
	var res *session.Result
	select {
	case res = <-done:
	case <-time.After(acceptGrace):
		if int(opened.Load()) < accepts(s) {
			stop(errClientExited)
		}
		res = <-done
	}
	side := &Side{Followed: followed(res), Output: out.Stdout, Stderr: out.Stderr, ExitCode: out.ExitCode, Elapsed: time.Since(start)}
	if !side.Followed {
		side.Mismatch = mismatch(res.Mismatch)
	}
	switch {
	case out.Limit != "":
		// Which limit stopped it, in words, without the Go runtime's
		// stack dumps.
		side.Problem, side.Limit = out.Limit, out.Limit
		side.problemIn = out.LimitIn
		side.Stderr = sandbox.TrimFatal(side.Stderr)
	case out.Killed:
		side.problem(lang.DiffClientKilled, func(l lang.Lang) []any { return []any{p.WhoIn(l), ClientLimit} })
	}
	return side
}

// sessionName is the session's file name without .session: what a driver
// is told.
func sessionName(s *session.Session) string {
	base := s.Name[strings.LastIndex(s.Name, "/")+1:]
	return strings.TrimSuffix(base, ".session")
}

// followed reports whether a client did what the server's script expects
// of it: connected, sent what the script waits for, and hung up. A client
// that hangs up while the server is still sending (a write fails) or
// resets the connection is within its rights: it may have given up at its
// deadline, or stopped at an error it found.
func followed(res *session.Result) bool {
	m := res.Mismatch
	switch {
	case m == nil:
		return true
	case m.Step.Op == session.Send:
		return true
	case m.Step.Op == session.EOF && errors.Is(m.Err, syscall.ECONNRESET):
		return true
	}
	return false
}

// normalize writes every loopback port as PORT, since each run has its own.
func normalize(s string) string { return loopback.Ports(s) }

// comparePrinted shows where the student's driver output first differs
// from the reference's: the lines before it, then the differing line with
// a caret. It returns "" when they are the same.
func comparePrinted(in lang.Lang, ref, stu *Side) string {
	want, got := normalize(ref.Output), normalize(stu.Output)
	var b strings.Builder
	if want != got {
		wl, gl := splitLines(want), splitLines(got)
		i := 0
		for i < len(wl) && i < len(gl) && wl[i] == gl[i] {
			i++
		}
		for _, l := range wl[max(0, i-contextLines):i] {
			// A column of session.Compare's block, whose labels
			// (expected, received) are the lab tests' own.
			fmt.Fprintf(&b, "  same:     %s\n", session.Quote([]byte(l)))
		}
		b.WriteString(session.Compare([]byte(at(wl, i)), []byte(at(gl, i))))
	}
	if ref.ExitCode != stu.ExitCode && stu.Problem == "" {
		in.Fprintf(&b, lang.DiffDriverStatuses, ref.ExitCode, stu.ExitCode)
	}
	return b.String()
}

// contextLines is how many equal lines come before the first that differs.
const contextLines = 3

// splitLines cuts s into lines that keep their "\n".
func splitLines(s string) []string { return strings.SplitAfter(s, "\n") }

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}
