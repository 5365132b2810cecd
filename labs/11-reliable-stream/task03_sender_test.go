package rstream

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is when a test's Sender starts: any moment will do, since a Sender
// only knows the time it is told.
var t0 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// testSender drives a Sender on a timeline of the test's own, and keeps
// the stream written to it and the story so far, for messages.
type testSender struct {
	t       *testing.T
	s       *Sender
	cfg     Config
	isn     uint32
	now     time.Time
	stream  []byte // everything written, in order
	history []string
}

func newTestSender(t *testing.T, isn uint32, cfg Config) *testSender {
	t.Helper()
	ts := &testSender{t: t, isn: isn, cfg: cfg.WithDefaults(), now: t0}
	call(t, "NewSender", func() { ts.s = NewSender(isn, cfg) })
	require.NotNil(t, ts.s, "NewSender returned nil")
	ts.note("NewSender(%d, MaxData %d, SendBuffer %d, InitialRTO %v, MaxRetries %d) at 0s",
		isn, ts.cfg.MaxData, ts.cfg.SendBuffer, ts.cfg.InitialRTO, ts.cfg.MaxRetries)
	return ts
}

func (ts *testSender) note(format string, args ...any) {
	ts.history = append(ts.history, fmt.Sprintf(format, args...))
}

// at is the time now, as the messages write it: since the start.
func (ts *testSender) at() string { return ts.now.Sub(t0).String() }

func (ts *testSender) soFar() string {
	h := ts.history
	if len(h) > 14 {
		h = append([]string{"..."}, h[len(h)-12:]...)
	}
	return "What happened so far:\n  " + strings.Join(h, "\n  ")
}

// advance moves the test's clock.
func (ts *testSender) advance(d time.Duration) {
	ts.now = ts.now.Add(d)
}

// scribble is the byte the test overwrites a Write's p with once Write
// has returned, as a caller that reuses its buffer does.
const scribble = 0xEE

// write writes n bytes of the test's stream and returns how many were
// taken. Then it overwrites p, as io.Copy and fmt.Fprintf do with their
// buffers once Write returns: a Sender must keep a copy, never p itself.
func (ts *testSender) write(n int) int {
	ts.t.Helper()
	p := testData(len(ts.stream) + n)[len(ts.stream):]
	var took int
	call(ts.t, fmt.Sprintf("Write of %d bytes", n), func() { took = ts.s.Write(p) })
	require.True(ts.t, took >= 0 && took <= n, "Write of %d bytes returned %d", n, took)
	ts.stream = append(ts.stream, p[:took]...)
	for i := range p {
		p[i] = scribble
	}
	ts.note("Write(%d bytes) = %d", n, took)
	return took
}

// segments calls Segments now and checks that each segment's data is the
// stream's at its sequence number.
func (ts *testSender) segments() []Segment {
	ts.t.Helper()
	var segs []Segment
	call(ts.t, "Segments", func() { segs = ts.s.Segments(ts.now) })
	for _, s := range segs {
		ts.checkData(s, "Segments")
	}
	ts.note("Segments(at %s) = %s", ts.at(), short(segs))
	return segs
}

// checkData checks that a segment carries the stream's bytes for its
// sequence numbers, and no flags but SYN and FIN.
func (ts *testSender) checkData(s Segment, from string) {
	ts.t.Helper()
	require.Zero(ts.t, s.Flags&^(SYN|FIN), "%s returned %v: the Sender sets SYN and FIN only; the Conn adds ACK, Ack and Window when it sends.\n%s", from, s, ts.soFar())
	if len(s.Data) == 0 {
		return
	}
	off := int(int32(s.Seq - ts.isn - 1))
	require.True(ts.t, off >= 0 && off+len(s.Data) <= len(ts.stream),
		"%s returned %v, whose data would be bytes %d to %d of the stream; only %d bytes have been written, and the first has sequence number %d (the SYN takes %d).\n%s",
		from, s, off, off+len(s.Data)-1, len(ts.stream), ts.isn+1, ts.isn, ts.soFar())
	if want := ts.stream[off : off+len(s.Data)]; !bytes.Equal(s.Data, want) && bytes.Count(s.Data, []byte{scribble}) == len(s.Data) {
		ts.t.Fatalf("%s returned %v, whose data is the bytes the test wrote over the slice it gave Write, once Write had returned "+
			"(0x%X, all of them): the Sender kept the caller's slice. Write must copy what it takes (append(s.unsent, p[:n]...)): "+
			"the caller may reuse p as soon as Write returns, as io.Copy does with its buffer.\n%s", from, s, scribble, ts.soFar())
	}
	require.True(ts.t, bytes.Equal(s.Data, ts.stream[off:off+len(s.Data)]),
		"%s returned %v, whose data is not the stream's bytes %d to %d: a segment's sequence number is the number of its first byte.\n%s",
		from, s, off, off+len(s.Data)-1, ts.soFar())
}

