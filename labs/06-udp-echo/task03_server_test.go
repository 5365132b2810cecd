package udpecho

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session/sessiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quiet is how long a test listens for a datagram that should not come. A
// reply on loopback takes microseconds, so a stray one shows up well within
// it.
const quiet = 100 * time.Millisecond

// exchange sends request from c and returns the one datagram that comes
// back.
func exchange(t *testing.T, srv *nettest.PacketServer, c *nettest.PacketClient, request, what string) string {
	t.Helper()
	c.Send(t, request)
	got, err := c.TryDatagram(nettest.Step)
	switch {
	case err == nil:
		return got
	case srv.Done():
		t.Fatalf("waiting for %s: %s", what, srv.Why())
	case nettest.IsTimeout(err):
		t.Fatalf("waiting for %s: no datagram came back within %v.\n"+
			"Serve should answer each datagram with conn.WriteTo(reply, from), where from is the sender that ReadFrom returned with it.",
			what, nettest.Step)
	default:
		t.Fatalf("waiting for %s: %v", what, err)
	}
	return ""
}

// noMore checks that nothing else arrives at c: one datagram in, one out.
func noMore(t *testing.T, c *nettest.PacketClient, after string) {
	t.Helper()
	if extra, err := c.TryDatagram(quiet); err == nil {
		t.Fatalf("after %s, another datagram arrived: %s\nEach request gets exactly one reply.", after, show(extra))
	}
}

// Answer each datagram of a client with one datagram, sent back to it.
func TestTask3ServeOneClient(t *testing.T) {
	srv := nettest.StartPacket(t, Serve)
	c := srv.Dial(t)
	got := exchange(t, srv, c, "1 ECHO hello", `the reply to "1 ECHO hello"`)
	require.Equal(t, "1 OK hello", got,
		"Serve should send back what Answer returns for the datagram, to the address ReadFrom gave with it")
	noMore(t, c, "the reply to \"1 ECHO hello\"")

	// Three datagrams sent back to back stay three datagrams: UDP keeps the
	// boundaries that TCP does not.
	c.Send(t, "2 ECHO a")
	c.Send(t, "3 UPPER b")
	c.Send(t, "4 ADD 1 2")
	for _, want := range []string{"2 OK a", "3 OK B", "4 OK 3"} {
		got := c.Datagram(t, "the reply "+show(want))
		require.Equal(t, want, got, "three requests sent in a row get three replies, one datagram each, in order")
	}
	noMore(t, c, "three replies to three requests")

	sessiontest.Test(t, "testdata/one-client.session", srv.Addr)
}

// Send each reply to the client that asked, however many share the socket.
func TestTask4ServeRepliesToSender(t *testing.T) {
	srv := nettest.StartPacket(t, Serve)
	names := []string{"a", "b", "c"}
	clients := map[string]*nettest.PacketClient{}
	for _, name := range names {
		clients[name] = srv.Dial(t)
	}

	// One at a time first: each client's reply must reach that client.
	for _, name := range names {
		c := clients[name]
		c.Send(t, "1 ECHO from "+name)
		got, err := c.TryDatagram(nettest.Step)
		if err == nil {
			require.Equal(t, "1 OK from "+name, got, "client %s got a reply that is not the answer to its request", name)
			continue
		}
		if srv.Done() {
			t.Fatalf("waiting for the reply to client %s: %s", name, srv.Why())
		}
		for _, other := range names {
			if other == name {
				continue
			}
			if stray, err := clients[other].TryDatagram(quiet); err == nil {
				t.Fatalf("client %s got no reply, but client %s received %s.\n"+
					"Serve sent the reply to the wrong address: send each reply to the address ReadFrom returned with that very datagram.",
					name, other, show(stray))
			}
		}
		t.Fatalf("client %s sent \"1 ECHO from %s\" and got no reply within %v (%v).\n"+
			"Reply with conn.WriteTo(reply, from), where from is the sender ReadFrom returned.", name, name, nettest.Step, err)
	}

	// Then all at once: every client sends five requests, taking turns,
	// before anyone reads. The ids overlap, since each client counts its
	// own; only the addresses tell the replies apart.
	for i := 2; i <= 6; i++ {
		for _, name := range names {
			clients[name].Send(t, strings.Join([]string{strconv.Itoa(i), "ECHO", name, strconv.Itoa(i)}, " "))
		}
	}
	for _, name := range names {
		for i := 2; i <= 6; i++ {
			want := strings.Join([]string{strconv.Itoa(i), "OK", name, strconv.Itoa(i)}, " ")
			got := clients[name].Datagram(t, "the reply "+show(want)+" for client "+name)
			require.Equal(t, want, got, "client %s should get its own replies, in order", name)
		}
	}
	for _, name := range names {
		noMore(t, clients[name], "client "+name+"'s replies")
	}

	sessiontest.Test(t, "testdata/two-clients.session", srv.Addr)
}

