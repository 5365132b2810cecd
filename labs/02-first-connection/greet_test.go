package greet

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session/sessiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// fetchTimeout is what the tests give Fetch: far longer than loopback needs.
const fetchTimeout = nettest.Step

// fakeServer accepts one connection on a loopback listener and hands it to
// handle, in the background. The returned channel yields the server's view of
// the connection's addresses once it has been accepted.
func fakeServer(t *testing.T, handle func(net.Conn)) (string, <-chan Ends) {
	t.Helper()
	return fakeServerOn(t, nettest.Listen(t), handle)
}

// fakeServerOn is fakeServer on a listener of the test's choosing.
func fakeServerOn(t *testing.T, ln net.Listener, handle func(net.Conn)) (string, <-chan Ends) {
	t.Helper()
	ends := make(chan Ends, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return // the test ended without dialing
		}
		defer conn.Close()
		ends <- Ends{Local: conn.LocalAddr().String(), Remote: conn.RemoteAddr().String()}
		handle(conn)
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String(), ends
}

// fetch calls Fetch and fails the test if it does not return in time.
func fetch(t *testing.T, addr string, timeout time.Duration) (data []byte, ends Ends, err error) {
	t.Helper()
	nettest.Within(t, timeout+nettest.Step, "Fetch", func() {
		data, ends, err = Fetch(addr, timeout)
	})
	return data, ends, err
}

// Connect to a server and read its welcome.
func TestTask1FetchWelcome(t *testing.T) {
	addr, _ := fakeServer(t, func(c net.Conn) {
		c.Write([]byte(Welcome))
	})
	data, _, err := fetch(t, addr, fetchTimeout)
	require.NoError(t, err, "Fetch(%q) returned an error", addr)
	assert.Equal(t, Welcome, string(data), "Fetch should return exactly the bytes the server sent")

	// The same server on IPv6's loopback, ::1: an address is whatever the
	// caller passes, IPv4 or IPv6, and "tcp" dials either.
	t.Run("IPv6", func(t *testing.T) {
		ln, err := net.Listen("tcp6", "[::1]:0")
		if err != nil {
			t.Skipf("this machine has no IPv6 loopback (::1), so Fetch cannot be tried over IPv6 here: %v", err)
		}
		t.Cleanup(func() { ln.Close() })
		addr, _ := fakeServerOn(t, ln, func(c net.Conn) {
			c.Write([]byte(Welcome))
		})
		data, _, err := fetch(t, addr, fetchTimeout)
		require.NoError(t, err, "Fetch(%q) returned an error: the server listens on IPv6's loopback, ::1. "+
			"Dial the network \"tcp\", which takes IPv4 and IPv6 addresses alike, not \"tcp4\"", addr)
		assert.Equal(t, Welcome, string(data), "Fetch(%q) should return exactly the bytes the server sent", addr)
	})
}

// Keep reading until the server closes: one Read is not one message.
func TestTask2FetchReadsUntilClose(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 64*1024) // 1 MiB: more than one read's worth
	addr, _ := fakeServer(t, func(c net.Conn) {
		// Send the welcome a byte at a time, splitting its three-byte
		// characters across writes, then a large block.
		for i := 0; i < len(Welcome); i++ {
			if _, err := c.Write([]byte{Welcome[i]}); err != nil {
				return
			}
		}
		c.Write([]byte(big))
	})
	data, _, err := fetch(t, addr, fetchTimeout)
	require.NoError(t, err, "Fetch returned an error")
	want := Welcome + big
	require.Equal(t, len(want), len(data),
		"Fetch returned %d bytes, the server sent %d: read until the server closes (io.EOF), not just once", len(data), len(want))
	assert.True(t, bytes.Equal([]byte(want), data), "Fetch returned the right number of bytes, but not the bytes the server sent")
}

// Report the connection's two addresses, as the client sees them.
func TestTask3FetchEnds(t *testing.T) {
	addr, serverSide := fakeServer(t, func(c net.Conn) {
		c.Write([]byte(Welcome))
	})
	_, ends, err := fetch(t, addr, fetchTimeout)
	require.NoError(t, err, "Fetch returned an error")
	var server Ends
	select {
	case server = <-serverSide:
	case <-time.After(nettest.Step):
		t.Fatal("the server never saw a connection")
	}
	assert.Equal(t, addr, ends.Remote, "Ends.Remote should be the server's address (conn.RemoteAddr())")
	assert.Equal(t, server.Remote, ends.Local,
		"Ends.Local should be the client's own address (conn.LocalAddr()), the one the server sees as remote")
	assert.NotEqual(t, ends.Local, ends.Remote, "Local and Remote are the two different ends of the connection")
}

