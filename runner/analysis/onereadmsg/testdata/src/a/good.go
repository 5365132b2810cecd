package a

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
)

// lines reads whole lines: right.
func lines(conn net.Conn) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if sc.Text() == "exit" {
			return
		}
		fmt.Fprintf(conn, "Hello, %s!\n", sc.Text())
	}
}

// collectLine appends Reads until a newline has arrived: right.
func collectLine(conn net.Conn) (string, error) {
	var data []byte
	buf := make([]byte, 16)
	for {
		n, err := conn.Read(buf)
		data = append(data, buf[:n]...)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			return string(data[:i]), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// collectString grows a string: right, if clumsy.
func collectString(conn net.Conn) string {
	var s string
	buf := make([]byte, 16)
	for !strings.HasSuffix(s, "\n") {
		n, err := conn.Read(buf)
		s += string(buf[:n])
		if err != nil {
			break
		}
	}
	return s
}

// builder collects into a strings.Builder and checks the chunk too.
func builder(conn net.Conn) string {
	var b strings.Builder
	buf := make([]byte, 16)
	for {
		n, err := conn.Read(buf)
		b.Write(buf[:n])
		if err != nil || bytes.Contains(buf[:n], []byte("\n")) {
			return b.String()
		}
	}
}

// echo passes bytes on as they come: no message is assumed.
func echo(conn net.Conn) {
	buf := make([]byte, 32*1024)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			conn.Write(buf[:n])
			os.Stdout.Write(buf[:n])
			fmt.Print(string(buf[:n]))
			fmt.Fprintf(os.Stderr, "got %q\n", buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// fill reads into the rest of the buffer until it is full: right.
func fill(conn net.Conn) ([]byte, error) {
	buf := make([]byte, 8)
	got := 0
	for got < len(buf) {
		n, err := conn.Read(buf[got:])
		got += n
		if err != nil {
			return nil, err
		}
	}
	return buf[:got], nil
}

// exact uses io.ReadFull: right.
func exact(conn net.Conn) (string, error) {
	buf := make([]byte, 4)
	if _, err := io.ReadFull(conn, buf); err != nil {
		return "", err
	}
	return string(buf), nil
}

// waitClose reads only to see the peer hang up.
func waitClose(conn net.Conn) error {
	buf := make([]byte, 1)
	for {
		if _, err := conn.Read(buf); err != nil {
			return err
		}
	}
}

// inMemory reads a bytes.Reader: not a stream.
func inMemory(data []byte) bool {
	r := bytes.NewReader(data)
	buf := make([]byte, 4)
	n, _ := r.Read(buf)
	return string(buf[:n]) == "PING"
}

// forward sends chunks on a channel: what the receiver does is its own
// business.
func forward(conn net.Conn, out chan<- []byte) {
	buf := make([]byte, 1024)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		out <- append([]byte(nil), buf[:n]...)
	}
}

// wrapper is a Read method: it passes the count on.
type wrapper struct {
	conn net.Conn
	n    int
}

func (w *wrapper) Read(p []byte) (int, error) {
	n, err := w.conn.Read(p)
	w.n += n
	return n, err
}
