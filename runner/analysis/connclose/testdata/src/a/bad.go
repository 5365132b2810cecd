package a

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
)

// Serve starts a goroutine per client, as it should.
func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go handle(conn)
	}
}

// handle hangs up on "exit" but not when the client leaves.
func handle(conn net.Conn) {
	io.WriteString(conn, "welcome\n")
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if sc.Text() == "exit" {
			conn.Close()
			return
		}
		fmt.Fprintf(conn, "Hello, %s!\n", sc.Text())
	}
} // want `handle serves conn, the connection of one client, but leaves it open when the function ends`

// ServeErrors hands each client to handleErr.
func ServeErrors(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			continue
		}
		go handleErr(conn)
	}
}

// handleErr closes on the happy path only.
func handleErr(conn net.Conn) error {
	if _, err := io.WriteString(conn, "welcome\n"); err != nil {
		return err // want `handleErr serves conn, the connection of one client, but leaves it open when it returns at line \d+`
	}
	conn.Close()
	return nil
}

// GreetOne accepts one client and greets it, but an error on the way
// leaves the connection open.
func GreetOne(ln net.Listener) error {
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(conn, "hello\n"); err != nil {
		return err // want `the connection accepted at line \d+ is not closed when it returns at line \d+`
	}
	return conn.Close()
}

// ServeInTurn serves clients one after another and never hangs up.
func ServeInTurn(ln net.Listener) error {
	for {
		conn, err := ln.Accept() // want `the connection accepted at line \d+ is not closed before the loop goes back to Accept`
		if err != nil {
			return err
		}
		greet(conn)
	}
}

func greet(conn net.Conn) {
	io.WriteString(conn, "hello\n")
}

// ServeDefer defers the Close in the loop: it runs when ServeDefer returns.
func ServeDefer(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		defer conn.Close() // want `this defer runs when the function returns`
		io.WriteString(conn, "hello\n")
	}
}

// ServeEcho echoes in a goroutine that never closes.
func ServeEcho(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			io.Copy(conn, conn)
		}() // want `the goroutine serves conn, the connection of one client, but leaves it open when the function ends`
	}
}

// ServeParam hands the connection to the goroutine as an argument.
func ServeParam(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func(c net.Conn) {
			if _, err := io.WriteString(c, "hi\n"); err != nil {
				return // want `the goroutine serves c, the connection of one client, but leaves it open when it returns`
			}
			c.Close()
		}(conn)
	}
}
