// Package hello is lab 03: a conversation, line by line.
package hello

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
)

func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go handle(conn)
	}
}

// handle waits for the client to close before answering anything.
func handle(conn net.Conn) {
	defer conn.Close()
	data, err := io.ReadAll(conn) // want `io.ReadAll returns only when the peer closes the connection`
	if err != nil {
		return
	}
	for _, name := range strings.Split(string(data), "\n") {
		fmt.Fprintf(conn, "Hello, %s!\n", name)
	}
}

func handleCopy(conn net.Conn) string {
	var buf bytes.Buffer
	io.Copy(&buf, conn) // want `io.Copy into memory returns only when the peer closes`
	return buf.String()
}

// echo streams: io.Copy to the connection is no read to the end in memory.
func echo(conn net.Conn) {
	io.Copy(conn, conn)
}

// limited reads a known number of bytes: it ends on its own.
func limited(conn net.Conn) ([]byte, error) {
	return io.ReadAll(io.LimitReader(conn, 16))
}
