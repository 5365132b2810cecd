package rstream

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handPeer is the test playing the other end of a connection by hand, one
// segment at a time, over one end of a Pipe without faults. It runs inside
// a synctest bubble: synctest.Wait lets the connection under test do
// everything it can do at this moment, so that what it sent can be checked
// exactly, and time moves only when the test sleeps.
type handPeer struct {
	t     *testing.T
	end   *PipeEnd
	story []string
}

func newHandPeer(t *testing.T, end *PipeEnd) *handPeer {
	return &handPeer{t: t, end: end}
}

// send sends the connection one segment.
func (h *handPeer) send(seg Segment) {
	h.t.Helper()
	var b []byte
	call(h.t, "Marshal", func() { b = seg.Marshal() })
	require.NoError(h.t, h.end.Send(b))
	h.story = append(h.story, fmt.Sprintf("test -> %v", seg))
	synctest.Wait()
}

// expect returns the next segment the connection has sent, failing the
// test if there is none. why says what the test expects, for the message.
func (h *handPeer) expect(why string) Segment {
	h.t.Helper()
	synctest.Wait()
	select {
	case d := <-h.end.queue:
		seg, err := Parse(d)
		require.NoError(h.t, err, "the connection sent a datagram that Parse rejects: % x.\n%s", d, h.soFar())
		h.story = append(h.story, fmt.Sprintf("conn -> %v", seg))
		return seg
	default:
		h.t.Fatalf("The connection sent nothing; the test expected %s.\n%s", why, h.soFar())
		return Segment{}
	}
}

// expectNothing checks that the connection has sent nothing more.
func (h *handPeer) expectNothing(why string) {
	h.t.Helper()
	synctest.Wait()
	select {
	case d := <-h.end.queue:
		seg, _ := Parse(d)
		h.story = append(h.story, fmt.Sprintf("conn -> %v", seg))
		h.t.Fatalf("The connection sent %v; %s.\n%s", seg, why, h.soFar())
	default:
	}
}

// sleep lets fake time pass.
func (h *handPeer) sleep(d time.Duration) {
	time.Sleep(d)
	h.story = append(h.story, fmt.Sprintf("(%v pass)", d))
}

func (h *handPeer) soFar() string {
	if len(h.story) == 0 {
		return "Nothing has happened yet."
	}
	return "What the connection and the test sent so far, in order:\n  " + strings.Join(h.story, "\n  ")
}

// expectSegment checks a segment the connection sent against the one
// wanted, field by field, ignoring the window.
func (h *handPeer) expectSegment(want Segment, why string) Segment {
	h.t.Helper()
	got := h.expect(fmt.Sprintf("%s (%s)", withoutWindow(want), why))
	require.Equal(h.t, withoutWindow(want), withoutWindow(got), "the connection sent the wrong segment: %s.\n%s", why, h.soFar())
	return got
}

// withoutWindow describes a segment as Segment.String does, but without
// its window, which the tests check elsewhere.
func withoutWindow(s Segment) string {
	out := fmt.Sprintf("seq=%d", s.Seq)
	if s.Flags != 0 {
		out = fmt.Sprintf("%v %s", s.Flags, out)
	}
	if s.Flags&ACK != 0 {
		out += fmt.Sprintf(" ack=%d", s.Ack)
	}
	if len(s.Data) > 0 {
		out += fmt.Sprintf(" len=%d", len(s.Data))
	}
	return out
}

// result is what a call in a goroutine returned.
type result struct {
	c   *Conn
	err error
}

func (r result) String() string {
	if r.err != nil {
		return "the error " + r.err.Error()
	}
	return "a connection"
}

// goDial and goAccept start Dial or Accept in a goroutine; the result
// arrives on the channel.
func goDial(link Link, cfg Config) chan result {
	ch := make(chan result, 1)
	go func() {
		c, err := Dial(link, cfg)
		ch <- result{c, err}
	}()
	return ch
}

