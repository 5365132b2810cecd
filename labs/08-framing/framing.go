// Package framing turns a TCP byte stream into messages and back.
//
// TCP carries bytes, not messages: what one side writes in one call can
// arrive in several reads, and several writes can arrive in one read. So
// both sides agree on a framing, a way to mark where each message ends.
// This package has two:
//
//   - Newline-delimited: each message is followed by "\n" and must not
//     contain one. Text protocols and newline-delimited JSON (one JSON
//     value per line, as the chat room of chapter 9 speaks) use this.
//     [NewLineWriter] and [NewLineReader].
//   - Length-prefixed: each message is preceded by its length, a 4-byte
//     big-endian unsigned integer ([HeaderSize] bytes). A message may hold
//     any bytes at all. [NewLengthWriter] and [NewLengthReader].
//
// Every reader has a limit: the largest message it accepts, in bytes. A
// longer message is an error wrapping [ErrTooLarge], and the reader never
// holds much more than the limit in memory for one message, whatever the
// peer sends or claims.
//
// What a reader does after a message that is too large differs:
//
//   - A line reader skips the line: it reads and throws away bytes up to the
//     next "\n" without keeping them, returns the error, and the next
//     ReadMessage returns the message after it. A newline cannot be mistaken
//     for anything else, so the reader is back in step at once, and nothing
//     else is lost.
//   - A length reader stops for good: every later ReadMessage returns the
//     same error. A length it will not accept may be a peer that sends
//     what it should not, or a stream that is already out of step (the
//     "length" is really four bytes of some message), and the reader
//     cannot tell which. Skipping the claimed number of bytes would mean
//     reading up to 4 GiB from a peer that is misbehaving, to land in step
//     only if the length was honest. The caller should close the
//     connection.
//
// Every reader tells a clean end from a cut-off one: io.EOF (the value
// itself, not wrapped) only when the stream ends between two messages, and
// io.ErrUnexpectedEOF when it ends inside one.
//
// Every writer hands each message to the underlying Write in a single call,
// frame and message together. A net.Conn never interleaves the bytes of
// two Write calls, so goroutines sharing a connection can each call
// WriteMessage and every message arrives whole.
package framing

import "errors"

// HeaderSize is the size of a length prefix: a 4-byte big-endian unsigned
// integer, so a length-prefixed message holds at most 4 GiB - 1 bytes.
const HeaderSize = 4

// ErrTooLarge is wrapped by the error a reader returns for a message longer
// than its limit, and by the error a length writer returns for a message
// whose length does not fit in the header. The error's text gives the
// message's size and the limit: use errors.Is(err, ErrTooLarge) to test for
// it.
var ErrTooLarge = errors.New("framing: message too large")

// ErrEmbeddedNewline is returned by a line writer for a message that
// contains "\n", which would end the message early on the other side.
var ErrEmbeddedNewline = errors.New("framing: message contains a newline")

// MessageWriter writes whole messages, each framed so that the other side
// can find where it ends.
type MessageWriter interface {
	WriteMessage(msg []byte) error
}

// MessageReader reads whole messages, one per call, without their framing.
type MessageReader interface {
	ReadMessage() ([]byte, error)
}

// The four types this lab builds are MessageWriters and MessageReaders.
var (
	_ MessageWriter = (*LineWriter)(nil)
	_ MessageReader = (*LineReader)(nil)
	_ MessageWriter = (*LengthWriter)(nil)
	_ MessageReader = (*LengthReader)(nil)
)
