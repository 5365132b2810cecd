package rstream

import (
	"fmt"
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
	cfg Config
	rtt *RTT

	isn    uint32
	una    uint32 // the oldest sequence number not yet acknowledged
	nxt    uint32 // the next sequence number to send
	window int    // the peer's window, from its latest acknowledgement

	synSent, synAcked bool
	closed            bool // no more data: a FIN follows the last byte
	finSent, finAcked bool

	unsent      []byte     // written, not yet sent
	flight      []inFlight // sent, not yet acknowledged, oldest first
	flightBytes int        // the data bytes in flight

	rto      time.Duration
	deadline time.Time // when the oldest segment in flight is due again; zero when none is
	retries  int       // timeouts in a row without any acknowledgement
}

// inFlight is a segment sent and not yet acknowledged.
type inFlight struct {
	seg   Segment
	sent  time.Time // when it was first sent
	again bool      // it has been sent more than once
}

// NewSender returns a Sender whose SYN will carry the sequence number isn,
// configured by cfg (zero fields take their defaults).
func NewSender(isn uint32, cfg Config) *Sender {
	cfg = cfg.WithDefaults()
	rtt := NewRTT(cfg)
	return &Sender{cfg: cfg, rtt: rtt, isn: isn, una: isn, nxt: isn, rto: rtt.RTO()}
}

// Write adds as much of p to the send buffer as it has room for, and
// returns how many bytes it took. The buffer holds SendBuffer bytes: those
// not yet sent, and those sent but not yet acknowledged. After Close,
// Write takes nothing.
func (s *Sender) Write(p []byte) int {
	if s.closed {
		return 0
	}
	n := min(len(p), s.cfg.SendBuffer-len(s.unsent)-s.flightBytes)
	s.unsent = append(s.unsent, p[:n]...)
	return n
}

// Close says that nothing more will be written: a FIN follows the last
// byte.
func (s *Sender) Close() { s.closed = true }

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
	if !s.synSent {
		s.synSent = true
		syn := Segment{Seq: s.isn, Flags: SYN}
		s.send(syn, now)
		return []Segment{syn}
	}
	if !s.synAcked {
		return nil
	}
	var out []Segment
	for {
		inFlight := s.InFlight()
		room := s.window - inFlight
		if s.window == 0 && inFlight == 0 {
			room = 1 // probe the closed window
		}
		n := min(len(s.unsent), s.cfg.MaxData, max(room, 0))
		// The FIN is only a flag, not data: it goes with the last byte,
		// whatever the window.
		fin := s.closed && !s.finSent && n == len(s.unsent)
		if n == 0 && !fin {
			return out
		}
		seg := Segment{Seq: s.nxt, Data: append([]byte(nil), s.unsent[:n]...)}
		if fin {
			seg.Flags |= FIN
			s.finSent = true
		}
		s.unsent = s.unsent[n:]
		s.send(seg, now)
		out = append(out, seg)
	}
}

// send counts seg as in flight, and starts the timer if it is not running.
func (s *Sender) send(seg Segment, now time.Time) {
	s.flight = append(s.flight, inFlight{seg: seg, sent: now})
	s.flightBytes += len(seg.Data)
	s.nxt += uint32(seg.Len())
	if s.deadline.IsZero() {
		s.deadline = now.Add(s.rto)
	}
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
	if !s.synSent {
		return
	}
	newly := int32(ack - s.una)
	if newly < 0 || int32(ack-s.nxt) > 0 {
		return
	}
	s.window = int(window)
	s.retries = 0
	if newly == 0 {
		return
	}
	sample, oldest := true, s.flight[0].sent
	for len(s.flight) > 0 {
		f := &s.flight[0]
		if f.again {
			sample = false
		}
		if covered := int(int32(ack - f.seg.Seq)); covered < f.seg.Len() {
			// Partly acknowledged: the peer took the first bytes only.
			f.seg.Data = f.seg.Data[covered:]
			f.seg.Seq = ack
			s.flightBytes -= covered
			break
		}
		s.synAcked = s.synAcked || f.seg.Flags&SYN != 0
		s.finAcked = s.finAcked || f.seg.Flags&FIN != 0
		s.flightBytes -= len(f.seg.Data)
		s.flight = s.flight[1:]
	}
	s.una = ack
	if sample {
		s.rtt.Sample(now.Sub(oldest))
	}
	s.rto = s.rtt.RTO()
	s.deadline = time.Time{}
	if len(s.flight) > 0 {
		s.deadline = now.Add(s.rto)
	}
}

// Deadline returns when the oldest segment in flight is due to be sent
// again, and false when nothing is in flight (no timer runs).
func (s *Sender) Deadline() (time.Time, bool) {
	return s.deadline, !s.deadline.IsZero()
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
	if len(s.flight) == 0 {
		s.deadline = time.Time{}
		return nil, nil
	}
	f := &s.flight[0]
	if s.retries >= s.cfg.MaxRetries {
		return nil, fmt.Errorf("%w: %v was sent %d times and never acknowledged", ErrPeerGone, f.seg, s.retries+1)
	}
	s.retries++
	f.again = true
	if !s.synAcked || s.window > 0 {
		s.rto = min(2*s.rto, s.cfg.MaxRTO)
	}
	s.deadline = now.Add(s.rto)
	return []Segment{f.seg}, nil
}

// InFlight returns how many sequence numbers have been sent and not yet
// acknowledged.
func (s *Sender) InFlight() int { return int(s.nxt - s.una) }

// NextSeq returns the sequence number the next new segment will carry, which
// a bare ACK carries too.
func (s *Sender) NextSeq() uint32 { return s.nxt }

// RTO returns the retransmission timeout now in force.
func (s *Sender) RTO() time.Duration { return s.rto }

// SYNAcked reports whether the peer has acknowledged the SYN.
func (s *Sender) SYNAcked() bool { return s.synAcked }

// Done reports whether the peer has acknowledged the FIN, and so every byte
// before it.
func (s *Sender) Done() bool { return s.finAcked }
