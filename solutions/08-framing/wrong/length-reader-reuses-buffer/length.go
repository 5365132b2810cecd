package framing

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// LengthWriter writes length-prefixed messages to an io.Writer (task 6).
type LengthWriter struct {
	w io.Writer
}

// NewLengthWriter returns a LengthWriter that writes to w.
func NewLengthWriter(w io.Writer) *LengthWriter {
	return &LengthWriter{w: w}
}

// WriteMessage writes a HeaderSize-byte header, len(msg) as a big-endian
// uint32, followed by msg itself, header and message together in a single
// call to the underlying Write, and returns Write's error. msg may hold any
// bytes, newlines included; an empty msg goes out as a header of four zero
// bytes. A msg longer than the header can count (4 GiB - 1 bytes) is
// refused with an error wrapping ErrTooLarge, and nothing is written.
//
// WriteMessage never modifies msg and keeps no buffer shared between calls:
// several goroutines may call it at once when the underlying Write is safe
// for concurrent use (a net.Conn's is).
func (lw *LengthWriter) WriteMessage(msg []byte) error {
	if uint64(len(msg)) > math.MaxUint32 {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(msg), uint64(math.MaxUint32))
	}
	// Header and message in one slice, so that one Write sends both: two
	// writes could be interleaved with another goroutine's.
	frame := make([]byte, HeaderSize+len(msg))
	binary.BigEndian.PutUint32(frame, uint32(len(msg)))
	copy(frame[HeaderSize:], msg)
	_, err := lw.w.Write(frame)
	return err
}

// LengthReader reads length-prefixed messages from an io.Reader
// (tasks 7 and 8).
type LengthReader struct {
	r      io.Reader
	limit  int
	header [HeaderSize]byte
	buf    []byte // one buffer for every message, grown when one is longer
	err    error  // the error that stopped the reader; every later call returns it
}

// NewLengthReader returns a LengthReader that reads from r and accepts
// messages of at most limit bytes (the header not counted). A negative limit
// counts as 0, which accepts only empty messages.
func NewLengthReader(r io.Reader, limit int) *LengthReader {
	return &LengthReader{r: r, limit: max(limit, 0)}
}

// ReadMessage returns the next message without its header. The slice is
// the caller's to keep: later calls never change it.
//
// It reads as many times as it takes, however the bytes arrive: a header
// or a message split over many reads, or many messages in one read.
//
// The length in a header is checked against the limit before anything is
// allocated for the message: a header that claims more than limit bytes
// (up to 4 GiB) gives an error that wraps ErrTooLarge and gives the claimed
// length and the limit, such as
// "framing: message too large: 5000 bytes, limit 4096", and allocates
// nothing.
//
// When the stream ends, ReadMessage returns io.EOF itself if it ended
// between two messages (or was empty), and io.ErrUnexpectedEOF if it ended
// inside a header or inside a message. Any other error from the underlying
// reader is returned as it is.
//
// Every error is final: once ReadMessage has returned an error, every
// later call returns that same error without reading. After a message that
// is too large the stream cannot be trusted to be in step any more (see
// the package documentation): close the connection.
func (lr *LengthReader) ReadMessage() ([]byte, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	msg, err := lr.read()
	lr.err = err
	return msg, err
}

func (lr *LengthReader) read() ([]byte, error) {
	// io.ReadFull returns io.EOF only if it read nothing at all, which here
	// is the clean end between two messages, and io.ErrUnexpectedEOF if the
	// stream ended part way through the header.
	if _, err := io.ReadFull(lr.r, lr.header[:]); err != nil {
		return nil, err
	}
	// Compare as uint64: converting a length of up to 4 GiB to int first
	// would overflow where int has 32 bits.
	n := binary.BigEndian.Uint32(lr.header[:])
	if uint64(n) > uint64(lr.limit) {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, n, lr.limit)
	}
	// Allocate only when a message is longer than any before it.
	if uint64(cap(lr.buf)) < uint64(n) {
		lr.buf = make([]byte, n) // at most limit bytes, now that n is checked
	}
	msg := lr.buf[:n]
	if _, err := io.ReadFull(lr.r, msg); err != nil {
		if err == io.EOF {
			// The header promised n > 0 bytes and none came: the stream
			// ended inside a message, which is not a clean end.
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return msg, nil
}
