package nettest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB that records failures instead of failing, so the
// helpers' own failure messages can be tested.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	failures []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// run calls f with a recorder in its own goroutine (so Fatalf can stop it),
// runs the recorder's cleanups and returns the failures.
func run(t *testing.T, f func(tb testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	return r.failures
}

func echoLines(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			io.Copy(c, c)
		}()
	}
}

func TestListenIsLoopbackAndClosedAtCleanup(t *testing.T) {
	var addr string
	failures := run(t, func(tb testing.TB) {
		ln := Listen(tb)
		addr = ln.Addr().String()
		assert.True(t, ln.Addr().(*net.TCPAddr).IP.IsLoopback())
	})
	require.Empty(t, failures)
	_, err := net.DialTimeout("tcp", addr, Step)
	assert.Error(t, err, "the listener is closed when the test ends")

	pc := ListenPacket(t)
	assert.True(t, pc.LocalAddr().(*net.UDPAddr).IP.IsLoopback())
}

func TestServerRoundTrip(t *testing.T) {
	srv := Start(t, echoLines)
	c := srv.Dial(t)
	c.Send(t, "hello\n")
	assert.Equal(t, "hello\n", c.Line(t, "the echo"))
	c.Close()
	assert.False(t, srv.Done())
	assert.NoError(t, srv.Stop(t))
	assert.True(t, srv.Done())
}

func TestEarlyReturnFailsAtOnce(t *testing.T) {
	early := func(net.Listener) error { return errors.New("TODO: implement Serve") }
	failures := run(t, func(tb testing.TB) {
		srv := Start(tb, early)
		c := srv.Dial(tb)
		c.Line(tb, "the welcome")
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "waiting for the welcome: Serve returned while its listener was still open")
	assert.Contains(t, failures[0], "TODO: implement Serve")

	// An early return ends the read, not its deadline: with the deadline an
	// hour away, the read still returns at once (the bound is generous).
	c := Start(t, early).Dial(t)
	var err error
	Within(t, 30*time.Second, "a read from a client whose Serve had returned, with a deadline an hour away,", func() {
		_, err = c.TryLine(time.Hour)
	})
	assert.Error(t, err)
}

func TestEarlyReturnKeepsWhatArrived(t *testing.T) {
	srv := Start(t, func(ln net.Listener) error {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		c.Write([]byte("bye\n"))
		c.Close()
		return nil // returns with the listener still open
	})
	c := srv.Dial(t)
	assert.Equal(t, "bye\n", c.Line(t, "the goodbye"), "bytes already sent are read before the early return counts")
	c.EOF(t, "after the goodbye")
}

func TestServeThatNeverReturnsFailsCleanup(t *testing.T) {
	// It waits out a deadline on purpose; let the other tests run meanwhile.
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	failures := run(t, func(tb testing.TB) {
		Start(tb, func(net.Listener) error { <-block; return nil })
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "Serve did not return")
}

// Stop that fails because Serve never returns says so once: the cleanup,
// which waits for the same Serve, says nothing more.
func TestStopOfAServeThatNeverReturnsSaysItOnce(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	failures := run(t, func(tb testing.TB) {
		Start(tb, func(net.Listener) error { <-block; return nil }).Stop(tb)
	})
	require.Len(t, failures, 1, "one failure, not the Stop's and the cleanup's: %q", failures)
	assert.Contains(t, failures[0], "Serve did not return")
}

func TestLineTimeoutMessages(t *testing.T) {
	srv := Start(t, func(ln net.Listener) error {
		for {
			c, err := ln.Accept()
			if err != nil {
				return nil
			}
			go func() {
				c.Write([]byte("no newline"))
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	})
	c := srv.Dial(t)
	line, err := c.TryLine(50 * time.Millisecond)
	require.Error(t, err)
	assert.True(t, IsTimeout(err))
	assert.Contains(t, Explain(err, line), `did you forget the "\n"`)
	assert.Contains(t, Explain(io.EOF, ""), "closed")
	assert.Contains(t, Explain(os.ErrDeadlineExceeded, ""), "nothing arrived")
}

func TestEOF(t *testing.T) {
	srv := Start(t, func(ln net.Listener) error {
		for {
			c, err := ln.Accept()
			if err != nil {
				return nil
			}
			c.Write([]byte("x\n"))
			c.Close()
		}
	})
	c := srv.Dial(t)
	c.Line(t, "x")
	c.EOF(t, "after x")

	failures := run(t, func(tb testing.TB) {
		c := srv.Dial(tb)
		c.EOF(tb, "right away")
	})
	require.Len(t, failures, 1)
	assert.True(t, strings.Contains(failures[0], `"x\n" arrived first`), failures[0])

	// A peer that sends a line and stays open: the line is the news, not
	// the silence after it.
	open := Start(t, func(ln net.Listener) error {
		for {
			c, err := ln.Accept()
			if err != nil {
				return nil
			}
			defer c.Close()
			c.Write([]byte("still here\n"))
		}
	})
	failures = run(t, func(tb testing.TB) {
		c := open.Dial(tb)
		c.EOF(tb, "after goodbye")
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], `after goodbye: expected the connection to close, but "still here\n" arrived first`)
}

func TestAcceptAndWithin(t *testing.T) {
	ln := Listen(t)
	conn := Dial(t, ln.Addr().String())
	got := Accept(t, ln, "the client")
	assert.Equal(t, conn.LocalAddr().String(), got.RemoteAddr().String())

	failures := run(t, func(tb testing.TB) {
		Within(tb, 10*time.Millisecond, "a stuck call", func() { time.Sleep(time.Second) })
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "a stuck call did not return within 10ms")
}
