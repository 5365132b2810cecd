package session

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlayGreet(t *testing.T) {
	addr := nettest.Handle(t, greeter("Hello, %s!\n"))
	r := Test(t, "testdata/greet.session", addr)
	require.True(t, r.OK())

	var sent, received []string
	var last time.Duration
	for _, e := range r.Events("a") {
		assert.GreaterOrEqual(t, e.At, last, "timestamps go forward")
		last = e.At
		switch e.Kind {
		case Sent:
			sent = append(sent, string(e.Data))
		case Received:
			received = append(received, string(e.Data))
		}
	}
	assert.Equal(t, []string{"Mich", "ael\n"}, sent)
	assert.Equal(t, []string{"Welcome! What is your name?\n", "Hello, Michael!\n", "Bye, Michael. \n"}, received)
	kinds := func(conn string) (ks []EventKind) {
		for _, e := range r.Events(conn) {
			ks = append(ks, e.Kind)
		}
		return ks
	}
	assert.Equal(t, []EventKind{Opened, Received, Sent, Sent, Received, WriteClosed, Received, PeerClosed}, kinds("a"))
	assert.Equal(t, []EventKind{Opened, Received, Sent, Received, Sent, Received, Closed}, kinds("b"))
}

func TestPlayPauseSplitsWrites(t *testing.T) {
	addr := nettest.Handle(t, writeThenStall(""))
	s := mustParse(t, "dial a\na -> Mich\npause 30ms\na -> ael\\n")
	r := Play(t.Context(), s, addr)
	require.True(t, r.OK(), r.Report())
	sends := r.Events("a")[1:]
	require.Len(t, sends, 2)
	assert.GreaterOrEqual(t, sends[1].At-sends[0].At, 30*time.Millisecond)
	assert.Equal(t, `+0s a -> "Mich"`, Event{Conn: "a", Kind: Sent, Data: []byte("Mich")}.String())
}

func TestPlayExactExpectIgnoresHowBytesAreSplit(t *testing.T) {
	// One write answers two expects, and one expect is answered by three
	// writes: an exact expect counts bytes, not reads.
	addr := nettest.Handle(t, func(c net.Conn) {
		io.WriteString(c, "one\ntwo\n")
		for _, piece := range []string{"th", "re", "e\n"} {
			io.WriteString(c, piece)
			time.Sleep(5 * time.Millisecond)
		}
	})
	s := mustParse(t, "dial a\na <- one\\n\na <- two\\n\na <- three\\n\na eof")
	r := Play(t.Context(), s, addr)
	assert.True(t, r.OK(), r.Report())
}

func TestPlayStallingServerEndsAtTheDeadline(t *testing.T) {
	tests := []struct {
		name, script string
		got          string
	}{
		{"silent", "dial a\na <- Hello\\n", ""},
		{"partial", "dial a\na <- Hello\\n", "Hel"},
		{"pattern", "dial a\na <~ Hel+o\\n", "Hel"},
		{"eof", "dial a\na eof", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr := nettest.Handle(t, writeThenStall(tt.got))
			const timeout = 150 * time.Millisecond
			start := time.Now()
			r := Play(t.Context(), mustParse(t, tt.script), addr, Timeout(timeout))
			elapsed := time.Since(start)
			require.NotNil(t, r.Mismatch)
			assert.True(t, isTimeout(r.Mismatch.Err), "%v", r.Mismatch.Err)
			assert.Equal(t, tt.got, string(r.Mismatch.Got))
			// A deadline is never early (a loaded machine can only make it
			// late, so there is no upper bound here); the step waited with
			// the option's timeout, not DefaultTimeout.
			assert.GreaterOrEqual(t, elapsed, timeout)
			assert.Equal(t, timeout, r.Mismatch.Timeout, "the Timeout option bounds the wait")
		})
	}
}

func TestPlayContextStopsTheSession(t *testing.T) {
	addr := nettest.Handle(t, writeThenStall(""))
	s := mustParse(t, "dial a\na <- never\n")
	tests := []struct {
		name   string
		cancel func(context.CancelFunc)
	}{
		{"before the step", func(cancel context.CancelFunc) { cancel() }},
		{"during the read", func(cancel context.CancelFunc) { time.AfterFunc(20*time.Millisecond, cancel) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			// The step may wait a minute: a Play that stops only at its
			// timeout takes that long, one that stops when the context is
			// cancelled returns at once, far inside the bound below.
			const timeout, bound = time.Minute, 30 * time.Second
			start := time.Now()
			r := Play(ctx, s, addr, Timeout(timeout), Observe(func(e Event) {
				if e.Kind == Opened {
					tt.cancel(cancel)
				}
			}))
			elapsed := time.Since(start)
			assert.Less(t, elapsed, bound, "Play should stop when its context is cancelled, not at the step's timeout (%v): it took %v", timeout, elapsed)
			require.NotNil(t, r.Mismatch)
			assert.ErrorIs(t, r.Mismatch.Err, context.Canceled)
			assert.Equal(t, "test.session:2: the session was stopped: context canceled", r.Mismatch.Error())
		})
	}
}

