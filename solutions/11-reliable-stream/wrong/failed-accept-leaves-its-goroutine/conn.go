package rstream

import (
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Conn is a reliable byte stream to a peer over a Link, what a net.Conn is
// over TCP: every byte written on one side is read on the other once, in
// order, or the connection reports an error.
//
// A Conn runs one goroutine of its own, which receives from the link, and a
// timer for retransmissions. Everything else happens in the caller's
// goroutine. Read and Write may be called at the same time from different
// goroutines.
type Conn struct {
	link Link
	cfg  Config

	mu      sync.Mutex
	changed *sync.Cond // broadcast when anything a caller may wait for changes
	snd     *Sender
	rcv     *Receiver
	passive bool        // opened by Accept: silent until the peer's SYN arrives
	timer   *time.Timer // the retransmission timer

	advertised  uint16 // the window in the latest segment sent
	err         error  // why the connection ended: Read and Write return it
	writeClosed bool   // CloseWrite or Close has been called
	closed      bool   // Close has been called
	finFirst    bool   // our FIN went before the peer's had arrived: linger after

	readerDone chan struct{} // closed when the receiving goroutine returns
}

// Dial opens a connection over link: it sends a SYN, waits for the peer's
// SYN and the acknowledgement of its own, and acknowledges the peer's. It
// returns once both directions are open, or an error that wraps
// ErrPeerGone when the SYN has been sent MaxRetries+1 times without an
// answer. When Dial fails it closes link.
func Dial(link Link, cfg Config) (*Conn, error) {
	c := start(link, cfg, false)
	if err := c.waitOpen(); err != nil {
		c.shutdown()
		return nil, fmt.Errorf("rstream: dial: %w", err)
	}
	return c, nil
}

// Accept waits on link for a peer's SYN, answers it with a SYN of its own
// that acknowledges the peer's, and returns once the peer has acknowledged
// it. It waits for the SYN until link is closed, and then returns an error
// that wraps net.ErrClosed; once the SYN has come, it gives up as Dial does.
// When Accept fails it closes link.
func Accept(link Link, cfg Config) (*Conn, error) {
	c := start(link, cfg, true)
	if err := c.waitOpen(); err != nil {
		// fail has closed the link, so the receiving goroutine ends.
		return nil, fmt.Errorf("rstream: accept: %w", err)
	}
	return c, nil
}

// start makes a connection and starts its goroutine and its timer; Dial's
// sends the SYN at once.
func start(link Link, cfg Config, passive bool) *Conn {
	cfg = cfg.WithDefaults()
	c := &Conn{link: link, cfg: cfg, passive: passive, readerDone: make(chan struct{}),
		snd: NewSender(cfg.NewISN(), cfg), rcv: NewReceiver(cfg.RecvBuffer)}
	c.changed = sync.NewCond(&c.mu)
	c.timer = time.AfterFunc(time.Hour, c.onTimer)
	c.timer.Stop()
	go c.receive()
	c.mu.Lock()
	c.flush(time.Now())
	c.mu.Unlock()
	return c
}

// waitOpen waits until both SYNs have been acknowledged, or the connection
// fails.
func (c *Conn) waitOpen() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.err == nil && !c.open() {
		c.changed.Wait()
	}
	return c.err
}

func (c *Conn) open() bool {
	_, _, synced := c.rcv.Ack()
	return synced && c.snd.SYNAcked()
}

// receive hands every segment that arrives to handle, until the link fails
// or is closed. A datagram that is not a segment (damaged, most likely) is
// dropped, as if it had been lost.
func (c *Conn) receive() {
	defer close(c.readerDone)
	buf := make([]byte, MaxDatagram)
	for {
		n, err := c.link.Recv(buf)
		if err != nil {
			c.mu.Lock()
			c.fail(err)
			c.mu.Unlock()
			return
		}
		seg, err := Parse(buf[:n])
		if err != nil {
			continue
		}
		c.mu.Lock()
		c.handle(seg, time.Now())
		c.mu.Unlock()
	}
}

// handle takes one segment from the peer: its data and FIN go to the
// Receiver, its acknowledgement to the Sender, which may then send more. A
// segment that occupies sequence numbers is acknowledged even if it was a
// duplicate (the peer is waiting for that acknowledgement), on a segment
// with data if one goes out anyway, else on a bare ACK. c.mu is held.
func (c *Conn) handle(seg Segment, now time.Time) {
	if c.err != nil {
		return
	}
	c.rcv.Receive(seg)
	if seg.Flags&ACK != 0 {
		c.snd.Ack(seg.Ack, seg.Window, now)
	}
	if sent := c.flush(now); sent == 0 && seg.Len() > 0 {
		c.sendAck()
	}
	c.changed.Broadcast()
}

// flush sends whatever the Sender has to send now and sets the timer; it
// returns how many segments went out. A connection opened by Accept sends
// nothing before the peer's SYN. c.mu is held.
func (c *Conn) flush(now time.Time) int {
	if _, _, synced := c.rcv.Ack(); c.passive && !synced {
		return 0
	}
	segs := c.snd.Segments(now)
	for _, seg := range segs {
		c.transmit(seg)
	}
	c.setTimer(now)
	return len(segs)
}

// transmit sends one segment, acknowledging what the Receiver has received
// (once there is something to acknowledge). A failed send is a lost
// datagram, which retransmission takes care of. c.mu is held.
func (c *Conn) transmit(seg Segment) {
	if ack, window, ok := c.rcv.Ack(); ok {
		seg.Flags |= ACK
		seg.Ack, seg.Window = ack, window
		c.advertised = window
	}
	c.link.Send(seg.Marshal())
}

