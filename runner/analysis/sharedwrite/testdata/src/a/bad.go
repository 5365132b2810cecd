package a

import (
	"bufio"
	"net"
	"sync"
)

var (
	members = map[net.Conn]string{}
	conns   []net.Conn
	count   int
	last    net.Conn

	mu   sync.Mutex
	rwmu sync.RWMutex
	seen = map[string]bool{}
)

func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		go handle(conn)
	}
}

func handle(conn net.Conn) {
	defer conn.Close()
	count++                     // want `this \+\+ changes the package-level count from code that runs in one goroutine per client`
	last = conn                 // want `this assignment writes the package-level last`
	conns = append(conns, conn) // want `this append grows the package-level conns`
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		members[conn] = sc.Text() // want `this assignment writes to the package-level members`
		remember(sc.Text())
		rwmu.RLock()
		seen[sc.Text()] = true // want `with only a read lock held`
		rwmu.RUnlock()
	}
	mu.Lock()
	delete(members, conn)
	mu.Unlock()
	delete(members, conn) // want `this delete changes the package-level members`
}

func remember(name string) {
	seen[name] = true // want `this assignment writes to the package-level seen`
}
