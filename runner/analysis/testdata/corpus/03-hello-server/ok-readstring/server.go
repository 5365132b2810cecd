package hello

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"
)

// Serve accepts clients and greets each in a goroutine of its own.
func Serve(ln net.Listener) error {
	var delay time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			delay = min(max(2*delay, MinBackoff), MaxBackoff)
			log.Printf("accept: %v (retrying in %v)", err, delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		go handle(conn)
	}
}

// handle reads lines with a bufio.Reader: a line may arrive in pieces.
func handle(conn net.Conn) error {
	if _, err := io.WriteString(conn, Welcome); err != nil {
		conn.Close()
		return err
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			name := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
			if name == Exit {
				return nil
			}
			if _, err := fmt.Fprintf(conn, "Hello, %s!\n", name); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
