// Package nettest is what the labs' tests share: loopback listeners that
// close themselves, connections with deadlines, servers started in the
// background and stopped at the end of the test, and reads that give up with
// a message a student can act on instead of hanging.
//
// Every blocking call made through this package has a deadline of Step
// unless the caller asks for another, so a test against an unfinished
// skeleton fails in seconds, never hangs.
package nettest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Step is how long a test waits for any one thing to happen on loopback.
// Loopback answers in microseconds, so this is generous; it is the time a
// broken implementation costs, not a correct one.
const Step = 2 * time.Second

// Listen returns a TCP listener on 127.0.0.1 with a port the kernel
// chooses (or [::1] where IPv4 loopback is missing). It is closed when the
// test ends.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ln, err = net.Listen("tcp6", "[::1]:0")
	}
	if err != nil {
		t.Fatalf("cannot listen on loopback: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// ListenPacket returns a UDP socket on 127.0.0.1 with a port the kernel
// chooses, able to send the largest datagram (see DialUDP). It is closed
// when the test ends.
func ListenPacket(t testing.TB) net.PacketConn {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		pc, err = net.ListenPacket("udp6", "[::1]:0")
	}
	if err != nil {
		t.Fatalf("cannot listen on loopback: %v", err)
	}
	t.Cleanup(func() { pc.Close() })
	roomForLargest(pc)
	return pc
}

// Dial connects to addr over TCP within Step. The connection is closed when
// the test ends.
func Dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, Step)
	if err != nil {
		t.Fatalf("cannot connect to the server at %s: %v\n"+
			"Is it listening? A server must keep accepting connections until its listener is closed.", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Accept waits up to Step for one connection on ln, which is closed when the
// test ends.
func Accept(t testing.TB, ln net.Listener, what string) net.Conn {
	t.Helper()
	type result struct {
		conn net.Conn
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := ln.Accept()
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("accepting %s: %v", what, r.err)
		}
		t.Cleanup(func() { r.conn.Close() })
		return r.conn
	case <-time.After(Step):
		ln.Close() // wakes the Accept above, so its goroutine ends
		t.Fatalf("%s never connected within %v", what, Step)
		return nil
	}
}

// Server is a server running in the background for one test.
type Server struct {
	Addr     string        // where to dial it
	returned chan struct{} // closed when serve returns
	err      error         // what serve returned, once returned is closed
	// stuck is set once Stop has failed the test because serve did not
	// return: the cleanup then says nothing more, so that the student
	// reads "Serve did not return" once.
	stuck atomic.Bool
	ln    net.Listener
}

// Start runs serve(ln) in a goroutine on a fresh loopback listener. When the
// test ends the listener is closed and serve must return within Step; a
// serve that does not return fails the test, since it would leak.
func Start(t testing.TB, serve func(net.Listener) error) *Server {
	t.Helper()
	ln := Listen(t)
	s := &Server{Addr: ln.Addr().String(), returned: make(chan struct{}), ln: ln}
	go func() {
		s.err = serve(ln)
		close(s.returned)
	}()
	t.Cleanup(func() {
		ln.Close()
		if s.stuck.Load() {
			return
		}
		select {
		case <-s.returned:
		case <-time.After(Step):
			t.Errorf("Serve did not return within %v after its listener was closed.\n"+
				"When Accept returns an error because the listener is closed (errors.Is(err, net.ErrClosed)), Serve should return.", Step)
		}
	})
	return s
}

// Stop closes the server's listener and returns what serve returned, failing
// the test if it does not return within Step.
func (s *Server) Stop(t testing.TB) error {
	t.Helper()
	s.ln.Close()
	select {
	case <-s.returned:
		return s.err
	case <-time.After(Step):
		s.stuck.Store(true)
		t.Fatalf("Serve did not return within %v after its listener was closed.\n"+
			"When Accept returns an error because the listener is closed (errors.Is(err, net.ErrClosed)), Serve should return.", Step)
		return nil
	}
}

// Done reports whether serve has returned, without waiting.
func (s *Server) Done() bool {
	select {
	case <-s.returned:
		return true
	default:
		return false
	}
}

// why explains an early return, for a test that was waiting on the server.
func (s *Server) why() string {
	return fmt.Sprintf("Serve returned while its listener was still open, so nobody is serving this client.\nServe returned: %v", s.err)
}

// Client is a test's connection to a Server: a net.Conn whose line reads
// fail at once, with Serve's error, if Serve returns while the test waits.
type Client struct {
	net.Conn
	*Reader
}

// Dial connects to the server within Step. The connection is closed when
// the test ends.
func (s *Server) Dial(t testing.TB) *Client {
	t.Helper()
	conn := Dial(t, s.Addr)
	return &Client{Conn: conn, Reader: NewReader(conn).StopIf(s.returned, s.why)}
}

// Send writes text to the server within Step.
func (c *Client) Send(t testing.TB, text string) {
	t.Helper()
	c.Conn.SetWriteDeadline(time.Now().Add(Step))
	if _, err := io.WriteString(c.Conn, text); err != nil {
		t.Fatalf("sending %q to the server: %v", text, err)
	}
}

// Reader reads lines from a connection, each within Step.
type Reader struct {
	conn  net.Conn
	r     *bufio.Reader
	abort <-chan struct{}
	why   func() string
}

// NewReader wraps conn for line reads with deadlines.
func NewReader(conn net.Conn) *Reader {
	return &Reader{conn: conn, r: bufio.NewReader(conn)}
}

// StopIf makes a read that is waiting give up as soon as abort is closed
// (after taking whatever has already arrived), failing with why(). Tests use
// it so that a function that returns early fails them at once instead of
// after a timeout.
func (r *Reader) StopIf(abort <-chan struct{}, why func() string) *Reader {
	r.abort, r.why = abort, why
	return r
}

// Line reads one line (with its "\n") within Step. what names what the test
// waits for, in the failure message.
func (r *Reader) Line(t testing.TB, what string) string {
	t.Helper()
	line, err := r.TryLine(Step)
	if err != nil {
		if r.aborted() {
			t.Fatalf("waiting for %s: %s", what, r.why())
		}
		t.Fatalf("waiting for %s (up to %v): %s", what, Step, Explain(err, line))
	}
	return line
}

func (r *Reader) aborted() bool {
	if r.abort == nil {
		return false
	}
	select {
	case <-r.abort:
		return true
	default:
		return false
	}
}

// drainWait is how long a read keeps going after the abort channel closes:
// enough to take bytes already in the socket's buffer, not to wait for more.
const drainWait = 50 * time.Millisecond

// TryLine reads one line within d and returns what arrived and any error.
func (r *Reader) TryLine(d time.Duration) (string, error) {
	if err := r.conn.SetReadDeadline(time.Now().Add(d)); err != nil {
		return "", err
	}
	if r.abort == nil {
		return r.r.ReadString('\n')
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-r.abort:
			r.conn.SetReadDeadline(time.Now().Add(drainWait))
		case <-done:
		}
	}()
	return r.r.ReadString('\n')
}