func goAccept(link Link, cfg Config) chan result {
	ch := make(chan result, 1)
	go func() {
		c, err := Accept(link, cfg)
		ch <- result{c, err}
	}()
	return ch
}

// returned checks, once everything that can happen now has happened, that
// a call in a goroutine has returned, and gives its result.
func returned[T any](t *testing.T, ch chan T, what string, soFar string) T {
	t.Helper()
	synctest.Wait()
	select {
	case r := <-ch:
		return r
	default:
		t.Fatalf("%s has not returned.\n%s", what, soFar)
		var zero T
		return zero
	}
}

// notReturned checks that a call in a goroutine is still waiting.
func notReturned[T any](t *testing.T, ch chan T, what string, soFar string) {
	t.Helper()
	synctest.Wait()
	select {
	case r := <-ch:
		t.Fatalf("%s returned %v, and should still be waiting.\n%s", what, r, soFar)
	default:
	}
}

// closeAtEnd closes c when the test ends, if the test did not.
func closeAtEnd(t *testing.T, c *Conn) {
	if c != nil {
		t.Cleanup(func() { c.Close() })
	}
}

// handDial dials over link, with the test playing the peer by hand on h:
// the connection's ISN is 1000, the peer's 5000, and the peer's window
// is window. It returns the open connection, closed when the test ends.
func handDial(t *testing.T, h *handPeer, link Link, cfg Config, window uint16) *Conn {
	t.Helper()
	cfg.ISN = fixedISN(1000)
	dialed := goDial(link, cfg)
	h.expectSegment(Segment{Seq: 1000, Flags: SYN}, "Dial starts with a SYN")
	h.send(Segment{Seq: 5000, Ack: 1001, Window: window, Flags: SYN | ACK})
	h.expectSegment(Segment{Seq: 1001, Ack: 5001, Flags: ACK}, "the ACK of the peer's SYN")
	r := returned(t, dialed, "Dial, after the SYN|ACK arrived and was acknowledged,", h.soFar())
	require.NoError(t, r.err, "Dial returned an error after a correct handshake.\n%s", h.soFar())
	closeAtEnd(t, r.c)
	return r.c
}

// drain returns every segment the connection has sent and the test has
// not taken yet, once everything that can happen now has happened.
func (h *handPeer) drain() []Segment {
	h.t.Helper()
	synctest.Wait()
	var segs []Segment
	for {
		select {
		case d := <-h.end.queue:
			seg, err := Parse(d)
			require.NoError(h.t, err, "the connection sent a datagram that Parse rejects: % x.\n%s", d, h.soFar())
			h.story = append(h.story, fmt.Sprintf("conn -> %v", seg))
			segs = append(segs, seg)
		default:
			return segs
		}
	}
}

// wrote is what a Write in a goroutine returned.
type wrote struct {
	n   int
	err error
}

func (w wrote) String() string { return fmt.Sprintf("(%d, %v)", w.n, w.err) }

// holdLink is a Link whose Recv, once the link is closed, does not return
// until the test lets it: the goroutine receiving from the link is then
// still running, and the test can see whether Close waits for it.
type holdLink struct {
	Link
	held, release    chan struct{}
	heldOnce, letOne sync.Once
}

func newHoldLink(l Link) *holdLink {
	return &holdLink{Link: l, held: make(chan struct{}), release: make(chan struct{})}
}

func (l *holdLink) Recv(b []byte) (int, error) {
	n, err := l.Link.Recv(b)
	if err != nil {
		l.heldOnce.Do(func() { close(l.held) })
		<-l.release
	}
	return n, err
}

// let lets a held Recv return, and every later one.
func (l *holdLink) let() { l.letOne.Do(func() { close(l.release) }) }

// isHeld reports whether a Recv has been held: the link was closed.
func (l *holdLink) isHeld() bool {
	select {
	case <-l.held:
		return true
	default:
		return false
	}
}

// readAll reads c to the end.
func readAll(c *Conn) ([]byte, error) { return io.ReadAll(strict{c}) }

