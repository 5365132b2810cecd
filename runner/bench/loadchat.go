package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The chat workload: clients log in one after another; the first, the
// talker, then broadcasts while the others listen, so that each message
// becomes clients-1 deliveries. Two phases share the logins:
//
//   - flooding: the talker sends as fast as the room delivers, in rounds
//     of chatRound messages, never more than chatWindow ahead of the
//     slowest listener, so that no correct room disconnects anyone for
//     being slow: lab 10's queues hold 256 lines, and the window is 240,
//     which leaves a room that counts its queue a little differently some
//     margin. The wider the window, the more lines a room's writer finds
//     waiting, and the fewer writes it makes (at 500 clients, 240 rather
//     than 192 cut the reference's writes per delivery by about 15%);
//   - paced: the talker sends at a steady rate (deliveries per second
//     across all listeners), a batch every millisecond, and latency is
//     measured from when each message was due, so a room that falls
//     behind shows it in its percentiles instead of slowing the sender.
//
// Every listener counts lines; a few of them (chatSampled) also read each
// message's number and note its latency. Counting is a memchr over big
// reads, which keeps the load generator's own cost per delivery small.
// When paced, the listeners that are not sampled read every few
// milliseconds rather than as each message arrives (the server's work is
// the same: its writes land in their sockets' buffers), so that waking 500
// listeners for every message does not make the load generator, rather
// than the server, the bottleneck.
const (
	chatRound       = 60
	chatWindow      = 4 * chatRound
	chatSampled     = 8
	maxChatMessages = 4_000_000 // a bound on the messages of one phase
	sentRing        = 4096      // send times kept: far more than the window lets be in flight
	maxDeliveries   = 60_000_000
	chatDrain       = 15 * time.Second // how long listeners may take to catch up at the end of a phase
)

// chatWorkload measures a chat room with clients clients, flooding and
// then paced at rate deliveries per second.
func chatWorkload(clients int, rate float64) Workload {
	name := plural(clients, "client")
	return Workload{
		Name:    name,
		clients: clients,
		Phases:  []string{name + ", flooding", fmt.Sprintf("%s, paced at %s deliveries/s", name, si(rate))},
		Unit:    "deliveries",
		run: func(ctx context.Context, s *Server, budget time.Duration) ([]Measurement, error) {
			room, err := enterRoom(ctx, s.Addr, clients, chatDrain)
			if err != nil {
				return nil, err
			}
			defer room.leave()
			var out []Measurement
			m, err := room.phase(ctx, s, budget/2, 0)
			if err != nil {
				return out, phaseError("flooding", err)
			}
			out = append(out, m)
			m, err = room.phase(ctx, s, budget/2, rate)
			if err != nil {
				return out, phaseError("paced", err)
			}
			return append(out, m), nil
		},
		check: func(ctx context.Context, s *Server) error {
			if err := loginOnce(s.Addr, clients); err != nil {
				return err
			}
			return relayOnce(ctx, s.Addr)
		},
	}
}

// relayOnce logs a talker and a listener in and waits up to ioTimeout for
// the talker's first message to reach the listener: a room that logs
// clients in but relays nothing fails the start check, before anything
// else is built, and not only after chatDrain in its first measurement.
func relayOnce(ctx context.Context, addr string) error {
	room, err := enterRoom(ctx, addr, 2, ioTimeout)
	if err != nil {
		return err
	}
	room.leave()
	return nil
}

// loginOnce logs the first of clients in, and leaves.
func loginOnce(addr string, clients int) error {
	conn, _, err := login(addr, "bench0", 4096)
	if err != nil {
		return fmt.Errorf("logging in client 1 of %d: %w", clients, err)
	}
	return conn.Close()
}

