// Package a is not a lab: it has no address parameter and takes no
// listener, so it is free to choose its own addresses.
package a

import "net"

func Open() (net.Listener, error) {
	return net.Listen("tcp", ":8080")
}

func Call() (net.Conn, error) {
	return net.Dial("tcp", "example.com:80")
}
