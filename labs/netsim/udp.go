package netsim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"syscall"
	"time"
)

// UDPOptions says how a UDP proxy misbehaves. The zero value forwards every
// datagram at once, unchanged.
type UDPOptions struct {
	Drop      float64       // probability that a datagram is lost
	Duplicate float64       // probability that a datagram is delivered twice
	Reorder   float64       // probability that a datagram is held back and sent after the next one
	Delay     time.Duration // added to every datagram
	Jitter    time.Duration // each datagram waits Delay±Jitter, uniformly, at least 0
	Seed      uint64        // seeds every random decision: same seed, same fates

	// ReorderHold is how long a held-back datagram waits for the next one
	// of its client and direction before it goes anyway (100ms if zero).
	// The next one is never held itself: it is what releases the first, so
	// with Reorder 1 datagrams 0 1 2 3 arrive as 1 0 3 2. Only this
	// timeout lets timing change what a seed decides.
	ReorderHold time.Duration
	// MaxClients bounds the client addresses served, each with its own
	// socket to the target (256 if zero); datagrams from more are dropped.
	MaxClients int

	Listen           string      // where to listen; "127.0.0.1:0" if empty
	AllowNonLoopback bool        // permit a Listen address that is not loopback
	Log              func(Event) // called for every event, one call at a time
}

// maxDatagram is the largest UDP payload.
const maxDatagram = 64 * 1024

// UDPProxy forwards datagrams between clients and a target, misbehaving as
// its UDPOptions say. Each client address gets its own socket to the
// target, so the target's replies go back to the client that caused them.
type UDPProxy struct {
	o      UDPOptions
	pc     *net.UDPConn
	target *net.UDPAddr
	rec    recorder
	sched  *scheduler
	wg     sync.WaitGroup

	mu      sync.Mutex
	clients map[netip.AddrPort]*udpClient
	order   []*udpClient // in order of first datagram
	closed  bool
	stats   UDPStats
}

// udpClient is one client address and the socket that speaks for it to the
// target.
type udpClient struct {
	addr  netip.AddrPort
	name  string
	up    *net.UDPConn
	flows [2]*flow // by Direction
	fresh bool     // not yet announced in the log; read by readClients only
}

// flow is one direction of one client: its own random source, so that its
// decisions depend only on its own datagrams, and what it holds back.
type flow struct {
	rng  *rand.Rand
	held *item // guarded by the scheduler's mutex
}

// ListenUDP starts a UDP proxy in front of target (host:port) and returns
// once it is listening.
func ListenUDP(target string, o UDPOptions) (*UDPProxy, error) {
	for name, p := range map[string]float64{"drop": o.Drop, "duplicate": o.Duplicate, "reorder": o.Reorder} {
		if err := checkProbability(name, p); err != nil {
			return nil, err
		}
	}
	if o.Delay < 0 || o.Jitter < 0 || o.ReorderHold < 0 || o.MaxClients < 0 {
		return nil, errors.New("netsim: negative Delay, Jitter, ReorderHold or MaxClients")
	}
	if o.ReorderHold == 0 {
		o.ReorderHold = 100 * time.Millisecond
	}
	if o.MaxClients == 0 {
		o.MaxClients = 256
	}
	listen, err := listenAddress(o.Listen, o.AllowNonLoopback)
	if err != nil {
		return nil, err
	}
	taddr, err := net.ResolveUDPAddr("udp", target)
	if err != nil {
		return nil, fmt.Errorf("netsim: target %q: %w", target, err)
	}
	laddr, err := net.ResolveUDPAddr("udp", listen)
	if err != nil {
		return nil, fmt.Errorf("netsim: %w", err)
	}
	pc, err := net.ListenUDP("udp", laddr)
	if err != nil {
		return nil, fmt.Errorf("netsim: %w", err)
	}
	p := &UDPProxy{o: o, pc: pc, target: taddr, clients: map[netip.AddrPort]*udpClient{}}
	p.rec = recorder{start: time.Now(), log: o.Log}
	p.sched = newScheduler(p.send)
	p.wg.Go(p.sched.run)
	p.wg.Go(p.readClients)
	return p, nil
}

// Addr returns the address clients send to, such as "127.0.0.1:41234".
func (p *UDPProxy) Addr() string { return p.pc.LocalAddr().String() }

// Stats returns the counters so far.
func (p *UDPProxy) Stats() UDPStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// String summarises the proxy and its counters, for netbook proxy to print.
func (p *UDPProxy) String() string {
	return fmt.Sprintf("udp %s -> %s: %v", p.Addr(), p.target, p.Stats())
}

// Close stops the proxy: it closes every socket, discards datagrams still
// waiting, and returns once all its goroutines have ended. Closing twice
// does nothing.
func (p *UDPProxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	clients := slices.Clone(p.order)
	p.mu.Unlock()
	err := p.pc.Close()
	for _, c := range clients {
		c.up.Close()
	}
	p.sched.stop()
	p.wg.Wait()
	return err
}

func (p *UDPProxy) readClients() {
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := p.pc.ReadFromUDPAddrPort(buf)
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				p.rec.emit(Event{Kind: Failed, Err: err})
			}
			return
		}
		c := p.client(from)
		if c == nil {
			p.count(ToServer, func(s *DatagramStats) { s.In++; s.Dropped++ })
			p.rec.emit(Event{Conn: from.String(), Dir: ToServer, Kind: Dropped, Size: n,
				Err: fmt.Errorf("more than %d clients", p.o.MaxClients)})
			continue
		}
		if c.fresh {
			c.fresh = false
			p.rec.emit(Event{Conn: c.name, Kind: Accepted})
		}
		p.forward(c, ToServer, buf[:n])
	}
}

