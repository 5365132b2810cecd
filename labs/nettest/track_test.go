package nettest

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lineServer answers each line with "ok\n" and closes the connection when
// the client leaves, unless leak is set: then it returns without closing.
func lineServer(leak bool) func(net.Listener) error {
	return func(ln net.Listener) error {
		for {
			c, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			if err != nil {
				return err
			}
			go func() {
				if !leak {
					defer c.Close()
				}
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					c.Write([]byte("ok\n"))
				}
			}()
		}
	}
}

func TestTrackerSeesEachClose(t *testing.T) {
	tr := NewTracker()
	srv := Start(t, tr.Serve(lineServer(false)))
	a, b := srv.Dial(t), srv.Dial(t)
	a.Send(t, "hi\n")
	assert.Equal(t, "ok\n", a.Line(t, "a's answer"))
	b.Send(t, "hi\n")
	assert.Equal(t, "ok\n", b.Line(t, "b's answer"))
	assert.Equal(t, 2, tr.Accepted())
	assert.Equal(t, 2, tr.Open())

	a.Close()
	tr.WaitClosed(t, a, "after a left")
	assert.Equal(t, 1, tr.Open(), "b is still talking")
	b.Close()
	tr.WaitAllClosed(t, "after both left")
	assert.Equal(t, 0, tr.Open())
}

func TestTrackerCatchesALeak(t *testing.T) {
	// It waits out a deadline on purpose; let the other tests run meanwhile.
	t.Parallel()
	tr := NewTracker()
	var from string
	failures := run(t, func(tb testing.TB) {
		srv := Start(tb, tr.Serve(lineServer(true)))
		c := srv.Dial(tb)
		from = c.LocalAddr().String()
		c.Send(tb, "hi\n")
		c.Line(tb, "the answer")
		c.Close()
		tr.WaitClosed(tb, c, "after the client left")
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "after the client left: the server did not close its end of the connection from "+from)
	assert.Contains(t, failures[0], "defer conn.Close()")

	failures = run(t, func(tb testing.TB) { tr.WaitAllClosed(tb, "at the end") })
	require.Len(t, failures, 1)
	assert.True(t, strings.HasPrefix(failures[0], "at the end: the server still had 1 of the 1 connections it accepted open"), failures[0])
	assert.Contains(t, failures[0], from)
}

func TestTrackerNeverAccepted(t *testing.T) {
	// It waits out a deadline on purpose; let the other tests run meanwhile.
	t.Parallel()
	tr := NewTracker()
	ln := Listen(t)
	_ = tr.Listener(ln) // nobody calls Accept
	failures := run(t, func(tb testing.TB) {
		c := Dial(tb, ln.Addr().String())
		tr.WaitClosed(tb, c, "waiting")
	})
	require.Len(t, failures, 1)
	assert.Contains(t, failures[0], "waiting: the server never accepted the connection from")
}
