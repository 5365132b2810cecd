// Package hello is lab 03: Serve is handed its listener.
package hello

import "net"

func Serve(ln net.Listener) error {
	own, err := net.Listen("tcp", ":8080") // want `":8080" listens on the fixed port 8080 of every network .*; and this package is handed its listener`
	if err != nil {
		return err
	}
	defer own.Close()
	return nil
}

func listenLocal() (net.Listener, error) {
	return net.Listen("tcp", "127.0.0.1:9000") // want `"127.0.0.1:9000" is a fixed port`
}

func listenAny() (net.Listener, error) {
	return net.Listen("tcp", "0.0.0.0:0") // want `"0.0.0.0:0" listens on every network the machine is on`
}

// listenFree is right.
func listenFree() (net.Listener, error) {
	return net.Listen("tcp", "127.0.0.1:0")
}
