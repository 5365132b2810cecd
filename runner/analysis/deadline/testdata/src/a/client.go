package a

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// Fetch reads until the server closes, but a server that never closes
// keeps it for ever.
func Fetch(addr string, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return io.ReadAll(conn) // want `Fetch must give up after timeout, but nothing in it sets a deadline`
}

// FetchDial dials with no time limit.
func FetchDial(addr string, timeout time.Duration) ([]byte, error) {
	conn, err := net.Dial("tcp", addr) // want `net.Dial has no time limit of its own`
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	return io.ReadAll(conn)
}

// Get parses the response from a reader on the connection, with no
// deadline.
func Get(addr, request string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, request); err != nil {
		return "", err
	}
	return parse(bufio.NewReader(conn)) // want `Get must give up after timeout`
}

func parse(r *bufio.Reader) (string, error) { return r.ReadString('\n') }

// Trickle sets a fresh deadline before every read: a server that sends a
// byte a second keeps it going.
func Trickle(addr string, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var all []byte
	buf := make([]byte, 512)
	for {
		conn.SetReadDeadline(time.Now().Add(timeout)) // want `this deadline is set again on every turn of a loop that reads`
		n, err := conn.Read(buf)
		all = append(all, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return all, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Client sends requests over UDP and waits Timeout for each reply.
type Client struct {
	Conn    net.Conn
	Timeout time.Duration
	Retries int
}

// Do waits for a reply with no deadline at all.
func (c *Client) Do(req string) (string, error) {
	if _, err := c.Conn.Write([]byte(req)); err != nil {
		return "", err
	}
	buf := make([]byte, 64*1024)
	n, err := c.Conn.Read(buf) // want `Do must give up after c.Timeout.*; set a read deadline before each wait: SetReadDeadline\(time.Now\(\).Add\(c.Timeout\)\)`
	return string(buf[:n]), err
}

// DoStray sets the deadline again for every datagram, so strays push it
// back.
func (c *Client) DoStray(id, req string) (string, error) {
	buf := make([]byte, 64*1024)
	for attempt := 0; attempt <= c.Retries; attempt++ {
		if _, err := c.Conn.Write([]byte(id + " " + req)); err != nil {
			return "", err
		}
		for {
			c.Conn.SetReadDeadline(time.Now().Add(c.Timeout)) // want `this deadline is set again on every turn`
			n, err := c.Conn.Read(buf)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				break
			}
			if err != nil {
				return "", err
			}
			if reply, ok := strings.CutPrefix(string(buf[:n]), id+" "); ok {
				return reply, nil
			}
		}
	}
	return "", errors.New("no reply")
}

// idleConn gives each Read a deadline of its own: an idle timeout, not a
// time limit for the exchange.
type idleConn struct {
	net.Conn
	timeout time.Duration
}

func (c idleConn) Read(p []byte) (int, error) {
	c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
	return c.Conn.Read(p)
}

// FetchIdle reads through idleConn: a server that trickles keeps it going.
func FetchIdle(addr string, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn = idleConn{conn, timeout} // want `idleConn's Read sets a fresh deadline each time it is called: .* FetchIdle never gives up`
	return io.ReadAll(conn)
}
