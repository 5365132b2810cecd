package rstream

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Obey the window the receiver advertises, probe it when it is closed, and close it when the reader is slow.
func TestTask5FlowControl(t *testing.T) {
	t.Run("the sender obeys the window", func(t *testing.T) {
		cfg := Config{MaxData: 100, InitialRTO: time.Second, MinRTO: 100 * time.Millisecond, MaxRTO: 8 * time.Second, MaxRetries: 3}
		ts := newTestSender(t, 1000, cfg)
		ts.write(1000)
		ts.segments()
		ts.ack(1001, 150)
		ts.expectSent([]string{"1001+100", "1101+50"}, "the window is 150: 150 bytes, no more")
		ts.ack(1101, 50)
		ts.expectSent(nil, "1001-1100 are acknowledged, but the window shrank to 50 from 1101, and 1101-1150 are in flight: "+
			"the window's right edge is still 1151, so nothing more may go")
		ts.ack(1151, 0)
		ts.expectSent([]string{"1151+1"}, "the receiver's buffer is full (window 0) and nothing is in flight: send one byte anyway, a probe, "+
			"or nobody would ever learn that the window opened if the receiver's update were lost")
		ts.expectSent(nil, "one probe at a time")

		// The receiver is alive, answering each probe: window still 0.
		d, _ := ts.deadline()
		for i := 1; i <= 6; i++ {
			ts.now = t0.Add(d)
			segs, err := ts.timeout()
			require.NoError(t, err, "Timeout number %d while probing a zero window: the peer answers every probe, so it is there: "+
				"an acknowledgement, even one of nothing new, starts the count of timeouts again.\n%s", i, ts.soFar())
			require.Equal(t, "1151+1", shapes(segs), "Timeout while probing should send the probe again.\n%s", ts.soFar())
			next, _ := ts.deadline()
			require.Equal(t, d+ts.s.RTO(), next, "Deadline after probe number %d: the peer is there, only full, so probing "+
				"does not back off: the RTO stays %v.\n%s", i, ts.s.RTO(), ts.soFar())
			require.Less(t, ts.s.RTO(), 8*time.Second, "RTO() while probing a zero window doubled up to MaxRTO: do not back off while the window is zero.\n%s", ts.soFar())
			d = next
			ts.ack(1151, 0)
		}
		ts.ack(1151, 300)
		ts.expectSent([]string{"1152+100", "1252+100", "1352+99"},
			"the window opened to 300 from 1151, and the probe (1151) is still in flight: 299 more, up to 1450")
		assert.Equal(t, 300, ts.inFlight(), "InFlight: 1151-1450.\n%s", ts.soFar())
	})

	t.Run("the receiver's window", func(t *testing.T) {
		tr := newTestReceiver(t, 1000)
		tr.receive(Segment{Seq: 0, Flags: SYN})
		tr.data(1, strings.Repeat("a", 600))
		tr.expectAck(601, 400, "600 bytes wait to be read in a buffer of 1000: the window is 400")
		tr.data(601, strings.Repeat("b", 600))
		tr.expectAck(1001, 0, "only 400 of the 600 bytes fit the window: keep those, drop the rest (the sender will send them again); "+
			"the buffer is full, so the window is 0")
		tr.data(1001, "c")
		tr.expectAck(1001, 0, "a byte arrived while the window is 0 (a probe): there is no room for it, drop it")
		tr.receive(Segment{Seq: 1001, Flags: FIN | ACK, Ack: 1, Window: 1})
		tr.expectFinished(false, "the FIN takes a sequence number too, and the window is 0: drop it until there is room")

		buf := make([]byte, 500)
		var n int
		call(t, "Read", func() { n = tr.r.Read(buf) })
		require.Equal(t, 500, n, "Read of 500 bytes with 1000 waiting.\n%s", tr.soFar())
		tr.history = append(tr.history, "Read: 500 bytes")
		tr.expectAck(1001, 500, "500 bytes were read: the window opens by as much")
		tr.data(801, strings.Repeat("b", 200)+"cc")
		tr.expectAck(1003, 498, "the sender sent again from 801: 801-1000 were here already, 1001-1002 are new")
		tr.data(1503, "far")
		tr.data(1003, strings.Repeat("d", 500))
		tr.expectAck(1501, 0, "1503 is beyond the window (1003 + 498 = 1501): dropped, not kept for later; and of the 500 bytes from 1003 only 498 fit")
		tr.expectRead(strings.Repeat("a", 100)+strings.Repeat("b", 400)+"cc"+strings.Repeat("d", 498), "everything kept, in order")
		tr.data(1501, "ef")
		tr.receive(Segment{Seq: 1503, Flags: FIN | ACK, Ack: 1, Window: 1})
		tr.expectAck(1504, 998, "with room again, 1501-1502 and the FIN (1503) are taken")
		tr.expectFinished(true, "the FIN arrived in order")
	})
}
