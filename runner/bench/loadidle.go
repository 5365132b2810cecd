package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of the idle workload.
const (
	MaxIdle        = 20_000           // the most idle clients netbook bench opens
	idleLoginLimit = 5 * time.Minute  // the longest the logins may take in all
	idleReplyLimit = 30 * time.Second // the longest one login may wait for its reply
	idleInFlight   = 100              // logins sent and not yet answered, at most
)

// idleStall is how long the clients wait for a new announcement, once
// every login is answered, before the run gives up on a room that has
// stopped announcing (a correct room announces hundreds of thousands a
// second). Tests make it shorter.
var idleStall = 10 * time.Second

// idleWorkload logs n clients into a chat room, one after another (each
// connects as soon as the one before has sent its login, with at most
// idleInFlight waiting for their replies), and keeps them connected and
// silent. Each login is announced to everyone already in, so
// the room delivers n(n-1)/2 announcements: the phase ends when every
// client has all of its own. It measures how long that takes (the rate is
// logins per second, the latency a login's round trip), and then how much
// more memory the server holds than before the first login, per client,
// each time after a garbage collection when the server is one netbook
// built.
func idleWorkload(n int) Workload {
	name := fmt.Sprintf("%d idle clients", n)
	return Workload{
		Name:    name,
		clients: n,
		Phases:  []string{name + ", logged in one after another"},
		Unit:    "logins",
		run: func(ctx context.Context, s *Server, _ time.Duration) ([]Measurement, error) {
			m, err := runIdle(ctx, s, n)
			if err != nil {
				return nil, err
			}
			return []Measurement{m}, nil
		},
		check: func(_ context.Context, s *Server) error { return announceOnce(s.Addr, n) },
	}
}

// announceOnce logs the first two of clients in, one after the other, and
// waits up to ioTimeout for the first to hear of the second's arrival: the
// idle workload waits for every such announcement (for idleLoginLimit), so
// a room that makes none fails its start check at once instead. With one
// client, that it logs in is all there is to check.
func announceOnce(addr string, clients int) error {
	first, r, err := login(addr, "idle0", 4096)
	if err != nil {
		return fmt.Errorf("logging in client 1 of %d: %w", clients, err)
	}
	defer first.Close()
	if clients < 2 {
		return nil
	}
	second, _, err := login(addr, "idle1", 4096)
	if err != nil {
		return fmt.Errorf("logging in client 2 of %d: %w", clients, err)
	}
	defer second.Close()
	first.SetReadDeadline(time.Now().Add(ioTimeout))
	if _, err := readLine(r); err != nil {
		return fmt.Errorf("client 1, waiting to hear that client 2 joined the room: %w", inWords(err, ioTimeout, "announce it"))
	}
	return nil
}

