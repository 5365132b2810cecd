package a

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"sync"
)

// GoodServe defers the Close at the top of the handler.
func GoodServe(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			log.Printf("accept: %v", err)
			continue
		}
		go func() {
			if err := goodHandle(conn); err != nil {
				log.Printf("%v: %v", conn.RemoteAddr(), err)
			}
		}()
	}
}

func goodHandle(conn net.Conn) error {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if sc.Text() == "exit" {
			return nil
		}
		if _, err := io.WriteString(conn, sc.Text()+"\n"); err != nil {
			return err
		}
	}
	return sc.Err()
}

// GoodGreetOne closes on every path.
func GoodGreetOne(ln net.Listener) error {
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = io.WriteString(conn, "hello\n")
	return err
}

// GoodServeInTurn closes after each client.
func GoodServeInTurn(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err == nil {
			io.WriteString(conn, "hello\n")
			conn.Close()
		} else {
			return err
		}
	}
}

// room keeps every connection, to close them all when the server stops.
type room struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

func (r *room) add(conn net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conns[conn] = true
}

func (r *room) leave(conn net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.conns, conn)
	conn.Close()
}

// GoodRoom hands each connection to the room, which closes it on leave.
func GoodRoom(ln net.Listener) error {
	r := &room{conns: map[net.Conn]bool{}}
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		r.add(conn)
		r.wg.Go(func() { r.serve(conn) })
	}
}

func (r *room) serve(conn net.Conn) {
	defer func() { r.leave(conn) }()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
	}
}

type client struct {
	conn  net.Conn
	queue chan []byte
}

// GoodWrapped hands each connection to a struct and two goroutines.
func GoodWrapped(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		c := &client{conn: conn, queue: make(chan []byte, 8)}
		go reader(c)
		go writer(c)
	}
}

func reader(c *client) {
	defer close(c.queue)
	sc := bufio.NewScanner(c.conn)
	for sc.Scan() {
		c.queue <- append([]byte(nil), sc.Bytes()...)
	}
}

func writer(c *client) {
	defer c.conn.Close()
	for line := range c.queue {
		c.conn.Write(line)
	}
}

// GoodFatal ends the process when the handler cannot go on.
func GoodFatal(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go mustGreet(conn)
	}
}

func mustGreet(conn net.Conn) {
	if _, err := io.WriteString(conn, "hi\n"); err != nil {
		panic(err)
	}
	conn.Close()
}

// GoodChannel hands connections to a worker over a channel.
func GoodChannel(ln net.Listener, work chan<- net.Conn) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		work <- conn
	}
}

// GoodSwitch sorts Accept's errors with a switch.
func GoodSwitch(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		switch {
		case errors.Is(err, net.ErrClosed):
			return nil
		case err != nil:
			log.Printf("accept: %v", err)
			continue
		}
		go goodHandle(conn)
	}
}
