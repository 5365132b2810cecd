package rstream

import "errors"

// Conn is a reliable byte stream to a peer over a Link, what a net.Conn is
// over TCP: every byte written on one side is read on the other once, in
// order, or the connection reports an error.
//
// A Conn runs one goroutine of its own, which receives from the link, and a
// timer for retransmissions. Everything else happens in the caller's
// goroutine. Read and Write may be called at the same time from different
// goroutines.
type Conn struct {
	// TODO: the link and the config (with its defaults); a sync.Mutex that
	// guards everything, and a sync.Cond on it to wake whoever waits when
	// anything changes; a Sender and a Receiver; the retransmission timer
	// (time.AfterFunc); the error the connection ended with; whether
	// CloseWrite and Close have been called; and a channel the receiving
	// goroutine closes when it returns. (Task 6)
}

// Dial opens a connection over link: it sends a SYN, waits for the peer's
// SYN and the acknowledgement of its own, and acknowledges the peer's. It
// returns once both directions are open, or an error that wraps
// ErrPeerGone when the SYN has been sent MaxRetries+1 times without an
// answer. When Dial fails it closes link.
func Dial(link Link, cfg Config) (*Conn, error) {
	// TODO: make the Sender (ISN from cfg.NewISN()) and the Receiver
	// (cfg.RecvBuffer), and start the goroutine that receives from the
	// link: it Parses each datagram (drop what does not parse), gives the
	// segment to the Receiver and its acknowledgement to the Sender, sends
	// what the Sender has now, and acknowledges a segment that occupied
	// sequence numbers (seg.Len() > 0) with a bare ACK if nothing else went
	// out. Every segment sent carries ACK, with the Receiver's Ack and
	// window, once the peer's SYN has come. After every send, set the timer
	// to the Sender's Deadline; when it fires, send what Timeout returns.
	// Then send the SYN and wait on the Cond until the Sender's SYN is
	// acknowledged and the Receiver has the peer's, or the connection
	// fails. (Task 6; giving up is task 8)
	return nil, errors.New("TODO: implement Dial (task 6)")
}

// Accept waits on link for a peer's SYN, answers it with a SYN of its own
// that acknowledges the peer's, and returns once the peer has acknowledged
// it. It waits for the SYN until link is closed, and then returns an error
// that wraps net.ErrClosed; once the SYN has come, it gives up as Dial does.
// When Accept fails it closes link.
func Accept(link Link, cfg Config) (*Conn, error) {
	// TODO: as Dial, except that nothing is sent before the peer's SYN has
	// arrived: the first segment goes out as SYN|ACK. (Task 6)
	return nil, errors.New("TODO: implement Accept (task 6)")
}

// Write sends p: it waits until every byte of p is in the Sender's buffer
// (while the buffer is full, the peer has not acknowledged enough yet), and
// returns len(p) and nil. It does not wait for the bytes to be
// acknowledged. It returns early with the connection's error when the
// connection fails, and with an error that wraps net.ErrClosed after
// CloseWrite or Close.
func (c *Conn) Write(p []byte) (int, error) {
	// TODO: give the Sender what it takes, send what it has, and wait on
	// the Cond for room (acknowledgements make it) until all of p is taken,
	// or the connection fails. (Task 6)
	return 0, errors.New("TODO: implement Conn.Write (task 6)")
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
	// TODO (task 6; the window update is task 7)
	return 0, errors.New("TODO: implement Conn.Read (task 6)")
}

// CloseWrite closes the sending direction: a FIN goes after the last byte
// written, and the peer's Read returns io.EOF once it has read them all.
// Reading goes on. It does not wait.
func (c *Conn) CloseWrite() error {
	// TODO (task 6)
	return errors.New("TODO: implement Conn.CloseWrite (task 6)")
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
	// TODO: for the waits bounded by TimeWait, a time.AfterFunc that sets a
	// flag under the mutex and broadcasts wakes the Cond's waiters. Close
	// the link (the receiving goroutine returns), stop the timer, and wait
	// for the goroutine. (Tasks 6 and 8)
	return errors.New("TODO: implement Conn.Close (task 6)")
}
