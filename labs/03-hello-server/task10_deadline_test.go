package hello

import (
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/require"
)

// Give up on a client that stops reading: a deadline on each write, none on the conversation.
func TestTask10WriteDeadline(t *testing.T) {
	cl := &clockListener{accepted: make(chan *clockConn, 8)}
	s := start(t, cl.wrap)

	// Client a talks, thinks for an hour, and talks again. Its connection
	// has a clock of its own, which the test moves an hour on: a deadline
	// the server set before the hour has passed by the end of it, one set
	// after it has not.
	a := s.Dial(t)
	ca := cl.next(t, s, "client a")
	welcome(t, a, "the welcome for client a")
	require.Equal(t, "Hello, Michael!\n", s.ask(t, a, "Michael\n"))
	ca.think(time.Hour)
	a.Send(t, "Tracy\n")
	got, err := a.TryLine(nettest.Step)
	switch {
	case err == nil && got == "Hello, Tracy!\n":
	case ca.readTimedOut.Load():
		t.Fatalf("client a thought for an hour before sending \"Tracy\\n\", and the server's read had a deadline that passed meanwhile "+
			"(what the client read: %s).\nThe hello protocol lets a client take as long as it likes to speak: give each write a deadline "+
			"(conn.SetWriteDeadline), not the reads (conn.SetDeadline sets both)", received(got, err))
	case ca.writeTimedOut.Load():
		t.Fatalf("client a thought for an hour before sending \"Tracy\\n\", and the reply failed: the write deadline had passed before it "+
			"was written (what the client read: %s).\nA deadline set once for the whole conversation passes while the client thinks. "+
			"Set it anew before each write: conn.SetWriteDeadline(time.Now().Add(WriteTimeout))", received(got, err))
	default:
		require.Equal(t, "Hello, Tracy!\n", got, "client a sent \"Tracy\\n\" after thinking for an hour: %s", received(got, err))
	}
	a.Send(t, "exit\n")
	a.EOF(t, "client a sent exit")

	// Client b connects and never reads a byte. Between it and the server,
	// the buffers are full: no write to it ever ends on its own.
	cl.deafNext.Store(true)
	b := s.Dial(t)
	cb := cl.next(t, s, "client b")
	select {
	case <-cb.closed:
	case <-cb.stuck:
		t.Fatalf("client b never reads, and the server is writing to it with no deadline: that Write waits for ever, " +
			"holding its goroutine and its connection.\nSet a deadline before each write: " +
			"conn.SetWriteDeadline(time.Now().Add(WriteTimeout)), and return when the write fails")
	case <-time.After(nettest.Step):
		t.Fatalf("client b never reads; its connection's write deadline passed (in this test, at once), "+
			"and the server had still not closed the connection %v later.\n"+
			"When a write fails, the conversation is over: return, and let the deferred conn.Close() hang up", nettest.Step)
	}
	s.conns.WaitClosed(t, b.Conn, "after a write to client b, who never reads, reached its deadline")
	if waited := cb.waited(); waited > WriteTimeout {
		t.Fatalf("the server waited %v for client b, who never reads, before giving up; each write should end within WriteTimeout (%v)",
			waited, WriteTimeout)
	}

	// And the server serves on.
	c := s.Dial(t)
	cl.next(t, s, "client c")
	welcome(t, c, "the welcome for client c, after client b was given up on")
	require.Equal(t, "Hello, Sarah!\n", s.ask(t, c, "Sarah\n"))
}

// received says what a client's read returned, for a failure message.
func received(line string, err error) string {
	if err != nil {
		return nettest.Explain(err, line)
	}
	return fmt.Sprintf("%q", line)
}

// clockListener hands out each connection it accepts as a clockConn, and
// passes it to the test on accepted. The connection after deafNext is set
// belongs to a client that never reads.
type clockListener struct {
	net.Listener
	accepted chan *clockConn
	deafNext atomic.Bool
}

func (l *clockListener) wrap(ln net.Listener) net.Listener {
	l.Listener = ln
	return l
}

func (l *clockListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	cc := &clockConn{Conn: c, deaf: l.deafNext.Swap(false), stuck: make(chan struct{}), closed: make(chan struct{})}
	l.accepted <- cc
	return cc, nil
}

// next returns the server's end of the connection the test dialed last.
func (l *clockListener) next(t *testing.T, s *server, who string) *clockConn {
	t.Helper()
	select {
	case c := <-l.accepted:
		t.Cleanup(func() { c.Close() }) // a handler stuck in a Write returns then
		return c
	case <-s.returned:
		t.Fatalf("waiting for the server to accept %s: %s", who, s.why())
		return nil
	case <-time.After(nettest.Step):
		t.Fatalf("the server did not accept %s within %v", who, nettest.Step)
		return nil
	}
}

// clockConn is the server's end of a connection that runs on a clock of its
// own: the real clock plus an offset that the test moves forward (think) and
// that a write to a client who never reads moves to the write's deadline.
// The deadlines the server sets are kept on that clock: a read or a write
// that ends after its deadline, by that clock, fails with a timeout, as it
// would have on a real connection if that much time had really passed.
type clockConn struct {
	net.Conn
	deaf   bool          // the client never reads: no Write ends before its deadline
	stuck  chan struct{} // closed when a Write to a deaf client began with no deadline
	closed chan struct{} // closed by Close

	mu        sync.Mutex
	offset    time.Duration // how far this connection's clock is ahead of the real one
	readDL    time.Time     // the read deadline, on this connection's clock; zero: none
	writeDL   time.Time     // the write deadline, likewise
	waitedFor time.Duration // how long, on this clock, writes to a deaf client waited
	stuckOnce sync.Once
	closeOnce sync.Once

	readTimedOut, writeTimedOut atomic.Bool
}

// think moves the connection's clock on by d: the client says nothing for d.
func (c *clockConn) think(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// waited returns how long writes to a deaf client waited, on this clock.
func (c *clockConn) waited() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waitedFor
}

// onClock turns a deadline the server computed from the real clock into one
// on this connection's clock: the server meant "so long from now".
func (c *clockConn) onClock(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(c.offset)
}

func (c *clockConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDL, c.writeDL = c.onClock(t), c.onClock(t)
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *clockConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDL = c.onClock(t)
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

func (c *clockConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeDL = c.onClock(t)
	c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

// timeout is the error a real connection returns when a deadline passes.
func (c *clockConn) timeout(op string) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: os.ErrDeadlineExceeded}
}

func (c *clockConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	late := !c.readDL.IsZero() && !time.Now().Add(c.offset).Before(c.readDL)
	c.mu.Unlock()
	if err == nil && late {
		// The bytes came after the client thought past the read deadline:
		// a real connection would have timed out while it waited.
		c.readTimedOut.Store(true)
		return 0, c.timeout("read")
	}
	return n, err
}

func (c *clockConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	now, dl := time.Now().Add(c.offset), c.writeDL
	passed := !dl.IsZero() && !now.Before(dl)
	if c.deaf && !dl.IsZero() && !passed {
		// Nothing the client does will take these bytes: the write waits
		// until its deadline. Move the clock there.
		c.waitedFor += dl.Sub(now)
		c.offset += dl.Sub(now)
		passed = true
	}
	c.mu.Unlock()
	switch {
	case passed:
		c.writeTimedOut.Store(true)
		return 0, c.timeout("write")
	case c.deaf:
		c.stuckOnce.Do(func() { close(c.stuck) })
		<-c.closed // for ever, as far as the server can tell: until the test ends
		return 0, &net.OpError{Op: "write", Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: net.ErrClosed}
	}
	return c.Conn.Write(p)
}

func (c *clockConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
