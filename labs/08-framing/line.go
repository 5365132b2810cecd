package framing

import (
	"errors"
	"io"
)

// LineWriter writes newline-delimited messages to an io.Writer
// (tasks 1, 9 and 10).
type LineWriter struct {
	w io.Writer
	// TODO: add anything else WriteMessage needs (perhaps nothing).
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
	// TODO: refuse a message that contains '\n' (bytes.IndexByte), then
	// build the frame, message and newline, in a new slice and hand it to
	// lw.w.Write once. (Tasks 1, 9 and 10)
	return errors.New("TODO: implement LineWriter.WriteMessage (task 1)")
}

// LineReader reads newline-delimited messages from an io.Reader
// (tasks 2 to 5 and 9).
type LineReader struct {
	// TODO: add what ReadMessage needs: a buffered reader, the limit, and
	// the error that stopped it.
}

// NewLineReader returns a LineReader that reads from r and accepts messages
// of at most limit bytes (the "\n" not counted). A negative limit counts
// as 0, which accepts only empty messages.
func NewLineReader(r io.Reader, limit int) *LineReader {
	// TODO: wrap r in a bufio.Reader (its default size is fine) and keep limit.
	return &LineReader{}
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
	// TODO: loop on bufio.Reader.ReadSlice('\n'). It returns at most one
	// buffer's worth: bufio.ErrBufferFull means the line goes on. Copy what
	// it returns (the next read overwrites it) while the message is within
	// the limit; past it, only count the bytes. Then sort out the error: nil,
	// bufio.ErrBufferFull, io.EOF with or without a partial message, or
	// something else, and remember a final error for the next call.
	// (Tasks 2 to 5 and 9)
	return nil, errors.New("TODO: implement LineReader.ReadMessage (task 2)")
}
