package rstream

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// wire records the segments both ends of a Pipe send, in the order they
// send them, to check one against what the other advertised.
type wire struct {
	mu     sync.Mutex
	events []wireEvent
}

type wireEvent struct {
	from string
	seg  Segment
}

type wireEnd struct {
	Link
	w    *wire
	name string
}

func (e *wireEnd) Send(b []byte) error {
	if seg, err := Parse(b); err == nil {
		e.w.mu.Lock()
		e.w.events = append(e.w.events, wireEvent{e.name, seg})
		e.w.mu.Unlock()
	}
	return e.Link.Send(b)
}

// Move a stream intact, efficiently and within the receiver's window, over a bad network and real UDP.
func TestTask7EndToEnd(t *testing.T) {
	t.Run("a window update", func(t *testing.T) {
		bubble(t, windowUpdate)
	})

	t.Run("a slow reader", func(t *testing.T) {
		faults := Faults{Drop: 0.05, Duplicate: 0.05, Delay: 5 * time.Millisecond, Jitter: 2 * time.Millisecond, Seed: 5}
		faults.Seed = seedFor(t, faults.Seed, func(seed uint64) string {
			f := faults
			f.Seed = seed
			return "an in-memory network with " + f.String() + "; the reader takes 1000 bytes every 10ms"
		})
		bubble(t, func(t *testing.T) { slowReader(t, faults) })
	})

	t.Run("a flood of SYNs", func(t *testing.T) {
		bubble(t, synFlood)
	})

	t.Run("1 MiB through netsim", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		t.Cleanup(func() { goleak.VerifyNone(t, before) }) // registered first: runs last
		opts := netsim.UDPOptions{Drop: 0.03, Duplicate: 0.03, Reorder: 0.05, Delay: 500 * time.Microsecond,
			Jitter: 500 * time.Microsecond, ReorderHold: 2 * time.Millisecond, Seed: 1}
		opts.Seed = seedFor(t, opts.Seed, func(seed uint64) string {
			return fmt.Sprintf("real UDP on loopback through netsim's proxy: drop %g%%, duplicate %g%%, reorder %g%% (held up to %v), delay %v±%v, seed %d",
				100*opts.Drop, 100*opts.Duplicate, 100*opts.Reorder, opts.ReorderHold, opts.Delay, opts.Jitter, seed)
		})
		throughNetsim(t, opts)
	})
}

// windowUpdate fills a connection's receive buffer by hand, so that its
// window closes, and checks that the Read that empties the buffer tells the
// peer at once. Without that window update the writer learns that the
// window opened only when its next probe is answered, an RTO later, every
// time the reader falls behind: the slow reader's transfer still succeeds,
// just slowly, so it is checked here, segment by segment.
func windowUpdate(t *testing.T) {
	p := NewPipe(Faults{})
	t.Cleanup(p.Close)
	h := newHandPeer(t, p.B)
	cfg := Config{MaxData: 1000, RecvBuffer: 3000, TimeWait: time.Second, ISN: fixedISN(1000)}
	dialed := goDial(p.A, cfg)
	h.expectSegment(Segment{Seq: 1000, Flags: SYN}, "Dial starts with a SYN")
	h.send(Segment{Seq: 5000, Ack: 1001, Window: 4096, Flags: SYN | ACK})
	h.expectSegment(Segment{Seq: 1001, Ack: 5001, Flags: ACK}, "the ACK of the peer's SYN")
	r := returned(t, dialed, "Dial, after the SYN|ACK arrived and was acknowledged,", h.soFar())
	require.NoError(t, r.err, "Dial returned an error after a correct handshake.\n%s", h.soFar())
	c := r.c
	closeAtEnd(t, c)

	data := testData(3000)
	for i, seq := range []uint32{5001, 6001, 7001} {
		h.send(Segment{Seq: seq, Ack: 1001, Window: 4096, Flags: ACK, Data: data[1000*i : 1000*(i+1)]})
		ack := h.expectSegment(Segment{Seq: 1001, Ack: seq + 1000, Flags: ACK}, fmt.Sprintf("the 1000 bytes from %d arrived: acknowledge them", seq))
		require.Equal(t, 2000-1000*i, int(ack.Window),
			"the window after %d bytes arrived that nobody has read yet, in a receive buffer of %d (Config.RecvBuffer): the room left.\n%s",
			1000*(i+1), cfg.RecvBuffer, h.soFar())
	}

	buf := make([]byte, 3000)
	var n int
	var err error
	call(t, "Read", func() { n, err = c.Read(buf) })
	require.NoError(t, err, "Read with 3000 bytes received.\n%s", h.soFar())
	require.Equal(t, 3000, n, "Read(p) with len(p) = 3000 and 3000 bytes received should return them all.\n%s", h.soFar())
	h.story = append(h.story, "(the test reads the 3000 bytes)")
	update := h.expect("a window update: the Read emptied the buffer, so the window last advertised as 0 is open again. " +
		"The peer cannot send until it hears so; left to its probes, it waits an RTO each time. When a Read opens a window that was " +
		"smaller than a segment (MaxData), send a bare ACK with the new window at once")
	require.Equal(t, withoutWindow(Segment{Seq: 1001, Ack: 8001, Flags: ACK}), withoutWindow(update),
		"the window update is a bare ACK: it acknowledges what it did before, and carries the new window.\n%s", h.soFar())
	require.GreaterOrEqual(t, int(update.Window), cfg.MaxData,
		"the window update advertises win=%d after the reader emptied a buffer of %d: the window is the room in the buffer.\n%s",
		update.Window, cfg.RecvBuffer, h.soFar())
}

