package rstream

import (
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Link carries datagrams between one end of a connection and its peer, and
// promises nothing about them: a datagram sent may be lost, arrive twice,
// arrive after one sent later, or arrive damaged. A Conn runs over a Link:
// a UDP socket (UDPLink), the in-memory Pipe the tests use, or one peer of
// a Listener.
//
// Send and Recv may be called from different goroutines at once.
type Link interface {
	// Send sends b as one datagram to the peer. It does not wait for the
	// datagram to arrive, and nothing says whether it did. Send must not
	// keep b.
	Send(b []byte) error
	// Recv waits for the next datagram from the peer and copies it into b,
	// returning its length. Once the link is closed it returns an error
	// that wraps net.ErrClosed.
	Recv(b []byte) (int, error)
	// Close closes the link: a Recv that is waiting returns, and later
	// calls fail.
	Close() error
}

// MaxDatagram is the buffer a Recv needs to hold any datagram: 64 KiB.
const MaxDatagram = 64 * 1024

// UDPLink returns a Link over a UDP socket that talks to peer only:
// datagrams from any other address are ignored. Closing the link closes
// pc.
func UDPLink(pc net.PacketConn, peer net.Addr) Link {
	return &udpLink{pc: pc, peer: peer.String()}
}

type udpLink struct {
	pc   net.PacketConn
	peer string

	once sync.Once
	to   net.Addr
	err  error
}

func (l *udpLink) Send(b []byte) error {
	l.once.Do(func() { l.to, l.err = net.ResolveUDPAddr("udp", l.peer) })
	if l.err != nil {
		return l.err
	}
	_, err := l.pc.WriteTo(b, l.to)
	return err
}

func (l *udpLink) Recv(b []byte) (int, error) {
	for {
		n, from, err := l.pc.ReadFrom(b)
		if err != nil {
			return 0, err
		}
		if from.String() == l.peer {
			return n, nil
		}
	}
}

func (l *udpLink) Close() error { return l.pc.Close() }

// LogLink returns l with every datagram sent and received written to w as
// a line: the segment it holds (or why it is not one), with the time since
// the link was wrapped. name labels the lines, such as "client". Use it to
// watch a connection at work:
//
//	link := rstream.LogLink(rstream.UDPLink(pc, server), os.Stderr, "client")
//
//	+0.000s client -> SYN seq=2941006343
//	+0.001s client <- SYN|ACK seq=118302946 ack=2941006344 win=65535
//	+0.001s client -> ACK seq=2941006344 ack=118302947 win=65535
func LogLink(l Link, w io.Writer, name string) Link {
	return &logLink{Link: l, w: w, name: name, start: time.Now()}
}

type logLink struct {
	Link
	w     io.Writer
	name  string
	start time.Time
	mu    sync.Mutex
}

func (l *logLink) Send(b []byte) error {
	err := l.Link.Send(b)
	l.log("->", b, err)
	return err
}

func (l *logLink) Recv(b []byte) (int, error) {
	n, err := l.Link.Recv(b)
	if err == nil {
		l.log("<-", b[:n], nil)
	}
	return n, err
}

func (l *logLink) log(dir string, b []byte, err error) {
	what := ""
	if seg, perr := Parse(b); perr != nil {
		what = fmt.Sprintf("%d bytes, not a segment: %v", len(b), perr)
	} else {
		what = seg.String()
	}
	if err != nil {
		what += fmt.Sprintf(" (send failed: %v)", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "+%.3fs %s %s %s\n", time.Since(l.start).Seconds(), l.name, dir, what)
}
