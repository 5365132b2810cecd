package netsim

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dialTCP connects to addr with a deadline on everything it does.
func dialTCP(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c := nettest.Dial(t, addr).(*net.TCPConn)
	c.SetDeadline(time.Now().Add(step))
	return c
}

// upperUntilEOF reads everything, then answers it in capitals and closes:
// it needs the client's half-close to answer at all.
func upperUntilEOF(c *net.TCPConn) {
	all, err := io.ReadAll(c)
	if err != nil {
		return
	}
	c.Write(bytes.ToUpper(all))
}

func TestTCPKeepsTCPsPromises(t *testing.T) {
	// Whatever the options, every byte arrives once, in order, and a
	// half-close goes through.
	payload := make([]byte, 20_000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range payload {
		payload[i] = 'a' + byte(rng.IntN(26))
	}
	tests := []struct {
		name string
		o    TCPOptions
	}{
		{"plain", TCPOptions{}},
		{"fragment", TCPOptions{Fragment: 1000, FragmentGap: time.Millisecond}},
		{"coalesce", TCPOptions{Coalesce: true, CoalesceGap: time.Millisecond}},
		{"delay", TCPOptions{Delay: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}},
		{"all", TCPOptions{Fragment: 3000, Coalesce: true, CoalesceSize: 5000, Delay: time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := startTCP(t, serveTCP(t, upperUntilEOF), tt.o)
			c := dialTCP(t, p.Addr())
			_, err := c.Write(payload)
			require.NoError(t, err)
			require.NoError(t, c.CloseWrite())
			got, err := io.ReadAll(c)
			require.NoError(t, err)
			require.Equal(t, string(bytes.ToUpper(payload)), string(got))
			st := p.Stats()
			assert.Equal(t, uint64(len(payload)), st.ToServer.Bytes)
			assert.Equal(t, uint64(len(payload)), st.ToClient.Bytes)
			assert.Equal(t, 1, st.Conns)
		})
	}
}

func TestTCPFragmentSplitsReads(t *testing.T) {
	const msg = "Hello, Michael!\n"
	for _, n := range []int{1, 4, 5} {
		t.Run(strings.Repeat("x", n), func(t *testing.T) {
			// Not parallel: the test is about timing, so it keeps the CPU to itself.
			target := serveTCP(t, func(c *net.TCPConn) {
				c.Write([]byte(msg)) // one write
				io.Copy(io.Discard, c)
			})
			// The first Read returns the whole message only if the reader
			// wakes up after the last piece: with pieces 30ms apart, that
			// is 90ms late at least (n=4 or 5), not the 15ms of the default
			// gap, which a busy machine can be.
			p := startTCP(t, target, TCPOptions{Fragment: n, FragmentGap: 30 * time.Millisecond})
			c := dialTCP(t, p.Addr())

			// A reader that takes one Read for one message gets a piece.
			buf := make([]byte, 1024)
			k, err := c.Read(buf)
			require.NoError(t, err)
			assert.Less(t, k, len(msg), "one Read returned the whole message: fragmenting failed")
			assert.Equal(t, msg[:k], string(buf[:k]))

			rest := make([]byte, len(msg)-k)
			_, err = io.ReadFull(c, rest)
			require.NoError(t, err)
			assert.Equal(t, msg, string(buf[:k])+string(rest))
			writes := uint64((len(msg) + n - 1) / n)
			require.Eventually(t, func() bool { return p.Stats().ToClient.Writes == writes }, step, time.Millisecond,
				"%d writes of at most %d bytes: %v", writes, n, p.Stats())
		})
	}
}

func TestTCPCoalesceMerges(t *testing.T) {
	pieces := []string{"one\n", "two\n", "three\n"}
	total := len(strings.Join(pieces, ""))
	tests := []struct {
		name string
		o    TCPOptions
		wait time.Duration // between the sender's writes
	}{
		// Deterministic: nothing goes out before all of it is held.
		{"by size", TCPOptions{Coalesce: true, CoalesceSize: total, CoalesceGap: time.Hour}, 5 * time.Millisecond},
		// Writes a moment apart are joined when the sender falls quiet. The
		// gap is long enough that a busy machine cannot pause the sender
		// between two writes for that long.
		{"by gap", TCPOptions{Coalesce: true, CoalesceGap: 500 * time.Millisecond}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := make(chan string, 1)
			target := serveTCP(t, func(c *net.TCPConn) {
				buf := make([]byte, 1024)
				n, _ := c.Read(buf) // one Read
				got <- string(buf[:n])
			})
			p := startTCP(t, target, tt.o)
			c := dialTCP(t, p.Addr())
			for _, piece := range pieces {
				_, err := c.Write([]byte(piece))
				require.NoError(t, err)
				time.Sleep(tt.wait) // the point of the test: separate writes
			}
			select {
			case s := <-got:
				assert.Equal(t, "one\ntwo\nthree\n", s, "one Read should return all three writes")
			case <-time.After(step):
				t.Fatal("the server read nothing")
			}
			require.Eventually(t, func() bool { return p.Stats().ToServer.Writes == 1 }, step, time.Millisecond)
		})
	}
}

