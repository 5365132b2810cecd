package rstream

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// marshal calls s.Marshal, failing the test if it panics.
func marshal(t *testing.T, s Segment) []byte {
	t.Helper()
	var b []byte
	call(t, fmt.Sprintf("Marshal of %v", s), func() { b = s.Marshal() })
	return b
}

// parse calls Parse, failing the test if it panics.
func parse(t *testing.T, b []byte) (Segment, error) {
	t.Helper()
	var s Segment
	var err error
	call(t, fmt.Sprintf("Parse of %d bytes % x", len(b), b), func() { s, err = Parse(b) })
	return s, err
}

// hexFields shows a datagram as the header's fields, for a message.
func hexFields(b []byte) string {
	if len(b) < HeaderLen {
		return fmt.Sprintf("% x (%d bytes, shorter than a header)", b, len(b))
	}
	return fmt.Sprintf("checksum % x | seq % x | ack % x | window % x | flags % x | data % x",
		b[0:4], b[4:8], b[8:12], b[12:14], b[14:16], b[16:])
}

// seal sets a datagram's checksum, as a correct sender computes it.
func seal(b []byte) []byte {
	binary.BigEndian.PutUint32(b, crc32.ChecksumIEEE(b[4:]))
	return b
}

// Encode and decode segments, and reject every datagram that is too short, damaged, or not ours.
func TestTask1Segments(t *testing.T) {
	t.Run("format", testSegmentFormat)
	t.Run("damage", testSegmentDamage)
}

// testSegmentFormat encodes a segment as the header's layout says, and
// decodes it back.
func testSegmentFormat(t *testing.T) {
	s := Segment{Seq: 0x01020304, Ack: 0xa0b0c0d0, Window: 0x1234, Flags: SYN | ACK, Data: []byte("hi")}
	want := seal([]byte{0, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0, 0x12, 0x34, 0x00, 0x12, 'h', 'i'})
	got := marshal(t, s)
	require.Equal(t, hexFields(want), hexFields(got),
		"Marshal of %v: every field big-endian, at the offsets the package documentation gives, "+
			"and the checksum crc32.ChecksumIEEE of every byte after the checksum itself", s)

	back, err := parse(t, want)
	require.NoError(t, err, "Parse of a correct segment (%s) returned an error", hexFields(want))
	assert.Equal(t, s, back, "Parse(%s) should give back the segment it encodes", hexFields(want))

	for _, s := range []Segment{
		{Seq: 7, Flags: SYN},
		{Seq: 4294967295, Ack: 1, Window: 65535, Flags: SYN | ACK},
		{Seq: 8, Ack: 4294967295, Window: 0, Flags: ACK},
		{Seq: 8, Ack: 2, Window: 512, Flags: ACK, Data: []byte("hello, 世界")},
		{Seq: 100000, Ack: 3, Window: 1, Flags: FIN | ACK, Data: bytes.Repeat([]byte{0, 0xff}, DefaultMaxData/2)},
		{Seq: 5, Ack: 6, Window: 7, Flags: FIN | ACK},
	} {
		b := marshal(t, s)
		require.Len(t, b, HeaderLen+len(s.Data), "Marshal of %v: a segment is a %d-byte header and its data", s, HeaderLen)
		back, err := parse(t, b)
		require.NoError(t, err, "Parse(Marshal(%v)) returned an error", s)
		if len(s.Data) == 0 {
			require.Empty(t, back.Data, "Parse(Marshal(%v)): a segment without data should come back without data", s)
			back.Data = s.Data
		}
		require.Equal(t, s, back, "Parse(Marshal(s)) should give back s")
	}

	// The caller reuses its buffer for the next datagram: the segment must
	// not see that.
	buf := marshal(t, Segment{Seq: 1, Flags: ACK, Data: []byte("first")})
	first, err := parse(t, buf)
	require.NoError(t, err)
	copy(buf[HeaderLen:], "XXXXX")
	assert.Equal(t, "first", string(first.Data),
		"Parse returned Data that still points into the caller's buffer: when the next datagram is read into it, "+
			"the segment's data changes. Copy the data out (append([]byte(nil), ...)).")
}

// testSegmentDamage rejects every datagram that is too short, damaged, or
// flagged with what this protocol does not have.
func testSegmentDamage(t *testing.T) {
	// ACK seq=1000 ack=2000 win=4096, and 27 bytes of data.
	good, _ := hex.DecodeString("3f7f2720" + "000003e8" + "000007d0" + "1000" + "0010" + hex.EncodeToString([]byte("a datagram of forty bytes..")))
	seg, err := parse(t, good)
	require.NoError(t, err, "Parse of a correct segment (%s) returned an error", hexFields(good))
	require.Equal(t, "ACK seq=1000 ack=2000 win=4096 len=27", seg.String(), "Parse of %s", hexFields(good))

	for n := 0; n < HeaderLen; n++ {
		_, err := parse(t, good[:n])
		require.ErrorIs(t, err, ErrBadSegment,
			"Parse of %d bytes: shorter than a %d-byte header, so not a segment; return an error that wraps ErrBadSegment (fmt.Errorf with %%w), "+
				"and check the length before reading any field", n, HeaderLen)
	}

	// Every single bit flipped, one at a time: the checksum catches each.
	for bit := 0; bit < 8*len(good); bit++ {
		bad := bytes.Clone(good)
		bad[bit/8] ^= 1 << (bit % 8)
		_, err := parse(t, bad)
		require.ErrorIs(t, err, ErrBadSegment,
			"Parse of a segment with bit %d of byte %d flipped on the way (%s): compute crc32.ChecksumIEEE over bytes 4 to the end "+
				"and compare it with the first four; when they differ the datagram was damaged, so return an error that wraps ErrBadSegment",
			bit%8, bit/8, fieldOf(bit/8))
	}
	for cut := 1; cut <= len(good)-HeaderLen; cut++ {
		_, err := parse(t, good[:len(good)-cut])
		require.ErrorIs(t, err, ErrBadSegment,
			"Parse of a segment missing its last %d bytes: the checksum covers the data too, all of it", cut)
	}
	_, err = parse(t, append(bytes.Clone(good), 0))
	require.ErrorIs(t, err, ErrBadSegment, "Parse of a segment with a zero byte added at the end: the checksum covers every byte after it")

	for _, f := range []uint16{0x0004, 0x0008, 0x0020, 0x8000, 0xffff} {
		bad := bytes.Clone(good)
		binary.BigEndian.PutUint16(bad[14:], f)
		_, err := parse(t, seal(bad))
		require.ErrorIs(t, err, ErrBadSegment,
			"Parse of a segment whose flags are 0x%04x (with a correct checksum): only SYN, ACK and FIN exist; "+
				"a segment with any other bit set is not one of ours", f)
	}
}

// fieldOf names the header field a byte belongs to.
func fieldOf(i int) string {
	for _, f := range []struct {
		end  int
		name string
	}{{4, "checksum"}, {8, "sequence number"}, {12, "acknowledgement number"}, {14, "window"}, {16, "flags"}} {
		if i < f.end {
			return "in the " + f.name
		}
	}
	return "in the data"
}
