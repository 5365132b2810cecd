package proxy

import (
	"context"
	"io"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/linewatch"
	"github.com/netbook/netbook/labs/netsim"
)

const step = 5 * time.Second

// started is a proxy running in the background, its output read a line at
// a time.
type started struct {
	out  *linewatch.Lines
	done chan error
	stop context.CancelFunc
}

func start(t *testing.T, o Options) *started {
	t.Helper()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{out: linewatch.Watch(outR), done: make(chan error, 1), stop: cancel}
	o.Out = outW
	go func() {
		err := Run(ctx, o)
		outW.Close()
		s.done <- err
	}()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	return s
}

func (s *started) expect(t *testing.T, pattern string) []string {
	t.Helper()
	return s.out.Expect(t, step, pattern)
}

func TestTCPFragments(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	reads := make(chan []string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			reads <- nil
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(step))
		var got []string
		buf := make([]byte, 64)
		for total := 0; total < len("hello\n"); {
			n, err := c.Read(buf)
			if err != nil {
				break
			}
			got = append(got, string(buf[:n]))
			total += n
		}
		reads <- got
	}()

	p := start(t, Options{To: ln.Addr().String(), Sim: netsim.Flags{Fragment: 1}})
	addr := p.expect(t, `^proxy tcp (127\.0\.0\.1:\d+) -> `+regexp.QuoteMeta(ln.Addr().String())+`$`)[1]
	c, err := net.DialTimeout("tcp", addr, step)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("hello\n"))
	require.NoError(t, err)
	select {
	case got := <-reads:
		assert.Equal(t, []string{"h", "e", "l", "l", "o", "\n"}, got, "the server reads one byte at a time")
	case <-time.After(step):
		t.Fatal("the server got nothing")
	}
	p.stop()
	p.expect(t, `^tcp 127\.0\.0\.1:\d+ -> .*: 1 connection .*to server: 6 bytes in \d+ reads?, 6 writes`)
	require.NoError(t, <-p.done)
	p.done <- nil
}

func TestUDPDropsAndCounts(t *testing.T) {
	server, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { server.Close() })

	p := start(t, Options{To: server.LocalAddr().String(), Verbose: true, Sim: netsim.Flags{Drop: 1, Seed: 1}})
	addr := p.expect(t, `^proxy udp (127\.0\.0\.1:\d+) -> `)[1] // --drop alone makes it a UDP proxy
	c, err := net.Dial("udp", addr)
	require.NoError(t, err)
	defer c.Close()
	for range 3 {
		_, err := c.Write([]byte("ping"))
		require.NoError(t, err)
		p.expect(t, `to server: dropped 4 bytes$`)
	}
	p.stop()
	p.expect(t, `^udp .*: 1 client; to server: 3 in, 0 out, 3 dropped, 0 duplicated`)
}

func TestBadOptions(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		says string
	}{
		{Options{}, "--to is missing"},
		{Options{To: "192.168.1.1:80"}, "refusing to forward to 192.168.1.1:80"},
		{Options{To: "127.0.0.1:80", Listen: "0.0.0.0:0"}, "refusing to listen on 0.0.0.0:0"},
		{Options{To: "127.0.0.1:80", Network: "udp", Sim: netsim.Flags{Fragment: 3}}, "--fragment and --coalesce reshape a TCP byte stream"},
		{Options{To: "127.0.0.1:80", Network: "tcp", Sim: netsim.Flags{Drop: 0.5}}, "apply to UDP"},
		{Options{To: "127.0.0.1:80", Network: "sctp"}, "say tcp or udp"},
		{Options{To: "127.0.0.1:99999"}, `cannot forward to 127.0.0.1:99999: "99999" is not a server's port`},
		{Options{To: "127.0.0.1:0", Network: "udp"}, `"0" is not a server's port`},
		{Options{To: "localhost:http"}, `"http" is not a server's port`},
	} {
		err := Run(t.Context(), Options{To: tc.o.To, Listen: tc.o.Listen, Network: tc.o.Network, Sim: tc.o.Sim, Out: io.Discard})
		if assert.Error(t, err, tc.says) {
			assert.Contains(t, err.Error(), tc.says)
		}
	}
}

// TestTCPSaysWhyAClientWasReset: without --verbose, a client the proxy
// resets because nothing listens at --to is still explained, on Warn.
func TestTCPSaysWhyAClientWasReset(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	to := ln.Addr().String()
	require.NoError(t, ln.Close()) // a port where nothing listens now

	warnR, warnW := io.Pipe()
	t.Cleanup(func() { warnW.Close() })
	warn := linewatch.Watch(warnR)
	p := start(t, Options{To: to, Warn: warnW})
	addr := p.expect(t, `^proxy tcp (127\.0\.0\.1:\d+) -> `)[1]
	// The reset may come before the dial has seen its connection made
	// (Go reads the connect's outcome once the socket is writable), and
	// the dial fails with it; otherwise the first read does.
	c, err := net.DialTimeout("tcp", addr, step)
	if err == nil {
		defer c.Close()
		c.SetDeadline(time.Now().Add(step))
		_, err = c.Read(make([]byte, 1))
	}
	require.Error(t, err, "the client is reset")
	warn.Expect(t, step, `to server: failed: dial tcp `+regexp.QuoteMeta(to)+`: .*connection refused$`)
}
