package a

import (
	"errors"
	"log"
	"net"
	"time"
)

// serve backs off after an accept error: nothing to wait on.
func serve(ln net.Listener) error {
	delay := 5 * time.Millisecond
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			log.Printf("accept: %v", err)
			time.Sleep(delay)
			delay *= 2
			continue
		}
		go func() { conn.Close() }()
	}
}

// heartbeat paces its pings.
func heartbeat(conn net.Conn, stop <-chan struct{}) {
	for {
		if _, err := conn.Write([]byte("ping\n")); err != nil {
			return
		}
		time.Sleep(time.Second)
	}
}

// retry dials again after a pause.
func retry(addr string) (net.Conn, error) {
	for i := 0; i < 3; i++ {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			return conn, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, errors.New("gave up")
}

// waitReadyGood waits on a channel.
func waitReadyGood(ready <-chan struct{}) {
	<-ready
}

// closer hangs up on an idle connection after a while: a timer, not a
// wait for the peer.
func closer(conn net.Conn, idle time.Duration) {
	go func() {
		time.Sleep(idle)
		conn.Close()
	}()
}