// chatRoom is the load generator's side of a room: a talker and its
// listeners, logged in.
type chatRoom struct {
	talker    net.Conn
	listeners []*listener
	wake      chan struct{} // a listener's count has reached need
	need      atomic.Int64  // what the talker waits for the slowest listener to reach
	timer     *time.Timer   // await's
	errs      chan error
	wg        sync.WaitGroup
	t0        time.Time      // what sent times count from
	sent      []atomic.Int64 // when message i was sent (or due), in ns since t0, at i%sentRing
	next      int            // the next message's number
	msg       []byte         // a buffer to encode messages in
	lazy      atomic.Int64   // when paced: how long a listener that is not sampled waits between reads
}

type listener struct {
	conn    net.Conn
	r       *bufio.Reader
	sampled bool
	got     atomic.Int64 // lines received since the marker
	mu      sync.Mutex
	lat     *latencies // sampled listeners: latencies, guarded by mu
}

// enterRoom logs clients in, one after another, and waits up to wait until
// every listener has heard the talker: from then on, every line a listener
// receives is one of the talker's messages.
func enterRoom(ctx context.Context, addr string, clients int, wait time.Duration) (*chatRoom, error) {
	if clients < 2 {
		return nil, errors.New("a chat workload needs a talker and at least one listener")
	}
	c := &chatRoom{wake: make(chan struct{}, 1), errs: make(chan error, clients), t0: time.Now(),
		sent: make([]atomic.Int64, sentRing)}
	ok := false
	defer func() {
		if !ok {
			c.leave()
		}
	}()
	for i := 0; i < clients; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		conn, r, err := login(addr, fmt.Sprintf("bench%d", i), 64<<10)
		if err != nil {
			return nil, fmt.Errorf("logging in client %d of %d: %w", i+1, clients, err)
		}
		if i == 0 {
			c.talker = conn
			c.wg.Go(func() { io.Copy(io.Discard, r) }) // the talker hears the joins
			continue
		}
		l := &listener{conn: conn, r: r, sampled: (i-1)%max(1, (clients-1)/chatSampled) == 0}
		if l.sampled {
			l.lat = newLatencies(maxLatencySamples / chatSampled)
		}
		c.listeners = append(c.listeners, l)
	}
	ready := make(chan error, len(c.listeners))
	for _, l := range c.listeners {
		c.wg.Go(func() { c.listen(l, ready, wait) })
	}
	// The marker: message 0, "ready".
	c.talker.SetWriteDeadline(time.Now().Add(ioTimeout))
	if _, err := c.talker.Write(c.encode(-1)); err != nil {
		return nil, fmt.Errorf("the talker's first message: %w", err)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	for range c.listeners {
		select {
		case err := <-ready:
			if err != nil {
				return nil, err
			}
		case <-t.C:
			return nil, fmt.Errorf("the server did not relay client 1's first broadcast to every other member within %v", wait)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	ok = true
	return c, nil
}

// login connects and logs in as nickname; the first line back must be
// the login reply, {"id":N}. The reader it returns has bufSize bytes.
func login(addr, nickname string, bufSize int) (net.Conn, *bufio.Reader, error) {
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return nil, nil, err
	}
	conn.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := fmt.Fprintf(conn, "{\"type\":\"login\",\"nickname\":%q}\n", nickname); err != nil {
		conn.Close()
		return nil, nil, err
	}
	r := bufio.NewReaderSize(conn, bufSize)
	line, err := readLine(r)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("waiting for the login reply: %w", inWords(err, ioTimeout, "answer the login"))
	}
	if !bytes.HasPrefix(line, []byte(`{"id":`)) {
		conn.Close()
		return nil, nil, fmt.Errorf("the login reply is %q, want {\"id\":N}", line)
	}
	conn.SetDeadline(time.Time{})
	return conn, r, nil
}

