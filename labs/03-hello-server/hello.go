// Package hello is article 001's threaded server, in Go: a TCP server that
// welcomes each client, answers every line it sends with a greeting, and
// hangs up when the client says exit, for any number of clients at once.
//
// The protocol, one line at a time (a line ends with "\n"):
//
//	client connects      server sends  Welcome!
//	client sends  Michael               server sends  Hello, Michael!
//	client sends  exit                  server closes the connection
//
// The details every server must agree on:
//
//   - A line's end is "\n" or "\r\n" (nc sends the first, telnet the second);
//     neither is part of the name. Anything else, spaces included, is.
//   - An empty line is an empty name: it gets "Hello, !\n".
//   - Only a line that is exactly Exit ends the conversation ("exit" or
//     "exit\r\n"; not "Exit" or "exit please"). The server sends nothing
//     more, ignores anything the client sent after it, and closes.
//   - A client that closes its end without saying exit is done too: the
//     server answers the last line if it has not yet (the last line of a
//     stream need not end in "\n"), then closes its own end.
//   - A server need not take a line longer than 64 KiB. It may close the
//     connection without an answer, as the reference does: bufio.Scanner
//     stops at that length with bufio.ErrTooLong. The tests send none.
//
// You write server.go. This file is given.
package hello

import "time"

// Welcome is the first thing the server sends to each client.
const Welcome = "Welcome!\n"

// Exit is the line that ends a conversation.
const Exit = "exit"

// MinBackoff and MaxBackoff bound how long Serve waits after an Accept error
// it can outlive, such as "too many open files", before it calls Accept
// again: MinBackoff after the first error, twice as long after each further
// one in a row, never more than MaxBackoff, and MinBackoff again after an
// Accept that succeeds. Those are the numbers net/http's server uses.
const (
	MinBackoff = 5 * time.Millisecond
	MaxBackoff = 1 * time.Second
)

// WriteTimeout bounds each write to a client. A client that stops reading
// lets the buffers between it and the server fill up, and then a Write
// with no deadline waits for it for ever, holding a goroutine and a
// connection. Each write gets its own deadline, WriteTimeout after it
// begins; a client that takes its time to speak is not limited at all.
const WriteTimeout = 10 * time.Second
