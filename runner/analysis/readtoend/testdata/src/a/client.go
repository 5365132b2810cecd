// Package a is not a lab: only connections kept in a struct are known to
// outlive one exchange.
package a

import (
	"io"
	"net"
	"time"
)

type Client struct {
	conn net.Conn
}

func (c *Client) Receive() ([]byte, error) {
	return io.ReadAll(c.conn) // want `io.ReadAll returns only when the peer closes`
}

// Get reads a reply from a server that closes after it: right.
func Get(addr string, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		return nil, err
	}
	return io.ReadAll(conn)
}
