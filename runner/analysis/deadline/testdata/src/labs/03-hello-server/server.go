// Package hello is lab 03: its clients may take their time, and its brief
// asks for no deadline.
package hello

import (
	"bufio"
	"fmt"
	"net"
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
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		fmt.Fprintf(conn, "Hello, %s!\n", sc.Text())
	}
}