// Survive empty, malformed and huge datagrams, and stop when the socket closes.
func TestTask5ServeSurvives(t *testing.T) {
	srv := nettest.StartPacket(t, Serve)
	c := srv.Dial(t)

	// An empty datagram is a request like any other: zero bytes from
	// ReadFrom is no end of file, as it would be on a TCP connection.
	got := exchange(t, srv, c, "", "the reply to an empty datagram (zero bytes is a datagram, not an end of file: answer it and read on)")
	assert.True(t, strings.HasPrefix(got, "? ERR "), "the reply to an empty datagram = %s, want \"? ERR ...\"", show(got))

	// The largest datagram UDP carries must be read whole: ReadFrom cuts a
	// datagram that does not fit the buffer, silently.
	text := strings.Repeat("0123456789", MaxDatagram/10)[:MaxDatagram-len("1 ECHO ")]
	got = exchange(t, srv, c, "1 ECHO "+text, "the reply to a request of MaxDatagram bytes")
	require.Equal(t, len("1 OK ")+len(text), len(got),
		"a request of %d bytes came back as a reply of %d bytes, want %d: is the read buffer big enough? "+
			"ReadFrom cuts a datagram to fit the buffer without any error, so make it 64 KiB, which holds any datagram",
		MaxDatagram, len(got), len("1 OK ")+len(text))
	require.Equal(t, "1 OK "+text, got, "the reply to the largest request should echo it byte for byte")
	got = exchange(t, srv, c, "2 ECHO after the big one", "the reply after the largest request")
	require.Equal(t, "2 OK after the big one", got)

	for _, tc := range []struct{ request, prefix string }{
		{"\xff\xfe\x00\x01", "? ERR "},
		{"7 FETCH index.html", "7 ERR "},
		{"8 ADD 9223372036854775807 1", "8 ERR "},
		{"9 UPPER " + strings.Repeat("ɐ", 30000), "9 ERR "},
		{"10 ECHO still here", "10 OK still here"},
	} {
		got := exchange(t, srv, c, tc.request, "the reply to "+show(tc.request))
		require.True(t, strings.HasPrefix(got, tc.prefix), "the reply to %s = %s, want %s...", show(tc.request), show(got), tc.prefix)
	}

	sessiontest.Test(t, "testdata/bad-requests.session", srv.Addr)

	require.False(t, srv.Done(), "%s", srv.Why())
	assert.NoError(t, srv.Stop(t), "Serve should return nil once its socket is closed (errors.Is(err, net.ErrClosed))")

	// A read or a send that fails concerns one datagram, not the socket:
	// Serve's first ReadFrom fails, and so does its first WriteTo.
	srv = nettest.StartPacket(t, func(pc net.PacketConn) error { return Serve(&flakyConn{PacketConn: pc}) })
	c = srv.Dial(t)
	c.Send(t, "1 ECHO this reply is lost: sending it fails")
	c.Send(t, "2 ECHO still serving")
	got, err := c.TryDatagram(nettest.Step)
	if srv.Done() {
		t.Fatalf("%s\nThe socket's ReadFrom failed once with %q, then its WriteTo failed once with %q. "+
			"Neither means the socket is closed: log such an error and go on serving. "+
			"Return only when errors.Is(err, net.ErrClosed).", srv.Why(), errFlakyRead, errFlakyWrite)
	}
	require.NoError(t, err, "after a failed ReadFrom and a failed WriteTo, Serve should still answer \"2 ECHO still serving\"")
	assert.Equal(t, "2 OK still serving", got,
		"the reply to request 1 could not be sent (WriteTo failed), so the next datagram should be the reply to request 2")
}

// The errors a flakyConn makes up: the kind a real socket reports now and
// then (an ICMP error from an earlier reply, a full send queue).
var (
	errFlakyRead  = &net.OpError{Op: "read", Net: "udp", Err: errors.New("connection refused (made up by the test)")}
	errFlakyWrite = &net.OpError{Op: "write", Net: "udp", Err: errors.New("no buffer space available (made up by the test)")}
)

// flakyConn is a socket whose first ReadFrom and first WriteTo fail, as a
// real one sometimes does, without being closed.
type flakyConn struct {
	net.PacketConn
	reads, writes atomic.Int32
}

func (c *flakyConn) ReadFrom(p []byte) (int, net.Addr, error) {
	if c.reads.Add(1) == 1 {
		return 0, nil, errFlakyRead
	}
	return c.PacketConn.ReadFrom(p)
}

func (c *flakyConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if c.writes.Add(1) == 1 {
		return 0, errFlakyWrite
	}
	return c.PacketConn.WriteTo(p, addr)
}