// strict is what the tests read a Conn through when they read in a loop
// (io.ReadAll, io.ReadFull, io.Copy): a Read that returns 0 bytes and no
// error is an error here. Those loops would call it again at once, for
// ever, and in a synctest bubble a goroutine that never blocks also stops
// fake time, so the test would hang until go test's time limit instead of
// saying what is wrong.
type strict struct{ c *Conn }

// errEmptyRead is what strict's Read returns for a Read of nothing.
var errEmptyRead = errors.New("Read returned 0 bytes and a nil error: a Read with nothing to read yet must wait " +
	"(on the sync.Cond) until bytes arrive, the peer's FIN (then io.EOF) or an error, never return (0, nil): " +
	"io.ReadAll and every other caller would call it again at once, for ever")

func (s strict) Read(p []byte) (int, error) {
	n, err := s.c.Read(p)
	if n == 0 && err == nil && len(p) > 0 {
		return 0, errEmptyRead
	}
	return n, err
}

// Open a connection with the handshake, send and receive, and close each direction with a FIN.
func TestTask6OpenAndClose(t *testing.T) {
	cfg := Config{InitialRTO: time.Second, TimeWait: 5 * time.Second, MaxData: 1000}

	t.Run("dial and close", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			h := newHandPeer(t, p.B)
			cfg := cfg
			cfg.ISN = fixedISN(1000)
			dialed := goDial(p.A, cfg)
			notReturned(t, dialed, "Dial, before any answer,", h.soFar())
			h.expectSegment(Segment{Seq: 1000, Flags: SYN}, "Dial starts with a SYN carrying the ISN (Config.ISN gives 1000), and no ACK: there is nothing to acknowledge yet")
			h.expectNothing("Dial should wait for the answer to its SYN (or its timer) before sending anything else")

			h.send(Segment{Seq: 5000, Ack: 1001, Window: 4096, Flags: SYN | ACK})
			h.expectSegment(Segment{Seq: 1001, Ack: 5001, Flags: ACK},
				"the peer's SYN|ACK acknowledged the SYN and opened the other direction: acknowledge its SYN (5000) with a bare ACK asking for 5001")
			r := returned(t, dialed, "Dial, after the SYN|ACK arrived and was acknowledged,", h.soFar())
			require.NoError(t, r.err, "Dial returned an error after a correct handshake.\n%s", h.soFar())
			c := r.c
			closeAtEnd(t, c)

			h.send(Segment{Seq: 5001, Ack: 1001, Window: 4096, Flags: ACK, Data: []byte("hi")})
			h.expectSegment(Segment{Seq: 1001, Ack: 5003, Flags: ACK}, "the two bytes 5001-5002 arrived: acknowledge them")
			var n int
			var err error
			buf := make([]byte, 10)
			call(t, "Read", func() { n, err = c.Read(buf) })
			require.NoError(t, err, "Read with \"hi\" received.\n%s", h.soFar())
			require.Equal(t, "hi", string(buf[:n]), "Read with \"hi\" received.\n%s", h.soFar())

			written := make(chan error, 1)
			go func() { _, err := c.Write([]byte("hello")); written <- err }()
			require.NoError(t, returned(t, written, `Write("hello")`, h.soFar()),
				"Write(\"hello\") with room in the buffer and the window should return at once, without waiting for the acknowledgement")
			h.expectSegment(Segment{Seq: 1001, Ack: 5003, Flags: ACK, Data: []byte("hello")}, "Write sends the bytes at once, with an ACK")

			closed := make(chan error, 1)
			start := time.Now()
			go func() { closed <- c.Close() }()
			h.expectSegment(Segment{Seq: 1006, Ack: 5003, Flags: FIN | ACK}, "Close sends a FIN after the last byte written (1001-1005)")
			notReturned(t, closed, "Close, before its FIN was acknowledged,", h.soFar())
			h.send(Segment{Seq: 5003, Ack: 1007, Window: 4096, Flags: ACK})
			h.expectNothing("nothing needs sending when a bare ACK arrives")
			notReturned(t, closed, "Close, with its FIN acknowledged but no FIN from the peer yet,", h.soFar())
			h.send(Segment{Seq: 5003, Ack: 1007, Window: 4096, Flags: FIN | ACK})
			h.expectSegment(Segment{Seq: 1007, Ack: 5004, Flags: ACK}, "the peer's FIN (5003) arrived: acknowledge it")
			notReturned(t, closed, "Close, which sent its FIN first,", h.soFar()+"\nIt must linger for TimeWait: if its last ACK was lost, the peer sends its FIN again.")
			h.sleep(time.Second)
			h.send(Segment{Seq: 5003, Ack: 1007, Window: 4096, Flags: FIN | ACK})
			h.expectSegment(Segment{Seq: 1007, Ack: 5004, Flags: ACK},
				"the peer sent its FIN again, 1s later: it never got the ACK. During TIME_WAIT, acknowledge it again, or the peer cannot finish")
			h.sleep(cfg.TimeWait)
			err = returned(t, closed, fmt.Sprintf("Close, once TimeWait (%v) has passed since the peer's FIN,", cfg.TimeWait), h.soFar())
			require.NoError(t, err, "Close of a connection that closed cleanly.\n%s", h.soFar())
			took := time.Since(start)
			assert.True(t, took >= cfg.TimeWait && took <= cfg.TimeWait+2*time.Second,
				"Close took %v (fake time): it should linger TimeWait (%v) after the peer's FIN arrived, and no longer", took, cfg.TimeWait)
			h.expectNothing("after Close the connection is gone")
			_, err = c.Read(buf)
			assert.ErrorIs(t, err, net.ErrClosed, "Read after Close should return an error that wraps net.ErrClosed")
		})
	})

	t.Run("accept", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			h := newHandPeer(t, p.A)
			cfg := cfg
			cfg.ISN = fixedISN(4294967295)
			accepted := goAccept(p.B, cfg)
			notReturned(t, accepted, "Accept, before any SYN,", h.soFar())
			h.send(Segment{Seq: 300, Ack: 9, Window: 100, Flags: ACK, Data: []byte("stray")})
			h.expectNothing("Accept waits for a SYN: what comes before belongs to no connection")
			h.sleep(time.Minute)
			h.expectNothing("Accept waits for a SYN as long as it takes, sending nothing")
			h.send(Segment{Seq: 7000, Flags: SYN})
			syn := h.expectSegment(Segment{Seq: 4294967295, Ack: 7001, Flags: SYN | ACK},
				"Accept answers a SYN with its own SYN (ISN 4294967295, from Config.ISN), acknowledging the peer's: SYN|ACK ack=7001")
			assert.Equal(t, uint16(DefaultRecvBuffer), syn.Window, "the SYN|ACK's window: the whole receive buffer (Config.RecvBuffer, %d by default)", DefaultRecvBuffer)
			notReturned(t, accepted, "Accept, before its SYN was acknowledged,", h.soFar())
			h.sleep(cfg.InitialRTO)
			h.expectSegment(Segment{Seq: 4294967295, Ack: 7001, Flags: SYN | ACK}, "no ACK came within InitialRTO (1s): send the SYN|ACK again")
			h.send(Segment{Seq: 7001, Ack: 0, Window: 100, Flags: ACK, Data: []byte("hey")})
			h.expectSegment(Segment{Seq: 0, Ack: 7004, Flags: ACK}, "the peer's data carried the ACK of the SYN (4294967295 + 1 wraps around to 0): acknowledge the 3 bytes")
			r := returned(t, accepted, "Accept, once its SYN was acknowledged,", h.soFar())
			require.NoError(t, r.err)
			closeAtEnd(t, r.c)
			buf := make([]byte, 10)
			n, err := r.c.Read(buf)
			require.NoError(t, err)
			assert.Equal(t, "hey", string(buf[:n]))

			h.send(Segment{Seq: 7004, Ack: 0, Window: 100, Flags: FIN | ACK})
			h.expectSegment(Segment{Seq: 0, Ack: 7005, Flags: ACK}, "the peer's FIN: acknowledge it")
			n, err = r.c.Read(buf)
			assert.True(t, n == 0 && err == io.EOF, "Read after the peer's FIN = (%d, %v), want (0, io.EOF).\n%s", n, err, h.soFar())
			closed := make(chan error, 1)
			go func() { closed <- r.c.Close() }()
			h.expectSegment(Segment{Seq: 0, Ack: 7005, Flags: FIN | ACK}, "Close sends the FIN of this side")
			notReturned(t, closed, "Close, before its FIN was acknowledged,", h.soFar()+
				"\nThe peer's FIN came first, but Close must still wait until its own FIN is acknowledged: until then the FIN, "+
				"and any bytes before it, may be lost, and only this side can send them again.")
			h.send(Segment{Seq: 7005, Ack: 1, Window: 100, Flags: ACK})
			err = returned(t, closed, "Close, whose FIN came second and was acknowledged (no TIME_WAIT for this side),", h.soFar())
			require.NoError(t, err)
		})
	})

	t.Run("a peer with larger segments", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			h := newHandPeer(t, p.B)
			cfg := cfg
			cfg.ISN = fixedISN(1000)
			dialed := goDial(p.A, cfg)
			h.expectSegment(Segment{Seq: 1000, Flags: SYN}, "Dial starts with a SYN")
			h.send(Segment{Seq: 5000, Ack: 1001, Window: 4096, Flags: SYN | ACK})
			h.expectSegment(Segment{Seq: 1001, Ack: 5001, Flags: ACK}, "the ACK of the peer's SYN")
			r := returned(t, dialed, "Dial, after the SYN|ACK arrived and was acknowledged,", h.soFar())
			require.NoError(t, r.err, "Dial returned an error after a correct handshake.\n%s", h.soFar())
			closeAtEnd(t, r.c)

			const size = 30_000
			data := testData(size)
			h.send(Segment{Seq: 5001, Ack: 1001, Window: 4096, Flags: ACK, Data: data})
			h.expectSegment(Segment{Seq: 1001, Ack: 5001 + size, Flags: ACK}, fmt.Sprintf(
				"the peer sent %d bytes in one segment (its MaxData is larger than this side's, %d: the two ends' Configs need not agree), "+
					"and they fit in the window: acknowledge them. MaxData bounds the segments this side sends, not those it receives. "+
					"Receive each datagram into a buffer of MaxDatagram bytes, which holds any datagram: a smaller one cuts a larger "+
					"datagram short, its checksum fails, and it is dropped every time the peer sends it", size, cfg.MaxData))
			buf := make([]byte, size)
			var n int
			var err error
			call(t, "io.ReadFull", func() { n, err = io.ReadFull(strict{r.c}, buf) })
			require.NoError(t, err, "reading the %d bytes received.\n%s", size, h.soFar())
			require.True(t, bytes.Equal(buf[:n], data), "what Read returned of the %d bytes received: %s", size, firstDifference(buf[:n], data))
		})
	})

	t.Run("Write waits for room", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			h := newHandPeer(t, p.B)
			cfg := cfg
			cfg.SendBuffer = 3000
			c := handDial(t, h, p.A, cfg, 4096)

			data := testData(5000)
			written := make(chan wrote, 1)
			go func() {
				var w wrote
				w.n, w.err = c.Write(data)
				written <- w
			}()
			var got []byte
			take := func(why string) {
				t.Helper()
				for _, seg := range h.drain() {
					require.Equal(t, fmt.Sprintf("ACK seq=%d ack=5001", 1001+len(got)), withoutWindow(Segment{Seq: seg.Seq, Ack: seg.Ack, Flags: seg.Flags}),
						"the connection sent the wrong segment: %s.\n%s", why, h.soFar())
					got = append(got, seg.Data...)
				}
			}
			take("Write sends the bytes it takes, each segment after the last")
			require.Equal(t, cfg.SendBuffer, len(got), "bytes sent by Write(%d bytes) with SendBuffer %d, a window of 4096 and nothing acknowledged yet: "+
				"as many as the send buffer holds.\n%s", len(data), cfg.SendBuffer, h.soFar())
			synctest.Wait()
			select {
			case w := <-written:
				t.Fatalf("Write of %d bytes returned %v while %d of them did not fit in the send buffer (SendBuffer %d) and nothing was acknowledged yet. "+
					"Write must take all of p before it returns (wait on the Cond for acknowledgements to make room), or return an error: "+
					"io.Writer says n < len(p) comes with an error, and callers such as fmt.Fprintf write once and would lose the rest without a word.\n%s",
					len(data), w, len(data)-cfg.SendBuffer, cfg.SendBuffer, h.soFar())
			default:
			}
			for round := 0; len(got) < len(data); round++ {
				require.Less(t, round, 10, "the peer acknowledged everything the connection sent, 10 times, and it still has not sent all %d bytes written (only %d).\n%s",
					len(data), len(got), h.soFar())
				h.send(Segment{Seq: 5001, Ack: 1001 + uint32(len(got)), Window: 4096, Flags: ACK})
				take("an acknowledgement made room: Write takes more of p, and it is sent")
			}
			w := returned(t, written, fmt.Sprintf("Write(%d bytes), with every byte sent and acknowledged,", len(data)), h.soFar())
			require.NoError(t, w.err, "Write of %d bytes.\n%s", len(data), h.soFar())
			require.Equal(t, len(data), w.n, "Write of %d bytes returned n = %d.\n%s", len(data), w.n, h.soFar())
			require.True(t, bytes.Equal(got, data), "what the peer received of the %d bytes written: %s", len(data), firstDifference(got, data))
		})
	})

	t.Run("CloseWrite first, then Close, lingers", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			h := newHandPeer(t, p.B)
			c := handDial(t, h, p.A, cfg, 4096)

			closedWrite := make(chan error, 1)
			go func() { closedWrite <- c.CloseWrite() }()
			require.NoError(t, returned(t, closedWrite, "CloseWrite", h.soFar()), "CloseWrite.\n%s", h.soFar())
			h.expectSegment(Segment{Seq: 1001, Ack: 5001, Flags: FIN | ACK}, "CloseWrite sends a FIN")
			h.send(Segment{Seq: 5001, Ack: 1002, Window: 4096, Flags: ACK})
			h.expectNothing("nothing needs sending when a bare ACK arrives")
			h.send(Segment{Seq: 5001, Ack: 1002, Window: 4096, Flags: FIN | ACK, Data: []byte("bye")})
			h.expectSegment(Segment{Seq: 1002, Ack: 5005, Flags: ACK}, "the peer's last 3 bytes and its FIN (5004) arrived: acknowledge them")
			read := make(chan []byte, 1)
			go func() {
				b, _ := readAll(c)
				read <- b
			}()
			require.Equal(t, "bye", string(returned(t, read, "io.ReadAll, with the peer's bytes and FIN received,", h.soFar())),
				"reading to the end after the peer's FIN.\n%s", h.soFar())

			closed := make(chan error, 1)
			go func() { closed <- c.Close() }()
			notReturned(t, closed, "Close", h.soFar()+"\nThis side's FIN went first: CloseWrite sent it before the peer's FIN came. "+
				"So this side must linger in TIME_WAIT, even though the peer's FIN had arrived by the time Close was called: "+
				"if its ACK of that FIN was lost, the peer sends the FIN again, and only a side still there can answer. "+
				"Decide who closed first when the FIN goes (CloseWrite), not when Close is called.")
			h.sleep(time.Second)
			h.send(Segment{Seq: 5004, Ack: 1002, Window: 4096, Flags: FIN | ACK})
			h.expectSegment(Segment{Seq: 1002, Ack: 5005, Flags: ACK},
				"the peer sent its FIN again, 1s later: it never got the ACK. During TIME_WAIT, acknowledge it again")
			h.sleep(cfg.TimeWait)
			require.NoError(t, returned(t, closed, fmt.Sprintf("Close, once TimeWait (%v) has passed,", cfg.TimeWait), h.soFar()),
				"Close of a connection that closed cleanly.\n%s", h.soFar())
		})
	})

	t.Run("Close waits for its goroutine", func(t *testing.T) {
		bubble(t, func(t *testing.T) {
			p := NewPipe(Faults{})
			t.Cleanup(p.Close)
			h := newHandPeer(t, p.B)
			link := newHoldLink(p.A)
			c := handDial(t, h, link, cfg, 4096)
			t.Cleanup(link.let) // runs before closeAtEnd's Close, which would wait for the goroutine held

			h.send(Segment{Seq: 5001, Ack: 1001, Window: 4096, Flags: FIN | ACK})
			h.expectSegment(Segment{Seq: 1001, Ack: 5002, Flags: ACK}, "the peer's FIN: acknowledge it")
			closed := make(chan error, 1)
			go func() { closed <- c.Close() }()
			h.expectSegment(Segment{Seq: 1001, Ack: 5002, Flags: FIN | ACK}, "Close sends the FIN of this side")
			h.send(Segment{Seq: 5002, Ack: 1002, Window: 4096, Flags: ACK})
			synctest.Wait()
			// The link's Recv now holds the receiving goroutine once the
			// link is closed, as a busy machine may: Close must wait for it.
			select {
			case err := <-closed:
				require.NoError(t, err, "Close of a connection whose FINs were both sent and acknowledged.\n%s", h.soFar())
				require.True(t, link.isHeld(), "Close returned without closing its link: the goroutine receiving from it still waits in Recv, "+
					"and nothing will ever end it. Close the link, then wait for that goroutine to return.\n%s", h.soFar())
				t.Fatalf("Close returned while the goroutine receiving from the link was still running (the test held its Recv, "+
					"which the closed link had woken, as a busy machine may): it could still touch the connection, and whoever "+
					"called Close counts on nothing being left. After closing the link, wait for that goroutine to return "+
					"(a channel it closes as it returns, or a sync.WaitGroup), without holding the mutex it may need.\n%s", h.soFar())
			default:
			}
			require.True(t, link.isHeld(), "Close, with both FINs acknowledged and the peer's FIN first (no TIME_WAIT for this side), "+
				"has not returned and has not closed its link: close the link, then wait for the receiving goroutine.\n%s", h.soFar())
			link.let()
			require.NoError(t, returned(t, closed, "Close, once its receiving goroutine could return,", h.soFar()),
				"Close of a connection that closed cleanly.\n%s", h.soFar())
		})
	})

	t.Run("both ends, both ways", func(t *testing.T) {
		for _, faults := range []Faults{{}, {Drop: 0.2, Duplicate: 0.1, Reorder: 0.2, Corrupt: 0.05, Delay: 10 * time.Millisecond, Jitter: 5 * time.Millisecond, Seed: 3}} {
			name := "no faults"
			if faults.Drop > 0 {
				name = "a bad network"
			}
			t.Run(name, func(t *testing.T) {
				if faults.Drop > 0 {
					faults.Seed = seedFor(t, faults.Seed, func(seed uint64) string {
						f := faults
						f.Seed = seed
						return "an in-memory network with " + f.String()
					})
				}
				bubble(t, func(t *testing.T) {
					twoWays(t, faults, Config{MaxData: 500, MaxRetries: 20, TimeWait: 30 * time.Second})
				})
			})
		}
	})
}

