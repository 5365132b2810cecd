package nettest

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tracker keeps account of the connections a server accepts, so that a test
// can check that the server closes each one when its conversation is over. A
// server that forgets conn.Close leaks a file descriptor (and usually a
// goroutine) per client, and once the client has gone nothing on the
// client's side can see it: the server's end must be watched from inside.
//
// Give the server under test the tracked listener instead of the real one:
//
//	tr := nettest.NewTracker()
//	srv := nettest.Start(t, tr.Serve(hello.Serve))
//	c := srv.Dial(t)
//	c.Close()
//	tr.WaitClosed(t, c, "after the client hung up")
//
// The connections the tracked listener hands out are net.Conns that record
// their Close. They are not *net.TCPConn, so a server under test must use
// net.Conn's methods only.
type Tracker struct {
	mu      sync.Mutex
	conns   []*trackedConn
	changed chan struct{} // closed and replaced whenever a connection is accepted or closed
}

// NewTracker returns a Tracker with no connections.
func NewTracker() *Tracker {
	return &Tracker{changed: make(chan struct{})}
}

// Listener returns ln wrapped so that every connection its Accept returns is
// tracked. Closing the wrapper closes ln.
func (tr *Tracker) Listener(ln net.Listener) net.Listener {
	return &trackedListener{Listener: ln, tr: tr}
}

// Serve returns serve with its listener wrapped by Listener, for
// nettest.Start.
func (tr *Tracker) Serve(serve func(net.Listener) error) func(net.Listener) error {
	return func(ln net.Listener) error { return serve(tr.Listener(ln)) }
}

// Accepted returns how many connections the server has accepted so far.
func (tr *Tracker) Accepted() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return len(tr.conns)
}

// Open returns how many accepted connections the server has not closed.
func (tr *Tracker) Open() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return len(tr.open())
}

// open returns the connections not yet closed; tr.mu must be held.
func (tr *Tracker) open() []*trackedConn {
	var open []*trackedConn
	for _, c := range tr.conns {
		if !c.closed {
			open = append(open, c)
		}
	}
	return open
}

// WaitClosed waits up to Step for the server to close its end of client's
// connection (the accepted connection whose remote address is client's
// local address), and fails the test with what as context if it does not.
func (tr *Tracker) WaitClosed(t testing.TB, client net.Conn, what string) {
	t.Helper()
	from := client.LocalAddr().String()
	accepted := false
	ok := tr.wait(func() bool {
		for _, c := range tr.conns {
			if c.remote == from {
				accepted = true
				return c.closed
			}
		}
		return false
	})
	switch {
	case ok:
	case !accepted:
		t.Fatalf("%s: the server never accepted the connection from %s", what, from)
	default:
		t.Fatalf("%s: the server did not close its end of the connection from %s within %v.\n"+
			"A server must close every connection it accepts once the conversation is over, "+
			"whichever side ends it (defer conn.Close() in the function that serves the connection).", what, from, Step)
	}
}

// WaitAllClosed waits up to Step until the server has closed every
// connection it accepted, and fails the test with what as context if it has
// not.
func (tr *Tracker) WaitAllClosed(t testing.TB, what string) {
	t.Helper()
	if tr.wait(func() bool { return len(tr.open()) == 0 }) {
		return
	}
	tr.mu.Lock()
	var from []string
	open := tr.open()
	for _, c := range open {
		from = append(from, c.remote)
	}
	n := len(tr.conns)
	tr.mu.Unlock()
	t.Fatalf("%s: the server still had %d of the %d connections it accepted open after %v (from %s).\n"+
		"A server must close every connection it accepts once the conversation is over, "+
		"whichever side ends it (defer conn.Close() in the function that serves the connection).",
		what, len(open), n, Step, strings.Join(from, ", "))
}

// wait calls done (with tr.mu held) each time the connections change, until
// it returns true or Step has passed; it reports whether done returned true.
func (tr *Tracker) wait(done func() bool) bool {
	timeout := time.NewTimer(Step)
	defer timeout.Stop()
	for {
		tr.mu.Lock()
		ok, changed := done(), tr.changed
		tr.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-changed:
		case <-timeout.C:
			return false
		}
	}
}

// notify wakes every wait; tr.mu must be held.
func (tr *Tracker) notify() {
	close(tr.changed)
	tr.changed = make(chan struct{})
}

type trackedListener struct {
	net.Listener
	tr *Tracker
}

func (l *trackedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, tr: l.tr, remote: c.RemoteAddr().String()}
	l.tr.mu.Lock()
	l.tr.conns = append(l.tr.conns, tc)
	l.tr.notify()
	l.tr.mu.Unlock()
	return tc, nil
}

type trackedConn struct {
	net.Conn
	tr     *Tracker
	remote string
	closed bool // guarded by tr.mu
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.tr.mu.Lock()
	if !c.closed {
		c.closed = true
		c.tr.notify()
	}
	c.tr.mu.Unlock()
	return err
}
