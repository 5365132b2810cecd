package greet

import (
	"errors"
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
	conn.Write([]byte(Welcome)) // a client that left does not matter: it is gone
	return ends, nil
}

// Serve greets clients one after another until ln is closed, and then
// returns nil. A client that goes away before its greeting is sent does not
// stop the server: it goes on to the next client.
func Serve(ln net.Listener) error {
	for {
		ends, err := GreetOne(ln)
		switch {
		case errors.Is(err, net.ErrClosed):
			return nil
		case err != nil && ends.Remote == "":
			return fmt.Errorf("accept: %w", err) // the listener itself failed
		case err != nil:
			log.Printf("greet: %v", err) // one client failed; serve the next
		}
	}
}
