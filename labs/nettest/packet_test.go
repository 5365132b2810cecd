package nettest

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoDatagrams answers every datagram with its own bytes, to its sender.
func echoDatagrams(pc net.PacketConn) error {
	buf := make([]byte, MaxDatagram)
	for {
		n, from, err := pc.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		pc.WriteTo(buf[:n], from)
	}
}

func TestPacketServerRoundTrip(t *testing.T) {
	srv := StartPacket(t, echoDatagrams)
	c := srv.Dial(t)
	c.Send(t, "one")
	c.Send(t, "two")
	assert.Equal(t, "one", c.Datagram(t, "the first echo"), "each datagram arrives whole and on its own")
	assert.Equal(t, "two", c.Datagram(t, "the second echo"))

	big := strings.Repeat("x", 65507) // the largest UDP payload over IPv4
	c.Send(t, big)
	assert.Equal(t, len(big), len(c.Datagram(t, "the big echo")), "PacketClient reads into a buffer that holds any datagram")

	assert.False(t, srv.Done())
	assert.NoError(t, srv.Stop(t))
	assert.True(t, srv.Done())
}

func TestPacketEarlyReturnFailsAtOnce(t *testing.T) {
	early := func(net.PacketConn) error { return errors.New("TODO: implement Serve") }
	failures := run(t, func(tb testing.TB) {
		srv := StartPacket(tb, early)
		c := srv.Dial(tb)
		c.Send(tb, "hello")
		c.Datagram(tb, "the reply")
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "waiting for the reply: Serve returned while its socket was still open")
	assert.Contains(t, failures[0], "TODO: implement Serve")

	// An early return ends the receive, not its deadline: with the deadline
	// an hour away, the receive still returns at once (the bound is generous).
	c := StartPacket(t, early).Dial(t)
	var err error
	Within(t, 30*time.Second, "a receive on a client whose Serve had returned, with a deadline an hour away,", func() {
		_, err = c.TryDatagram(time.Hour)
	})
	assert.Error(t, err)
}

func TestPacketEarlyReturnKeepsWhatArrived(t *testing.T) {
	srv := StartPacket(t, func(pc net.PacketConn) error {
		buf := make([]byte, 16)
		_, from, err := pc.ReadFrom(buf)
		if err != nil {
			return err
		}
		pc.WriteTo([]byte("bye"), from)
		return nil // returns with the socket still open
	})
	c := srv.Dial(t)
	c.Send(t, "hi")
	assert.Equal(t, "bye", c.Datagram(t, "the goodbye"), "a datagram that arrived before the early return is still read")
}

func TestPacketServeThatNeverReturnsFailsCleanup(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	failures := run(t, func(tb testing.TB) {
		StartPacket(tb, func(net.PacketConn) error { <-block; return nil })
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "Serve did not return")
}

func TestPacketStopOfAServeThatNeverReturnsSaysItOnce(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	failures := run(t, func(tb testing.TB) {
		StartPacket(tb, func(net.PacketConn) error { <-block; return nil }).Stop(tb)
	})
	require.Len(t, failures, 1, "one failure, not the Stop's and the cleanup's: %q", failures)
	assert.Contains(t, failures[0], "Serve did not return")
}

func TestPacketTimeoutAndDialUDP(t *testing.T) {
	t.Parallel()
	pc := ListenPacket(t) // a socket that never answers
	c := NewPacketClient(DialUDP(t, pc.LocalAddr().String()))
	_, err := c.TryDatagram(20 * time.Millisecond)
	assert.True(t, IsTimeout(err), "a receive gives up at its deadline: %v", err)

	failures := run(t, func(tb testing.TB) {
		c.Datagram(tb, "an answer")
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "waiting for an answer: no datagram arrived within")
}
