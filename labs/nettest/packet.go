package nettest

import (
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// MaxDatagram is the size of the buffer PacketClient reads into: 64 KiB,
// more than the largest UDP payload (65507 bytes over IPv4, 65527 over
// IPv6), so a datagram is never cut short by the test itself.
const MaxDatagram = 64 * 1024

// DialUDP returns a UDP socket connected to addr: its Write sends to addr
// and its Read receives only what addr sends. Connecting a UDP socket sends
// nothing, so this never waits. The socket is closed when the test ends.
//
// Like ListenPacket's, the socket can send the largest UDP datagram on every
// system: macOS refuses a datagram larger than the socket's send buffer,
// which is 9216 bytes unless raised.
func DialUDP(t testing.TB, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatalf("cannot open a UDP socket to %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	roomForLargest(conn)
	return conn
}

// sendBuffer is the send buffer roomForLargest asks for: room for the
// largest datagram, with some to spare.
const sendBuffer = 4 * MaxDatagram

// roomForLargest raises a UDP socket's send buffer so that it can send a
// datagram of any size UDP allows. Linux and Windows need nothing; macOS
// sends no datagram larger than the send buffer (9216 bytes by default)
// and fails with "message too long" instead. A failure here is ignored:
// the send that needed the room reports it.
func roomForLargest(c any) {
	if uc, ok := c.(*net.UDPConn); ok {
		uc.SetWriteBuffer(sendBuffer)
	}
}

// PacketServer is a UDP server running in the background for one test: the
// datagram counterpart of Server.
type PacketServer struct {
	Addr     string        // where to send datagrams
	returned chan struct{} // closed when serve returns
	err      error         // what serve returned, once returned is closed
	// stuck is set once Stop has failed the test because serve did not
	// return: the cleanup then says nothing more, so that the student
	// reads "Serve did not return" once.
	stuck atomic.Bool
	pc    net.PacketConn
}

// StartPacket runs serve(pc) in a goroutine on a fresh loopback UDP socket.
// When the test ends the socket is closed and serve must return within
// Step; a serve that does not return fails the test, since it would leak.
func StartPacket(t testing.TB, serve func(net.PacketConn) error) *PacketServer {
	t.Helper()
	pc := ListenPacket(t)
	s := &PacketServer{Addr: pc.LocalAddr().String(), returned: make(chan struct{}), pc: pc}
	go func() {
		s.err = serve(pc)
		close(s.returned)
	}()
	t.Cleanup(func() {
		pc.Close()
		if s.stuck.Load() {
			return
		}
		select {
		case <-s.returned:
		case <-time.After(Step):
			t.Errorf("Serve did not return within %v after its socket was closed.\n"+
				"When ReadFrom returns an error because the socket is closed (errors.Is(err, net.ErrClosed)), Serve should return.", Step)
		}
	})
	return s
}

// Stop closes the server's socket and returns what serve returned, failing
// the test if it does not return within Step.
func (s *PacketServer) Stop(t testing.TB) error {
	t.Helper()
	s.pc.Close()
	select {
	case <-s.returned:
		return s.err
	case <-time.After(Step):
		s.stuck.Store(true)
		t.Fatalf("Serve did not return within %v after its socket was closed.\n"+
			"When ReadFrom returns an error because the socket is closed (errors.Is(err, net.ErrClosed)), Serve should return.", Step)
		return nil
	}
}

// Done reports whether serve has returned, without waiting.
func (s *PacketServer) Done() bool {
	select {
	case <-s.returned:
		return true
	default:
		return false
	}
}

// Why explains an early return, for a test that was waiting on the server.
func (s *PacketServer) Why() string {
	return fmt.Sprintf("Serve returned while its socket was still open, so nobody is answering.\nServe returned: %v", s.err)
}

// Dial opens a UDP socket connected to the server. A receive on it that is
// waiting fails at once, with Serve's error, if Serve returns.
func (s *PacketServer) Dial(t testing.TB) *PacketClient {
	t.Helper()
	return NewPacketClient(DialUDP(t, s.Addr)).StopIf(s.returned, s.Why)
}

// PacketClient is a test's connected UDP socket: sends and receives of
// whole datagrams, each within Step.
type PacketClient struct {
	net.Conn
	abort <-chan struct{}
	why   func() string
}

// NewPacketClient wraps a connected UDP socket (from DialUDP or net.Dial).
func NewPacketClient(conn net.Conn) *PacketClient {
	return &PacketClient{Conn: conn}
}

// StopIf makes a receive that is waiting give up as soon as abort is closed
// (after taking a datagram that has already arrived), failing with why().
func (c *PacketClient) StopIf(abort <-chan struct{}, why func() string) *PacketClient {
	c.abort, c.why = abort, why
	return c
}

// Send sends data as one datagram, within Step.
func (c *PacketClient) Send(t testing.TB, data string) {
	t.Helper()
	c.Conn.SetWriteDeadline(time.Now().Add(Step))
	if _, err := c.Conn.Write([]byte(data)); err != nil {
		t.Fatalf("sending a datagram of %d bytes (%.40q) to the server: %v", len(data), data, err)
	}
}

// Datagram receives one datagram within Step. what names what the test
// waits for, in the failure message.
func (c *PacketClient) Datagram(t testing.TB, what string) string {
	t.Helper()
	d, err := c.TryDatagram(Step)
	if err != nil {
		if c.aborted() {
			t.Fatalf("waiting for %s: %s", what, c.why())
		}
		if IsTimeout(err) {
			t.Fatalf("waiting for %s: no datagram arrived within %v", what, Step)
		}
		t.Fatalf("waiting for %s: %v", what, err)
	}
	return d
}

// TryDatagram receives one datagram within d and returns it and any error.
// A datagram larger than MaxDatagram cannot exist, so none is cut short.
func (c *PacketClient) TryDatagram(d time.Duration) (string, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(d)); err != nil {
		return "", err
	}
	if c.abort != nil {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-c.abort:
				c.Conn.SetReadDeadline(time.Now().Add(drainWait))
			case <-done:
			}
		}()
	}
	buf := make([]byte, MaxDatagram)
	n, err := c.Conn.Read(buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

func (c *PacketClient) aborted() bool {
	if c.abort == nil {
		return false
	}
	select {
	case <-c.abort:
		return true
	default:
		return false
	}
}
