package greet

import (
	"fmt"
	"log"
	"net"
	"time"
)

// writeTimeout bounds how long a greeting may take to send: a client that
// stops reading must not hold the server forever.
const writeTimeout = 5 * time.Second

// GreetOne accepts one connection on ln, sends it Welcome, and closes it.
// It returns the connection's two addresses as the server sees them.
//
// Whatever happens after Accept, the connection must be closed before
// GreetOne returns.
func GreetOne(ln net.Listener) (Ends, error) {
	conn, err := ln.Accept()
	if err != nil {
		return Ends{}, err
	}
	defer conn.Close()
	ends := Ends{Local: conn.LocalAddr().String(), Remote: conn.RemoteAddr().String()}
	if err := conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return ends, err
	}
	if _, err := conn.Write([]byte(Welcome)); err != nil {
		return ends, fmt.Errorf("greet %s: %w", ends.Remote, err)
	}
	return ends, nil
}

// Serve greets clients one after another until ln is closed, and then
// returns nil. A client that goes away before its greeting is sent does not
// stop the server: it goes on to the next client.
func Serve(ln net.Listener) error {
	for {
		// One client's failure must not stop the server: log it and go on.
		if _, err := GreetOne(ln); err != nil {
			log.Printf("greet: %v", err)
		}
	}
}
