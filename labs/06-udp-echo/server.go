package udpecho

import (
	"errors"
	"net"
)

// Serve answers datagrams on conn until conn is closed, and then returns nil.
//
// Each datagram gets exactly one reply, Answer's, sent back to the address
// the datagram came from: UDP has no connection, so that address is the
// only thing that says who asked. Many clients can send to the same socket,
// and each must get its own replies.
//
// Nothing a client sends stops the server: an empty datagram is a request
// like any other (an empty one, which Answer rejects), and the largest
// datagram UDP can carry (MaxDatagram bytes) must be read whole, not cut
// to fit a small buffer. If a reply cannot be sent, log it and go on.
func Serve(conn net.PacketConn) error {
	// TODO: make one buffer that holds any datagram (64 KiB), then loop:
	// conn.ReadFrom(buf) gives the datagram's length and its sender;
	// conn.WriteTo(Answer(buf[:n]), sender) replies. When ReadFrom fails
	// with errors.Is(err, net.ErrClosed), the test has closed the socket:
	// return nil. (Task 9 runs it with your Client over a lossy network.)
	return errors.New("TODO: implement Serve (tasks 3 to 5)")
}