// listen reads l's connection: lines, until the talker's marker (the joins
// of later clients come first), for up to wait; then it counts lines in
// big reads, and a sampled listener notes each message's latency.
func (c *chatRoom) listen(l *listener, ready chan<- error, wait time.Duration) {
	l.conn.SetReadDeadline(time.Now().Add(wait))
	for {
		line, err := readLine(l.r)
		if err != nil {
			ready <- fmt.Errorf("a listener, waiting for client 1's first broadcast: %w", inWords(err, wait, "relay it to the other members"))
			return
		}
		if bytes.Contains(line, []byte(`"ready"`)) {
			break
		}
	}
	ready <- nil
	l.conn.SetReadDeadline(time.Time{})
	buf := make([]byte, 64<<10)
	var partial []byte // a sampled listener's unfinished line
	for {
		n, err := l.r.Read(buf)
		if n > 0 {
			lines := int64(bytes.Count(buf[:n], []byte{'\n'}))
			if l.sampled {
				partial = c.sample(l, append(partial, buf[:n]...))
			}
			// Wake the talker only when this listener reaches what it
			// waits for: 499 listeners waking it on every read cost the
			// load generator more than the room's work it waits on.
			got := l.got.Add(lines)
			if need := c.need.Load(); got >= need && got-lines < need {
				select {
				case c.wake <- struct{}{}:
				default:
				}
			}
			if lazy := time.Duration(c.lazy.Load()); lazy > 0 && !l.sampled {
				time.Sleep(lazy)
			}
		}
		if err != nil {
			select {
			case c.wake <- struct{}{}:
			default:
			}
			if !errors.Is(err, net.ErrClosed) {
				if errors.Is(err, io.EOF) {
					c.errs <- fmt.Errorf("the room hung up on a listener after %d messages", l.got.Load())
				} else {
					c.errs <- fmt.Errorf("a listener was disconnected after %d messages: %w", l.got.Load(), err)
				}
			}
			return
		}
	}
}

// sample notes the latency of each whole line in data and returns what is
// left of an unfinished last line.
func (c *chatRoom) sample(l *listener, data []byte) []byte {
	now := time.Since(c.t0).Nanoseconds()
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return append(data[:0:0], data...)
		}
		// The talker reuses a slot only once every listener has counted
		// the message it held, and a listener counts after sampling.
		if seq, ok := messageNumber(data[:i]); ok && seq >= 0 {
			if sent := c.sent[seq%sentRing].Load(); sent > 0 {
				l.lat.add(time.Duration(now - sent))
			}
		}
		data = data[i+1:]
	}
}

// messageNumber finds the number in a line's "message":"N".
func messageNumber(line []byte) (int, bool) {
	key := []byte(`"message":`)
	i := bytes.Index(line, key)
	if i < 0 {
		return 0, false
	}
	rest := bytes.TrimLeft(line[i+len(key):], " ")
	rest, ok := bytes.CutPrefix(rest, []byte(`"`))
	if !ok {
		return 0, false
	}
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(string(rest[:j]))
	return n, err == nil
}

// encode appends message number seq (-1: the marker) to c.msg and returns
// the buffer.
func (c *chatRoom) encode(seq int) []byte {
	text := "ready"
	if seq >= 0 {
		text = strconv.Itoa(seq)
	}
	c.msg = fmt.Appendf(c.msg[:0], "{\"type\":\"broadcast\",\"sender_id\":1,\"message\":%q}\n", text)
	return c.msg
}

// lowest is how many messages the slowest listener has received.
func (c *chatRoom) lowest() int64 {
	low := int64(1 << 62)
	for _, l := range c.listeners {
		low = min(low, l.got.Load())
	}
	return low
}

