// Package chat is lab 10's robust room: idle clients are dropped.
package chat

import (
	"bufio"
	"net"
	"time"
)

type Server struct {
	IdleTimeout  time.Duration
	WriteTimeout time.Duration
}

func (s *Server) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go s.read(conn)
		go s.readGood(conn)
		go s.writer(conn, nil)
	}
}

// read never drops a quiet client.
func (s *Server) read(conn net.Conn) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for sc.Scan() { // want `a client that goes quiet keeps this read waiting for ever`
		conn.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
		conn.Write(sc.Bytes())
	}
}

// readGood sets the idle deadline before every message.
func (s *Server) readGood(conn net.Conn) {
	defer conn.Close()
	sc := bufio.NewScanner(conn)
	for {
		conn.SetReadDeadline(time.Now().Add(s.IdleTimeout))
		if !sc.Scan() {
			return
		}
		conn.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
		conn.Write(sc.Bytes())
	}
}

// writer makes its bufio.Writer once and sets the deadline before each
// flush: fine.
func (s *Server) writer(conn net.Conn, queue <-chan []byte) {
	w := bufio.NewWriter(conn)
	for line := range queue {
		conn.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
		w.Write(line)
		if w.Flush() != nil {
			return
		}
	}
}