// ack gives the Sender an acknowledgement now.
func (ts *testSender) ack(ack uint32, window uint16) {
	ts.t.Helper()
	call(ts.t, fmt.Sprintf("Ack(%d, %d)", ack, window), func() { ts.s.Ack(ack, window, ts.now) })
	ts.note("Ack(%d, window %d) at %s", ack, window, ts.at())
}

// timeout calls Timeout now.
func (ts *testSender) timeout() ([]Segment, error) {
	ts.t.Helper()
	var segs []Segment
	var err error
	call(ts.t, "Timeout", func() { segs, err = ts.s.Timeout(ts.now) })
	for _, s := range segs {
		ts.checkData(s, "Timeout")
	}
	ts.note("Timeout(at %s) = %s, %v", ts.at(), short(segs), err)
	return segs, err
}

// deadline returns what Deadline reports, as time since the start.
func (ts *testSender) deadline() (time.Duration, bool) {
	ts.t.Helper()
	var d time.Time
	var ok bool
	call(ts.t, "Deadline", func() { d, ok = ts.s.Deadline() })
	return d.Sub(t0), ok
}

func (ts *testSender) inFlight() int {
	ts.t.Helper()
	var n int
	call(ts.t, "InFlight", func() { n = ts.s.InFlight() })
	return n
}

// expectSent checks the segments Segments returns now: their sequence
// numbers, sizes and flags, written as "SYN 5000", "5001+100", "FIN 5251".
func (ts *testSender) expectSent(want []string, why string) []Segment {
	ts.t.Helper()
	segs := ts.segments()
	require.Equal(ts.t, strings.Join(want, ", "), shapes(segs), "Segments at %s: %s.\n%s", ts.at(), why, ts.soFar())
	return segs
}

// shape writes a segment as the tests compare it: "5001+100", "SYN 5000",
// "FIN 5101", "5001+100 FIN".
func shape(s Segment) string {
	out := ""
	if s.Flags&SYN != 0 {
		out = fmt.Sprintf("SYN %d", s.Seq)
	}
	if len(s.Data) > 0 {
		out = fmt.Sprintf("%d+%d", s.Seq, len(s.Data))
	}
	if s.Flags&FIN != 0 {
		if out == "" {
			out = fmt.Sprintf("FIN %d", s.Seq)
		} else {
			out += " FIN"
		}
	}
	if out == "" {
		out = fmt.Sprintf("empty %d", s.Seq)
	}
	return out
}

func shapes(segs []Segment) string {
	var out []string
	for _, s := range segs {
		out = append(out, shape(s))
	}
	return strings.Join(out, ", ")
}

// short is shapes in brackets, for the story.
func short(segs []Segment) string { return "[" + shapes(segs) + "]" }

