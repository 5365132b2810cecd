package rstream

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"time"
)

// Faults says how a Pipe misbehaves. The zero value delivers every datagram
// at once, unchanged.
//
// Each direction draws the fates of its datagrams from a random source of
// its own, seeded with Seed, in the order they are sent: the fifth datagram
// from A to B meets the same fate on every run with the same seed, whatever
// happens the other way.
type Faults struct {
	Drop      float64       // probability that a datagram is lost
	Duplicate float64       // probability that it is delivered twice
	Reorder   float64       // probability that it is held back and delivered after the next one
	Corrupt   float64       // probability that one of its bits is flipped on the way
	Delay     time.Duration // added to every datagram
	Jitter    time.Duration // each datagram waits Delay±Jitter, uniformly, at least 0
	Seed      uint64
}

// String describes the faults in words, for a test's failure message:
// "drop 10%, duplicate 5%, delay 2ms±1ms, seed 7".
func (f Faults) String() string {
	var parts []string
	for _, p := range []struct {
		name string
		p    float64
	}{{"drop", f.Drop}, {"duplicate", f.Duplicate}, {"reorder", f.Reorder}, {"corrupt", f.Corrupt}} {
		if p.p > 0 {
			parts = append(parts, fmt.Sprintf("%s %g%%", p.name, 100*p.p))
		}
	}
	switch {
	case f.Jitter > 0:
		parts = append(parts, fmt.Sprintf("delay %v±%v", f.Delay, f.Jitter))
	case f.Delay > 0:
		parts = append(parts, fmt.Sprintf("delay %v", f.Delay))
	}
	if len(parts) == 0 {
		parts = append(parts, "no faults")
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(", seed %d", f.Seed)
}

// PipeQueue is how many datagrams wait for a Recv at one end of a Pipe; a
// datagram that finds the queue full is lost, as one that finds a UDP
// socket's receive buffer full is.
const PipeQueue = 1024

// reorderHold is how long a held-back datagram waits for the next one
// before it goes anyway.
const reorderHold = 20 * time.Millisecond

// Pipe is an in-memory network between two Links, A and B, that misbehaves
// as its Faults say. It uses channels and timers only, no sockets, so tests
// can run it inside a testing/synctest bubble, where time is fake: a
// retransmission timeout of a second passes at once, and always at the same
// moment.
type Pipe struct {
	A, B *PipeEnd

	mu  sync.Mutex
	cut bool
}

// PipeEnd is one end of a Pipe: a Link.
type PipeEnd struct {
	pipe   *Pipe
	out    *pipeDir // what this end sends
	queue  chan []byte
	closed chan struct{}
	once   sync.Once
}

// PipeStats counts what happened to the datagrams sent one way.
type PipeStats struct {
	Sent       int // handed to Send
	Delivered  int // put in the other end's queue, duplicates included
	Dropped    int // lost on purpose (Faults.Drop), or after Cut
	Duplicated int
	Reordered  int // held back to go after the next one
	Corrupted  int
	Overflowed int // lost because the other end's queue was full
}

// String formats the counters on one line.
func (s PipeStats) String() string {
	return fmt.Sprintf("%d sent, %d delivered, %d dropped, %d duplicated, %d reordered, %d corrupted, %d overflowed",
		s.Sent, s.Delivered, s.Dropped, s.Duplicated, s.Reordered, s.Corrupted, s.Overflowed)
}

type pipeDir struct {
	f    Faults
	rng  *rand.Rand
	to   *PipeEnd
	last time.Time // when the latest datagram is due: without jitter, none overtakes another

	held      []byte // a datagram held back, waiting for the next
	heldTimer *time.Timer
	stats     PipeStats
}

// NewPipe returns a Pipe that misbehaves as f says.
func NewPipe(f Faults) *Pipe {
	p := &Pipe{}
	p.A = &PipeEnd{pipe: p, queue: make(chan []byte, PipeQueue), closed: make(chan struct{})}
	p.B = &PipeEnd{pipe: p, queue: make(chan []byte, PipeQueue), closed: make(chan struct{})}
	p.A.out = &pipeDir{f: f, rng: rand.New(rand.NewPCG(f.Seed, 0)), to: p.B}
	p.B.out = &pipeDir{f: f, rng: rand.New(rand.NewPCG(f.Seed, 1)), to: p.A}
	return p
}

// Cut cuts the wire: from now on nothing gets through, either way, as if
// the peer's machine had been switched off.
func (p *Pipe) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
}

