// Package chat is lab 09's chat room: Login must give up after Timeout,
// and every write to a member is bounded by Timeout.
package chat

import (
	"bufio"
	"net"
	"sync"
	"time"
)

const Timeout = 2 * time.Second

type Client struct {
	conn net.Conn
	sc   *bufio.Scanner
}

func Dial(addr string) (*Client, error) {
	conn, err := net.Dial("tcp", addr) // want `net.Dial has no time limit of its own`
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, sc: bufio.NewScanner(conn)}, nil
}

// Login waits for the reply with no deadline.
func (c *Client) Login(name string) (string, error) {
	c.conn.SetWriteDeadline(time.Now().Add(Timeout))
	if _, err := c.conn.Write([]byte(name + "\n")); err != nil {
		return "", err
	}
	if !c.sc.Scan() { // want `Login must give up after the lab's time limit`
		return "", c.sc.Err()
	}
	return c.sc.Text(), nil
}

type room struct {
	mu      sync.Mutex
	members map[net.Conn]string
}

func Serve(ln net.Listener) error {
	r := &room{members: map[net.Conn]string{}}
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go r.handle(conn)
	}
}

func (r *room) handle(conn net.Conn) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() { // reads may wait: chat is quiet at times
		r.broadcast(conn, sc.Text())
		r.reply(conn, "ok")
	}
}

// broadcast writes with no deadline: one client that stops reading stops
// the whole room.
func (r *room) broadcast(from net.Conn, line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.members {
		if c != from {
			c.Write([]byte(line + "\n")) // want `a peer that stops reading makes this write to c wait for ever`
		}
	}
}

// reply sets the deadline in its helper's caller: fine.
func (r *room) reply(conn net.Conn, line string) {
	conn.SetWriteDeadline(time.Now().Add(Timeout))
	send(conn, line)
}

func send(conn net.Conn, line string) {
	conn.Write([]byte(line + "\n"))
}
