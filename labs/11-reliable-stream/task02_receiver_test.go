package rstream

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testReceiver drives a Receiver the way a Conn does, and describes what
// it was given, for messages.
type testReceiver struct {
	t       *testing.T
	r       *Receiver
	history []string
}

func newTestReceiver(t *testing.T, capacity int) *testReceiver {
	t.Helper()
	tr := &testReceiver{t: t}
	call(t, fmt.Sprintf("NewReceiver(%d)", capacity), func() { tr.r = NewReceiver(capacity) })
	require.NotNil(t, tr.r, "NewReceiver(%d) returned nil", capacity)
	tr.history = append(tr.history, fmt.Sprintf("NewReceiver(%d)", capacity))
	return tr
}

// receive gives the Receiver one segment.
func (tr *testReceiver) receive(seg Segment) {
	tr.t.Helper()
	what := fmt.Sprintf("Receive(%v %q)", seg, seg.Data)
	if len(seg.Data) > 40 {
		what = fmt.Sprintf("Receive(%v)", seg)
	}
	call(tr.t, what, func() { tr.r.Receive(seg) })
	tr.history = append(tr.history, what)
}

// data gives the Receiver a segment of data at seq.
func (tr *testReceiver) data(seq uint32, data string) {
	tr.t.Helper()
	tr.receive(Segment{Seq: seq, Flags: ACK, Ack: 1, Window: 1000, Data: []byte(data)})
}

// so far lists what the Receiver was given, for a message.
func (tr *testReceiver) soFar() string {
	h := tr.history
	if len(h) > 12 {
		h = append([]string{"..."}, h[len(h)-10:]...)
	}
	return "The Receiver was given, in this order:\n  " + strings.Join(h, "\n  ")
}

// expectAck checks what Ack returns.
func (tr *testReceiver) expectAck(ack uint32, window int, why string) {
	tr.t.Helper()
	var gotAck uint32
	var gotWin uint16
	var ok bool
	call(tr.t, "Ack()", func() { gotAck, gotWin, ok = tr.r.Ack() })
	require.True(tr.t, ok, "Ack() returned ok false after the peer's SYN arrived: from the SYN on there is something to acknowledge.\n%s", tr.soFar())
	require.Equal(tr.t, fmt.Sprintf("ack=%d win=%d", ack, window), fmt.Sprintf("ack=%d win=%d", gotAck, gotWin),
		"Ack() is wrong: %s.\n%s", why, tr.soFar())
}

// expectRead reads everything buffered and checks it.
func (tr *testReceiver) expectRead(want string, why string) {
	tr.t.Helper()
	var got []byte
	buf := make([]byte, 3) // small on purpose: Read returns what fits
	for range 1 << 20 {
		var n int
		call(tr.t, "Read", func() { n = tr.r.Read(buf) })
		if n == 0 {
			break
		}
		require.LessOrEqual(tr.t, n, len(buf), "Read(p) returned %d, more than len(p) = %d", n, len(buf))
		got = append(got, buf[:n]...)
	}
	require.Equal(tr.t, want, string(got), "reading everything the Receiver has in order: %s.\n%s", why, tr.soFar())
	tr.history = append(tr.history, fmt.Sprintf("Read: %q", got))
	var buffered int
	call(tr.t, "Buffered()", func() { buffered = tr.r.Buffered() })
	require.Zero(tr.t, buffered, "Read has returned everything (it returned 0), yet Buffered() = %d.\n%s", buffered, tr.soFar())
}

// finished checks what Finished reports.
func (tr *testReceiver) expectFinished(want bool, why string) {
	tr.t.Helper()
	var got bool
	call(tr.t, "Finished()", func() { got = tr.r.Finished() })
	require.Equal(tr.t, want, got, "Finished() = %v: %s.\n%s", got, why, tr.soFar())
}