// phase runs one phase: flooding when rate is 0, else paced at rate
// deliveries per second.
func (c *chatRoom) phase(ctx context.Context, s *Server, budget time.Duration, rate float64) (Measurement, error) {
	for _, l := range c.listeners {
		l.mu.Lock()
		if l.sampled {
			l.lat = newLatencies(maxLatencySamples / chatSampled)
		}
		l.mu.Unlock()
	}
	base := c.lowest() // every listener has this many already
	first := c.next
	limit := first + min(maxChatMessages, maxDeliveries/len(c.listeners))
	perMessage := time.Duration(0)
	if rate > 0 {
		perMessage = time.Duration(float64(time.Second) * float64(len(c.listeners)) / rate)
		c.lazy.Store(int64(min(5*time.Millisecond, chatWindow/4*perMessage)))
		defer c.lazy.Store(0)
	}
	var batch []byte
	cpu := startCPU(s)
	start := time.Now()
	end := start.Add(budget)
	for c.next < limit && ctx.Err() == nil {
		now := time.Now()
		if !now.Before(end) {
			break
		}
		// How many to send now: a round when flooding; when paced, those
		// due by now. Never more than the window allows.
		sent := int64(c.next - first)
		room := int(int64(chatWindow) - (sent - (c.lowest() - base)))
		n := chatRound
		due := now
		if rate > 0 {
			n = int(now.Sub(start)/perMessage) + 1 - (c.next - first)
		}
		n = min(n, limit-c.next)
		if n <= 0 { // paced: nothing is due yet
			if err := c.await(ctx, true); err != nil {
				return Measurement{}, err
			}
			continue
		}
		least := n // flooding: a whole round at a time
		if rate > 0 {
			least = 1
		}
		if room < least {
			if err := c.awaitLowest(ctx, base+sent-chatWindow+int64(least), rate > 0); err != nil {
				return Measurement{}, err
			}
			continue
		}
		n = min(n, room)
		batch = batch[:0]
		for range n {
			if rate > 0 {
				due = start.Add(time.Duration(c.next-first) * perMessage)
			}
			c.sent[c.next%sentRing].Store(due.Sub(c.t0).Nanoseconds())
			batch = append(batch, c.encode(c.next)...)
			c.next++
		}
		c.talker.SetWriteDeadline(time.Now().Add(ioTimeout))
		if _, err := c.talker.Write(batch); err != nil {
			return Measurement{}, fmt.Errorf("the talker's write: %w", err)
		}
	}
	// Wait until every listener has every message.
	want := base + int64(c.next-first)
	c.need.Store(want)
	deadline := time.Now().Add(chatDrain)
	for c.lowest() < want {
		if time.Now().After(deadline) {
			return Measurement{}, fmt.Errorf("the listeners did not receive every message within %v of the last one being sent (the slowest had %d of %d)",
				chatDrain, c.lowest()-base, want-base)
		}
		if err := c.await(ctx, false); err != nil {
			return Measurement{}, err
		}
	}
	m := Measurement{Ops: int64(c.next-first) * int64(len(c.listeners)), Elapsed: time.Since(start)}
	cpu.stop(&m)
	all := newLatencies(maxLatencySamples)
	for _, l := range c.listeners {
		if l.sampled {
			l.mu.Lock()
			all.merge(l.lat)
			l.mu.Unlock()
		}
	}
	m.Latency = all.kept
	return m, nil
}

// awaitLowest waits until the slowest listener has received want
// messages, or as await does.
func (c *chatRoom) awaitLowest(ctx context.Context, want int64, paced bool) error {
	c.need.Store(want) // before looking: a listener that reaches it from now on wakes the talker
	if c.lowest() >= want {
		return nil
	}
	return c.await(ctx, paced)
}

// await waits until a listener reaches need, or a millisecond when paced
// (the next batch may be due), and reports a disconnected listener.
func (c *chatRoom) await(ctx context.Context, paced bool) error {
	wait := 10 * time.Second
	if paced {
		wait = time.Millisecond
	}
	if c.timer == nil {
		c.timer = time.NewTimer(wait)
	} else {
		c.timer.Reset(wait)
	}
	defer c.timer.Stop()
	select {
	case <-c.wake:
	case err := <-c.errs:
		return err
	case <-c.timer.C:
		if !paced {
			return fmt.Errorf("for %v the slowest listener had %d of the first %d messages and received nothing more: "+
				"the room lost messages, or stopped delivering them", wait, c.lowest(), c.need.Load())
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// leave hangs up every client and waits for their goroutines.
func (c *chatRoom) leave() {
	if c.talker != nil {
		c.talker.Close()
	}
	for _, l := range c.listeners {
		l.conn.Close()
	}
	c.wg.Wait()
}

// si writes a rate as 800k, 1.2M.
func si(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 3, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'g', 3, 64) + "k"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