// slowReader sends 200 KB to a reader with a small buffer that reads 1000
// bytes every 10ms, and checks that the sender never sent beyond the
// window the receiver advertised, and that the window closed.
func slowReader(t *testing.T, faults Faults) {
	p := NewPipe(faults)
	t.Cleanup(p.Close)
	w := &wire{}
	cfg := Config{MaxData: 1000, RecvBuffer: 8000, MaxRetries: 20, TimeWait: 10 * time.Second}
	accepted := goAccept(&wireEnd{p.B, w, "reader"}, cfg)
	var writer *Conn
	var err error
	nettest.Withinf(t, time.Minute, func() { writer, err = Dial(&wireEnd{p.A, w, "writer"}, cfg) },
		"Dial over %s did not return within a minute (fake time)", faults)
	require.NoError(t, err, "Dial over %s", faults)
	closeAtEnd(t, writer)
	r := <-accepted
	require.NoError(t, r.err, "Accept over %s", faults)
	reader := r.c
	closeAtEnd(t, reader)

	data := testData(200_000)
	wrote := make(chan error, 1)
	go func() {
		_, err := writer.Write(data)
		if err == nil {
			err = writer.Close()
		}
		wrote <- err
	}()
	var got []byte
	var readErr error
	buf := make([]byte, 1000)
	nettest.Withinf(t, 30*time.Minute, func() {
		for {
			time.Sleep(10 * time.Millisecond)
			var n int
			n, readErr = strict{reader}.Read(buf)
			got = append(got, buf[:n]...)
			if readErr != nil {
				return
			}
		}
	}, "reading 200000 bytes, 1000 every 10ms, over %s did not end within 30 minutes (fake time)", faults)
	require.ErrorIs(t, readErr, io.EOF, "the reader's Read, after %d bytes, over %s: want io.EOF once everything was read", len(got), faults)
	require.True(t, bytes.Equal(got, data), "what the slow reader read: %s%s", firstDifference(got, data), endedEarly(got, data))
	closed := make(chan error, 1)
	go func() { closed <- reader.Close() }()
	var writeErr, closeErr error
	nettest.Withinf(t, 10*time.Minute, func() { writeErr, closeErr = <-wrote, <-closed },
		"the writer's Close and the reader's did not both return within 10 minutes (fake time) over %s", faults)
	require.NoError(t, writeErr, "the writer's Write and Close")
	require.NoError(t, closeErr, "the reader's Close")

	// Replay the wire: each data segment must end within the furthest right
	// edge (ack + window) the reader had advertised before it was sent, or
	// one beyond it for a probe.
	w.mu.Lock()
	events := append([]wireEvent(nil), w.events...)
	w.mu.Unlock()
	var edge uint32
	var known, zero bool
	var dataSegs int
	for i, e := range events {
		switch {
		case e.from == "reader" && e.seg.Flags&ACK != 0:
			if right := e.seg.Ack + uint32(e.seg.Window); !known || int32(right-edge) > 0 {
				edge, known = right, true
			}
			zero = zero || e.seg.Window == 0
		case e.from == "writer" && len(e.seg.Data) > 0:
			dataSegs++
			end := e.seg.Seq + uint32(len(e.seg.Data))
			if known && int32(end-(edge+1)) > 0 {
				lo := max(0, i-12)
				var recent []string
				for _, e := range events[lo : i+1] {
					recent = append(recent, fmt.Sprintf("%s: %v", e.from, e.seg))
				}
				t.Fatalf("The writer sent %v, which ends at %d, but the furthest the reader had allowed (its ack + window) was %d: "+
					"never send beyond the window the receiver advertises (one byte beyond, to probe a zero window, is fine).\n"+
					"The last segments on the wire:\n  %s", e.seg, end, edge, strings.Join(recent, "\n  "))
			}
		}
	}
	assert.True(t, zero, "the reader never advertised a zero window, although it read only 1000 bytes every 10ms into a buffer of %d: "+
		"the window is the room left in the buffer (RecvBuffer minus the bytes not yet read)", cfg.RecvBuffer)
	limit := 2 * len(data) / cfg.MaxData
	assert.LessOrEqual(t, dataSegs, limit,
		"the writer sent %d segments with data to move %d bytes in segments of up to %d: more than twice what it takes (%d), over a network that loses 5%%",
		dataSegs, len(data), cfg.MaxData, len(data)/cfg.MaxData)
}

