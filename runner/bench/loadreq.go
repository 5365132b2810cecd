package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Every load loop is bounded twice: by its phase's time and by a count.
const (
	maxRequestsPerClient = 2_000_000
	ioTimeout            = 5 * time.Second // the longest one read or write may take
	maxLatencySamples    = 100_000
)

// conversation is one request/response protocol over TCP, seen from a
// client: what it reads when it connects, what it asks, and how to read
// (and check) one answer.
type conversation struct {
	greeting func(r *bufio.Reader) error
	request  func(i int) []byte
	answer   func(r *bufio.Reader, i int) error
}

// requestWorkload opens clients connections to the server, and has each
// ask and wait for the answer, one request at a time, as fast as the
// server answers, for the whole phase.
func requestWorkload(clients int, conv conversation) Workload {
	name := plural(clients, "connection")
	return Workload{
		Name:    name,
		clients: clients,
		Phases:  []string{name},
		Unit:    "requests",
		run: func(ctx context.Context, s *Server, budget time.Duration) ([]Measurement, error) {
			m, err := runRequests(ctx, s, clients, budget, conv)
			if err != nil {
				return nil, err
			}
			return []Measurement{m}, nil
		},
		check: func(_ context.Context, s *Server) error {
			conn, r, err := greeted(s.Addr, 0, clients, conv)
			if err != nil {
				return err
			}
			defer conn.Close()
			return ask(conn, r, conv, 0)
		},
	}
}

func runRequests(ctx context.Context, s *Server, clients int, budget time.Duration, conv conversation) (Measurement, error) {
	type client struct {
		conn net.Conn
		r    *bufio.Reader
	}
	var cs []client
	defer func() {
		for _, c := range cs {
			c.conn.Close()
		}
	}()
	for i := 0; i < clients; i++ {
		conn, r, err := greeted(s.Addr, i, clients, conv)
		if err != nil {
			return Measurement{}, err
		}
		cs = append(cs, client{conn, r})
	}

	return drive(ctx, s, clients, budget, func(n int) (step, func(), error) {
		c := cs[n]
		return func(i int) (bool, error) {
			if err := ask(c.conn, c.r, conv, i); err != nil {
				return false, err
			}
			return true, nil
		}, nil, nil
	})
}

// greeted connects client i (from 0) of clients to addr and reads the
// server's greeting; the others, before it, are still connected.
func greeted(addr string, i, clients int, conv conversation) (net.Conn, *bufio.Reader, error) {
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting client %d of %d: %w", i+1, clients, err)
	}
	r := bufio.NewReader(conn)
	conn.SetDeadline(time.Now().Add(ioTimeout))
	if err := conv.greeting(r); err != nil {
		conn.Close()
		if i > 0 && errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, nil, fmt.Errorf("client %d, as it connected, waited %v for the server to greet it while %s stayed connected: does the server serve one client at a time?",
				i+1, ioTimeout, plural(i, "other client"))
		}
		return nil, nil, fmt.Errorf("client %d, as it connected: %w", i+1, inWords(err, ioTimeout, "greet it"))
	}
	return conn, r, nil
}

// ask sends request i (from 0) on conn and reads its answer from r.
func ask(conn net.Conn, r *bufio.Reader, conv conversation, i int) error {
	conn.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := conn.Write(conv.request(i)); err != nil {
		return fmt.Errorf("sending request %d: %w", i+1, inWords(err, ioTimeout, "read it"))
	}
	if err := conv.answer(r, i); err != nil {
		return fmt.Errorf("reading the answer to request %d: %w", i+1, inWords(err, ioTimeout, "answer"))
	}
	return nil
}

// step makes a client's request number i (from 0) and says whether it
// was answered: false with no error is a request lost on the way (UDP),
// which is counted but not timed.
type step func(i int) (answered bool, err error)

// drive runs clients clients for the phase's budget, at most
// maxRequestsPerClient requests each: start makes client n's step (and
// what closes it); drive times every answered step, counts the lost ones
// and measures the server's CPU. The first error ends the phase.
func drive(ctx context.Context, s *Server, clients int, budget time.Duration, start func(n int) (step, func(), error)) (Measurement, error) {
	var ops, lost atomic.Int64
	var mu sync.Mutex
	all := newLatencies(maxLatencySamples)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	cpu := startCPU(s)
	begin := time.Now()
	end := begin.Add(budget)
	for n := range clients {
		wg.Go(func() {
			lat := newLatencies(maxLatencySamples / clients)
			defer func() {
				mu.Lock()
				all.merge(lat)
				mu.Unlock()
			}()
			do, stop, err := start(n)
			if err != nil {
				errs <- err
				return
			}
			if stop != nil {
				defer stop()
			}
			for i := 0; i < maxRequestsPerClient && ctx.Err() == nil; i++ {
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				answered, err := do(i)
				switch {
				case err != nil:
					errs <- err
					return
				case answered:
					lat.add(time.Since(t0))
					ops.Add(1)
				default:
					lost.Add(1)
				}
			}
		})
	}
	wg.Wait()
	m := Measurement{Ops: ops.Load(), Elapsed: time.Since(begin), Lost: lost.Load()}
	cpu.stop(&m)
	m.Latency = all.kept
	select {
	case err := <-errs:
		return m, err
	default:
	}
	return m, ctx.Err()
}