// sendAck sends a bare ACK, once there is something to acknowledge. c.mu
// is held.
func (c *Conn) sendAck() {
	if _, _, ok := c.rcv.Ack(); !ok {
		return
	}
	c.transmit(Segment{Seq: c.snd.NextSeq()})
}

// setTimer sets the retransmission timer to the Sender's deadline, or stops
// it. c.mu is held.
func (c *Conn) setTimer(now time.Time) {
	if deadline, ok := c.snd.Deadline(); ok {
		c.timer.Reset(deadline.Sub(now))
	} else {
		c.timer.Stop()
	}
}

// onTimer runs when the retransmission timer fires: it sends again what
// the Sender says, or ends the connection when the Sender gives up.
func (c *Conn) onTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	deadline, ok := c.snd.Deadline()
	if c.err != nil || !ok {
		return
	}
	now := time.Now()
	if now.Before(deadline) { // the deadline moved since the timer was set
		c.setTimer(now)
		return
	}
	segs, err := c.snd.Timeout(now)
	if err != nil {
		c.fail(err)
		return
	}
	for _, seg := range segs {
		c.transmit(seg)
	}
	c.setTimer(now)
}

// fail ends the connection with err: the timer stops, the link is closed
// (which ends the receiving goroutine), and every caller waiting wakes up
// to return the error. c.mu is held.
func (c *Conn) fail(err error) {
	if c.err == nil {
		c.err = err
	}
	c.timer.Stop()
	c.link.Close()
	c.changed.Broadcast()
}

// shutdown ends the connection if it has not ended, and waits for its
// goroutine.
func (c *Conn) shutdown() {
	c.mu.Lock()
	c.fail(net.ErrClosed)
	c.mu.Unlock()
	<-c.readerDone
}

// Write sends p: it waits until every byte of p is in the Sender's buffer
// (while the buffer is full, the peer has not acknowledged enough yet), and
// returns len(p) and nil. It does not wait for the bytes to be
// acknowledged. It returns early with the connection's error when the
// connection fails, and with an error that wraps net.ErrClosed after
// CloseWrite or Close.
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	written := 0
	for {
		switch {
		case c.err != nil:
			return written, c.err
		case c.writeClosed:
			return written, fmt.Errorf("rstream: write after close: %w", net.ErrClosed)
		}
		written += c.snd.Write(p[written:])
		c.flush(time.Now())
		if written == len(p) {
			return written, nil
		}
		c.changed.Wait()
	}
}

// Read waits until bytes from the peer are there to read, and copies them
// into p. It returns io.EOF once the peer has closed its direction (its FIN
// arrived in order) and every byte before it has been read, the
// connection's error if it fails, and an error that wraps net.ErrClosed
// after Close.
//
// Reading frees room in the receive buffer. When that opens a window that
// was too small for a full segment, Read tells the peer at once with a bare
// ACK (a window update), instead of leaving it to probe.
func (c *Conn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		switch {
		case c.closed:
			return 0, fmt.Errorf("rstream: read after close: %w", net.ErrClosed)
		case c.rcv.Buffered() > 0:
			n := c.rcv.Read(p)
			threshold := min(c.cfg.MaxData, c.cfg.RecvBuffer/2)
			if _, window, _ := c.rcv.Ack(); int(c.advertised) < threshold && int(window) >= threshold && c.err == nil {
				c.sendAck()
			}
			return n, nil
		case c.rcv.Finished():
			return 0, io.EOF
		case c.err != nil:
			return 0, c.err
		}
		c.changed.Wait()
	}
}

// CloseWrite closes the sending direction: a FIN goes after the last byte
// written, and the peer's Read returns io.EOF once it has read them all.
// Reading goes on. It does not wait.
func (c *Conn) CloseWrite() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.closeWrite()
	return nil
}

// closeWrite queues the FIN, once. c.mu is held.
func (c *Conn) closeWrite() {
	if c.writeClosed {
		return
	}
	c.writeClosed = true
	c.finFirst = !c.rcv.Finished()
	c.snd.Close()
	c.flush(time.Now())
}

// Close closes the connection: it sends a FIN after the last byte written
// (if CloseWrite has not), and waits
//
//  1. until the peer has acknowledged every byte and the FIN, or is gone:
//     then Close returns an error that wraps ErrPeerGone;
//  2. for the peer's FIN, at most TimeWait;
//  3. if this side's FIN went first and the peer's has come, TimeWait more
//     (TIME_WAIT): if the peer's FIN comes again, its acknowledgement was
//     lost, and this side sends it again; without that, the peer could not
//     close cleanly.
//
// Then it closes the link, and returns once the connection's goroutine has
// ended: nothing is left running. A Read or Write waiting in another
// goroutine returns an error that wraps net.ErrClosed. Data that arrives
// after Close is never read.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return fmt.Errorf("rstream: close: %w", net.ErrClosed)
	}
	c.closed = true
	c.changed.Broadcast()
	if c.err == nil {
		c.closeWrite()
	}
	for c.err == nil && !c.snd.Done() {
		c.changed.Wait()
	}
	if c.err == nil {
		c.linger(c.rcv.Finished)
		if c.finFirst && c.rcv.Finished() {
			c.linger(func() bool { return false })
		}
	}
	err := c.err
	c.mu.Unlock()
	c.shutdown()
	return err
}

// linger waits until done reports true, the connection fails, or TimeWait
// has passed, answering whatever the peer sends meanwhile. c.mu is held.
func (c *Conn) linger(done func() bool) {
	expired := false
	t := time.AfterFunc(c.cfg.TimeWait, func() {
		c.mu.Lock()
		expired = true
		c.changed.Broadcast()
		c.mu.Unlock()
	})
	defer t.Stop()
	for c.err == nil && !expired && !done() {
		c.changed.Wait()
	}
}