// Never hang: give up at the deadline, and fail fast when nobody listens.
func TestTask4FetchDeadline(t *testing.T) {
	release := make(chan struct{})
	addr, _ := fakeServer(t, func(c net.Conn) {
		c.Write([]byte("half a greet"))
		<-release // and never close
	})
	t.Cleanup(func() { close(release) }) // runs before fakeServer's cleanup waits for the handler
	const timeout = 300 * time.Millisecond
	_, _, err := fetch(t, addr, timeout) // fails the test if Fetch is still waiting a Step after its timeout
	require.Error(t, err, "the server never closed the connection, so Fetch should give up with an error at its deadline")
	assert.True(t, nettest.IsTimeout(err), "the error should be a timeout (set a deadline on the connection), got: %v", err)

	// Nobody listens on a port that was just closed: the connection is refused.
	ln := nettest.Listen(t)
	closed := ln.Addr().String()
	ln.Close()
	_, _, err = fetch(t, closed, fetchTimeout)
	assert.Error(t, err, "nobody listens on %s, so Fetch should return the connection error", closed)

	// A server too busy to take the connection: connecting itself waits,
	// so the timeout must bound the dial too, not only what comes after.
	t.Run("connecting", func(t *testing.T) {
		busy := unanswered(t) // skips where the test cannot make one
		const timeout = 300 * time.Millisecond
		var err error
		nettest.Withinf(t, timeout+nettest.Step, func() { _, _, err = Fetch(busy, timeout) },
			"Fetch(%q, %v) did not return within %v: the server's queue of connections waiting to be accepted is full, "+
				"so connecting waits (the kernel retries for about two minutes). A deadline set on the connection starts only once it is connected: "+
				"bound the dial as well, with net.DialTimeout(\"tcp\", addr, timeout) or a net.Dialer with a Deadline",
			busy, timeout, timeout+nettest.Step)
		require.Error(t, err, "Fetch(%q) could not have connected (the server's queue was full), yet it returned no error", busy)
		assert.True(t, nettest.IsTimeout(err), "connecting to %s could not finish in time, so the error should be a timeout, got: %v", busy, err)
	})

	// A server that never stops talking: a byte every few milliseconds, for
	// ever. Each read is quick, so a deadline renewed before each read (an
	// idle timeout) never fires; the deadline of the whole exchange does.
	trickleFetchesWithin(t)
}

// trickleFetchesWithin runs Fetch against a server that sends a byte every
// 5 ms until the test ends, and checks that Fetch gives up at its timeout.
func trickleFetchesWithin(t *testing.T) {
	t.Helper()
	const timeout = time.Second // two hundred times the gap between bytes
	stop := make(chan struct{})
	addr, _ := fakeServer(t, func(c net.Conn) {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			c.SetWriteDeadline(time.Now().Add(nettest.Step))
			if _, err := c.Write([]byte(".")); err != nil {
				return
			}
		}
	})
	t.Cleanup(func() { close(stop) }) // runs before fakeServer's cleanup waits for the handler
	var err error
	nettest.Within(t, timeout+nettest.Step, fmt.Sprintf("Fetch(%q, %v), against a server that sends a byte every 5 ms and never closes "+
		"(one deadline for the whole exchange stops it in time; a deadline renewed before each read never fires),", addr, timeout), func() {
		_, _, err = Fetch(addr, timeout)
	})
	require.Error(t, err, "the server never closed the connection, so Fetch should give up at its deadline")
	assert.True(t, nettest.IsTimeout(err),
		"the server sends a byte every 5 ms and never closes: Fetch should stop at its deadline with a timeout error, got: %v.\n"+
			"A deadline set again before each read never fires while bytes keep coming: set one deadline, for the whole exchange, right after connecting", err)
}

// Close the client's end once the server is done.
func TestTask5FetchCloses(t *testing.T) {
	sawEOF := make(chan error, 1)
	addr, _ := fakeServer(t, func(c net.Conn) {
		c.Write([]byte(Welcome))
		c.(*net.TCPConn).CloseWrite() // the server is done sending, but keeps listening
		c.SetReadDeadline(time.Now().Add(nettest.Step))
		_, err := c.Read(make([]byte, 1))
		sawEOF <- err
	})
	_, _, err := fetch(t, addr, fetchTimeout)
	require.NoError(t, err, "Fetch returned an error")
	select {
	case err := <-sawEOF:
		require.Error(t, err)
		assert.False(t, nettest.IsTimeout(err),
			"Fetch returned but left its connection open: close it (defer conn.Close() right after connecting)")
		assert.Equal(t, "EOF", err.Error(), "the server should see a clean close from the client")
	case <-time.After(2 * nettest.Step):
		t.Fatal("the test's server never finished")
	}

	// Giving up ends the exchange too: a Fetch that stops at its deadline
	// closes its end before it returns, as one that read to the end does.
	fetched := make(chan struct{})
	sawClose := make(chan error, 1)
	addr, _ = fakeServer(t, func(c net.Conn) {
		c.Write([]byte("half a greet")) // and never close
		<-fetched
		c.SetReadDeadline(time.Now().Add(nettest.Step))
		_, err := c.Read(make([]byte, 1))
		sawClose <- err
	})
	t.Cleanup(func() { // runs before fakeServer's cleanup waits for the handler
		select {
		case <-fetched:
		default:
			close(fetched)
		}
	})
	_, _, fetchErr := fetch(t, addr, 300*time.Millisecond)
	close(fetched)
	require.Error(t, fetchErr, "the server never closed the connection, so Fetch should give up with an error at its deadline (task 4)")
	select {
	case err := <-sawClose:
		require.Error(t, err)
		assert.False(t, nettest.IsTimeout(err),
			"Fetch gave up at its deadline (it returned %q) but left its connection open: close it on every path, "+
				"the error paths too (defer conn.Close() right after connecting)", fetchErr.Error())
	case <-time.After(2 * nettest.Step):
		t.Fatal("the test's server never finished")
	}
}