// connectWorkload has clients goroutines connect, read everything the
// server says until it hangs up, and connect again, for the whole phase:
// one request is one connection (lab 02's greeting server).
func connectWorkload(clients int, check func([]byte) error) Workload {
	name := plural(clients, "client")
	return Workload{
		Name:    name,
		clients: clients,
		Phases:  []string{name},
		Unit:    "connections",
		run: func(ctx context.Context, s *Server, budget time.Duration) ([]Measurement, error) {
			m, err := drive(ctx, s, clients, budget, func(int) (step, func(), error) {
				return func(int) (bool, error) {
					err := greeting(s.Addr, check)
					return err == nil, err
				}, nil, nil
			})
			if err != nil {
				return nil, err
			}
			return []Measurement{m}, nil
		},
		check: func(_ context.Context, s *Server) error { return greeting(s.Addr, check) },
	}
}

// greeting makes one connection to addr and checks what the server sent.
func greeting(addr string, check func([]byte) error) error {
	data, err := fetch(addr)
	if err == nil {
		err = check(data)
	}
	return err
}

// fetch connects to addr and reads until the server closes.
func fetch(addr string) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(ioTimeout))
	data, err := io.ReadAll(conn)
	if err != nil {
		return data, fmt.Errorf("reading until the server hangs up: %w", inWords(err, ioTimeout, "finish and hang up"))
	}
	return data, nil
}

// datagramWorkload has clients UDP sockets each send a request and wait for
// its answer, for the whole phase. A request whose answer does not come
// within lossTimeout counts as lost, and the client goes on.
func datagramWorkload(clients int, request func(client, id int) []byte, answer func(reply []byte, client, id int) error) Workload {
	name := plural(clients, "client")
	return Workload{
		Name:    name,
		clients: clients,
		Phases:  []string{name},
		Unit:    "requests",
		run: func(ctx context.Context, s *Server, budget time.Duration) ([]Measurement, error) {
			server, err := net.ResolveUDPAddr("udp", s.Addr)
			if err != nil {
				return nil, err
			}
			m, err := drive(ctx, s, clients, budget, func(n int) (step, func(), error) {
				conn, err := net.DialUDP("udp", nil, server)
				if err != nil {
					return nil, nil, err
				}
				return datagramStep(conn, n+1, request, answer), func() { conn.Close() }, nil
			})
			if err != nil {
				return nil, err
			}
			if m.Ops == 0 && m.Lost > 0 {
				return nil, fmt.Errorf("none of %d requests was answered within %v", m.Lost, lossTimeout)
			}
			return []Measurement{m}, nil
		},
		check: func(ctx context.Context, s *Server) error {
			server, err := net.ResolveUDPAddr("udp", s.Addr)
			if err != nil {
				return err
			}
			conn, err := net.DialUDP("udp", nil, server)
			if err != nil {
				return err
			}
			defer conn.Close()
			do := datagramStep(conn, 1, request, answer)
			for i := range checkDatagrams {
				if answered, err := do(i); answered || err != nil {
					return err
				}
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			return fmt.Errorf("none of %d requests was answered within %v", checkDatagrams, lossTimeout)
		},
	}
}

// checkDatagrams is how many requests the start check sends, one after
// another, before it takes a UDP server for one that does not answer.
const checkDatagrams = 5

// datagramStep sends client's (from 1) request number i+1 on conn and
// waits lossTimeout for its answer.
func datagramStep(conn *net.UDPConn, client int, request func(client, id int) []byte, answer func(reply []byte, client, id int) error) step {
	buf := make([]byte, 64<<10)
	return func(i int) (bool, error) {
		id := i + 1
		if _, err := conn.Write(request(client, id)); err != nil {
			return false, fmt.Errorf("sending request %d: %w", id, err)
		}
		for {
			conn.SetReadDeadline(time.Now().Add(lossTimeout))
			n, err := conn.Read(buf)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return false, nil // lost
			}
			if err != nil {
				return false, fmt.Errorf("waiting for the answer to request %d: %w", id, err)
			}
			if err := answer(buf[:n], client, id); errors.Is(err, errStale) {
				continue // a late answer to an earlier request
			} else if err != nil {
				return false, err
			}
			return true, nil
		}
	}
}

// lossTimeout is how long a UDP client waits for an answer before it
// counts the request as lost.
const lossTimeout = 200 * time.Millisecond

// errStale marks an answer to an earlier request.
var errStale = errors.New("an answer to an earlier request")

// readLine reads one line and returns it without its "\n".
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the server hung up")
		}
		return nil, err
	}
	return line[:len(line)-1], nil
}

// inWords says in words what a read or write that passed its deadline
// means: the server did not do what the client waited d for it to do
// ("answer"). Other errors are returned as they are.
func inWords(err error, d time.Duration, what string) error {
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	return &timeoutError{fmt.Sprintf("the server did not %s within %v", what, d), err}
}

// timeoutError is a deadline error told in words; errors.Is still finds
// os.ErrDeadlineExceeded in it.
type timeoutError struct {
	text string
	err  error
}

func (e *timeoutError) Error() string { return e.text }
func (e *timeoutError) Unwrap() error { return e.err }

// expectLine reads one line and checks that it starts with prefix.
func expectLine(r *bufio.Reader, prefix string) error {
	line, err := readLine(r)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, []byte(prefix)) {
		return fmt.Errorf("got %q, want a line that starts with %q", line, prefix)
	}
	return nil
}

// plural says "1 client", "10 clients".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
