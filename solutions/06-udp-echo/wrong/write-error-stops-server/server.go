package udpecho

import (
	"errors"
	"fmt"
	"log"
	"net"
	"time"
)

// writeTimeout bounds one reply. Sending a datagram rarely waits at all (the
// kernel queues it or drops it), but a deadline costs nothing and makes
// sure no WriteTo can hold the loop.
const writeTimeout = time.Second

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
	// 64 KiB holds the largest UDP payload, so ReadFrom never has to cut a
	// datagram to fit (it would do so silently, with no error).
	buf := make([]byte, 64*1024)
	for {
		n, from, err := conn.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			// Not the socket closing: on some systems an ICMP error from an
			// earlier reply shows up here. It concerns one client, not the
			// server, so carry on. (n is 0: there is no datagram to answer.)
			log.Printf("udpecho: read: %v", err)
			continue
		}
		// n may be 0: an empty datagram is a datagram, not an end of file.
		// The reply goes to from, the sender of this very datagram.
		conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := conn.WriteTo(Answer(buf[:n]), from); err != nil {
			return fmt.Errorf("reply to %v: %w", from, err)
		}
	}
}
