package greet

import (
	"fmt"
	"io"
	"net"
	"time"
)

// Fetch connects to the server at addr, reads everything it sends until it
// closes the connection, closes its own end and returns the bytes it read
// and the connection's two addresses as the client sees them.
//
// The whole exchange, connecting included, takes at most timeout: a server
// that never answers or never closes makes Fetch return an error, never
// hang.
func Fetch(addr string, timeout time.Duration) ([]byte, Ends, error) {
	deadline := time.Now().Add(timeout)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, Ends{}, err
	}
	defer conn.Close()
	ends := Ends{Local: conn.LocalAddr().String(), Remote: conn.RemoteAddr().String()}
	// The deadline covers the whole exchange, connecting included.
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, ends, err
	}
	data, err := io.ReadAll(conn)
	if err != nil {
		return data, ends, fmt.Errorf("read from %s: %w", addr, err)
	}
	return data, ends, nil
}
