package a

import (
	"net"
	"sync"
	"sync/atomic"
)

var (
	roomMu  sync.Mutex
	room    = map[net.Conn]string{}
	total   atomic.Int64
	once    sync.Once
	config  map[string]string
	started bool
)

func init() {
	config = map[string]string{} // not in a per-client goroutine
}

func ServeGood(ln net.Listener) error {
	started = true // Serve itself runs once
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go func() {
			defer conn.Close()
			join(conn, "anon")
			total.Add(1)
			once.Do(func() { config["first"] = conn.RemoteAddr().String() })
			roomMu.Lock()
			defer roomMu.Unlock()
			room[conn] = "left"
		}()
	}
}

func join(conn net.Conn, name string) {
	roomMu.Lock()
	defer roomMu.Unlock()
	add(conn, name)
}

// add is only called with roomMu held.
func add(conn net.Conn, name string) {
	room[conn] = name
}

type server struct {
	mu    sync.Mutex
	names map[net.Conn]string
}
