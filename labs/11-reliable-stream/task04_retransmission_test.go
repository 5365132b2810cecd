package rstream

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Send the oldest segment again when its acknowledgement is late, back off, measure the round trip, and give up in the end.
func TestTask4Retransmission(t *testing.T) {
	cfg := Config{MaxData: 100, InitialRTO: time.Second, MinRTO: 100 * time.Millisecond, MaxRTO: 8 * time.Second, MaxRetries: 5}

	t.Run("back-off and giving up", func(t *testing.T) {
		ts := newTestSender(t, 1, cfg)
		_, ok := ts.deadline()
		require.False(t, ok, "Deadline before anything was sent: no timer runs while nothing is in flight")
		ts.expectSent([]string{"SYN 1"}, "the SYN first")
		d, ok := ts.deadline()
		require.True(t, ok && d == time.Second,
			"Deadline after the SYN was sent at 0s = (%v, %v), want (1s, true): the timer starts when a segment is sent, InitialRTO ahead.\n%s", d, ok, ts.soFar())
		want := []time.Duration{3 * time.Second, 7 * time.Second, 15 * time.Second, 23 * time.Second, 31 * time.Second}
		for i, next := range want {
			ts.now = t0.Add(d)
			segs, err := ts.timeout()
			require.NoError(t, err, "Timeout number %d: the SYN has been sent %d times, and MaxRetries is %d: send it again.\n%s", i+1, i+1, cfg.MaxRetries, ts.soFar())
			require.Equal(t, "SYN 1", shapes(segs), "Timeout number %d should return the SYN, to send again.\n%s", i+1, ts.soFar())
			d, ok = ts.deadline()
			require.True(t, ok && d == next,
				"Deadline after timeout number %d at %s = (%v, %v), want (%v, true): each timeout doubles the RTO (1s, 2s, 4s, 8s), "+
					"but never beyond MaxRTO (8s), and the next deadline is one RTO from now.\n%s", i+1, ts.at(), d, ok, next, ts.soFar())
		}
		ts.now = t0.Add(d)
		_, err := ts.timeout()
		require.ErrorIs(t, err, ErrPeerGone,
			"Timeout number 6: the SYN was sent 6 times (once, then MaxRetries = 5 more) and never acknowledged: "+
				"the peer is gone; return an error that wraps ErrPeerGone.\n%s", ts.soFar())
	})

	t.Run("only the oldest", func(t *testing.T) {
		ts := newTestSender(t, 1, cfg)
		ts.segments()
		ts.advance(40 * time.Millisecond)
		ts.ack(2, 1000)
		est := NewRTT(cfg.WithDefaults())
		est.Sample(40 * time.Millisecond)
		assert.Equal(t, est.RTO(), ts.s.RTO(),
			"RTO() after the SYN, sent at 0s, was acknowledged at 40ms: a round trip of 40ms, so RTT.Sample(40ms) and the RTO becomes RTT.RTO(), %v.\n%s",
			est.RTO(), ts.soFar())
		_, ok := ts.deadline()
		assert.False(t, ok, "Deadline once everything sent is acknowledged: stop the timer.\n%s", ts.soFar())

		ts.write(300)
		ts.expectSent([]string{"2+100", "102+100", "202+100"}, "300 bytes, within the window of 1000")
		start := ts.now
		d, _ := ts.deadline()
		require.Equal(t, start.Add(est.RTO()).Sub(t0), d, "Deadline after sending at %s: one RTO (%v) later.\n%s", ts.at(), est.RTO(), ts.soFar())

		ts.advance(30 * time.Millisecond)
		ts.ack(102, 1000)
		est.Sample(30 * time.Millisecond)
		assert.Equal(t, est.RTO(), ts.s.RTO(), "RTO() after the first segment was acknowledged 30ms after it was sent: a second sample.\n%s", ts.soFar())
		d, _ = ts.deadline()
		assert.Equal(t, ts.now.Add(est.RTO()).Sub(t0), d,
			"Deadline after an acknowledgement of new data: the timer restarts, one RTO from now, for what is still in flight.\n%s", ts.soFar())

		ts.advance(5 * time.Millisecond)
		ts.write(100)
		ts.expectSent([]string{"302+100"}, "100 more bytes, within the window")
		later, _ := ts.deadline()
		assert.Equal(t, d, later,
			"Deadline after a new segment went out while others were in flight: the timer is the oldest segment's, and it is running, "+
				"so sending does not restart it (start it only when it is not running). Restarted on every send, it would put off sending "+
				"a lost segment again for as long as the writer keeps writing.\n%s", ts.soFar())

		ts.now = t0.Add(d)
		segs, err := ts.timeout()
		require.NoError(t, err)
		require.Equal(t, "102+100", shapes(segs),
			"Timeout with 102-401 in flight should send only the oldest segment again: the others may well have arrived, "+
				"and sending the whole window again would waste it.\n%s", ts.soFar())
		backedOff := 2 * est.RTO()
		d2, _ := ts.deadline()
		assert.Equal(t, ts.now.Add(backedOff).Sub(t0), d2, "Deadline after the timeout: the RTO doubles, to %v.\n%s", backedOff, ts.soFar())

		ts.advance(10 * time.Millisecond)
		ts.ack(202, 1000)
		assert.Equal(t, est.RTO(), ts.s.RTO(),
			"RTO() after 102 was acknowledged once it had been sent twice: the acknowledgement may be for either copy, "+
				"so it measures nothing (Karn's rule: no sample from a segment sent more than once), and the new data acknowledged "+
				"ends the back-off: the RTO is the estimate's again, %v.\n%s", est.RTO(), ts.soFar())
	})

	t.Run("Karn's rule", func(t *testing.T) {
		ts := newTestSender(t, 1, cfg)
		ts.segments()
		ts.now = t0.Add(time.Second)
		ts.timeout()
		ts.advance(50 * time.Millisecond)
		ts.ack(2, 1000)
		assert.Equal(t, cfg.InitialRTO, ts.s.RTO(),
			"RTO() after a SYN sent at 0s and again at 1s was acknowledged at 1.05s: was that 1.05s after the first, or 50ms after the second? "+
				"Nobody can tell, so take no sample (Karn's rule); with no sample yet the RTO is InitialRTO, %v.\n%s", cfg.InitialRTO, ts.soFar())
	})
}