// Send a SYN, then segments within the peer's window, and slide it as acknowledgements come.
func TestTask3SlidingWindow(t *testing.T) {
	t.Run("window", func(t *testing.T) {
		ts := newTestSender(t, 5000, Config{MaxData: 100, SendBuffer: 1000})
		require.Equal(t, 250, ts.write(250), "Write of 250 bytes into an empty buffer of 1000 should take them all")
		ts.expectSent([]string{"SYN 5000"}, "the first segment is the SYN, alone, with the ISN as its sequence number")
		assert.Equal(t, 1, ts.inFlight(), "InFlight after the SYN: the SYN takes one sequence number.\n%s", ts.soFar())
		ts.expectSent(nil, "nothing more until the SYN is acknowledged: the peer's window is not known yet")

		ts.ack(5001, 250)
		ts.expectSent([]string{"5001+100", "5101+100", "5201+50"},
			"the SYN is acknowledged and the window is 250: the 250 bytes written, at most MaxData (100) in a segment, numbered from 5001")
		assert.Equal(t, 250, ts.inFlight(), "InFlight: 250 bytes sent, none acknowledged.\n%s", ts.soFar())
		ts.write(500)
		ts.expectSent(nil, "250 bytes are in flight and the window is 250: nothing more may be sent until some are acknowledged")

		ts.ack(5101, 250)
		ts.expectSent([]string{"5251+100"}, "5001-5100 are acknowledged, so the window (250 from 5101) reaches to 5350: "+
			"100 more bytes may go, and the window has slid")
		ts.ack(5351, 100)
		ts.expectSent([]string{"5351+100"}, "5351 acknowledges the three segments in flight at once (acknowledgements are cumulative); "+
			"the window is now 100 from 5351")
		assert.Equal(t, 100, ts.inFlight(), "InFlight: 5351-5450 sent and not acknowledged.\n%s", ts.soFar())

		ts.ack(5101, 1000)
		ts.ack(9999, 1000)
		ts.expectSent(nil, "an acknowledgement older than one already received (5101) and one of bytes never sent (9999) "+
			"must both be ignored, window and all: the window is still 100, and 100 are in flight")
		assert.Equal(t, 100, ts.inFlight(), "InFlight after ignored acknowledgements.\n%s", ts.soFar())

		// 750 written, 350 acknowledged: 400 in the buffer of 1000.
		assert.Equal(t, 600, ts.write(2000),
			"Write of 2000 bytes with 400 in the buffer (written, not yet acknowledged) of SendBuffer 1000 should take 600: the room there is.\n%s", ts.soFar())
		assert.Equal(t, 0, ts.write(10), "Write with the buffer full should take nothing.\n%s", ts.soFar())
	})

	t.Run("FIN", func(t *testing.T) {
		ts := newTestSender(t, 70, Config{MaxData: 100})
		ts.segments()
		ts.ack(71, 1000)
		ts.write(150)
		call(t, "Close", func() { ts.s.Close() })
		ts.note("Close()")
		ts.expectSent([]string{"71+100", "171+50 FIN"}, "after Close, a FIN follows the last byte: on the last data segment, and it takes one more sequence number")
		assert.Equal(t, 151, ts.inFlight(), "InFlight: 150 bytes and the FIN.\n%s", ts.soFar())
		var done bool
		call(t, "Done", func() { done = ts.s.Done() })
		assert.False(t, done, "Done() before the FIN is acknowledged.\n%s", ts.soFar())
		ts.ack(221, 1000)
		call(t, "Done", func() { done = ts.s.Done() })
		assert.False(t, done, "Done() when every byte but not the FIN (221) is acknowledged.\n%s", ts.soFar())
		ts.ack(222, 1000)
		call(t, "Done", func() { done = ts.s.Done() })
		assert.True(t, done, "Done() once the FIN is acknowledged (222).\n%s", ts.soFar())
		assert.Zero(t, ts.inFlight(), "InFlight once everything is acknowledged.\n%s", ts.soFar())
		assert.Zero(t, ts.write(10), "Write after Close should take nothing.\n%s", ts.soFar())

		ts = newTestSender(t, 70, Config{MaxData: 100})
		ts.segments()
		ts.ack(71, 1000)
		call(t, "Close", func() { ts.s.Close() })
		ts.note("Close()")
		ts.expectSent([]string{"FIN 71"}, "after Close with nothing written, the FIN goes alone")

		ts = newTestSender(t, 70, Config{MaxData: 100})
		ts.segments()
		ts.ack(71, 150)
		ts.write(150)
		call(t, "Close", func() { ts.s.Close() })
		ts.note("Close()")
		ts.expectSent([]string{"71+100", "171+50"}, "the window is 150 and the 150 bytes fill it: the FIN takes a sequence number of its own, "+
			"171+50 = 221, which is beyond the window (71 to 220), so it waits for room as a byte would")
		ts.ack(171, 50)
		ts.expectSent(nil, "the window is now 50 from 171, and 171-220 are in flight: still no room for the FIN")
		ts.ack(221, 10)
		ts.expectSent([]string{"FIN 221"}, "every byte is acknowledged and the window is 10: now the FIN fits, and goes alone")
	})

	t.Run("sequence numbers wrap around", func(t *testing.T) {
		ts := newTestSender(t, 4294967200, Config{MaxData: 100})
		ts.write(300)
		ts.segments()
		ts.ack(4294967201, 1000)
		ts.expectSent([]string{"4294967201+100", "5+100", "105+100"},
			"numbers wrap around after 4294967295: the second segment starts at 4294967301, which is 5")
		ts.ack(105, 1000)
		assert.Equal(t, 100, ts.inFlight(), "InFlight after 105 acknowledged the first two segments, across the wrap: "+
			"compare sequence numbers with int32(a-b), never with < or >.\n%s", ts.soFar())
	})
}
