package rstream

// Receiver is the receiving half of a connection: it puts the peer's byte
// stream back together from segments that arrive in any order, any number of
// times, and says what to acknowledge.
type Receiver struct {
	// TODO: what Receive, Ack and Read need: the capacity; whether the
	// peer's SYN has come; the next sequence number expected; the bytes
	// received in order and not yet read; the bytes that arrived early
	// (a map from sequence number to data will do); and what you know of
	// the peer's FIN. (Task 2)
}

// NewReceiver returns a Receiver whose buffer holds capacity bytes (at most
// MaxWindow): the window it advertises is capacity minus the bytes received
// in order and not yet read.
func NewReceiver(capacity int) *Receiver {
	// TODO: keep the capacity, no more than MaxWindow, and make the map.
	// (Task 2)
	return &Receiver{}
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
	// TODO: a SYN sets the next number expected (ISN + 1), once. After
	// that, find where the data starts relative to the next number
	// expected: int(int32(seg.Seq - next)), negative if it starts with
	// bytes already received. Cut off what was received already and
	// (task 5) what does not fit in the window. Data that starts exactly
	// at the next number goes straight into the bytes ready to read; data
	// further on waits in the map. Then move whatever waits in the map and
	// now follows without a gap, and count the FIN once every byte before
	// it is here. (Tasks 2 and 5)
}

// Ack returns what the next segment to the peer acknowledges: the next
// sequence number expected and the window. ok is false until the peer's SYN
// has arrived, when there is nothing to acknowledge yet.
func (r *Receiver) Ack() (ack uint32, window uint16, ok bool) {
	// TODO: the window is the capacity minus the bytes waiting to be read.
	// (Tasks 2 and 5)
	return 0, 0, false
}

// Read copies bytes received in order into p, oldest first, and returns how
// many; 0 when none are waiting. What it returns is gone from the buffer,
// which opens the window by as much.
func (r *Receiver) Read(p []byte) int {
	// TODO: copy, and keep what did not fit for the next call. (Task 2)
	return 0
}

// Buffered returns how many bytes Read can return now.
func (r *Receiver) Buffered() int {
	// TODO (task 2)
	return 0
}

// Finished reports whether the peer's FIN has been received in order: after
// the bytes Buffered counts, nothing more will come.
func (r *Receiver) Finished() bool {
	// TODO (task 2)
	return false
}