// client returns the client at addr, starting to serve it if it is new, or
// nil when the proxy is closed or full.
func (p *UDPProxy) client(addr netip.AddrPort) *udpClient {
	c, err := p.lookup(addr)
	if err != nil {
		p.rec.emit(Event{Conn: addr.String(), Kind: Failed, Err: err})
	}
	return c
}

// lookup is client's work under the lock; events wait until it is released,
// so a Log function may call Stats.
func (p *UDPProxy) lookup(addr netip.AddrPort) (*udpClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[addr]; ok || p.closed {
		return c, nil
	}
	if len(p.order) >= p.o.MaxClients {
		return nil, nil
	}
	up, err := net.DialUDP("udp", nil, p.target)
	if err != nil {
		return nil, err
	}
	n := uint64(len(p.order))
	c := &udpClient{addr: addr, name: addr.String(), up: up}
	for _, d := range []Direction{ToServer, ToClient} {
		c.flows[d] = &flow{rng: rand.New(rand.NewPCG(p.o.Seed, n<<1|uint64(d)))}
	}
	p.clients[addr] = c
	p.order = append(p.order, c)
	p.stats.Clients++
	c.fresh = true
	p.wg.Go(func() { p.readTarget(c) })
	return c, nil
}

// readTarget forwards what the target sends to c's socket back to c.
func (p *UDPProxy) readTarget(c *udpClient) {
	buf := make([]byte, maxDatagram)
	for {
		n, err := c.up.Read(buf)
		if errors.Is(err, syscall.ECONNREFUSED) {
			// The kernel's answer to an earlier datagram: nothing listens
			// at the target (yet). Each one is reported once; go on.
			p.rec.emit(Event{Conn: c.name, Dir: ToServer, Kind: Failed, Err: err})
			continue
		}
		if err != nil {
			return
		}
		p.forward(c, ToClient, buf[:n])
	}
}

// fate is what happens to one datagram.
type fate struct {
	drop, duplicate, reorder bool
	delay                    time.Duration
}

// decide draws the same four numbers for every datagram, whatever the
// options, so changing one probability does not reshuffle the others.
func (f *flow) decide(o *UDPOptions) fate {
	u := [4]float64{f.rng.Float64(), f.rng.Float64(), f.rng.Float64(), f.rng.Float64()}
	d := fate{drop: u[0] < o.Drop, duplicate: u[1] < o.Duplicate, reorder: u[2] < o.Reorder, delay: o.Delay}
	d.delay += time.Duration((2*u[3] - 1) * float64(o.Jitter))
	d.delay = max(d.delay, 0)
	return d
}

// forward decides the fate of one datagram and queues it. The counters
// change together at the end, so that a reader who sees In counted also
// sees the datagram queued.
func (p *UDPProxy) forward(c *udpClient, dir Direction, data []byte) {
	f := c.flows[dir]
	d := f.decide(&p.o)
	ev := Event{Conn: c.name, Dir: dir, Size: len(data)}
	p.rec.emit(with(ev, Received))
	held := false
	if d.drop {
		p.rec.emit(with(ev, Dropped))
	} else {
		it := &item{due: time.Now().Add(d.delay), dir: dir, client: c, data: slices.Clone(data), copies: 1}
		if d.duplicate {
			it.copies = 2
			p.rec.emit(with(ev, Duplicated))
		}
		if d.delay > 0 {
			ev.Delay = d.delay
			p.rec.emit(with(ev, Delayed))
		}
		if held = p.sched.push(it, f, d.reorder, p.o.ReorderHold); held {
			p.rec.emit(with(ev, Held))
		}
	}
	p.count(dir, func(s *DatagramStats) {
		s.In++
		switch {
		case d.drop:
			s.Dropped++
			return
		case d.duplicate:
			s.Duplicated++
		}
		if d.delay > 0 {
			s.Delayed++
		}
		if held {
			s.Reordered++
		}
	})
}

func with(e Event, k EventKind) Event {
	e.Kind = k
	return e
}

// send writes a due datagram; it runs on the scheduler's goroutine.
func (p *UDPProxy) send(it *item) {
	for range it.copies {
		var err error
		if it.dir == ToServer {
			_, err = it.client.up.Write(it.data)
			if errors.Is(err, syscall.ECONNREFUSED) {
				// The kernel reports an earlier datagram's "port
				// unreachable" on this write; this one has not gone yet.
				_, err = it.client.up.Write(it.data)
			}
		} else {
			_, err = p.pc.WriteToUDPAddrPort(it.data, it.client.addr)
		}
		ev := Event{Conn: it.client.name, Dir: it.dir, Kind: Sent, Size: len(it.data)}
		if errors.Is(err, net.ErrClosed) {
			return // Close is under way
		}
		if err != nil {
			ev.Kind, ev.Err = Failed, err
		} else {
			p.count(it.dir, func(s *DatagramStats) { s.Out++ })
		}
		p.rec.emit(ev)
	}
}

func (p *UDPProxy) count(dir Direction, f func(*DatagramStats)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if dir == ToServer {
		f(&p.stats.ToServer)
	} else {
		f(&p.stats.ToClient)
	}
}

// idle reports whether no datagram is waiting to go out.
func (p *UDPProxy) idle() bool { return !p.sched.pending() }
