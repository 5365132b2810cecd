// Package chat is lab 09: when ln is closed, Serve closes every client's
// connection and waits for their goroutines.
package chat

import (
	"bufio"
	"net"
	"sync"
)

var members = map[int]net.Conn{}

// Serve lets its handlers run on after it returns.
func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go handle(conn) // want `this goroutine serves one client, and when the server stops nothing can reach its connection to close it, .*, and nothing waits for it to finish`
	}
}

func handle(conn net.Conn) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
	}
}

// ServeCounted waits for its handlers, but cannot stop them.
func ServeCounted(ln net.Listener) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		wg.Add(1)
		go func() { // want `nothing can reach its connection to close it`
			defer wg.Done()
			handle(conn)
		}()
	}
}

type room struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
}

func (r *room) add(conn net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conns[conn] = true
}

func (r *room) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.conns {
		c.Close()
	}
}

// ServeGood keeps every connection and waits for every handler.
func ServeGood(ln net.Listener) error {
	r := &room{conns: map[net.Conn]bool{}}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer r.closeAll()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		r.add(conn)
		wg.Go(func() { handle(conn) })
	}
}

type client struct {
	conn net.Conn
	out  chan []byte
}

type server struct {
	mu      sync.Mutex
	clients map[*client]bool
	wg      sync.WaitGroup
}

// ServeWrapped keeps a struct that holds the connection.
func (s *server) ServeWrapped(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		s.start(conn)
	}
}

func (s *server) start(conn net.Conn) {
	c := &client{conn: conn, out: make(chan []byte, 1)}
	s.mu.Lock()
	s.clients[c] = true
	s.wg.Add(2)
	s.mu.Unlock()
	go s.read(c)
	go s.write(c)
}

func (s *server) read(c *client)  { defer s.wg.Done() }
func (s *server) write(c *client) { defer s.wg.Done() }