// EOF checks that the peer closes the connection within Step, with nothing
// more to read. Bytes that arrive instead fail the test at once, and are
// named: a peer that sends them and stays open would otherwise be reported,
// a Step later, as silent.
func (r *Reader) EOF(t testing.TB, what string) {
	t.Helper()
	r.conn.SetReadDeadline(time.Now().Add(Step))
	var buf [256]byte
	n, err := r.r.Read(buf[:])
	switch {
	case n > 0:
		t.Fatalf("%s: expected the connection to close, but %q arrived first", what, buf[:n])
	case errors.Is(err, io.EOF):
	case IsTimeout(err):
		t.Fatalf("%s: the connection stayed open for %v; expected it to be closed", what, Step)
	default:
		t.Fatalf("%s: expected a clean close (EOF), got %v", what, err)
	}
}

// ReadAll reads until the peer closes the connection, within Step.
func ReadAll(t testing.TB, conn net.Conn, what string) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(Step))
	data, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("reading %s until the connection closes: %s", what, Explain(err, string(data)))
	}
	return string(data)
}

// IsTimeout reports whether err is a deadline expiring.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// Explain turns a read error into words: a timeout means nothing (or not a
// whole line) arrived in time; EOF means the other side closed.
func Explain(err error, partial string) string {
	got := ""
	if partial != "" {
		got = fmt.Sprintf(" (got %q so far)", partial)
	}
	switch {
	case IsTimeout(err):
		if partial != "" && !strings.HasSuffix(partial, "\n") {
			return fmt.Sprintf("nothing more arrived before the deadline%s; did you forget the \"\\n\" at the end of the line?", got)
		}
		return fmt.Sprintf("nothing arrived before the deadline%s", got)
	case errors.Is(err, io.EOF):
		return "the connection was closed before it arrived" + got
	case errors.Is(err, net.ErrClosed):
		return "the connection was already closed" + got
	}
	return err.Error() + got
}

// Within fails the test if f does not return within d; f runs in its own
// goroutine, which is left to finish on its own if it is stuck.
func Within(t testing.TB, d time.Duration, what string, f func()) {
	t.Helper()
	Withinf(t, d, f, "%s did not return within %v", what, d)
}

// Withinf is Within with the failure message given in full, for a test
// that explains what the student's code should do.
func Withinf(t testing.TB, d time.Duration, f func(), format string, args ...any) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf(format, args...)
	}
}