// Accept one client, send the welcome, close, and report both addresses.
func TestTask6GreetOne(t *testing.T) {
	ln := nettest.Listen(t)
	type result struct {
		ends Ends
		err  error
	}
	done := make(chan result, 1)
	returned := make(chan struct{})
	go func() {
		e, err := GreetOne(ln)
		done <- result{e, err}
		close(returned)
	}()
	conn := nettest.Dial(t, ln.Addr().String())
	r := nettest.NewReader(conn).StopIf(returned, func() string {
		res := <-done
		done <- res
		return fmt.Sprintf("GreetOne returned before the greeting arrived; it returned %+v, %v", res.ends, res.err)
	})
	assert.Equal(t, Welcome, r.Line(t, "the welcome"), "the client should receive Welcome, byte for byte")
	r.EOF(t, "after the welcome, GreetOne should close the connection")

	var res result
	select {
	case res = <-done:
	case <-time.After(nettest.Step):
		ln.Close()
		t.Fatal("GreetOne did not return after greeting its client")
	}
	require.NoError(t, res.err, "GreetOne returned an error")
	assert.Equal(t, conn.LocalAddr().String(), res.ends.Remote, "Ends.Remote should be the client's address")
	assert.Equal(t, ln.Addr().String(), res.ends.Local, "Ends.Local should be the server's own address")

	// A client that is gone by the time its greeting is written: the Write
	// fails ("broken pipe"). GreetOne must say so, and close the
	// connection all the same.
	gone := &firstGoneListener{Listener: nettest.Listen(t)}
	goneDone := make(chan result, 1)
	go func() {
		e, err := GreetOne(gone)
		goneDone <- result{e, err}
	}()
	client := nettest.Dial(t, gone.Addr().String())
	select {
	case res = <-goneDone:
	case <-time.After(nettest.Step):
		gone.Close()
		t.Fatal("GreetOne did not return after writing to its client failed")
	}
	require.Error(t, res.err,
		"writing the greeting failed (the client had gone: \"broken pipe\"), yet GreetOne returned no error: return Write's error, so the caller knows the greeting never arrived")
	client.SetReadDeadline(time.Now().Add(nettest.Step))
	_, err := io.Copy(io.Discard, client) // until the server closes this connection
	assert.False(t, nettest.IsTimeout(err),
		"GreetOne returned %q but left the connection open: close it on every path, the error paths too (defer conn.Close() right after Accept)", res.err.Error())
}

// Greet client after client, survive one that leaves early, stop when the listener closes.
func TestTask7Serve(t *testing.T) {
	nettest.LimitLog(t, 10)
	srv := nettest.Start(t, Serve)
	for i := 1; i <= 3; i++ {
		c := srv.Dial(t)
		assert.Equal(t, Welcome, c.Line(t, fmt.Sprintf("the welcome for client %d", i)))
		c.EOF(t, "after the welcome the server should close the connection")
		c.Close()
	}

	// A client that leaves at once, without reading.
	rude := nettest.Dial(t, srv.Addr)
	rude.(*net.TCPConn).SetLinger(0) // close with a reset, as a crashed program would
	rude.Close()

	c := srv.Dial(t)
	assert.Equal(t, Welcome, c.Line(t, "the welcome after a client left early"),
		"a client that disconnects must not stop the server")

	// The scripted sessions in testdata, which netbook diff plays too.
	for _, path := range []string{"testdata/welcome.session", "testdata/one-after-another.session"} {
		sessiontest.Test(t, path, srv.Addr)
	}

	require.False(t, srv.Done(), "Serve returned while its listener was still open")
	assert.NoError(t, srv.Stop(t), "Serve should return nil when its listener is closed")

	// A client that is gone by the time its greeting is written: the Write
	// fails ("broken pipe"), every time, not only when the timing is
	// unlucky. The next client must be greeted all the same.
	gone := nettest.Start(t, func(ln net.Listener) error { return Serve(&firstGoneListener{Listener: ln}) })
	first := gone.Dial(t)
	first.Conn.SetReadDeadline(time.Now().Add(nettest.Step))
	io.Copy(io.Discard, first.Conn) // whatever comes, until the server closes this connection
	next := gone.Dial(t)
	assert.Equal(t, Welcome, next.Line(t, "the welcome for the next client, after writing to the one before failed with \"broken pipe\""),
		"writing the greeting to a client who had left failed; that client is gone, not the server: log the error and greet the next one. "+
			"Return from Serve only when Accept fails (net.ErrClosed: return nil)")
	next.EOF(t, "after the welcome the server should close the connection")
	assert.NoError(t, gone.Stop(t), "Serve should return nil when its listener is closed")
}

