package rstream

import (
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Give up on a peer that has vanished, after a bounded time, with an error, and leave nothing running.
func TestTask8PeerVanishes(t *testing.T) {
	cfg := Config{InitialRTO: time.Second, MaxRTO: 8 * time.Second, MaxRetries: 4, TimeWait: 5 * time.Second}
	bound := giveUpBound(cfg)

	t.Run("nobody answers the SYN", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			a := &tap{Link: p.A}
			start := time.Now()
			var err error
			nettest.Withinf(t, 2*bound, func() { _, err = Dial(a, cfg) },
				"Dial to a peer that never answers did not return within %v (fake time): after the SYN has been sent MaxRetries+1 times "+
					"(%d), with the timeout doubling each time (1s, 2s, 4s, 8s, 8s), Dial should give up: about %v", 2*bound, cfg.MaxRetries+1, bound)
			took := time.Since(start)
			require.ErrorIs(t, err, ErrPeerGone, "Dial to a peer that never answers should fail with an error that wraps ErrPeerGone")
			assert.Equal(t, cfg.MaxRetries+1, a.count(SYN),
				"Dial sent %d SYNs to a peer that never answers: the first, then MaxRetries (%d) more, one per timeout.\nIt sent:\n%s",
				a.count(SYN), cfg.MaxRetries, describe(a.segments()))
			assert.Equal(t, bound, took, "Dial gave up after %v (fake time): the SYN's timeouts, doubling from InitialRTO (1s) up to MaxRTO (8s), add up to %v", took, bound)
		})
	})

	t.Run("the peer vanishes during a transfer", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{Delay: 5 * time.Millisecond})
			t.Cleanup(p.Close)
			a, b := openPair(t, p, cfg)

			// a writes far more than fits in flight; b reads a little, then
			// the wire is cut.
			written := make(chan error, 1)
			go func() {
				_, err := a.Write(testData(1 << 20))
				written <- err
			}()
			buf := make([]byte, 10_000)
			_, err := io.ReadFull(strict{b}, buf)
			require.NoError(t, err, "b reading the first 10000 bytes a writes")
			start := time.Now()
			p.Cut()
			var writeErr error
			nettest.Withinf(t, 2*bound, func() { writeErr = <-written },
				"a's Write did not return within %v (fake time) after the peer vanished with data in flight: once a segment has been sent "+
					"MaxRetries+1 times without an acknowledgement, the connection fails, and a Write waiting for room must return", 2*bound)
			assert.ErrorIs(t, writeErr, ErrPeerGone, "a's Write, waiting for room when the peer vanished, should return an error that wraps ErrPeerGone")
			assert.LessOrEqual(t, time.Since(start), bound+time.Second,
				"a gave up after %v (fake time): with the RTO at most InitialRTO before it doubles, it should take at most %v", time.Since(start), bound)
			_, err = a.Read(buf)
			assert.ErrorIs(t, err, ErrPeerGone, "a's Read, after the connection failed, should return the connection's error, which wraps ErrPeerGone")
			_, err = a.Write([]byte("more"))
			assert.ErrorIs(t, err, ErrPeerGone, "a's Write after the connection failed should return its error at once")
			var closeErr error
			nettest.Withinf(t, time.Second, func() { closeErr = a.Close() }, "a's Close, after the connection had failed, should return at once")
			assert.ErrorIs(t, closeErr, ErrPeerGone, "a's Close after the connection failed should return its error, which wraps ErrPeerGone")

			// b is left reading: nothing comes, and nothing tells it (as with
			// TCP without keep-alive). Its Close sends a FIN nobody answers.
			read := make(chan error, 1)
			go func() {
				for {
					if _, err := (strict{b}).Read(buf); err != nil {
						read <- err
						return
					}
				}
			}()
			start = time.Now()
			nettest.Withinf(t, 2*bound, func() { closeErr = b.Close() },
				"b's Close did not return within %v (fake time): its FIN goes unanswered, so it should give up as any segment does", 2*bound)
			assert.ErrorIs(t, closeErr, ErrPeerGone, "b's Close, whose FIN was never acknowledged, should return an error that wraps ErrPeerGone")
			assert.LessOrEqual(t, time.Since(start), bound+time.Second, "b's Close gave up after %v (fake time), want at most %v", time.Since(start), bound)
			var readErr error
			nettest.Withinf(t, time.Second, func() { readErr = <-read }, "a Read waiting on b did not return when b was closed")
			assert.True(t, errors.Is(readErr, net.ErrClosed) || errors.Is(readErr, ErrPeerGone),
				"b's Read, waiting when b was closed, returned %v: want an error that wraps net.ErrClosed (or ErrPeerGone)", readErr)
		})
	})

	t.Run("the peer acknowledges the FIN and vanishes", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			h := newHandPeer(t, p.B)
			cfg := cfg
			cfg.ISN = fixedISN(10)
			dialed := goDial(p.A, cfg)
			h.expect("a SYN")
			h.send(Segment{Seq: 500, Ack: 11, Window: 1000, Flags: SYN | ACK})
			h.expect("the ACK of the SYN|ACK")
			r := returned(t, dialed, "Dial", h.soFar())
			require.NoError(t, r.err)
			closed := make(chan error, 1)
			start := time.Now()
			go func() { closed <- r.c.Close() }()
			h.expectSegment(Segment{Seq: 11, Ack: 501, Flags: FIN | ACK}, "Close sends a FIN")
			h.send(Segment{Seq: 501, Ack: 12, Window: 1000, Flags: ACK})
			h.sleep(cfg.TimeWait)
			err := returned(t, closed, fmt.Sprintf("Close, with its FIN acknowledged and no FIN from the peer for TimeWait (%v),", cfg.TimeWait), h.soFar())
			assert.NoError(t, err, "Close: the peer acknowledged every byte and the FIN, so nothing was lost, even though it never sent its own FIN")
			assert.Equal(t, cfg.TimeWait, time.Since(start), "Close should wait for the peer's FIN for TimeWait, no longer")
		})
	})

	t.Run("a Dial that gives up leaves nothing running", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			link := newHoldLink(p.A)
			t.Cleanup(link.let) // before the bubble's check for goroutines left running
			dialed := goDial(link, cfg)
			time.Sleep(2 * bound)
			failedWaitsForItsGoroutine(t, link, dialed, "Dial", "nobody answered its SYN", 2*bound,
				"whoever dialed counts on nothing being left when Dial returns an error")
		})
	})

	t.Run("an Accept that gives up leaves nothing running", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			link := newHoldLink(p.B)
			t.Cleanup(link.let)
			h := newHandPeer(t, p.A)
			cfg := cfg
			cfg.ISN = fixedISN(900)
			accepted := goAccept(link, cfg)
			h.send(Segment{Seq: 100, Flags: SYN})
			h.expectSegment(Segment{Seq: 900, Ack: 101, Flags: SYN | ACK}, "Accept answers the SYN with a SYN|ACK")
			time.Sleep(2 * bound)
			failedWaitsForItsGoroutine(t, link, accepted, "Accept", "nobody acknowledged its SYN|ACK", 2*bound,
				"the Listener, which runs Accept for each new peer, counts on that when its Close returns")
		})
	})

	t.Run("Accept until the link is closed", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			accepted := goAccept(p.B, cfg)
			time.Sleep(time.Hour)
			notReturned(t, accepted, "Accept, with nobody dialing for an hour,", "")
			p.B.Close()
			r := returned(t, accepted, "Accept, once its link was closed,", "")
			assert.ErrorIs(t, r.err, net.ErrClosed, "Accept on a link that was closed should return an error that wraps net.ErrClosed")
		})
	})
}

