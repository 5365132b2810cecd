// Package a is not a lab: a server type with a Shutdown method promises
// to stop its handlers.
package a

import (
	"context"
	"net"
	"sync"
)

type Server struct {
	ln net.Listener
}

func (s *Server) Serve(ln net.Listener) error {
	s.ln = ln
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go s.handle(conn) // want `when the server stops nothing can reach its connection`
	}
}

func (s *Server) handle(conn net.Conn) { conn.Close() }

func (s *Server) Shutdown(ctx context.Context) error { return s.ln.Close() }

// ServeContext hands its context to every handler, and counts them.
func ServeContext(ctx context.Context, ln net.Listener) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveUntil(ctx, conn)
		}()
	}
}

func serveUntil(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	<-ctx.Done()
}

// Plain makes no promise: nothing to say.
func Plain(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go func() { conn.Close() }()
	}
}
