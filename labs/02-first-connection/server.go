package greet

import (
	"errors"
	"net"
)

// GreetOne accepts one connection on ln, sends it Welcome, and closes it.
// It returns the connection's two addresses as the server sees them.
//
// Whatever happens after Accept, the connection must be closed before
// GreetOne returns.
func GreetOne(ln net.Listener) (Ends, error) {
	// TODO: Accept, then make sure the connection is closed however the
	// function returns (defer), write Welcome, and fill in Ends from the
	// connection's LocalAddr and RemoteAddr.
	return Ends{}, errors.New("TODO: implement GreetOne (task 6)")
}

// Serve greets clients one after another until ln is closed, and then
// returns nil. A client that goes away before its greeting is sent does not
// stop the server: it goes on to the next client.
func Serve(ln net.Listener) error {
	// TODO: call GreetOne in a loop. When Accept fails because the listener
	// was closed, errors.Is(err, net.ErrClosed) is true: return nil then.
	return errors.New("TODO: implement Serve (task 7)")
}
