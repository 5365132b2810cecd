package a

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

type server struct {
	mu    sync.Mutex
	ready bool
	n     atomic.Int32
}

func (s *server) isReady() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ready
}

// waitReady polls a flag.
func (s *server) waitReady() {
	for !s.isReady() {
		time.Sleep(10 * time.Millisecond) // want `this loop waits by sleeping and checking again`
	}
}

// waitCount polls an atomic counter.
func (s *server) waitCount(want int32) {
	for {
		if s.n.Load() >= want {
			return
		}
		time.Sleep(time.Millisecond) // want `this loop waits by sleeping and checking again`
	}
}

// waitDone polls a channel.
func waitDone(done chan struct{}) {
	for {
		select {
		case <-done:
			return
		default:
		}
		time.Sleep(5 * time.Millisecond) // want `this loop waits by sleeping`
	}
}

// chat starts the printer and hopes it is done after 100ms.
func chat(conn net.Conn, out io.Writer) {
	go io.Copy(out, conn)
	time.Sleep(100 * time.Millisecond) // want `sleeping right after starting a goroutine`
}

// bye gives the peer time to read before hanging up.
func bye(conn net.Conn) {
	io.WriteString(conn, "bye\n")
	time.Sleep(50 * time.Millisecond) // want `sleeping before closing the connection`
	conn.Close()
}