// Stats returns the counters of each direction so far.
func (p *Pipe) Stats() (aToB, bToA PipeStats) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.A.out.stats, p.B.out.stats
}

// Close closes both ends.
func (p *Pipe) Close() {
	p.A.Close()
	p.B.Close()
}

// Send sends b, misbehaving as the Faults say. It never waits.
func (e *PipeEnd) Send(b []byte) error {
	select {
	case <-e.closed:
		return fmt.Errorf("pipe: send: %w", net.ErrClosed)
	default:
	}
	p := e.pipe
	d := e.out
	p.mu.Lock()
	defer p.mu.Unlock()
	d.stats.Sent++
	// Draw the same six numbers for every datagram, whatever the faults, so
	// that changing one probability does not reshuffle the others.
	var u [6]float64
	for i := range u {
		u[i] = d.rng.Float64()
	}
	if p.cut || u[0] < d.f.Drop {
		d.stats.Dropped++
		return nil
	}
	data := append([]byte(nil), b...)
	if u[3] < d.f.Corrupt && len(data) > 0 {
		bit := int(u[5] * float64(8*len(data)))
		data[bit/8] ^= 1 << (bit % 8)
		d.stats.Corrupted++
	}
	copies := 1
	if u[1] < d.f.Duplicate {
		copies = 2
		d.stats.Duplicated++
	}
	delay := d.f.Delay + time.Duration((2*u[4]-1)*float64(d.f.Jitter))
	now := time.Now()
	due := now.Add(max(delay, 0))
	if d.f.Jitter == 0 && due.Before(d.last) {
		due = d.last
	}
	d.last = due

	batch := make([][]byte, 0, 3)
	for range copies {
		batch = append(batch, data)
	}
	switch {
	case d.held != nil:
		// This one releases the one held back: it goes first, then that.
		batch = append(batch, d.held)
		d.held = nil
		d.heldTimer.Stop()
	case u[2] < d.f.Reorder:
		d.stats.Reordered++
		d.held = data
		d.heldTimer = time.AfterFunc(due.Sub(now)+reorderHold, func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if d.held != nil && p.cut {
				d.held = nil
			}
			if d.held != nil {
				held := d.held
				d.held = nil
				d.deliver(held)
			}
		})
		if copies == 1 {
			return nil
		}
		batch = batch[:1] // the duplicate goes now
	}
	if !due.After(now) {
		d.deliver(batch...)
		return nil
	}
	time.AfterFunc(due.Sub(now), func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.cut {
			d.deliver(batch...)
		}
	})
	return nil
}

// deliver puts datagrams in the receiving end's queue; p.mu is held.
func (d *pipeDir) deliver(batch ...[]byte) {
	for _, b := range batch {
		select {
		case <-d.to.closed:
			return
		default:
		}
		select {
		case d.to.queue <- b:
			d.stats.Delivered++
		default:
			d.stats.Overflowed++
		}
	}
}

// Recv waits for the next datagram delivered to this end.
func (e *PipeEnd) Recv(b []byte) (int, error) {
	select {
	case d := <-e.queue:
		return copy(b, d), nil
	case <-e.closed:
		return 0, fmt.Errorf("pipe: recv: %w", net.ErrClosed)
	}
}

// Close closes this end: a waiting Recv returns, and datagrams sent to it
// from now on are lost. The other end is not told, as a UDP socket is not.
func (e *PipeEnd) Close() error {
	e.once.Do(func() { close(e.closed) })
	return nil
}