// openPair opens a connection over p, a dialing, b accepting.
func openPair(t *testing.T, p *Pipe, cfg Config) (a, b *Conn) {
	t.Helper()
	accepted := goAccept(p.B, cfg)
	var err error
	nettest.Withinf(t, time.Minute, func() { a, err = Dial(p.A, cfg) }, "Dial over a pipe did not return within a minute (fake time)")
	require.NoError(t, err, "Dial over a pipe")
	closeAtEnd(t, a)
	r := <-accepted
	require.NoError(t, r.err, "Accept over a pipe")
	closeAtEnd(t, r.c)
	return a, r.c
}

// failedWaitsForItsGoroutine checks that a Dial or Accept (what), which has
// given up because why, returns only once the goroutine receiving from its
// link has returned. The link holds that goroutine's Recv once the link is
// closed, as a busy machine may, until the test lets it go. ch gets the
// call's result; waited says how long the test let it run, and who says
// who counts on a failed call leaving nothing behind.
func failedWaitsForItsGoroutine(t *testing.T, link *holdLink, ch chan result, what, why string, waited time.Duration, who string) {
	t.Helper()
	synctest.Wait()
	select {
	case r := <-ch:
		closeAtEnd(t, r.c)
		require.Error(t, r.err, "%s returned a connection, though %s", what, why)
		require.ErrorIs(t, r.err, ErrPeerGone, "%s, once %s, should fail with an error that wraps ErrPeerGone", what, why)
		require.True(t, link.isHeld(), "%s failed without closing its link: the goroutine receiving from it still waits in Recv, "+
			"and nothing will ever end it. When %s fails, close the link, then wait for that goroutine to return. It returned: %v",
			what, what, r.err)
		t.Fatalf("%s gave up (%s) and returned while the goroutine receiving from its link was still running: the test held "+
			"that goroutine's Recv, which the closed link had woken, as a busy machine may. A failed %s must leave nothing running, "+
			"as Close does: nobody has a connection to close later, and %s. Once the link is closed, wait for the receiving goroutine "+
			"to return (the channel it closes as it returns), without holding the mutex it may need, then return the error.\n"+
			"%s returned: %v", what, why, what, who, what, r.err)
	default:
	}
	require.True(t, link.isHeld(), "%s has neither returned nor closed its link after %v (fake time), though %s: it should give up, "+
		"close the link, wait for the goroutine receiving from it, and return an error that wraps ErrPeerGone", what, waited, why)
	link.let()
	r := returned(t, ch, what+", once its receiving goroutine could return,", "")
	closeAtEnd(t, r.c)
	require.ErrorIs(t, r.err, ErrPeerGone, "%s, once %s, should fail with an error that wraps ErrPeerGone", what, why)
}
