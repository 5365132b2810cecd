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

// GoodFetch sets one deadline for the whole exchange.
func GoodFetch(addr string, timeout time.Duration) ([]byte, error) {
	deadline := time.Now().Add(timeout)
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	return io.ReadAll(conn)
}

// GoodAfterFunc bounds the exchange by closing the connection in time.
func GoodAfterFunc(addr string, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	t := time.AfterFunc(timeout, func() { conn.Close() })
	defer t.Stop()
	return io.ReadAll(conn)
}

// GoodDo sets each attempt's deadline once, then reads until its reply.
func (c *Client) GoodDo(id, req string) (string, error) {
	buf := make([]byte, 64*1024)
	for attempt := 0; attempt <= c.Retries; attempt++ {
		if err := c.Conn.SetDeadline(time.Now().Add(c.Timeout)); err != nil {
			return "", err
		}
		if _, err := c.Conn.Write([]byte(id + " " + req)); err != nil {
			return "", err
		}
		for {
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

// GoodOneShot sends one request per attempt and waits for one answer:
// a deadline per attempt is right.
func (c *Client) GoodOneShot(req string) (string, error) {
	buf := make([]byte, 1500)
	for attempt := 0; attempt <= c.Retries; attempt++ {
		c.Conn.SetReadDeadline(time.Now().Add(c.Timeout))
		if _, err := c.Conn.Write([]byte(req)); err != nil {
			return "", err
		}
		n, err := c.Conn.Read(buf)
		if err == nil {
			return string(buf[:n]), nil
		}
	}
	return "", errors.New("no reply")
}

// Keep keeps a scanner for later: making it reads nothing.
func Keep(addr string, timeout time.Duration) (*bufio.Scanner, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return bufio.NewScanner(conn), nil
}

// Serve's clients may stay as long as they like: no time limit, no
// finding.
func Serve(ln net.Listener, greeting time.Duration) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			sc := bufio.NewScanner(conn)
			for sc.Scan() {
				io.WriteString(conn, sc.Text()+"\n")
			}
		}()
	}
}

// Ping's interval is no time limit: nothing to say about its reads.
func Ping(addr string, interval time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	for {
		if _, err := io.WriteString(conn, "ping\n"); err != nil {
			return err
		}
		if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
			return err
		}
		time.Sleep(interval)
	}
}