// throughNetsim sends 1 MiB over real UDP through netsim's proxy to a
// Listener, which answers with what it got, and checks that every byte
// arrived, how many datagrams it took, and that nothing is left running.
func throughNetsim(t *testing.T, opts netsim.UDPOptions) {
	const size = 1 << 20
	cfg := Config{TimeWait: 300 * time.Millisecond}
	data := testData(size)

	l := Listen(nettest.ListenPacket(t), cfg)
	t.Cleanup(func() { l.Close() })
	p := netsimtest.UDP(t, l.Addr().String(), opts)
	proxy, err := net.ResolveUDPAddr("udp", p.Addr())
	require.NoError(t, err)

	type served struct {
		n       int
		sum     [32]byte
		err     error
		closeEr error
	}
	link := UDPLink(nettest.ListenPacket(t), proxy)
	server := make(chan served, 1)
	go func() {
		var s served
		defer func() {
			server <- s
			if s.err != nil || s.closeEr != nil {
				// The client may be waiting for what the server will never
				// send now: end its wait, so that the test says at once why
				// (the result is on the channel first).
				link.Close()
			}
		}()
		c, err := l.Accept()
		if err != nil {
			s.err = fmt.Errorf("the Listener's Accept: %w", err)
			return
		}
		h := sha256.New()
		n, err := io.Copy(h, strict{c})
		s.n, s.err = int(n), err
		copy(s.sum[:], h.Sum(nil))
		if err == nil {
			_, s.err = fmt.Fprintf(c, "%d bytes, sha256 %x\n", n, s.sum)
		}
		s.closeEr = c.Close()
	}()

	const limit = 60 * time.Second
	var reply, step string
	var closeErr error
	nettest.Within(t, limit, fmt.Sprintf("sending 1 MiB through the proxy and closing (it takes a second or two; the limit is %v)", limit), func() {
		step = "Dial through the proxy"
		c, dialErr := Dial(link, cfg)
		if err = dialErr; err != nil {
			return
		}
		defer c.Close()
		step = "Write of 1 MiB through the proxy"
		if _, err = c.Write(data); err != nil {
			return
		}
		step = "CloseWrite after the 1 MiB"
		if err = c.CloseWrite(); err != nil {
			return
		}
		step = "reading the server's answer after sending 1 MiB and CloseWrite"
		r := bufio.NewReader(strict{c})
		if reply, err = r.ReadString('\n'); err != nil {
			return
		}
		step = "reading to the end after the server's answer (the server closes)"
		var rest []byte
		if rest, err = io.ReadAll(r); err == nil && len(rest) > 0 {
			err = fmt.Errorf("%q arrived after the answer", rest)
		}
		if err != nil {
			return
		}
		step = "the client's Close"
		closeErr = c.Close()
	})
	if err != nil {
		// The server may have failed first, which is the cause: say so.
		select {
		case s := <-server:
			require.NoError(t, s.err, "the server reading the 1 MiB to the end and answering (then the client's %s failed too: %v)", step, err)
			require.NoError(t, s.closeEr, "the server's Close, after it answered (then the client's %s failed too: %v)", step, err)
		default:
		}
	}
	require.NoError(t, err, "%s", step)
	s := <-server
	require.NoError(t, s.err, "the server reading the 1 MiB to the end and answering")
	want := sha256.Sum256(data)
	require.Equal(t, fmt.Sprintf("%d bytes, sha256 %x", size, want), fmt.Sprintf("%d bytes, sha256 %x", s.n, s.sum),
		"what the server received is not what the client sent")
	require.Equal(t, fmt.Sprintf("%d bytes, sha256 %x\n", size, want), reply, "the server's answer, as the client read it")
	require.NoError(t, closeErr, "the client's Close")
	require.NoError(t, s.closeEr, "the server's Close")

	p.Close() // the counters are final once Close returns
	st := p.Stats()
	least := size/DefaultMaxData + 3 // the data, the SYN, the ACK of the SYN|ACK, the FIN
	bound := least * 3 / 2
	assert.LessOrEqual(t, int(st.ToServer.In), bound,
		"the client sent %d datagrams to move 1 MiB in segments of %d bytes: it takes at least %d, and over a network that loses %g%% "+
			"a careful sender needs a few percent more, not half as many again (the bound is %d). Send again only the oldest segment "+
			"when its timer expires, not everything in flight, and do not let the timer fire early (the RTO comes from measured round trips).\nThe proxy counted: %v",
		st.ToServer.In, DefaultMaxData, least, 100*opts.Drop, bound, st)
	assert.LessOrEqual(t, int(st.ToClient.In), bound,
		"the server sent %d datagrams to acknowledge about %d: one acknowledgement per segment that arrives is plenty (the bound is %d).\nThe proxy counted: %v",
		st.ToClient.In, least, bound, st)
}

