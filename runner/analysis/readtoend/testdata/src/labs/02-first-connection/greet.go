// Package greet is lab 02: the client reads until the server closes
// (right), the server must not wait for its client to close.
package greet

import (
	"io"
	"net"
	"time"
)

func Fetch(addr string, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	return io.ReadAll(conn)
}

func GreetOne(ln net.Listener) error {
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	defer conn.Close()
	io.ReadAll(conn) // want `io.ReadAll returns only when the peer closes`
	_, err = io.WriteString(conn, "welcome\n")
	return err
}
