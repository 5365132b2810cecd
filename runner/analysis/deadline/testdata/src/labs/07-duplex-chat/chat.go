// Package chat is lab 07's two-way chat: a line the peer does not take
// within Patience is an error.
package chat

import (
	"bufio"
	"io"
	"net"
	"time"
)

var Patience = 5 * time.Second

func Chat(conn net.Conn, in io.Reader, out io.Writer) error {
	defer conn.Close()
	go func() {
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			io.WriteString(out, sc.Text()+"\n")
		}
	}()
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if _, err := io.WriteString(conn, sc.Text()+"\n"); err != nil { // want `a peer that stops reading makes this write to conn wait for ever`
			return err
		}
	}
	return nil
}
