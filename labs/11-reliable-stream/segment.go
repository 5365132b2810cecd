package rstream

import "errors"

// Marshal encodes the segment as one datagram: the header laid out as the
// package documentation says, then the data, with the checksum computed
// over everything after it.
func (s Segment) Marshal() []byte {
	// TODO: make a slice of HeaderLen+len(s.Data) bytes. Put Seq, Ack,
	// Window and Flags at their offsets with binary.BigEndian.PutUint32 and
	// PutUint16, and copy the data after the header. Last, the checksum:
	// crc32.ChecksumIEEE of every byte from offset 4 on, into the first
	// four. (Task 1)
	return nil
}

// Parse decodes a datagram into a segment. It returns an error that wraps
// ErrBadSegment when the datagram is shorter than a header, when its
// checksum does not match the rest of it (it was damaged on the way), or
// when a flag other than SYN, ACK and FIN is set.
//
// The segment's Data is a copy, or nil when there is none: the caller may
// reuse b for the next datagram.
func Parse(b []byte) (Segment, error) {
	// TODO: check the length before reading any field. Compute the
	// checksum of b[4:] and compare it with the one in b[0:4]. Read each
	// field with binary.BigEndian.Uint32 and Uint16, refuse unknown flags,
	// and copy the data out of b. Every error wraps ErrBadSegment:
	// fmt.Errorf("%w: ...", ErrBadSegment, ...). (Task 1)
	return Segment{}, errors.New("TODO: implement Parse (task 1)")
}
