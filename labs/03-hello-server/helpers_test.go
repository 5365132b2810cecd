package hello

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
)

// server is the student's Serve running for one test on a loopback
// listener, with what the tests watch from inside: which connections it
// accepted and closed, and when Serve returned and with what.
type server struct {
	*nettest.Server
	conns    *nettest.Tracker
	ln       net.Listener  // the real listener; closing it stops Serve
	returned chan struct{} // closed when Serve returns
	err      error         // what Serve returned, once returned is closed
}

// start runs Serve in the background on a tracked loopback listener,
// wrapped further by wrap if given. The listener is closed when the test
// ends, and Serve must then return.
func start(t *testing.T, wrap ...func(net.Listener) net.Listener) *server {
	t.Helper()
	nettest.LimitLog(t, 10)
	s := &server{conns: nettest.NewTracker(), returned: make(chan struct{})}
	lns := make(chan net.Listener, 1)
	s.Server = nettest.Start(t, func(ln net.Listener) error {
		lns <- ln
		l := s.conns.Listener(ln)
		for _, w := range wrap {
			l = w(l)
		}
		s.err = Serve(l)
		close(s.returned)
		return s.err
	})
	s.ln = <-lns
	return s
}

// why explains an early return, for a test that was waiting on the server.
func (s *server) why() string {
	return fmt.Sprintf("Serve returned while its listener was still open, so nobody is serving this client.\nServe returned: %v", s.err)
}

// via connects to addr (a proxy in front of the server) within Step. Its
// reads fail at once if Serve returns early, as the server's own Dial's do.
func (s *server) via(t *testing.T, addr string) *nettest.Client {
	t.Helper()
	conn := nettest.Dial(t, addr)
	return &nettest.Client{Conn: conn, Reader: nettest.NewReader(conn).StopIf(s.returned, s.why)}
}

// welcome reads the first line a client gets and checks it is Welcome.
func welcome(t *testing.T, c *nettest.Client, what string) {
	t.Helper()
	got := c.Line(t, what)
	if got != Welcome {
		t.Fatalf("%s: the client received %q; the first thing the server sends each client should be Welcome, %q", what, got, Welcome)
	}
}

// ask sends one line on c and returns the line that comes back.
func (s *server) ask(t *testing.T, c *nettest.Client, line string) string {
	t.Helper()
	c.Send(t, line)
	got, err := c.TryLine(nettest.Step)
	switch {
	case err == nil:
		return got
	case s.Done():
		t.Fatalf("waiting for the reply to %q: %s", line, s.why())
	case errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET):
		t.Fatalf("waiting for the reply to %q: %s.\n"+
			"The server hung up. A conversation goes on, line after line, until the client sends exit or leaves.",
			line, nettest.Explain(err, got))
	default:
		t.Fatalf("waiting for the reply to %q: %s", line, nettest.Explain(err, got))
	}
	return ""
}

// emfile is the error Accept returns on Linux when the process has no file
// descriptor left for the new connection.
func emfile(ln net.Listener) error {
	return &net.OpError{Op: "accept", Net: "tcp", Addr: ln.Addr(), Err: os.NewSyscallError("accept4", syscall.EMFILE)}
}

// flakyListener is a listener whose Accept fails with err, at once, as many
// times as it is told to, and otherwise accepts from the listener it wraps.
// It records when each failing call, and the call after the last one, was
// made.
type flakyListener struct {
	net.Listener
	err error

	mu        sync.Mutex
	fails     int           // failing calls still to come
	calls     []time.Time   // when each call of the current round was made
	recovered chan struct{} // closed at the first call after a round's failures
}

// failNext makes the next n calls of Accept fail, and returns the channel
// that is closed at the call after them.
func (l *flakyListener) failNext(n int) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails, l.calls, l.recovered = n, nil, make(chan struct{})
	return l.recovered
}

func (l *flakyListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.fails > 0 {
		l.fails--
		l.calls = append(l.calls, time.Now())
		l.mu.Unlock()
		return nil, l.err
	}
	if l.recovered != nil {
		select {
		case <-l.recovered:
		default:
			l.calls = append(l.calls, time.Now())
			close(l.recovered)
		}
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

// called reports whether Accept has been called since the round began.
func (l *flakyListener) called() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.calls) > 0
}

// gaps returns the time between each call of the round and the next.
func (l *flakyListener) gaps() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var gaps []time.Duration
	for i := 1; i < len(l.calls); i++ {
		gaps = append(gaps, l.calls[i].Sub(l.calls[i-1]))
	}
	return gaps
}
