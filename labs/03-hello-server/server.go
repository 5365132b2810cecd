package hello

import (
	"errors"
	"net"
)

// Serve accepts clients on ln and talks to each one in a goroutine of its
// own (handle), so that any number of clients are served at once and a
// client that takes its time makes nobody else wait.
//
// When ln is closed, Accept fails with an error for which
// errors.Is(err, net.ErrClosed) is true: Serve returns nil then, at once.
// Conversations already going carry on until their clients are done;
// Serve does not wait for them.
//
// Any other Accept error, such as "too many open files", is one the server
// can outlive: Serve logs it, waits (MinBackoff after the first error in a
// row, doubling after each further one, at most MaxBackoff) and calls
// Accept again. Retrying at once would spin at 100% CPU for as long as the
// error lasts; returning would take the server down for everyone.
func Serve(ln net.Listener) error {
	// TODO: loop on ln.Accept(). For each connection, go handle(conn) and
	// go straight back to Accept. Return nil on net.ErrClosed; back off and
	// retry on any other error (time.Sleep with a delay that doubles).
	return errors.New("TODO: implement Serve (task 1)")
}

// handle talks to one client over conn, following the protocol in hello.go:
// it sends Welcome, then reads conn one line at a time and answers each line
// NAME with "Hello, NAME!\n", until the client sends a line that is exactly
// Exit or closes its end. A line may arrive in several pieces, and several
// lines may arrive in one piece: read lines, not single Reads.
//
// Each write must end within WriteTimeout, so that a client that stops
// reading cannot hold its handler for ever: set a write deadline before each
// write. Reading has no deadline: a client may think as long as it likes.
//
// Whatever ends the conversation (exit, the client hanging up, an error),
// handle closes conn before it returns. It returns nil when the client said
// exit or closed its end, and the error otherwise, for Serve to log.
func handle(conn net.Conn) error {
	// TODO: defer conn.Close(), write Welcome, then loop with a
	// bufio.Scanner over conn: Scan returns one line at a time without its
	// "\n" (and without a "\r" before it). Reply with fmt.Fprintf, stop on
	// Exit, and when Scan returns false, sc.Err() says why (nil at EOF).
	// Before each write (task 10):
	// conn.SetWriteDeadline(time.Now().Add(WriteTimeout)).
	return errors.New("TODO: implement handle (tasks 1-5)")
}