func runIdle(ctx context.Context, s *Server, n int) (Measurement, error) {
	if n < 1 || n > MaxIdle {
		return Measurement{}, fmt.Errorf("idle clients: %d, want 1 to %d", n, MaxIdle)
	}
	if err := collect(ctx, s); err != nil {
		return Measurement{}, err
	}
	before, err := ProcessRSS(s.Pid)
	if err != nil {
		before = -1
	}
	var conns []net.Conn
	var wg sync.WaitGroup
	defer func() {
		for _, c := range conns {
			c.Close()
		}
		wg.Wait()
	}()
	var heard atomic.Int64 // announcements received, by every client together
	wake := make(chan struct{}, 1)
	errs := make(chan error, 1)
	inFlight := make(chan struct{}, idleInFlight)
	var mu sync.Mutex
	lat := newLatencies(maxLatencySamples)
	cpu := startCPU(s)
	start := time.Now()
	deadline := start.Add(idleLoginLimit)
	for i := range n {
		select {
		case inFlight <- struct{}{}:
		case err := <-errs:
			return Measurement{}, err
		case <-ctx.Done():
			return Measurement{}, ctx.Err()
		}
		if time.Now().After(deadline) {
			return Measurement{}, fmt.Errorf("%d of %d clients had logged in after %v", i, n, idleLoginLimit)
		}
		t0 := time.Now()
		conn, err := net.DialTimeout("tcp", s.Addr, ioTimeout)
		if err != nil {
			return Measurement{}, fmt.Errorf("connecting client %d of %d: %w", i+1, n, err)
		}
		conns = append(conns, conn)
		conn.SetDeadline(time.Now().Add(idleReplyLimit))
		if _, err := fmt.Fprintf(conn, "{\"type\":\"login\",\"nickname\":\"idle%d\"}\n", i); err != nil {
			return Measurement{}, fmt.Errorf("logging in client %d of %d: %w", i+1, n, err)
		}
		wg.Go(func() {
			r := bufio.NewReaderSize(conn, 256)
			line, err := readLine(r)
			err = inWords(err, idleReplyLimit, "answer the login")
			if err == nil && !bytes.HasPrefix(line, []byte(`{"id":`)) {
				err = fmt.Errorf("the login reply is %q, want {\"id\":N}", line)
			}
			if err != nil {
				select {
				case errs <- fmt.Errorf("client %d of %d, waiting for its login reply: %w", i+1, n, err):
				default:
				}
				return
			}
			mu.Lock()
			lat.add(time.Since(t0))
			mu.Unlock()
			<-inFlight
			conn.SetDeadline(time.Time{})
			buf := make([]byte, 4096)
			mine := 0
			for {
				k, err := r.Read(buf)
				lines := bytes.Count(buf[:k], []byte{'\n'})
				mine += lines
				heard.Add(int64(lines))
				select {
				case wake <- struct{}{}:
				default:
				}
				if err != nil {
					if !errors.Is(err, net.ErrClosed) {
						select {
						case errs <- fmt.Errorf("the server disconnected client %d of %d after %d announcements: %w", i+1, n, mine, err):
						default:
						}
					}
					return
				}
			}
		})
	}
	want := int64(n) * int64(n-1) / 2
	last, lastAt := heard.Load(), time.Now()
	for heard.Load() < want {
		if time.Now().After(deadline) {
			return Measurement{}, fmt.Errorf("after %v the clients had %d of the %d announcements of each other's logins", idleLoginLimit, heard.Load(), want)
		}
		if h := heard.Load(); h != last {
			last, lastAt = h, time.Now()
		} else if time.Since(lastAt) >= idleStall {
			return Measurement{}, fmt.Errorf("the room stopped announcing logins: all %d clients had sent their logins, and for %v no client heard of another's arrival "+
				"(the clients had %d of the %d announcements); does the room tell everyone already in about each new login?", n, idleStall, h, want)
		}
		t := time.NewTimer(min(time.Second, idleStall))
		select {
		case <-wake:
		case <-t.C:
		case err := <-errs:
			return Measurement{}, err
		case <-ctx.Done():
		}
		t.Stop()
		if ctx.Err() != nil {
			return Measurement{}, ctx.Err()
		}
	}
	mu.Lock()
	m := Measurement{Ops: int64(n), Elapsed: time.Since(start), Latency: slices.Clone(lat.kept), MemPerClient: -1}
	mu.Unlock()
	cpu.stop(&m)
	if err := collect(ctx, s); err != nil {
		return Measurement{}, err
	}
	if after, err := ProcessRSS(s.Pid); err == nil && before >= 0 {
		m.MemPerClient = float64(after-before) / float64(n)
	}
	return m, nil
}

// collect has a Go server collect its garbage and return the memory freed
// to the system, so that its memory is what it holds, not what a burst of
// work left behind (the runtime collects by itself at least every two
// minutes, and gives freed memory back over time). Other servers are left
// as they are.
func collect(ctx context.Context, s *Server) error {
	if s.collect == nil {
		return nil
	}
	return s.collect(ctx)
}
