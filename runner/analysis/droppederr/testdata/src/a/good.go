package a

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"time"
)

func goodGreet(conn net.Conn) error {
	defer conn.Close() // closing a connection: nothing to do about its error
	if _, err := io.WriteString(conn, "welcome\n"); err != nil {
		return fmt.Errorf("greeting %s: %w", conn.RemoteAddr(), err)
	}
	conn.SetWriteDeadline(time.Now().Add(time.Second)) // fails only if conn is broken: the next Write says so
	_, err := conn.Write([]byte("bye\n"))
	return err
}

// lastWord sends an error message before failing anyway.
func lastWord(conn net.Conn, err error) error {
	fmt.Fprintf(conn, "error: %v\n", err)
	return err
}

// memory writes cannot fail.
func memory(name string) (string, error) {
	var b bytes.Buffer
	b.WriteString("Hello, ")
	fmt.Fprintf(&b, "%s!", name)
	var sb strings.Builder
	sb.WriteString(b.String())
	fmt.Fprintln(os.Stderr, "built", sb.String())
	return sb.String(), nil
}

// sticky leaves write errors to a checked Flush.
func sticky(conn net.Conn, lines []string) error {
	w := bufio.NewWriter(conn)
	for _, l := range lines {
		w.WriteString(l + "\n")
	}
	return w.Flush()
}

// save closes the file and checks.
func save(path string, body []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// read only reads a file: its Close error does not matter.
func read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// echo writes without a deadline in a function with no error: the next
// read notices a peer that left.
func echo(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 1024)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		conn.Write(buf[:n])
	}
}

// kick hangs up on a slow peer.
func kick(c net.Conn, line []byte) {
	c.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := c.Write(line); err != nil {
		log.Printf("dropping %v: %v", c.RemoteAddr(), err)
		c.Close()
	}
}

// serveLines drops a reply's error inside its loop: Serve's error is not
// about one reply, and the next read notices a peer that left.
func serveLines(conn net.Conn) error {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		fmt.Fprintf(conn, "Hello, %s!\n", sc.Text())
	}
	return sc.Err()
}