// firstGoneListener accepts as its Listener does, but the first connection
// it hands out behaves as one whose client has already gone: every Write
// fails with "broken pipe".
type firstGoneListener struct {
	net.Listener
	handedOut atomic.Bool
}

func (l *firstGoneListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil && l.handedOut.CompareAndSwap(false, true) {
		return goneConn{c}, nil
	}
	return c, err
}

// goneConn is a connection whose client has left: writing to it fails.
type goneConn struct{ net.Conn }

func (c goneConn) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: os.NewSyscallError("write", syscall.EPIPE)}
}

// Decode bytes as UTF-8 or GBK text.
func TestTask8Decode(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("你好, 欢迎"))
	require.NoError(t, err)
	require.Equal(t, []byte{0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0x20, 0xbb, 0xb6, 0xd3, 0xad}, gbk, "GBK uses two bytes per Chinese character")
	for _, tc := range []struct {
		data    []byte
		charset string
		want    string
	}{
		{[]byte(Welcome), "utf-8", Welcome},
		{[]byte("plain ASCII"), "UTF8", "plain ASCII"},
		{gbk, "gbk", "你好, 欢迎"},
		{gbk, "GBK", "你好, 欢迎"},
		{gbk, "Gbk", "你好, 欢迎"},
		{[]byte("plain ASCII"), "Utf-8", "plain ASCII"},
		{[]byte{}, "utf-8", ""},
		{[]byte("a replacement character: \uFFFD"), "utf-8", "a replacement character: \uFFFD"},
	} {
		got, err := Decode(tc.data, tc.charset)
		if err != nil && tc.charset != strings.ToLower(tc.charset) {
			require.NoError(t, err, "Decode(% x, %q) returned an error: a charset's name means the same in any case. "+
				"Compare it with strings.EqualFold, or lower it with strings.ToLower first, rather than listing spellings", tc.data, tc.charset)
		}
		if err != nil && strings.ContainsRune(tc.want, utf8.RuneError) {
			require.NoError(t, err, "Decode(% x, %q) returned an error, but these bytes are valid UTF-8: EF BF BD is U+FFFD (%q), "+
				"a character like any other. Check the bytes with utf8.Valid rather than looking for utf8.RuneError in the text", tc.data, tc.charset, "\uFFFD")
		}
		require.NoError(t, err, "Decode(% x, %q) returned an error", tc.data, tc.charset)
		require.Equal(t, tc.want, got, "Decode(% x, %q)", tc.data, tc.charset)
	}
	for _, tc := range []struct {
		data         []byte
		charset, why string
	}{
		{gbk, "utf-8", "GBK bytes are not valid UTF-8: the sender and receiver must agree on the encoding"},
		{[]byte(Welcome)[:2], "utf-8", "half of a three-byte character is not valid UTF-8"},
		{[]byte{0x81, 0x20}, "gbk", "0x81 starts a two-byte GBK character that 0x20 cannot end"},
		{[]byte{0x81, 0x30, 0x81, 0x30}, "gbk", "these four bytes are one character in GB18030, GBK's larger successor, but not GBK: decode with simplifiedchinese.GBK"},
		{[]byte("hi"), "latin-9", "Decode knows only utf-8 and gbk"},
		{[]byte("hi"), "utf-16", "UTF-16 is another encoding (two bytes per character): compare the whole charset name, not its first letters"},
		{[]byte("hi"), "utf-8-sig", "compare the whole charset name: utf-8 or utf8, nothing longer"},
		{[]byte("hi"), "gb18030", "GB18030 is GBK's larger successor, not GBK: compare the whole name"},
	} {
		_, err := Decode(tc.data, tc.charset)
		require.Error(t, err, "Decode(% x, %q) should fail: %s", tc.data, tc.charset, tc.why)
	}
}
