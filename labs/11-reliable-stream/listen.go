package rstream

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Listener accepts connections from many peers on one UDP socket, as a TCP
// listener does on one port. The socket's datagrams come from everyone;
// the Listener sorts them by the address they came from, giving each peer
// a Link of its own, and runs Accept on a peer's link when its first
// datagram is a SYN. A kernel finds a TCP connection the same way, by the
// pair of addresses in each packet.
type Listener struct {
	pc  net.PacketConn
	cfg Config

	mu      sync.Mutex
	peers   map[string]*peerLink
	pending int // peers between their first SYN and Accept: at most Backlog
	closed  bool

	ready chan *Conn    // connections whose handshake is done
	done  chan struct{} // closed when the socket is
	wg    sync.WaitGroup
}

// Backlog is how many connections a Listener holds between a peer's first
// SYN and Accept taking the connection: handshakes under way and
// connections waiting to be accepted. A SYN beyond that is dropped, as a
// TCP listener whose queues are full drops it: its peer, hearing nothing,
// sends it again after its timeout. A flood of SYNs from addresses that
// never answer holds at most Backlog handshakes, each until it gives up.
const Backlog = 128

// Listen starts accepting connections on pc, each configured by cfg.
// Closing the Listener closes pc.
func Listen(pc net.PacketConn, cfg Config) *Listener {
	l := &Listener{pc: pc, cfg: cfg, peers: map[string]*peerLink{},
		ready: make(chan *Conn), done: make(chan struct{})}
	l.wg.Go(l.read)
	return l
}

// Accept waits for the next connection whose handshake is done. Once the
// Listener is closed it returns an error that wraps net.ErrClosed.
func (l *Listener) Accept() (*Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case <-l.done:
		return nil, fmt.Errorf("rstream: accept: %w", net.ErrClosed)
	}
}

// Addr returns the socket's address.
func (l *Listener) Addr() net.Addr { return l.pc.LocalAddr() }

// Close closes the socket, and with it every peer's link: connections
// still open fail. It returns once the Listener's goroutines have ended.
func (l *Listener) Close() error {
	err := l.pc.Close()
	l.wg.Wait()
	return err
}

// read hands each datagram to the peer it came from, making a new peer
// for a SYN from an address it does not know.
func (l *Listener) read() {
	defer func() {
		l.mu.Lock()
		l.closed = true
		peers := l.peers
		l.peers = nil
		l.mu.Unlock()
		close(l.done)
		for _, p := range peers {
			p.Close()
		}
	}()
	buf := make([]byte, MaxDatagram)
	for {
		n, from, err := l.pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // about one datagram; the socket goes on
		}
		l.mu.Lock()
		p := l.peers[from.String()]
		if p == nil {
			if seg, err := Parse(buf[:n]); err != nil || seg.Flags != SYN || l.pending >= Backlog {
				l.mu.Unlock()
				continue // not the start of a connection, or no room for one
			}
			p = &peerLink{l: l, addr: from, queue: make(chan []byte, PipeQueue), closed: make(chan struct{})}
			l.peers[from.String()] = p
			l.pending++
			l.wg.Go(func() { l.handshake(p) })
		}
		l.mu.Unlock()
		select {
		case p.queue <- append([]byte(nil), buf[:n]...):
		default: // the peer's queue is full: lost, as in a full socket buffer
		}
	}
}

// handshake runs Accept on a new peer's link and hands the connection to
// the Listener's Accept.
func (l *Listener) handshake(p *peerLink) {
	defer func() {
		l.mu.Lock()
		l.pending--
		l.mu.Unlock()
	}()
	c, err := Accept(p, l.cfg)
	if err != nil {
		p.Close()
		return
	}
	select {
	case l.ready <- c:
	case <-l.done:
		c.Close()
	}
}

// peerLink is one peer of a Listener: a Link whose datagrams come from the
// Listener's socket, and whose Close forgets the peer.
type peerLink struct {
	l      *Listener
	addr   net.Addr
	queue  chan []byte
	closed chan struct{}
	once   sync.Once
}

func (p *peerLink) Send(b []byte) error {
	_, err := p.l.pc.WriteTo(b, p.addr)
	return err
}

func (p *peerLink) Recv(b []byte) (int, error) {
	select {
	case d := <-p.queue:
		return copy(b, d), nil
	case <-p.closed:
		return 0, fmt.Errorf("rstream: recv from %v: %w", p.addr, net.ErrClosed)
	}
}

func (p *peerLink) Close() error {
	p.once.Do(func() {
		close(p.closed)
		p.l.mu.Lock()
		if p.l.peers[p.addr.String()] == p {
			delete(p.l.peers, p.addr.String())
		}
		p.l.mu.Unlock()
	})
	return nil
}

// Serve runs a small service over the lab's transport on pc until pc is
// closed, for netbook up: each client sends a stream of bytes and closes its
// side (CloseWrite), and gets back one line that says what arrived, such as
// "1048576 bytes, sha256 8f434346...". testdata/rsend is such a client.
func Serve(pc net.PacketConn) error {
	l := Listen(pc, Config{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer l.Close()
	for {
		c, err := l.Accept()
		if err != nil {
			return nil // the socket was closed
		}
		wg.Go(func() {
			defer c.Close()
			// A client that vanishes in the middle of its stream sends no
			// FIN, and with nothing of ours in flight no retransmission
			// ever finds it gone: without a bound of our own, Read would
			// wait for it, holding this goroutine and its connection, for
			// ever. So a client that sends nothing for serveIdle is
			// closed (and Close gives up on a peer that is gone).
			idle := time.AfterFunc(serveIdle, func() { c.Close() })
			defer idle.Stop()
			h := sha256.New()
			n, err := io.Copy(h, idleReader{c, idle})
			if err != nil {
				return
			}
			fmt.Fprintf(c, "%d bytes, sha256 %x\n", n, h.Sum(nil))
		})
	}
}

// serveIdle is how long Serve waits for the next bytes from a client
// before it closes the connection.
const serveIdle = time.Minute

// idleReader reads from c, and restarts idle before each Read: the timer
// fires only when one Read has waited serveIdle.
type idleReader struct {
	c    *Conn
	idle *time.Timer
}

func (r idleReader) Read(p []byte) (int, error) {
	r.idle.Reset(serveIdle)
	return r.c.Read(p)
}
