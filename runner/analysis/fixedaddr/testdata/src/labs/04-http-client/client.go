// Package rawhttp is lab 04: Get is handed a URL.
package rawhttp

import (
	"net"
	"time"
)

const server = "example.com"

func Get(rawURL string, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout("tcp", net.JoinHostPort(server, "80"), timeout) // want `example.com:80 is a fixed address, but Get is handed the address to connect to`
}

func GetLocal(rawURL string, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout("tcp", "127.0.0.1:8080", timeout) // want `127.0.0.1:8080 is a fixed address`
}

// GetGood dials what it was given.
func GetGood(addr string, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, timeout)
}
