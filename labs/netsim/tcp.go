package netsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"syscall"
	"time"
)

// TCPOptions says how a TCP proxy reshapes the byte stream. The zero value
// forwards bytes as they come. TCP's guarantees always hold: every byte
// arrives once and in order, whatever the options.
type TCPOptions struct {
	// Fragment, when positive, splits everything into writes of at most
	// this many bytes, FragmentGap apart (5ms if zero), so the receiver's
	// reads return pieces of messages.
	Fragment    int
	FragmentGap time.Duration

	// Coalesce holds what arrives until CoalesceSize bytes are held (64 KiB
	// if zero) or nothing new has come for CoalesceGap (20ms if zero), then
	// writes it at once, so the receiver's reads return several messages.
	Coalesce     bool
	CoalesceGap  time.Duration
	CoalesceSize int

	Delay  time.Duration // added to everything, in both directions
	Jitter time.Duration // each read's worth waits Delay±Jitter, but never overtakes earlier bytes
	Seed   uint64        // seeds the jitter

	Listen           string      // where to listen; "127.0.0.1:0" if empty
	AllowNonLoopback bool        // permit a Listen address that is not loopback
	Log              func(Event) // called for every event, one call at a time
}

// dialTimeout bounds connecting to the target for each client.
const dialTimeout = 2 * time.Second

// acceptBackoff is how long the accept loop rests after an error such as
// "too many open files" instead of spinning.
const acceptBackoff = 50 * time.Millisecond

// TCPProxy forwards each connection it accepts to a target, reshaping the
// byte stream as its TCPOptions say.
type TCPProxy struct {
	o      TCPOptions
	ln     net.Listener
	target string
	rec    recorder
	ctx    context.Context // cancelled by Close, to stop dials
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	pairs  map[*pair]bool
	closed bool
	stats  TCPStats
}

// ListenTCP starts a TCP proxy in front of target (host:port) and returns
// once it is listening.
func ListenTCP(target string, o TCPOptions) (*TCPProxy, error) {
	if o.Fragment < 0 || o.FragmentGap < 0 || o.CoalesceGap < 0 || o.CoalesceSize < 0 || o.Delay < 0 || o.Jitter < 0 {
		return nil, errors.New("netsim: negative TCPOptions")
	}
	if o.FragmentGap == 0 {
		o.FragmentGap = 5 * time.Millisecond
	}
	if o.CoalesceGap == 0 {
		o.CoalesceGap = 20 * time.Millisecond
	}
	if o.CoalesceSize == 0 {
		o.CoalesceSize = 64 * 1024
	}
	listen, err := listenAddress(o.Listen, o.AllowNonLoopback)
	if err != nil {
		return nil, err
	}
	if _, _, err := net.SplitHostPort(target); err != nil {
		return nil, fmt.Errorf("netsim: target %q: %w", target, err)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("netsim: %w", err)
	}
	p := &TCPProxy{o: o, ln: ln, target: target, pairs: map[*pair]bool{}}
	p.rec = recorder{start: time.Now(), log: o.Log}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.wg.Go(p.accept)
	return p, nil
}

// Addr returns the address clients dial, such as "127.0.0.1:41234".
func (p *TCPProxy) Addr() string { return p.ln.Addr().String() }

// Stats returns the counters so far.
func (p *TCPProxy) Stats() TCPStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// String summarises the proxy and its counters, for netbook proxy to print.
func (p *TCPProxy) String() string {
	return fmt.Sprintf("tcp %s -> %s: %v", p.Addr(), p.target, p.Stats())
}

// Close stops accepting, closes every connection on both sides, and returns
// once all the proxy's goroutines have ended. Closing twice does nothing.
func (p *TCPProxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	var pairs []*pair
	for pr := range p.pairs {
		pairs = append(pairs, pr)
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.cancel()
	for _, pr := range pairs {
		pr.abort(false)
	}
	p.wg.Wait()
	return err
}

func (p *TCPProxy) accept() {
	n := 0
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || p.ctx.Err() != nil {
				return
			}
			p.rec.emit(Event{Kind: Failed, Err: err})
			if !sleep(p.ctx.Done(), acceptBackoff) {
				return
			}
			continue
		}
		n++
		id, name := n, fmt.Sprintf("#%d %s", n, c.RemoteAddr())
		p.wg.Go(func() { p.serve(id, name, c.(*net.TCPConn)) })
	}
}

// pair is a client's connection and the proxy's connection to the target.
type pair struct {
	conns   [2]*net.TCPConn // indexed by the Direction that writes to it: [ToServer] is the target
	once    sync.Once
	aborted chan struct{}
}

// abort closes both connections at once; with reset, so that each peer
// gets a reset (RST) rather than an orderly end of file, which is how a
// reset on one side reaches the other.
func (pr *pair) abort(reset bool) {
	pr.once.Do(func() {
		close(pr.aborted)
		for _, c := range pr.conns {
			if reset {
				c.SetLinger(0)
			}
			c.Close()
		}
	})
}

func (p *TCPProxy) serve(n int, name string, client *net.TCPConn) {
	p.count(func(s *TCPStats) { s.Conns++ })
	p.rec.emit(Event{Conn: name, Kind: Accepted})
	d := net.Dialer{Timeout: dialTimeout}
	c, err := d.DialContext(p.ctx, "tcp", p.target)
	if err != nil {
		// The client sees a reset, as it would from a server that refused it.
		p.rec.emit(Event{Conn: name, Dir: ToServer, Kind: Failed, Err: err})
		client.SetLinger(0)
		client.Close()
		return
	}
	pr := &pair{conns: [2]*net.TCPConn{ToServer: c.(*net.TCPConn), ToClient: client}, aborted: make(chan struct{})}
	if !p.register(pr) {
		pr.abort(false)
		return
	}
	for _, c := range pr.conns {
		c.SetNoDelay(true) // Go's default, said aloud: each Write must leave at once
	}
	var wg sync.WaitGroup
	for _, dir := range []Direction{ToServer, ToClient} {
		wg.Go(func() { p.pump(pr, dir, name, newStream(p.o, n, dir)) })
	}
	wg.Wait()
	pr.abort(false)
	p.mu.Lock()
	delete(p.pairs, pr)
	p.stats.Open--
	p.mu.Unlock()
	p.rec.emit(Event{Conn: name, Kind: Closed})
}

func (p *TCPProxy) register(pr *pair) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.pairs[pr] = true
	p.stats.Open++
	return true
}

func (p *TCPProxy) count(f func(*TCPStats)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.stats)
}

func (p *TCPProxy) countDir(dir Direction, f func(*StreamStats)) {
	p.count(func(s *TCPStats) {
		if dir == ToServer {
			f(&s.ToServer)
		} else {
			f(&s.ToClient)
		}
	})
}

// sleep waits d, or returns false at once when done is closed first.
func sleep(done <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }

// isEOF reports an orderly end of the sender's stream.
func isEOF(err error) bool { return errors.Is(err, io.EOF) }

// newStream returns the per-direction state of one connection's pump.
func newStream(o TCPOptions, n int, dir Direction) *stream {
	return &stream{rng: rand.New(rand.NewPCG(o.Seed, uint64(n)<<1|uint64(dir)))}
}
