package a

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// GreetOne says it greeted the client even when the greeting failed.
func GreetOne(ln net.Listener) (string, error) {
	conn, err := ln.Accept()
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.Write([]byte("welcome\n")) // want `the error of this Write is dropped, so GreetOne reports success`
	return conn.RemoteAddr().String(), nil
}

// LineWriter frames messages; WriteMessage must return Write's error.
type LineWriter struct{ w io.Writer }

func (lw *LineWriter) WriteMessage(msg []byte) error {
	lw.w.Write(append(msg, '\n')) // want `the error of this Write is dropped, so WriteMessage reports success`
	return nil
}

// reply drops Fprintf's error with a blank.
func reply(conn net.Conn, name string) error {
	_, _ = fmt.Fprintf(conn, "Hello, %s!\n", name) // want `the error of this fmt.Fprintf is dropped`
	return nil
}

// flushDropped never learns that the buffered bytes did not go out.
func flushDropped(conn net.Conn, lines []string) error {
	w := bufio.NewWriter(conn)
	for _, l := range lines {
		w.WriteString(l + "\n")
	}
	w.Flush() // want `the error of this Flush is dropped`
	return nil
}

// Download writes a file and defers its Close.
func Download(path string, body []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `this Close of f, a file written to here, is deferred, so its error is lost`
	_, err = f.Write(body)
	return err
}

// broadcast writes with a deadline and ignores what happened.
func broadcast(conns []net.Conn, line []byte) {
	for _, c := range conns {
		c.SetWriteDeadline(time.Now().Add(time.Second))
		c.Write(line) // want `this write has a deadline, so it can stop part way through a message`
	}
}
