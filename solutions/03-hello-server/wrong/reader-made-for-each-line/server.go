package hello

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"time"
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
	var delay time.Duration // how long to rest after the next Accept error
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil // closing the listener is how the server is told to stop
		}
		if err != nil {
			// Out of file descriptors, out of memory, a connection
			// aborted before we took it: the next Accept may well work.
			if delay == 0 {
				delay = MinBackoff
			} else {
				delay *= 2
			}
			if delay > MaxBackoff {
				delay = MaxBackoff
			}
			log.Printf("hello: accept: %v; retrying in %v", err, delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		// One goroutine per client, and straight back to Accept. conn is
		// a new variable on each pass of the loop, so each handler keeps
		// the connection it was started with, whatever is accepted next.
		go func() {
			if err := handle(conn); err != nil {
				log.Printf("hello: %v: %v", conn.RemoteAddr(), err)
			}
		}()
	}
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
	defer conn.Close()
	if err := send(conn, Welcome); err != nil {
		return err
	}
	// A Scanner collects bytes until a "\n" and hands back the line without
	// it, and without a "\r" just before it: "Michael\r\n" from telnet is
	// "Michael", as "Michael\n" from nc is. At the end of the stream it
	// hands back a last line that has no "\n". A line longer than 64 KiB
	// stops it with bufio.ErrTooLong, which ends the conversation.
	for {
		// A bufio.Reader gives a whole line, however it arrives.
		line, err := bufio.NewReader(conn).ReadString('\n')
		name := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if name == Exit {
			return nil
		}
		if line != "" {
			if err := send(conn, "Hello, "+name+"!\n"); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// send writes text to conn within WriteTimeout. The deadline is set anew
// for each write: one set once for the whole conversation would pass while
// the client is still thinking, and fail its next reply.
func send(conn net.Conn, text string) error {
	if err := conn.SetWriteDeadline(time.Now().Add(WriteTimeout)); err != nil {
		return err
	}
	_, err := io.WriteString(conn, text)
	return err
}
