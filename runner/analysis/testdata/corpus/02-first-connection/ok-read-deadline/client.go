package greet

import (
	"errors"
	"io"
	"net"
	"time"
)

// Fetch collects every Read until the server closes, within timeout.
func Fetch(addr string, timeout time.Duration) ([]byte, Ends, error) {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, Ends{}, err
	}
	defer conn.Close()
	ends := Ends{Local: conn.LocalAddr().String(), Remote: conn.RemoteAddr().String()}
	if err := conn.SetReadDeadline(start.Add(timeout)); err != nil {
		return nil, ends, err
	}
	var data []byte
	buf := make([]byte, 512)
	for {
		n, err := conn.Read(buf)
		data = append(data, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return data, ends, nil
		}
		if err != nil {
			return data, ends, err
		}
	}
}
