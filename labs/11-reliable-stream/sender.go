package rstream

import (
	"errors"
	"time"
)

// Sender is the sending half of a connection: it cuts the bytes written into
// segments, sends no more than the peer's window allows, keeps every segment
// until it is acknowledged, and sends the oldest again when its
// acknowledgement is late.
//
// A Sender does not read the clock: every method that needs the time takes
// it as now, so that tests can run it on any timeline they like.
type Sender struct {
	// TODO: what the methods need: the config (with its defaults) and an
	// RTT estimator (NewRTT); the ISN; the oldest sequence number not yet
	// acknowledged and the next one to send; the peer's window; whether
	// the SYN and the FIN have been sent and acknowledged; the bytes
	// written and not yet sent; the segments in flight, oldest first, each
	// with when it was sent and whether it was sent again; the RTO, the
	// deadline, and the timeouts in a row. (Tasks 3 and 4)
}

// NewSender returns a Sender whose SYN will carry the sequence number isn,
// configured by cfg (zero fields take their defaults).
func NewSender(isn uint32, cfg Config) *Sender {
	// TODO: cfg = cfg.WithDefaults(); the RTO starts as the estimator's,
	// which is InitialRTO. (Task 3)
	return &Sender{}
}

// Write adds as much of p to the send buffer as it has room for, and
// returns how many bytes it took. The buffer holds SendBuffer bytes: those
// not yet sent, and those sent but not yet acknowledged. After Close,
// Write takes nothing.
func (s *Sender) Write(p []byte) int {
	// TODO (task 3)
	return 0
}

// Close says that nothing more will be written: a FIN follows the last
// byte.
func (s *Sender) Close() {
	// TODO (task 3)
}

// Segments returns the segments to send now, in order, and counts them as
// in flight, sent at now.
//
// The first is the SYN, alone: nothing else is sent until it has been
// acknowledged, since until then the peer's window is not known. After
// that, new segments carry the bytes written, in order, at most MaxData in
// each, for as long as the sequence numbers in flight stay within the
// peer's window. After the last byte, once Close has been called, comes a
// FIN, which occupies a sequence number of the window too, on the last
// data segment or on its own.
//
// When the peer's window is zero and nothing is in flight, Segments sends
// one sequence number anyway (a byte, or the FIN): a probe, whose
// acknowledgement will say when the window opens again.
//
// The Sender sets data, Seq and SYN or FIN; the Conn adds the ACK flag,
// Ack and Window before sending.
func (s *Sender) Segments(now time.Time) []Segment {
	// TODO: the SYN first, on its own. Then, in a loop: the room is the
	// window minus what is in flight; cut min(unsent, MaxData, room) bytes
	// into a segment (copy them: the caller may keep the segment), add the
	// FIN when it fits, record the segment in flight with its time, move
	// the next sequence number on by seg.Len(), and start the timer if it
	// is not running (task 4). The probe of a zero window is task 5.
	// (Tasks 3, 4 and 5)
	return nil
}

// Ack takes an acknowledgement from the peer, received at now: ack is the
// next sequence number it expects, window how many it can take from there.
//
// An acknowledgement of a number never sent, or older than one already
// received, is ignored. Any other updates the window and shows that the
// peer is there: the count of timeouts in a row starts again. One that
// acknowledges something new removes every segment it covers from flight
// (cumulatively: all of them up to ack, not just one), measures a round trip
// from the oldest of them, unless one of them was sent more than once
// (Karn's rule: the acknowledgement could be for either copy), sets the
// timeout from the estimate, which ends any back-off, and restarts the
// timer for what is still in flight.
func (s *Sender) Ack(ack uint32, window uint16, now time.Time) {
	// TODO: compare sequence numbers with int32(a-b), never < or >: they
	// wrap around. (Tasks 3 and 4)
}

// Deadline returns when the oldest segment in flight is due to be sent
// again, and false when nothing is in flight (no timer runs).
func (s *Sender) Deadline() (time.Time, bool) {
	// TODO (task 4)
	return time.Time{}, false
}

// Timeout is called when the deadline has passed without an
// acknowledgement. It returns the segments to send again: the oldest one in
// flight only, since the others may well have arrived. It doubles the
// timeout (back-off: if the network is congested, sending more often makes
// it worse), up to MaxRTO, except while probing a zero window (the peer is
// there and answering, just full), and sets the next deadline.
//
// When the oldest segment has been sent MaxRetries+1 times and this is its
// last deadline, the peer is gone: Timeout returns an error that wraps
// ErrPeerGone.
func (s *Sender) Timeout(now time.Time) ([]Segment, error) {
	// TODO (tasks 4 and 5)
	return nil, errors.New("TODO: implement Sender.Timeout (task 4)")
}

// InFlight returns how many sequence numbers have been sent and not yet
// acknowledged.
func (s *Sender) InFlight() int {
	// TODO (task 3)
	return 0
}

// NextSeq returns the sequence number the next new segment will carry, which
// a bare ACK carries too.
func (s *Sender) NextSeq() uint32 {
	// TODO (task 3)
	return 0
}

// RTO returns the retransmission timeout now in force.
func (s *Sender) RTO() time.Duration {
	// TODO (task 4)
	return 0
}

// SYNAcked reports whether the peer has acknowledged the SYN.
func (s *Sender) SYNAcked() bool {
	// TODO (task 3)
	return false
}

// Done reports whether the peer has acknowledged the FIN, and so every byte
// before it.
func (s *Sender) Done() bool {
	// TODO (task 3)
	return false
}
