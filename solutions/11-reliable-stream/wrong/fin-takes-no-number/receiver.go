package rstream

// Receiver is the receiving half of a connection: it puts the peer's byte
// stream back together from segments that arrive in any order, any number of
// times, and says what to acknowledge.
type Receiver struct {
	capacity int
	synced   bool   // the peer's SYN has arrived
	next     uint32 // the next sequence number expected: what Ack acknowledges
	ready    []byte // received in order, not yet read

	early      map[uint32][]byte // arrived ahead of next, by sequence number
	earlyBytes int

	finSeen  bool   // the peer's FIN has arrived, perhaps ahead of some data
	finSeq   uint32 // its sequence number
	finished bool   // the FIN has been received in order: no more bytes will come
}

// NewReceiver returns a Receiver whose buffer holds capacity bytes (at most
// MaxWindow): the window it advertises is capacity minus the bytes received
// in order and not yet read.
func NewReceiver(capacity int) *Receiver {
	return &Receiver{capacity: min(max(capacity, 0), MaxWindow), early: map[uint32][]byte{}}
}

// Receive takes one segment from the peer.
//
// Before the peer's SYN, every segment is ignored. The SYN's sequence
// number is the peer's ISN, so its first byte of data has the number
// after it. A SYN carries no data in this protocol; a SYN that comes again
// (its acknowledgement was lost) changes nothing.
//
// Data that fits in the window (from Ack's number up to, not including,
// that number plus the window) is kept; anything outside it is thrown away:
// bytes already received, and bytes beyond the window. Bytes that arrive in
// order can be read at once, and so can any kept earlier that now follow
// them without a gap. A FIN counts when it too fits in the window; once
// every byte before it has arrived, it is received in order, takes its
// sequence number, and Finished reports true.
func (r *Receiver) Receive(seg Segment) {
	if seg.Flags&SYN != 0 {
		if !r.synced {
			r.synced = true
			r.next = seg.Seq + 1
		}
		return
	}
	if !r.synced || r.finished {
		return
	}
	window := r.window()
	data := seg.Data
	off := int(int32(seg.Seq - r.next)) // where the data starts, counted from next
	finOff := off + len(data)
	if off < 0 { // the start was received already
		cut := min(-off, len(data))
		data, off = data[cut:], off+cut
	}
	if end := off + len(data); end > window { // the end does not fit
		data = data[:max(window-off, 0)]
	}
	if seg.Flags&FIN != 0 && finOff >= 0 && finOff < window {
		r.finSeen, r.finSeq = true, r.next+uint32(finOff)
	}
	switch {
	case len(data) == 0:
	case off == 0:
		r.ready = append(r.ready, data...)
		r.next += uint32(len(data))
	default:
		seq := r.next + uint32(off)
		if have, ok := r.early[seq]; (!ok || len(have) < len(data)) && r.earlyBytes-len(have)+len(data) <= window {
			r.early[seq] = data
			r.earlyBytes += len(data) - len(have)
		}
	}
	r.catchUp()
	if r.finSeen && r.next == r.finSeq {
		r.finished = true // the FIN is a flag, not a byte: next stays
	}
}

// catchUp moves data kept from earlier segments into ready, for as long as
// some of it starts at or before next.
func (r *Receiver) catchUp() {
	for moved := true; moved; {
		moved = false
		for seq, data := range r.early {
			off := int(int32(seq - r.next))
			if off > 0 {
				continue
			}
			delete(r.early, seq)
			r.earlyBytes -= len(data)
			if -off < len(data) {
				r.ready = append(r.ready, data[-off:]...)
				r.next += uint32(len(data) + off)
				moved = true
			}
		}
	}
}

// window is how many more bytes the buffer can take.
func (r *Receiver) window() int {
	return r.capacity - len(r.ready)
}

// Ack returns what the next segment to the peer acknowledges: the next
// sequence number expected and the window. ok is false until the peer's SYN
// has arrived, when there is nothing to acknowledge yet.
func (r *Receiver) Ack() (ack uint32, window uint16, ok bool) {
	return r.next, uint16(r.window()), r.synced
}

// Read copies bytes received in order into p, oldest first, and returns how
// many; 0 when none are waiting. What it returns is gone from the buffer,
// which opens the window by as much.
func (r *Receiver) Read(p []byte) int {
	n := copy(p, r.ready)
	r.ready = r.ready[n:]
	return n
}

// Buffered returns how many bytes Read can return now.
func (r *Receiver) Buffered() int { return len(r.ready) }

// Finished reports whether the peer's FIN has been received in order: after
// the bytes Buffered counts, nothing more will come.
func (r *Receiver) Finished() bool { return r.finished }
