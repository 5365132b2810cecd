// Package sessiontest plays session files in tests: against a server
// under test (Test, TestGlob) or as the server for a client under test
// (Serve), failing the test with a report a student can act on. It is
// apart from package session, which the netbook binary uses to play
// sessions too, so that the binary does not link the testing package.
package sessiontest

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session"
)

// Test plays the session file at path against the server at addr and fails
// the test with a report a student can act on when the server's bytes
// differ: what it should have sent, what it sent, and a caret under the
// first difference. A file that does not parse stops the test. The Result
// is returned for tests that look at the transcript.
func Test(t testing.TB, path, addr string, opts ...session.Option) *session.Result {
	t.Helper()
	return testUntil(t, path, addr, nil, opts...)
}

// testUntil is Test, ended at once with the error that stopped delivers,
// if it delivers one before the session ends.
func testUntil(t testing.TB, path, addr string, stopped <-chan error, opts ...session.Option) *session.Result {
	t.Helper()
	s, err := session.ParseFile(path)
	if err != nil {
		t.Fatalf("cannot read the session: %v", err)
		return nil
	}
	ctx, stop := context.WithCancelCause(t.Context())
	defer stop(nil)
	if stopped != nil {
		go func() {
			select {
			case err := <-stopped:
				stop(err)
			case <-ctx.Done():
			}
		}()
	}
	r := session.Play(ctx, s, addr, opts...)
	if !r.OK() {
		t.Errorf("The server at %s did not follow the conversation in %s.\n%s", addr, path, r.Report())
	}
	return r
}

// TestGlob plays every session file matching pattern (such as
// "testdata/*.session"), each in a subtest named after the file, against
// the server that start returns the address of. start runs once per file,
// so each session meets a fresh server; it can use nettest.Start. A pattern
// that matches nothing fails the test, since it is surely a typo.
func TestGlob(t *testing.T, pattern string, start func(t *testing.T) (addr string), opts ...session.Option) {
	t.Helper()
	TestGlobUntil(t, pattern, func(t *testing.T) (string, <-chan error) { return start(t), nil }, opts...)
}

// TestGlobUntil is TestGlob for a server that can stop early: start also
// returns a channel that delivers why the server stopped (say, Serve
// returned while its listener was open). The session then ends at once,
// its report saying so, instead of waiting for its steps to time out.
func TestGlobUntil(t *testing.T, pattern string, start func(t *testing.T) (addr string, stopped <-chan error), opts ...session.Option) {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no session files match %q, so the lab's testdata is missing (err: %v)", pattern, err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			addr, stopped := start(t)
			testUntil(t, path, addr, stopped, opts...)
		})
	}
}

// Server is a session played as the server for one test, in the
// background: its accept steps take the connections that the client under
// test makes to Addr. Serve starts one.
type Server struct {
	Addr string // where the client under test connects: 127.0.0.1 and a port the kernel chose

	cancel context.CancelCauseFunc
	done   chan struct{} // closed when the session has ended
	res    *session.Result
	op     atomic.Int32 // the Op of the step that is playing
}

// acceptGrace is how long Result lets a session wait in an accept step
// after the client under test has returned: long enough for a connection the
// client made to reach the player, and no longer, since a client that has
// returned will not connect any more.
const acceptGrace = 100 * time.Millisecond

// errClientReturned stops a session that is still waiting for a client to
// connect when the test asks for its result.
var errClientReturned = errors.New("the client under test returned without connecting")

// Serve parses the session file at path (a file that does not parse stops
// the test) and plays it in the background as a server, on a fresh loopback
// listener whose address is the Server's Addr. Point the client under test at
// Addr, let it run, then call Result. When the test ends the session is
// stopped, and its goroutine and listener are gone.
//
// A client lab ships its misbehaving servers this way, as data: a file that
// accepts, reads the request it expects, answers with exact bytes, and
// closes, stalls or waits for the client to hang up:
//
//	accept c
//	c <- GET / HTTP/1.1\r\n
//	c <~ Host: 127\.0\.0\.1:\d+\r\n
//	c <- \r\n
//	c -> HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello
//	c eof
func Serve(t testing.TB, path string, opts ...session.Option) *Server {
	t.Helper()
	s, err := session.ParseFile(path)
	if err != nil {
		t.Fatalf("cannot read the session: %v", err)
		return nil
	}
	ln := nettest.Listen(t)
	srv := &Server{Addr: ln.Addr().String(), done: make(chan struct{})}
	ctx, cancel := context.WithCancelCause(context.Background())
	srv.cancel = cancel
	opts = append(opts, session.Listener(ln), session.OnStep(func(op session.Op) { srv.op.Store(int32(op)) }))
	go func() {
		defer close(srv.done)
		srv.res = session.Play(ctx, s, "", opts...)
		srv.op.Store(0)
	}()
	t.Cleanup(func() {
		cancel(context.Canceled)
		<-srv.done
		ln.Close()
	})
	return srv
}

// Result waits for the session to end and returns what happened. Call it
// once the client under test has returned: by then the client has sent what
// it will send and closed its connections, so the remaining steps end at
// once, each within the session's timeout at worst. A session still waiting
// for a client to connect (an accept step) is stopped after a moment, with a
// mismatch that says so.
func (s *Server) Result() *session.Result {
	grace := time.NewTimer(acceptGrace)
	defer grace.Stop()
	for {
		select {
		case <-s.done:
			return s.res
		case <-grace.C:
			if session.Op(s.op.Load()) == session.Accept {
				s.cancel(errClientReturned)
			}
		}
	}
}
