// Package chat is lab 07: both directions go on until someone says goodbye.
package chat

import (
	"io"
	"net"
)

func Chat(conn net.Conn, in io.Reader, out io.Writer) error {
	go io.Copy(out, conn)        // streaming to out: not read to the end in memory
	typed, err := io.ReadAll(in) // want `io.ReadAll returns only when`
	if err != nil {
		return err
	}
	_, err = conn.Write(typed)
	return err
}
