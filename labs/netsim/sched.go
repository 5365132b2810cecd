package netsim

import (
	"container/heap"
	"sync"
	"time"
)

// item is a datagram waiting to go out.
type item struct {
	due    time.Time
	seq    uint64 // breaks ties in due, so equal delays keep arrival order
	index  int    // in the heap
	flow   *flow  // set while the item is held back for reordering
	dir    Direction
	client *udpClient
	data   []byte
	copies int
}

// scheduler sends datagrams when they are due, from one goroutine, in order
// of due time and then arrival. A datagram with no delay goes through it
// too, so delayed and undelayed ones cannot overtake each other by accident.
type scheduler struct {
	mu      sync.Mutex
	q       itemHeap
	seq     uint64
	sending bool // an item left q but is not yet written
	wake    chan struct{}
	done    chan struct{}
	send    func(*item)
}

func newScheduler(send func(*item)) *scheduler {
	return &scheduler{wake: make(chan struct{}, 1), done: make(chan struct{}), send: send}
}

// push queues it. When hold is set the item waits for the next datagram of
// its flow, or holdFor at most, and the caller is told it was held; when
// something of the flow is already held, it goes out right after it.
func (s *scheduler) push(it *item, f *flow, hold bool, holdFor time.Duration) (held bool) {
	s.mu.Lock()
	it.seq = s.next()
	released := f.held
	if hold && released == nil {
		it.due = it.due.Add(holdFor)
		it.flow, f.held = f, it
		held = true
	}
	heap.Push(&s.q, it)
	if released != nil {
		f.held, released.flow = nil, nil
		released.due = later(released.due.Add(-holdFor), it.due)
		released.seq = s.next()
		heap.Fix(&s.q, released.index)
	}
	s.mu.Unlock()
	s.poke()
	return held
}

func (s *scheduler) next() uint64 {
	s.seq++
	return s.seq
}

func (s *scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// pending reports whether a datagram is waiting or being written.
func (s *scheduler) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.q) > 0 || s.sending
}

// run sends items as they fall due until stop is called.
func (s *scheduler) run() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		s.mu.Lock()
		var due *item
		wait := time.Duration(-1)
		if len(s.q) > 0 {
			if w := time.Until(s.q[0].due); w <= 0 {
				due = heap.Pop(&s.q).(*item)
				s.sending = true
				if due.flow != nil { // held back, and nothing came after it in time
					due.flow.held, due.flow = nil, nil
				}
			} else {
				wait = w
			}
		}
		s.mu.Unlock()
		if due != nil {
			s.send(due)
			s.mu.Lock()
			s.sending = false
			s.mu.Unlock()
			continue
		}
		var tick <-chan time.Time
		if wait >= 0 {
			timer.Reset(wait)
			tick = timer.C
		}
		select {
		case <-s.wake:
		case <-tick:
		case <-s.done:
			return
		}
		timer.Stop()
	}
}

func (s *scheduler) stop() { close(s.done) }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// itemHeap orders items by due time, then by seq.
type itemHeap []*item

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	if !h[i].due.Equal(h[j].due) {
		return h[i].due.Before(h[j].due)
	}
	return h[i].seq < h[j].seq
}
func (h itemHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *itemHeap) Push(x any) {
	it := x.(*item)
	it.index = len(*h)
	*h = append(*h, it)
}
func (h *itemHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}