// Reassemble the stream from segments in any order, drop duplicates, and acknowledge cumulatively.
func TestTask2Receiver(t *testing.T) {
	t.Run("in and out of order", func(t *testing.T) {
		tr := newTestReceiver(t, 4096)
		tr.data(1001, "too early")
		var ok bool
		call(t, "Ack()", func() { _, _, ok = tr.r.Ack() })
		require.False(t, ok, "Ack() before the peer's SYN returned ok true: until the SYN arrives there is nothing to acknowledge, and data is ignored")
		tr.expectRead("", "data before the SYN belongs to no connection: ignore it")

		tr.receive(Segment{Seq: 1000, Flags: SYN})
		tr.expectAck(1001, 4096, "the SYN takes sequence number 1000, so the next one expected is 1001; the window is the whole buffer")
		tr.data(1001, "hello")
		tr.expectAck(1006, 4096-5, "5 bytes arrived in order, 1001 to 1005: the next expected is 1006, and the window is 5 bytes smaller until they are read")
		tr.expectRead("hello", "the 5 bytes that arrived in order")
		tr.expectAck(1006, 4096, "the 5 bytes were read: the window is the whole buffer again")

		// "abcdefghij" in three segments, the last first.
		tr.data(1012, "ghij")
		tr.expectAck(1006, 4096, "1012-1015 arrived, but 1006-1011 are missing: acknowledgements are cumulative, "+
			"so Ack still asks for 1006 (the window counts from there, and the early bytes are inside it)")
		tr.expectRead("", "bytes after a gap cannot be read yet: keep them until the gap is filled")
		tr.data(1009, "def")
		tr.expectAck(1006, 4096, "1009-1015 are here, but 1006-1008 are still missing")
		tr.expectRead("", "bytes after a gap cannot be read yet")
		tr.data(1006, "abc")
		tr.expectAck(1016, 4096-10, "1006-1008 filled the gap: everything up to 1015 is here, so the acknowledgement jumps to 1016")
		tr.expectRead("abcdefghij", "the gap is filled: everything kept can be read, in order")

		tr.data(1009, "def")
		tr.data(1006, "abc")
		tr.expectAck(1016, 4096, "segments that arrive a second time change nothing")
		tr.expectRead("", "a duplicate holds nothing new: drop it")
		tr.data(1014, "ijKLM")
		tr.expectAck(1019, 4096-3, "a segment whose first bytes (i, j) arrived already brings 3 new ones")
		tr.expectRead("KLM", "only the bytes that had not arrived yet")
		tr.data(900, "old")
		tr.expectAck(1019, 4096, "a segment from long ago changes nothing")

		tr.receive(Segment{Seq: 1000, Flags: SYN})
		tr.expectAck(1019, 4096, "a SYN that comes again (its acknowledgement was lost) changes nothing; Ack acknowledges everything as before")
		tr.expectFinished(false, "no FIN has arrived")
	})

	t.Run("FIN", func(t *testing.T) {
		tr := newTestReceiver(t, 4096)
		tr.receive(Segment{Seq: 77, Flags: SYN})
		tr.receive(Segment{Seq: 84, Flags: FIN | ACK, Ack: 1, Window: 100, Data: []byte("world")})
		tr.expectAck(78, 4096, "the FIN came with the last bytes, 84-88, but 78-83 are missing")
		tr.expectFinished(false, "the FIN came, but bytes before it are still missing: more will come")
		tr.data(78, "hello ")
		tr.expectAck(90, 4096-11, "78-88 are all here, and the FIN takes a sequence number of its own, 89: the next expected is 90")
		tr.expectFinished(true, "the FIN (sequence number 89) and every byte before it have arrived")
		tr.expectRead("hello world", "the bytes before the FIN")
		tr.receive(Segment{Seq: 84, Flags: FIN | ACK, Ack: 1, Window: 100, Data: []byte("world")})
		tr.expectAck(90, 4096, "the FIN came again (its acknowledgement was lost): nothing changes")
	})

	t.Run("sequence numbers wrap around", func(t *testing.T) {
		tr := newTestReceiver(t, 4096)
		tr.receive(Segment{Seq: 4294967290, Flags: SYN})
		tr.expectAck(4294967291, 4096, "the SYN takes 4294967290")
		tr.data(2, "world")
		tr.expectAck(4294967291, 4096, "bytes 4294967291 to 1 are missing (after 4294967295 comes 0): "+
			"sequence numbers wrap around, so compare them with int32(a-b), never with < or >")
		tr.data(4294967291, "hello, ")
		tr.expectAck(7, 4096-12, "all 12 bytes are here, across the wrap: the next expected is 4294967291+12, which wraps around to 7")
		tr.expectRead("hello, world", "the bytes on both sides of the wrap, in order")
	})

	t.Run("shuffled and repeated", func(t *testing.T) {
		seed := seedFor(t, 11, func(seed uint64) string {
			return fmt.Sprintf("a 20000-byte stream in segments of 1 to 700 bytes, each given 1 to 3 times, shuffled with seed %d", seed)
		})
		rng := rand.New(rand.NewPCG(seed, 0))
		stream := testData(20000)
		isn := rng.Uint32()
		var segs []Segment
		for off := 0; off < len(stream); {
			n := min(1+rng.IntN(700), len(stream)-off)
			for range 1 + rng.IntN(3) {
				segs = append(segs, Segment{Seq: isn + 1 + uint32(off), Flags: ACK, Data: stream[off : off+n]})
			}
			off += n
		}
		rng.Shuffle(len(segs), func(i, j int) { segs[i], segs[j] = segs[j], segs[i] })
		segs = append([]Segment{{Seq: isn, Flags: SYN}}, segs...)

		var r *Receiver
		call(t, "NewReceiver(MaxWindow)", func() { r = NewReceiver(MaxWindow) })
		var got []byte
		buf := make([]byte, 1000)
		for i, seg := range segs {
			call(t, fmt.Sprintf("Receive(%v)", seg), func() { r.Receive(seg) })
			if i%7 == 0 { // read now and then, as an application would
				var n int
				call(t, "Read", func() { n = r.Read(buf) })
				got = append(got, buf[:n]...)
			}
		}
		for range len(stream) {
			var n int
			call(t, "Read", func() { n = r.Read(buf) })
			if n == 0 {
				break
			}
			got = append(got, buf[:n]...)
		}
		require.True(t, string(got) == string(stream),
			"%d segments of a %d-byte stream, each given one to three times, in a shuffled order: reading everything back, %s. "+
				"Keep each early segment until the gap before it is filled, and never deliver a byte twice.",
			len(segs), len(stream), firstDifference(got, stream))
		ack, _, _ := r.Ack()
		require.Equal(t, isn+1+uint32(len(stream)), ack, "Ack() after the whole stream arrived: the SYN's number plus one, plus %d bytes", len(stream))
	})
}
