package assist

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
)

// connectTCP connects, shows what arrives, and sends what is typed, until
// the server closes, the input ends (and the server has had Linger to
// answer), or ctx is done.
func (a *assistant) connectTCP(ctx context.Context) error {
	d := net.Dialer{Timeout: dialTimeout}
	c, err := d.DialContext(ctx, "tcp", a.o.Addr)
	if err != nil {
		return fmt.Errorf("cannot connect: %w%s", err, refusedHint(err))
	}
	who := c.RemoteAddr().String()
	a.pr.note("", "connected to %s from %s", who, c.LocalAddr())
	return a.converse(ctx, conversation{
		conn: c,
		read: func() { a.readStream(c, who) },
		send: func(data []byte) bool { return a.write(c, who, data) },
		endInput: func() {
			c.(*net.TCPConn).CloseWrite()
			a.pr.note("", "end of input: closed the sending half (the server reads end of file); waiting up to %v for it to close", a.o.Linger)
		},
		lingered: func() {
			a.pr.note("", "the server has not closed the connection %v after the end of input; closing it", a.o.Linger)
		},
	})
}

// write sends data on c within writeTimeout, and says so if it cannot.
func (a *assistant) write(c net.Conn, who string, data []byte) bool {
	c.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := c.Write(data); err != nil {
		a.pr.note(who, "could not send: %v", err)
		return false
	}
	return true
}

// readStream shows what arrives on c until it ends, and how it ended.
func (a *assistant) readStream(c net.Conn, who string) {
	buf := make([]byte, 32<<10)
	midLine := false
	for {
		n, err := c.Read(buf)
		if n > 0 {
			midLine = a.pr.stream(who, buf[:n], midLine)
		}
		switch {
		case err == nil:
			continue
		case errors.Is(err, io.EOF):
			a.pr.note(who, "closed the connection")
		case errors.Is(err, syscall.ECONNRESET):
			a.pr.note(who, "reset the connection (RST)")
		case errors.Is(err, net.ErrClosed):
		default:
			a.pr.note(who, "read: %v", err)
		}
		return
	}
}

// refusedHint explains a refused connection.
func refusedHint(err error) string {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return " (nothing is listening there: is the server up?)"
	}
	return ""
}

// client is one connection a TCP listener accepted.
type client struct {
	name, who string
	conn      net.Conn
}

// listenTCP accepts clients, shows what each sends, and sends what is
// typed to all of them or to the one named, until ctx is done.
func (a *assistant) listenTCP(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.o.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen: %w", err)
	}
	a.pr.println("listening on tcp " + ln.Addr().String())
	var (
		mu      sync.Mutex
		clients []*client
		wg      sync.WaitGroup
	)
	drop := func(c *client) {
		mu.Lock()
		defer mu.Unlock()
		for i, x := range clients {
			if x == c {
				clients = append(clients[:i], clients[i+1:]...)
				return
			}
		}
	}
	wg.Go(func() {
		names := 0
		for {
			conn, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				a.pr.note("", "accept: %v", err)
				select {
				case <-time.After(50 * time.Millisecond): // "too many open files" passes; do not spin
				case <-ctx.Done():
					return
				}
				continue
			}
			mu.Lock()
			full := len(clients) >= MaxClients
			c := &client{name: name(names), conn: conn}
			c.who = c.name + " " + conn.RemoteAddr().String()
			if !full {
				names++
				clients = append(clients, c)
			}
			mu.Unlock()
			if full {
				a.pr.note(conn.RemoteAddr().String(), "turned away: %d clients are connected already", MaxClients)
				conn.Close()
				continue
			}
			a.pr.note(c.who, "connected")
			wg.Go(func() {
				a.readStream(conn, c.who)
				drop(c)
				conn.Close()
			})
		}
	})
	defer func() {
		ln.Close()
		mu.Lock()
		for _, c := range clients {
			c.conn.Close()
		}
		mu.Unlock()
		wg.Wait()
	}()
	a.listenForInput(ctx, func(m message) {
		mu.Lock()
		to := targets(clients, m.to)
		mu.Unlock()
		switch {
		case len(to) == 0 && m.to != "":
			a.pr.note("", "not sent: no client is called %s", m.to)
		case len(to) == 0:
			a.pr.note("", "not sent: no client is connected")
		}
		for _, c := range to {
			a.write(c.conn, c.who, m.data)
		}
	})
	return nil
}

// listenForInput is a listening assistant's main loop: it hands each
// message typed to send until ctx is done, and carries on listening after
// the input ends.
func (a *assistant) listenForInput(ctx context.Context, send func(message)) {
	in := a.in
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-in:
			if !ok {
				in = nil
				a.pr.note("", "end of input: nothing more to send; still listening until Ctrl-C")
				continue
			}
			send(m)
		}
	}
}

// targets is who a message goes to: the client called name, or everyone.
func targets(clients []*client, name string) []*client {
	if name == "" {
		return append([]*client(nil), clients...)
	}
	for _, c := range clients {
		if c.name == name {
			return []*client{c}
		}
	}
	return nil
}

// name is the n-th client's name: a, b, ..., z, aa, ab, ...
func name(n int) string {
	s := ""
	for n >= 0 {
		s = string(rune('a'+n%26)) + s
		n = n/26 - 1
	}
	return s
}
