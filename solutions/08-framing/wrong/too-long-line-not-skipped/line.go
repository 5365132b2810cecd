package framing

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// LineWriter writes newline-delimited messages to an io.Writer (task 1).
type LineWriter struct {
	w io.Writer
}

// NewLineWriter returns a LineWriter that writes to w.
func NewLineWriter(w io.Writer) *LineWriter {
	return &LineWriter{w: w}
}

// WriteMessage writes msg followed by "\n", in a single call to the
// underlying Write, and returns Write's error. A msg that contains "\n"
// is refused with ErrEmbeddedNewline and nothing is written. An empty msg
// is a message too: it goes out as a lone "\n".
//
// WriteMessage never modifies msg, not even in the spare capacity beyond
// len(msg), and it keeps no buffer shared between calls: several
// goroutines may call it at once when the underlying Write is safe for
// concurrent use (a net.Conn's is).
func (lw *LineWriter) WriteMessage(msg []byte) error {
	if bytes.IndexByte(msg, '\n') >= 0 {
		return ErrEmbeddedNewline
	}
	// A fresh slice for every frame: appending '\n' to msg itself could
	// write into the caller's spare capacity, and a buffer kept in lw would
	// be shared by goroutines writing at the same time.
	frame := make([]byte, len(msg)+1)
	copy(frame, msg)
	frame[len(msg)] = '\n'
	_, err := lw.w.Write(frame)
	return err
}

// LineReader reads newline-delimited messages from an io.Reader
// (tasks 2 to 5).
type LineReader struct {
	r     *bufio.Reader
	limit int
	err   error // the error that stopped the reader; every later call returns it
}

// NewLineReader returns a LineReader that reads from r and accepts messages
// of at most limit bytes (the "\n" not counted). A negative limit counts
// as 0, which accepts only empty messages.
func NewLineReader(r io.Reader, limit int) *LineReader {
	// The bufio.Reader's buffer (4 KiB) is all the reader holds between
	// messages; a message longer than that is gathered in pieces.
	return &LineReader{r: bufio.NewReader(r), limit: max(limit, 0)}
}

// ReadMessage returns the next message without its "\n". The slice is the
// caller's to keep: later calls never change it.
//
// It reads as many times as it takes, however the bytes arrive: a message
// split over many reads, or many messages in one read.
//
// A message longer than the limit is skipped: ReadMessage reads on to the
// end of its line without keeping those bytes (it never holds much more
// than the limit in memory), and returns an error that wraps ErrTooLarge
// and gives the message's length and the limit, such as
// "framing: message too large: 5000 bytes, limit 4096". The next call
// returns the message after it.
//
// When the stream ends, ReadMessage returns io.EOF itself if it ended right
// after a "\n" (or was empty), and io.ErrUnexpectedEOF if it ended in the
// middle of a message: a last line without its "\n" is cut off, not
// complete. Any other error from the underlying reader is returned as it
// is. Every error but ErrTooLarge is final: once ReadMessage has returned
// one, every later call returns that same error without reading.
func (lr *LineReader) ReadMessage() ([]byte, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	msg, err := lr.read()
	if err != nil && !errors.Is(err, ErrTooLarge) {
		lr.err = err // a too-large line was skipped; anything else ends the stream
	}
	return msg, err
}

func (lr *LineReader) read() ([]byte, error) {
	var msg []byte // the message so far, while it is within the limit
	// The message's length so far, kept or not: an int64, because a line
	// being skipped may be longer than a 32-bit int can count.
	var size int64
	for {
		// ReadSlice returns up to and including the next '\n', or a full
		// buffer (bufio.ErrBufferFull) when the line is longer than that.
		// The slice points into the bufio.Reader's buffer, which the next
		// read overwrites: copy what is kept.
		chunk, err := lr.r.ReadSlice('\n')
		if err == nil {
			chunk = chunk[:len(chunk)-1] // the '\n' is framing, not message
		}
		if size+int64(len(chunk)) > int64(lr.limit) {
			// Too long: say so at once, and keep nothing.
			return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size+int64(len(chunk)), lr.limit)
		}
		msg = append(msg, chunk...)
		size += int64(len(chunk))

		switch {
		case err == nil:
			if size > int64(lr.limit) {
				return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, lr.limit)
			}
			if msg == nil {
				msg = []byte{} // an empty message, not a missing one
			}
			return msg, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue // the line goes on
		case err == io.EOF && size == 0:
			return nil, io.EOF // the stream ended between two messages
		case err == io.EOF:
			return nil, io.ErrUnexpectedEOF // the last message has no '\n': cut off
		default:
			return nil, err
		}
	}
}
