package framing

import (
	"errors"
	"io"
)

// LengthWriter writes length-prefixed messages to an io.Writer
// (tasks 6, 9 and 10).
type LengthWriter struct {
	w io.Writer
	// TODO: add anything else WriteMessage needs (perhaps nothing).
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
	// TODO: make one slice of HeaderSize+len(msg) bytes, put the length in
	// its first four with binary.BigEndian.PutUint32, copy msg after them,
	// and hand it to lw.w.Write once. (Tasks 6, 9 and 10)
	return errors.New("TODO: implement LengthWriter.WriteMessage (task 6)")
}

// LengthReader reads length-prefixed messages from an io.Reader
// (tasks 7 to 9).
type LengthReader struct {
	// TODO: add what ReadMessage needs: the reader, the limit, and the error
	// that stopped it.
}

// NewLengthReader returns a LengthReader that reads from r and accepts
// messages of at most limit bytes (the header not counted). A negative limit
// counts as 0, which accepts only empty messages.
func NewLengthReader(r io.Reader, limit int) *LengthReader {
	// TODO: keep r and limit.
	return &LengthReader{}
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
	// TODO: read the header with io.ReadFull, check the length against the limit,
	// then read exactly that many bytes with io.ReadFull. Mind what
	// io.ReadFull returns when the stream ends before the message does, and
	// remember the error for the next call. (Tasks 7 to 9)
	return nil, errors.New("TODO: implement LengthReader.ReadMessage (task 7)")
}