func TestTCPDelay(t *testing.T) {
	const delay = 30 * time.Millisecond
	p := startTCP(t, serveTCP(t, upperUntilEOF), TCPOptions{Delay: delay})
	c := dialTCP(t, p.Addr())
	start := time.Now()
	c.Write([]byte("slow"))
	c.CloseWrite()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "SLOW", string(got))
	assert.GreaterOrEqual(t, time.Since(start), 2*delay, "both ways are delayed")
}

func TestTCPResetPropagates(t *testing.T) {
	t.Run("server resets", func(t *testing.T) {
		target := serveTCP(t, func(c *net.TCPConn) {
			c.Read(make([]byte, 1))
			c.SetLinger(0) // Close sends RST
		})
		c := dialTCP(t, startTCP(t, target, TCPOptions{}).Addr())
		c.Write([]byte("x"))
		_, err := c.Read(make([]byte, 1))
		assert.True(t, errors.Is(err, syscall.ECONNRESET), "the client should see the reset, got %v", err)
	})
	t.Run("client resets", func(t *testing.T) {
		seen := make(chan error, 1)
		target := serveTCP(t, func(c *net.TCPConn) {
			c.Write([]byte("x"))
			_, err := c.Read(make([]byte, 1))
			seen <- err
		})
		c := dialTCP(t, startTCP(t, target, TCPOptions{}).Addr())
		_, err := c.Read(make([]byte, 1))
		require.NoError(t, err)
		c.SetLinger(0)
		c.Close()
		select {
		case err := <-seen:
			assert.True(t, errors.Is(err, syscall.ECONNRESET), "the server should see the reset, got %v", err)
		case <-time.After(step):
			t.Fatal("the server never saw the client go")
		}
	})
}

func TestTCPCloseOnOneSideEndsTheOther(t *testing.T) {
	target := serveTCP(t, func(c *net.TCPConn) {
		c.Write([]byte("bye\n")) // then the handler returns and closes
	})
	c := dialTCP(t, startTCP(t, target, TCPOptions{}).Addr())
	got, err := io.ReadAll(c)
	require.NoError(t, err, "the client should see an orderly end of file")
	assert.Equal(t, "bye\n", string(got))
}

func TestTCPTargetDown(t *testing.T) {
	ln := nettest.Listen(t)
	target := ln.Addr().String()
	ln.Close()
	var events []Event
	p := startTCP(t, target, TCPOptions{Log: func(e Event) { events = append(events, e) }})
	// The reset can come before Dial returns or after.
	c, err := net.DialTimeout("tcp", p.Addr(), step)
	if err == nil {
		defer c.Close()
		c.SetDeadline(time.Now().Add(step))
		_, err = c.Read(make([]byte, 1))
	}
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "a refused target looks like a reset to the client, got %v", err)
	require.NoError(t, p.Close())
	require.Len(t, events, 2)
	assert.Equal(t, Failed, events[1].Kind)
	assert.ErrorIs(t, events[1].Err, syscall.ECONNREFUSED)
}

func TestTCPLog(t *testing.T) {
	var b strings.Builder
	p := startTCP(t, serveTCP(t, upperUntilEOF), TCPOptions{Fragment: 2, Log: LogTo(&b)})
	c := dialTCP(t, p.Addr())
	c.Write([]byte("abc"))
	c.CloseWrite()
	io.ReadAll(c)
	require.NoError(t, p.Close())
	// Each direction logs in order; the two directions interleave freely.
	byDir := map[string][]string{}
	for line := range strings.Lines(b.String()) {
		fields := strings.Fields(line) // +time #n address [to server:] what...
		dir := "conn"
		if fields[3] == "to" {
			dir, fields = fields[4], fields[5:]
		} else {
			fields = fields[3:]
		}
		byDir[dir] = append(byDir[dir], strings.Join(fields, " "))
	}
	assert.Equal(t, map[string][]string{
		"conn":    {"accepted", "closed"},
		"server:": {"received 3 bytes", "sent 2 bytes", "sent 1 byte", "half-closed"},
		"client:": {"received 3 bytes", "sent 2 bytes", "sent 1 byte", "half-closed"},
	}, byDir)
}

func TestTCPOptionsChecked(t *testing.T) {
	for _, o := range []TCPOptions{{Fragment: -1}, {Delay: -time.Second}, {CoalesceSize: -1}} {
		_, err := ListenTCP("127.0.0.1:9", o)
		assert.Error(t, err, "%+v", o)
	}
	_, err := ListenTCP("nowhere", TCPOptions{})
	assert.ErrorContains(t, err, `target "nowhere"`)
}

func TestTCPCloseEndsEveryGoroutine(t *testing.T) {
	target := serveTCP(t, func(c *net.TCPConn) { io.Copy(c, c) })
	p, err := ListenTCP(target, TCPOptions{Delay: time.Hour})
	require.NoError(t, err)
	var conns []*net.TCPConn
	for range 3 {
		c := dialTCP(t, p.Addr())
		c.Write([]byte("waiting an hour"))
		conns = append(conns, c)
	}
	require.Eventually(t, func() bool { return p.Stats().Open == 3 }, step, time.Millisecond)
	require.NoError(t, p.Close())
	assert.Empty(t, proxyGoroutines(), "Close returned before its goroutines ended")
	for _, c := range conns {
		_, err := c.Read(make([]byte, 1))
		assert.Error(t, err, "Close closes the clients' connections")
	}
	assert.Equal(t, 0, p.Stats().Open)
	assert.NoError(t, p.Close(), "closing twice does nothing")
}
