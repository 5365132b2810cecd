package chat

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"
)

// Server is a chat room that survives its clients. Set the fields before
// calling Serve; a zero field takes its default.
type Server struct {
	// IdleTimeout disconnects a client that sends no complete message for
	// this long (DefaultIdleTimeout if zero). A ping counts as a message.
	IdleTimeout time.Duration
	// WriteTimeout disconnects a client when one write to it takes longer
	// (DefaultWriteTimeout if zero).
	WriteTimeout time.Duration
	// MaxLine is the longest message, in bytes, without its newline
	// (DefaultMaxLine if zero). A client that sends a longer one gets an
	// error message and is disconnected. The server sends no longer line
	// either: a broadcast whose relayed line would be longer is refused.
	MaxLine int
	// QueueLen is how many messages may wait to be written to one client
	// (DefaultQueueLen if zero). A client whose queue is full is
	// disconnected: the room never waits for one client.
	QueueLen int
	// Logger receives a record for each client that connects, logs in,
	// leaves or is disconnected (nil: nothing is logged).
	Logger *slog.Logger

	// TODO: your fields: a sync.Mutex, the listener, the next id, the
	// connections and the members, whether a shutdown has begun, and a
	// sync.WaitGroup for the connections' goroutines.
}

// Serve accepts connections on ln and serves each with two goroutines, a
// reader and a writer, until ln is closed or Shutdown is called. When ln is
// closed from outside, Serve closes every connection at once, waits for
// their goroutines, and returns nil. After Shutdown, it returns nil at once
// and leaves the draining to Shutdown.
//
// It is lab 09's room (the same protocol, package chatproto, with the same
// ids, announcements and errors, plus the ping request), hardened:
//
//   - Reading: before each message, a read deadline IdleTimeout away. A
//     client that sends nothing complete in time (silent, or stalled in
//     the middle of a message) gets chatproto.ErrorMessage(why) and is
//     disconnected. A message longer than MaxLine (bufio.Scanner's Buffer
//     limit: the message and its newline) gets chatproto.ErrorMessage(why)
//     and is disconnected.
//   - Sending: never a line longer than MaxLine (not counting its
//     newline), since clients read no longer ones. A broadcast whose
//     relayed line (chatproto.Encode of the chatproto.Message, with the
//     sender's id and nickname) would be longer gets
//     chatproto.ErrorMessage(why) back and goes to nobody, and the sender
//     stays. A login with a nickname longer than MaxNickname gets
//     chatproto.ErrorMessage(why) back.
//   - Writing: nobody but a client's own writer goroutine writes to its
//     connection. Everyone else puts encoded lines on the client's queue,
//     a channel of QueueLen, without ever waiting: when the queue is full,
//     the client is disconnected instead. The writer takes a line, then
//     everything else already queued, writes them in one go (a
//     bufio.Writer, flushed when the queue is empty), each write with a
//     deadline WriteTimeout away.
//   - Logging: each disconnection the server decides on is logged at
//     slog.LevelWarn with a "reason" attribute: ReasonIdle, ReasonTooLong
//     or ReasonTooSlow.
//   - Accepting: an Accept error other than net.ErrClosed (out of file
//     descriptors, say) passes. Serve waits a little before it accepts
//     again, longer after each failure in a row, and back to the shortest
//     wait after a success.
func (s *Server) Serve(ln net.Listener) error {
	// TODO: start from your lab 09 server. Tasks 1 to 5 and 7.
	return errors.New("TODO: implement Serve (tasks 1 to 7)")
}

// Shutdown stops the server gracefully: it stops accepting connections
// and reading from clients, tells every client ShutdownText, lets each
// client's writer deliver what is queued, and hangs up. It returns nil
// once every connection is closed and every goroutine has ended. If ctx
// ends first, it closes whatever is still open, waits for the goroutines
// (which end at once), and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error {
	// TODO: under the lock, mark the shutdown, queue ShutdownText for every
	// client and stop its reader (conn.SetReadDeadline(time.Now())); close
	// the listener; then wait for the WaitGroup or ctx.Done(), whichever
	// comes first. Task 6.
	return errors.New("TODO: implement Shutdown (task 6)")
}
