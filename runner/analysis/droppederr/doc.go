// Package droppederr defines an Analyzer that finds errors of writes and
// closes dropped where they matter.
//
// # Analyzer droppederr
//
// droppederr: an error from Write, Flush or Close dropped where it matters
//
// A Write on a connection fails when the peer has gone, when a write
// deadline passes part way through, when the network breaks. A function
// that returns an error but drops a write's error tells its caller that
// everything was sent when it was not: a server logs a greeting that never
// arrived, a framing writer hands back nil for a frame cut in half. The
// analyzer reports, in a function whose last result is an error, outside
// loops (a write in a server's or a conversation's loop is not what the
// function's error is about):
//
//   - a Write, WriteString, Flush or fmt.Fprint... to a connection, a
//     bufio.Writer, a file or any io.Writer whose error is thrown away
//     (except just before returning another error, and except writes into
//     memory, to os.Stdout or os.Stderr, or into a bufio.Writer whose Flush
//     is checked later: its errors stick and come back from Flush);
//   - a deferred or dropped Close of a file the function wrote to: the
//     system may report a failed write (a full disk) only at Close.
//
// And anywhere: a write to a connection after a write deadline was set,
// with its error dropped. With a deadline, a write can stop part way
// through a message; writing on as if it had worked sends the next message
// after half of this one, and the peer can no longer find where messages
// begin. On such an error, hang up.
//
// The fix is to look at the error: return it (wrapped with what was being
// done, fmt.Errorf("greeting %s: %w", addr, err)), or end the conversation.
//
// The analyzer deliberately says nothing about SetDeadline's error, nor
// about Close on a connection: SetDeadline fails only on a connection that
// is already closed or broken, and the very next Read or Write reports
// that; and once you hang up there is nothing left to do about a failed
// Close.
package droppederr
