package chat

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// Chat connects a person to a peer over conn, in both directions at once,
// until one of them is done. in is what the person types (os.Stdin in a
// real program) and out is where the peer's lines are printed (os.Stdout).
// Both ends of a conversation run the same Chat.
//
// Lines. A line is the text before a "\n". A "\r" just before the "\n" is
// dropped (terminals on Windows end lines with "\r\n"), and a last line that
// ends without a "\n" still counts. Every line is sent, and printed, with a
// single "\n" after it: an empty line is sent as "\n". (bufio.Scanner
// splits text into lines exactly like this.)
//
// Both ways at once. Each line read from in is written to conn. Each line
// read from conn is written to out with exactly one Write call, in the order
// the peer sent them, however TCP splits or joins the bytes. Neither
// direction waits for the other: the person may send ten lines while the
// peer says nothing, and the peer's lines are printed as soon as they
// arrive, while Chat is still waiting for the person to type.
//
// The person says goodbye. When in has a line that is exactly "exit", or in
// ends (io.EOF), the person is done. "exit" is a command to Chat, not a
// message: it is not sent, and nothing after it is read from in. Chat
// closes its sending half of conn (CloseWrite), so that the peer reads EOF,
// and goes on printing whatever the peer still sends until the peer closes
// its end too. Then Chat returns nil. If the peer has not closed within
// Patience, Chat closes conn and returns an error. (If conn has no
// CloseWrite method, as with net.Pipe, Chat closes it instead and returns
// nil.)
//
// The peer says goodbye. When Chat reads EOF from conn, the peer is done:
// Chat sends nothing more, closes conn and returns nil at once, without
// waiting for in. A goroutine blocked reading in cannot be interrupted, so
// it may still be waiting when Chat returns; when its Read returns, it must
// end without sending or printing anything.
//
// Errors. Chat closes conn and returns an error when reading conn fails (a
// reset, a broken connection), when writing a line to conn fails or the
// peer does not take it within Patience, and when writing to out fails. An
// error reading in, other than io.EOF, ends the person's side like EOF
// does (goodbye, then wait for the peer to close); Chat then returns that
// error, wrapped.
//
// Afterwards. Chat has closed conn when it returns, it never writes to out
// after returning, and every goroutine it started has ended, except the one
// that may still be blocked reading in, as described above.
func Chat(conn net.Conn, in io.Reader, out io.Writer) error {
	defer conn.Close()
	patience := Patience

	// Take turns, as article 002's chat does: the person types a line, it
	// is sent, and the peer's answer is printed before the next line.
	keys := bufio.NewScanner(in)
	peer := bufio.NewScanner(conn)
	for keys.Scan() {
		line := keys.Text()
		if line == "exit" {
			break
		}
		conn.SetWriteDeadline(time.Now().Add(patience))
		if _, err := io.WriteString(conn, line+"\n"); err != nil {
			return fmt.Errorf("sending %q: %w", line, err)
		}
		if !peer.Scan() {
			if err := peer.Err(); err != nil {
				return fmt.Errorf("reading from the peer: %w", err)
			}
			return nil // EOF: the peer closed
		}
		if _, err := io.WriteString(out, peer.Text()+"\n"); err != nil {
			return fmt.Errorf("printing the peer's line: %w", err)
		}
	}
	var inErr error
	if err := keys.Err(); err != nil {
		inErr = fmt.Errorf("reading what the person types: %w", err)
	}

	// The person is done: print what the peer still says until it closes.
	heard := make(chan error, 1)
	go func() { heard <- listen(peer, out) }()
	return goodbye(conn, heard, inErr, patience)
}

// listen prints each line the peer sends on out, with one Write per line,
// until the peer closes (nil) or something fails.
func listen(sc *bufio.Scanner, out io.Writer) error {
	for sc.Scan() {
		if _, err := io.WriteString(out, sc.Text()+"\n"); err != nil {
			return fmt.Errorf("printing the peer's line: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading from the peer: %w", err)
	}
	return nil // EOF: the peer closed its sending half
}

// goodbye ends the person's side: it closes the sending half of conn, so the
// peer reads EOF, then waits up to patience for the peer to close its end,
// while the listener goes on printing what the peer still says. It returns
// inErr (why the person's side ended) unless the peer's side failed.
func goodbye(conn net.Conn, heard <-chan error, inErr error, patience time.Duration) error {
	hc, ok := conn.(interface{ CloseWrite() error })
	if !ok {
		conn.Close()
		<-heard
		return inErr
	}
	if err := hc.CloseWrite(); err != nil {
		conn.Close()
		<-heard
		return fmt.Errorf("saying goodbye: %w", err)
	}
	timer := time.NewTimer(patience)
	defer timer.Stop()
	select {
	case err := <-heard:
		return errors.Join(err, inErr)
	case <-timer.C:
		conn.Close()
		<-heard
		return fmt.Errorf("the peer did not close its end within %v of our goodbye: %w", patience, os.ErrDeadlineExceeded)
	}
}
