package rstream

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Marshal encodes the segment as one datagram: the header laid out as the
// package documentation says, then the data, with the checksum computed
// over everything after it.
func (s Segment) Marshal() []byte {
	b := make([]byte, HeaderLen+len(s.Data))
	binary.BigEndian.PutUint32(b[4:], s.Seq)
	binary.BigEndian.PutUint32(b[8:], s.Ack)
	binary.BigEndian.PutUint16(b[12:], s.Window)
	binary.BigEndian.PutUint16(b[14:], uint16(s.Flags))
	copy(b[HeaderLen:], s.Data)
	binary.BigEndian.PutUint32(b[0:], crc32.ChecksumIEEE(b[4:]))
	return b
}

// Parse decodes a datagram into a segment. It returns an error that wraps
// ErrBadSegment when the datagram is shorter than a header, when its
// checksum does not match the rest of it (it was damaged on the way), or
// when a flag other than SYN, ACK and FIN is set.
//
// The segment's Data is a copy, or nil when there is none: the caller may
// reuse b for the next datagram.
func Parse(b []byte) (Segment, error) {
	if len(b) < HeaderLen {
		return Segment{}, fmt.Errorf("%w: %d bytes, shorter than a header (%d)", ErrBadSegment, len(b), HeaderLen)
	}
	if sum, want := crc32.ChecksumIEEE(b[4:]), binary.BigEndian.Uint32(b); sum != want {
		return Segment{}, fmt.Errorf("%w: checksum %08x, computed %08x: damaged", ErrBadSegment, want, sum)
	}
	s := Segment{
		Seq:    binary.BigEndian.Uint32(b[4:]),
		Ack:    binary.BigEndian.Uint32(b[8:]),
		Window: binary.BigEndian.Uint16(b[12:]),
		Flags:  Flags(binary.BigEndian.Uint16(b[14:])),
	}
	if unknown := s.Flags &^ (SYN | ACK | FIN); unknown != 0 {
		return Segment{}, fmt.Errorf("%w: unknown flags %v", ErrBadSegment, unknown)
	}
	if len(b) > HeaderLen {
		s.Data = append([]byte(nil), b[HeaderLen:]...)
	}
	return s, nil
}