func TestPlayClosesEveryConnection(t *testing.T) {
	// The server counts connections that reach end of file; a session that
	// leaves a, b and c open must still close them when it returns.
	var wg sync.WaitGroup
	wg.Add(3)
	addr := nettest.Handle(t, func(c net.Conn) {
		io.Copy(io.Discard, c)
		wg.Done()
	})
	s := mustParse(t, "dial a\ndial b\ndial c\na -> x\nb <- nothing")
	r := Play(t.Context(), s, addr, Timeout(50*time.Millisecond))
	require.False(t, r.OK())
	waited := make(chan struct{})
	go func() { wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(DefaultTimeout):
		t.Fatal("the server did not see every connection closed")
	}
}

func TestPlayDialFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	r := Play(t.Context(), mustParse(t, "dial a\na -> x"), addr)
	require.NotNil(t, r.Mismatch)
	assert.Equal(t, 0, r.Mismatch.Index)
	assert.Contains(t, r.Mismatch.Error(), "test.session:1: could not open connection a:")
	assert.Contains(t, r.Mismatch.Error(), "connection refused")
}

func TestPlayUDP(t *testing.T) {
	addr := nettest.Answer(t, func(b []byte) []byte {
		switch s := string(b); {
		case strings.HasPrefix(s, "PING "):
			return []byte("PONG " + s[5:])
		case s == "TIME":
			return []byte("TIME 12:34:56")
		case s == "BIG":
			return []byte("PONG 1 and more")
		}
		return nil
	})
	r := Test(t, "testdata/ping.session", addr)
	assert.True(t, r.OK())

	tests := []struct {
		name, script, headline string
		got                    string
	}{
		{"datagram too long", "udp u\nu -> BIG\nu <- PONG 1", "test.session:3: connection u received a different datagram", "PONG 1 and more"},
		{"pattern", "udp u\nu -> PING 2\nu <~ PONG 1", "test.session:3: the datagram received on connection u does not match the pattern", "PONG 2"},
		{"no answer", "udp u\nu -> HUH\nu <- PONG 1", "test.session:3: connection u received nothing within 100ms", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Play(t.Context(), mustParse(t, tt.script), addr, Timeout(100*time.Millisecond))
			require.NotNil(t, r.Mismatch)
			assert.True(t, r.Mismatch.UDP)
			assert.Equal(t, tt.headline, r.Mismatch.Error())
			assert.Equal(t, tt.got, string(r.Mismatch.Got))
		})
	}
}

func TestPlayUDPNobodyListening(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := pc.LocalAddr().String()
	pc.Close()
	r := Play(t.Context(), mustParse(t, "udp u\nu -> PING 1\nu <- PONG 1"), addr, Timeout(time.Second))
	require.NotNil(t, r.Mismatch)
	assert.Equal(t, `test.session:3: connection u received nothing: nothing is listening there (the kernel answered "port unreachable")`, r.Mismatch.Error())
}

func TestPlayEOFWhenBytesArrive(t *testing.T) {
	addr := nettest.Handle(t, writeThenStall("extra\n"))
	r := Play(t.Context(), mustParse(t, "dial a\na eof"), addr)
	require.NotNil(t, r.Mismatch)
	assert.Equal(t, "extra\n", string(r.Mismatch.Got))
	assert.NoError(t, r.Mismatch.Err)
}

func TestPlayEOFAfterReset(t *testing.T) {
	addr := nettest.Handle(t, func(c net.Conn) {
		c.Read(make([]byte, 1)) // until the client is surely connected
		c.(*net.TCPConn).SetLinger(0)
	})
	r := Play(t.Context(), mustParse(t, "dial a\na -> x\na eof"), addr)
	require.NotNil(t, r.Mismatch)
	assert.Equal(t, "test.session:3: connection a expected the server to close the connection cleanly, but it reset it (RST)", r.Mismatch.Error())
}

func TestPlayHalfClose(t *testing.T) {
	// The server answers only once it has read everything: the session's
	// closewrite is what lets it know.
	addr := nettest.Handle(t, func(c net.Conn) {
		all, _ := io.ReadAll(c)
		io.WriteString(c, strings.ToUpper(string(all)))
	})
	r := Play(t.Context(), mustParse(t, "dial a\na -> shout\na closewrite\na <- SHOUT\na eof"), addr)
	assert.True(t, r.OK(), r.Report())
}
