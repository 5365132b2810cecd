// Package udp works with datagrams: one Read on a connected UDP socket is
// one datagram, a whole message.
package udp

import (
	"net"
	"strings"
)

type Client struct {
	Conn net.Conn // net.Dial("udp", addr)
}

func (c *Client) Ask(q string) (string, error) {
	if _, err := c.Conn.Write([]byte(q)); err != nil {
		return "", err
	}
	buf := make([]byte, 64*1024)
	n, err := c.Conn.Read(buf)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(buf[:n])), nil
}

func Serve(conn net.PacketConn) error {
	buf := make([]byte, 64*1024)
	for {
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			return err
		}
		conn.WriteTo([]byte(strings.ToUpper(string(buf[:n]))), from)
	}
}
