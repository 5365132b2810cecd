package chat

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"go.uber.org/goleak"
)

// testRoom is a Server under test: started on a loopback listener whose
// connections are tracked (to see the server close them) and gated (to
// make a client look as if its socket were full), with a Logger that
// records what the server logs.
type testRoom struct {
	*nettest.Server
	srv   *Server
	track *nettest.Tracker
	gates *testGates
	logs  *testLogRecorder
}

// startTestRoom starts s.Serve for one test. It also checks, after everything
// else the test set up has been cleaned up, that no goroutine the test
// started (the server's included) is still running.
func startTestRoom(t *testing.T, s *Server) *testRoom {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) }) // registered first: runs last
	r := &testRoom{srv: s, track: nettest.NewTracker(), gates: &testGates{}, logs: &testLogRecorder{}}
	if s.Logger == nil {
		s.Logger = slog.New(r.logs.handler())
	}
	r.Server = nettest.Start(t, func(ln net.Listener) error {
		return s.Serve(r.gates.Listener(r.track.Listener(ln)))
	})
	return r
}

// shutdown calls Shutdown with a deadline d away and reports what it
// returned and how long it took. The test fails if Shutdown has not
// returned 2*nettest.Step after its deadline: one that returns at its
// deadline is far inside that on any machine, and one that waits for a
// stuck write instead (DefaultWriteTimeout, 10s, or for ever) is far out.
func (r *testRoom) shutdown(t *testing.T, d time.Duration) (error, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var err error
	start := time.Now()
	nettest.Within(t, d+2*nettest.Step, fmt.Sprintf("Shutdown with a deadline %v away", d), func() {
		err = r.srv.Shutdown(ctx)
	})
	return err, time.Since(start)
}

// testGates wraps a listener so that a test can hold the writes to one
// accepted connection: a held Write blocks, as a write to a client whose
// socket buffers are full does, until the gate is released, the connection
// closed, or the write deadline passes. It also counts Write calls.
type testGates struct {
	mu      sync.Mutex
	conns   []*testGatedConn
	changed chan struct{} // closed and replaced when a connection is accepted
}

// Listener wraps ln.
func (g *testGates) Listener(ln net.Listener) net.Listener { return &testGatedListener{ln, g} }

type testGatedListener struct {
	net.Listener
	g *testGates
}

func (l *testGatedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	gc := &testGatedConn{Conn: c, closed: make(chan struct{})}
	l.g.mu.Lock()
	l.g.conns = append(l.g.conns, gc)
	if l.g.changed != nil {
		close(l.g.changed)
		l.g.changed = nil
	}
	l.g.mu.Unlock()
	return gc, nil
}

// of returns the server's end of client's connection, waiting up to Step
// for the server to accept it.
func (g *testGates) of(t *testing.T, client net.Conn) *testGatedConn {
	t.Helper()
	deadline := time.After(nettest.Step)
	for {
		g.mu.Lock()
		for _, c := range g.conns {
			if c.RemoteAddr().String() == client.LocalAddr().String() {
				g.mu.Unlock()
				return c
			}
		}
		if g.changed == nil {
			g.changed = make(chan struct{})
		}
		changed := g.changed
		g.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the server never accepted the connection from %s", client.LocalAddr())
			return nil
		}
	}
}

// testGatedConn is the server's end of one connection.
type testGatedConn struct {
	net.Conn
	mu       sync.Mutex
	held     chan struct{} // non-nil while writes are held; closed to release them
	dripping bool
	writes   int
	deadline time.Time
	once     sync.Once
	closed   chan struct{}
}

// drip makes every later Write take nine tenths of the time its deadline
// allows (for ever, with no deadline), as if the client read just fast
// enough never to let a write time out: a write deadline alone cannot get
// rid of such a client, only a full queue can.
func (c *testGatedConn) drip() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dripping = true
}

// hold makes every later Write block until release.
func (c *testGatedConn) hold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held == nil {
		c.held = make(chan struct{})
	}
}

// release lets held writes go on.
func (c *testGatedConn) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held != nil {
		close(c.held)
		c.held = nil
	}
}

// writeCalls returns how many times the server has called Write.
func (c *testGatedConn) writeCalls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

func (c *testGatedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	held, deadline, dripping := c.held, c.deadline, c.dripping
	c.mu.Unlock()
	if dripping {
		var done <-chan time.Time // nil: no deadline, so never
		if !deadline.IsZero() {
			timer := time.NewTimer(time.Until(deadline) * 9 / 10)
			defer timer.Stop()
			done = timer.C
		}
		select {
		case <-done:
		case <-c.closed:
			return 0, net.ErrClosed
		}
	}
	if held != nil {
		var expire <-chan time.Time
		if !deadline.IsZero() {
			timer := time.NewTimer(time.Until(deadline))
			defer timer.Stop()
			expire = timer.C
		}
		select {
		case <-held:
		case <-c.closed:
			return 0, net.ErrClosed
		case <-expire:
			return 0, os.ErrDeadlineExceeded
		}
	}
	return c.Conn.Write(p)
}

func (c *testGatedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

func (c *testGatedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *testGatedConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// testLogRecorder keeps the records the server logs.
type testLogRecorder struct {
	mu      sync.Mutex
	records []testLogRecord
	changed chan struct{}
}

type testLogRecord struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func (r *testLogRecorder) handler() slog.Handler { return &testLogHandler{rec: r} }

type testLogHandler struct {
	rec   *testLogRecorder
	attrs []slog.Attr
}

func (h *testLogHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *testLogHandler) Handle(_ context.Context, rec slog.Record) error {
	lr := testLogRecord{level: rec.Level, msg: rec.Message, attrs: map[string]string{}}
	add := func(a slog.Attr) bool {
		testFlatten(lr.attrs, a)
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	rec.Attrs(add)
	h.rec.mu.Lock()
	h.rec.records = append(h.rec.records, lr)
	if h.rec.changed != nil {
		close(h.rec.changed)
		h.rec.changed = nil
	}
	h.rec.mu.Unlock()
	return nil
}

// testFlatten records a, and the attributes inside a group, by their own keys.
func testFlatten(m map[string]string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			testFlatten(m, g)
		}
		return
	}
	m[a.Key] = v.String()
}

func (h *testLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &testLogHandler{rec: h.rec, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

func (h *testLogHandler) WithGroup(string) slog.Handler { return h }

// waitWarn waits up to Step for a record at level Warn (or above) whose
// "reason" attribute is reason, and fails the test if none comes.
func (r *testLogRecorder) waitWarn(t *testing.T, reason, what string) {
	t.Helper()
	deadline := time.After(nettest.Step)
	for {
		r.mu.Lock()
		for _, rec := range r.records {
			if rec.level >= slog.LevelWarn && rec.attrs["reason"] == reason {
				r.mu.Unlock()
				return
			}
		}
		if r.changed == nil {
			r.changed = make(chan struct{})
		}
		changed := r.changed
		n := len(r.records)
		r.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("%s, the server should log it: a record at slog.LevelWarn with the attribute \"reason\"=%q (%d records logged, none like that)", what, reason, n)
			return
		}
	}
}