// twoWays opens a connection over a Pipe, sends data both ways at once,
// half-closes each way and closes, checking everything that arrives and
// every FIN sent.
func twoWays(t *testing.T, faults Faults, cfg Config) {
	p := NewPipe(faults)
	t.Cleanup(p.Close)
	a, b := &tap{Link: p.A}, &tap{Link: p.B}
	accepted := goAccept(b, cfg)
	var ca, cb *Conn
	var err error
	nettest.Withinf(t, time.Minute, func() { ca, err = Dial(a, cfg) }, "Dial did not return within a minute (fake time) over %s", faults)
	require.NoError(t, err, "Dial over %s", faults)
	closeAtEnd(t, ca)
	r := <-accepted
	require.NoError(t, r.err, "Accept over %s", faults)
	cb = r.c
	closeAtEnd(t, cb)

	fromA, fromB := testData(100_000), bytes.Repeat([]byte("from b. "), 6000)
	var wg sync.WaitGroup
	var gotA, gotB []byte
	var errs [6]error
	var nA, nB int
	wg.Go(func() {
		nA, errs[0] = ca.Write(fromA)
		if errs[0] == nil {
			errs[1] = ca.CloseWrite()
		}
	})
	wg.Go(func() { gotB, errs[2] = readAll(ca) })
	wg.Go(func() {
		nB, errs[3] = cb.Write(fromB)
		if errs[3] == nil {
			errs[5] = cb.CloseWrite()
		}
	})
	wg.Go(func() { gotA, errs[4] = readAll(cb) })
	t.Cleanup(func() {
		for _, end := range []struct {
			name string
			l    *tap
		}{{"a", a}, {"b", b}} {
			if end.l.stormed() {
				t.Errorf("%s sent more than %d segments to move %d and %d bytes: a bare ACK must not be acknowledged, or two ends answer each other for ever", end.name, tapLimit, len(fromA), len(fromB))
			}
		}
		if t.Failed() {
			aToB, bToA := p.Stats()
			t.Logf("a sent (%v):\n%s\nb sent (%v):\n%s", aToB, describe(a.segments()), bToA, describe(b.segments()))
		}
	})
	nettest.Withinf(t, 10*time.Minute, wg.Wait, "sending %d bytes one way and %d the other over %s did not finish within 10 minutes (fake time)", len(fromA), len(fromB), faults)
	for i, what := range []string{"a's Write", "a's CloseWrite", "a reading to the end", "b's Write", "b reading to the end", "b's CloseWrite"} {
		require.NoError(t, errs[i], "%s over %s", what, faults)
	}
	require.Equal(t, len(fromA), nA, "a's Write of %d bytes returned n = %d and no error: Write takes all of p, or returns an error", len(fromA), nA)
	require.Equal(t, len(fromB), nB, "b's Write of %d bytes returned n = %d and no error: Write takes all of p, or returns an error", len(fromB), nB)
	require.True(t, bytes.Equal(gotA, fromA), "what b read of what a sent, over %s: %s%s", faults, firstDifference(gotA, fromA), endedEarly(gotA, fromA))
	require.True(t, bytes.Equal(gotB, fromB), "what a read of what b sent (until b's FIN), over %s: %s%s", faults, firstDifference(gotB, fromB), endedEarly(gotB, fromB))
	_, err = ca.Write([]byte("more"))
	assert.ErrorIs(t, err, net.ErrClosed, "Write after CloseWrite should return an error that wraps net.ErrClosed")

	var closeA, closeB error
	var cw sync.WaitGroup
	cw.Go(func() { closeB = cb.Close() })
	cw.Go(func() { closeA = ca.Close() })
	nettest.Withinf(t, 10*time.Minute, cw.Wait, "closing both ends over %s did not finish within 10 minutes (fake time)", faults)
	require.NoError(t, closeA, "a's Close over %s", faults)
	require.NoError(t, closeB, "b's Close over %s", faults)
	if faults == (Faults{}) {
		for _, end := range []struct {
			name string
			l    *tap
		}{{"a", a}, {"b", b}} {
			assert.Equal(t, 1, end.l.count(FIN), "%s sent %d FINs over a network that loses nothing: one, after its last byte.\n%s sent:\n%s",
				end.name, end.l.count(FIN), end.name, describe(end.l.segments()))
			assert.Equal(t, 1, end.l.count(SYN), "%s sent %d SYNs over a network that loses nothing: one.\n%s sent:\n%s",
				end.name, end.l.count(SYN), end.name, describe(end.l.segments()))
		}
	}
}