// synFlood sends a Listener more SYNs, each from an address of its own,
// than it has room for, from peers that never answer its SYN-ACKs: it
// holds at most Backlog handshakes, and ends them all when closed.
func synFlood(t *testing.T) {
	pc := &floodConn{in: make(chan floodDatagram, Backlog+50), done: make(chan struct{})}
	l := Listen(pc, Config{})
	for i := range Backlog + 50 {
		syn := Segment{Seq: uint32(i), Flags: SYN}.Marshal()
		pc.in <- floodDatagram{syn, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 10000 + i}}
	}
	synctest.Wait() // every SYN read, every handshake waiting for its peer
	l.mu.Lock()
	held := len(l.peers)
	l.mu.Unlock()
	assert.LessOrEqual(t, held, Backlog,
		"%d SYNs from peers that never answer: the Listener holds a handshake for %d of them; Backlog is %d (listen.go is given: git checkout it if you changed it)",
		Backlog+50, held, Backlog)
	require.NoError(t, l.Close())
}

// floodConn is a PacketConn that delivers the datagrams put in in, and
// sends nowhere.
type floodConn struct {
	in   chan floodDatagram
	done chan struct{}
	once sync.Once
}

type floodDatagram struct {
	b    []byte
	from net.Addr
}

func (c *floodConn) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case d := <-c.in:
		return copy(b, d.b), d.from, nil
	case <-c.done:
		return 0, nil, net.ErrClosed
	}
}

func (c *floodConn) WriteTo(b []byte, _ net.Addr) (int, error) {
	select {
	case <-c.done:
		return 0, net.ErrClosed
	default:
		return len(b), nil
	}
}

func (c *floodConn) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

func (c *floodConn) LocalAddr() net.Addr              { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9} }
func (c *floodConn) SetDeadline(time.Time) error      { return nil }
func (c *floodConn) SetReadDeadline(time.Time) error  { return nil }
func (c *floodConn) SetWriteDeadline(time.Time) error { return nil }
