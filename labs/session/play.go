package session

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// DefaultTimeout is how long each step may wait for the server: to connect,
// to accept what is sent, and for what is expected to arrive. Loopback
// answers in microseconds, so this is the price of a broken server, not the
// speed of a working one.
const DefaultTimeout = 2 * time.Second

// grace is how long an exact expect keeps reading once the bytes already
// differ: long enough to show the rest of a message that is on its way, so
// the report is readable, without waiting the whole timeout for bytes that
// cannot make the step pass.
const grace = 50 * time.Millisecond

// maxMatchLine bounds the line a pattern step reads, so a server that never
// sends \n cannot make the player buffer without end.
const maxMatchLine = 64 * 1024

// maxDatagram is the largest UDP payload.
const maxDatagram = 64 * 1024

// Option changes how Play plays a session.
type Option func(*config)

type config struct {
	timeout time.Duration
	observe func(Event)
	ln      net.Listener
	onStep  func(Op) // the op of each step as it starts (OnStep)
}

// Timeout sets how long each step may wait (DefaultTimeout if not given).
func Timeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// OnStep calls f with the op of each step as the step starts, so that a
// player running in the background can tell what it waits for
// (sessiontest.Serve does).
func OnStep(f func(Op)) Option {
	return func(c *config) { c.onStep = f }
}

// Listener makes the session's accept steps take their connections from ln,
// so that the session plays the server for a client under test (see
// sessiontest.Serve). ln must have a SetDeadline method, as *net.TCPListener does, so
// that an accept step can give up at its timeout.
func Listener(ln net.Listener) Option {
	return func(c *config) { c.ln = ln }
}

// Observe calls f with each event as it happens, for a runner that shows the
// conversation live. f runs on the player's goroutine, so it should not block.
func Observe(f func(Event)) Option {
	return func(c *config) { c.observe = f }
}

// Result is what playing a session produced.
type Result struct {
	Session    *Session      // what was played
	Addr       string        // against which server
	Transcript []Event       // everything sent and received, in order
	Mismatch   *Mismatch     // the first step that failed; nil if all passed
	Elapsed    time.Duration // from the start to the last step played
}

// OK reports whether every step of the session passed.
func (r *Result) OK() bool { return r.Mismatch == nil }

// Err returns the mismatch as an error, or nil when the session passed.
func (r *Result) Err() error {
	if r.Mismatch == nil {
		return nil
	}
	return r.Mismatch
}

// Events returns the transcript of one connection.
func (r *Result) Events(conn string) []Event {
	var evs []Event
	for _, e := range r.Transcript {
		if e.Conn == conn {
			evs = append(evs, e)
		}
	}
	return evs
}

// Report explains the mismatch for a person, or returns "" when the session
// passed. See Mismatch.Report.
func (r *Result) Report() string {
	if r.Mismatch == nil {
		return ""
	}
	return r.Mismatch.Report()
}

// conn is one of the session's connections while it plays.
type conn struct {
	nc  net.Conn
	r   *bufio.Reader // TCP only: holds bytes that arrived ahead of their step
	udp bool
}

type player struct {
	cfg   config
	addr  string
	start time.Time
	res   *Result
	conns map[string]*conn
}

// Play runs session s against the server at addr and returns what happened.
// It stops at the first step that fails; each step waits at most the
// timeout (see Timeout), and every connection is closed before Play
// returns. Cancelling ctx stops the session at the step that is running.
//
// A session with accept steps plays the server instead: give it a listener
// with the Listener option (addr may then be empty), and point the client
// under test at that listener.
func Play(ctx context.Context, s *Session, addr string, opts ...Option) *Result {
	p := &player{
		cfg:   config{timeout: DefaultTimeout},
		addr:  addr,
		start: time.Now(),
		res:   &Result{Session: s, Addr: addr},
		conns: map[string]*conn{},
	}
	for _, o := range opts {
		o(&p.cfg)
	}
	if addr == "" && p.cfg.ln != nil {
		p.res.Addr = p.cfg.ln.Addr().String()
	}
	defer func() {
		for _, c := range p.conns {
			c.nc.Close()
		}
	}()
	for i, st := range s.Steps {
		if p.cfg.onStep != nil {
			p.cfg.onStep(st.Op)
		}
		if m := p.step(ctx, st); m != nil {
			m.Step, m.Index, m.Timeout = st, i, p.cfg.timeout
			m.UDP, m.Accepted = s.isUDP(st.Conn), s.isAccepted(st.Conn)
			if st.Op != Expect {
				m.Offset = -1
			}
			m.Before = s.Steps[max(0, i-contextSteps):i]
			if m.Err != nil && ctx.Err() != nil {
				m.Err = context.Cause(ctx) // the real reason the read gave up
			}
			p.res.Mismatch = m
			break
		}
	}
	p.res.Elapsed = time.Since(p.start)
	return p.res
}

func (p *player) record(kind EventKind, name string, data []byte) {
	e := Event{At: time.Since(p.start), Conn: name, Kind: kind, Data: data}
	p.res.Transcript = append(p.res.Transcript, e)
	if p.cfg.observe != nil {
		p.cfg.observe(e)
	}
}

// pastDeadline wakes a blocked read or write at once.
var pastDeadline = time.Unix(1, 0)

// watch makes a read or write on c give up as soon as ctx is done, and
// returns the function that stops watching.
func watch(ctx context.Context, c *conn) func() bool {
	return context.AfterFunc(ctx, func() { c.nc.SetDeadline(pastDeadline) })
}

func (p *player) step(ctx context.Context, st Step) *Mismatch {
	if err := ctx.Err(); err != nil {
		return &Mismatch{Err: err}
	}
	c := p.conns[st.Conn]
	switch st.Op {
	case Dial, UDP:
		return p.open(ctx, st)
	case Accept:
		return p.accept(ctx, st)
	case Pause:
		t := time.NewTimer(st.Pause)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return &Mismatch{Err: ctx.Err()}
		}
		return nil
	case Close:
		p.record(Closed, st.Conn, nil)
		if err := c.nc.Close(); err != nil {
			return &Mismatch{Err: err}
		}
		delete(p.conns, st.Conn)
		return nil
	case CloseWrite:
		p.record(WriteClosed, st.Conn, nil)
		if err := c.nc.(*net.TCPConn).CloseWrite(); err != nil {
			return &Mismatch{Err: err}
		}
		return nil
	}
	defer watch(ctx, c)()
	switch st.Op {
	case Send:
		c.nc.SetWriteDeadline(time.Now().Add(p.cfg.timeout))
		n, err := c.nc.Write(st.Data)
		p.record(Sent, st.Conn, st.Data[:n])
		if err != nil {
			return &Mismatch{Err: err}
		}
	case Expect:
		return p.expect(st, c)
	case Match:
		return p.match(st, c)
	case EOF:
		return p.eof(st, c)
	}
	return nil
}

func (p *player) open(ctx context.Context, st Step) *Mismatch {
	network := "tcp"
	if st.Op == UDP {
		network = "udp"
	}
	d := net.Dialer{Timeout: p.cfg.timeout}
	nc, err := d.DialContext(ctx, network, p.addr)
	if err != nil {
		return &Mismatch{Err: err}
	}
	c := &conn{nc: nc, udp: st.Op == UDP}
	if !c.udp {
		c.r = bufio.NewReader(nc)
	}
	p.conns[st.Conn] = c
	p.record(Opened, st.Conn, []byte(nc.LocalAddr().String()))
	return nil
}

// errNoListener fails an accept step of a session played without the
// Listener option.
var errNoListener = errors.New("the session accepts connections, but was played without a listener (session.Listener)")

// deadliner is a listener whose Accept can be given a deadline.
type deadliner interface {
	SetDeadline(time.Time) error
}

// accept waits for the client under test to connect to the listener.
func (p *player) accept(ctx context.Context, st Step) *Mismatch {
	ln, ok := p.cfg.ln.(deadliner)
	if p.cfg.ln == nil || !ok {
		return &Mismatch{Err: errNoListener}
	}
	ln.SetDeadline(time.Now().Add(p.cfg.timeout))
	stop := context.AfterFunc(ctx, func() { ln.SetDeadline(pastDeadline) })
	nc, err := p.cfg.ln.Accept()
	stop()
	ln.SetDeadline(time.Time{})
	if err != nil {
		return &Mismatch{Err: err}
	}
	c := &conn{nc: nc, r: bufio.NewReader(nc)}
	p.conns[st.Conn] = c
	p.record(Opened, st.Conn, []byte(nc.RemoteAddr().String()))
	return nil
}

// expect reads exactly len(want) bytes (one datagram on UDP) and compares.
func (p *player) expect(st Step, c *conn) *Mismatch {
	want := st.Data
	var got []byte
	var err error
	if c.udp {
		got, err = p.datagram(c)
	} else {
		got, err = p.readExact(c, want)
	}
	p.record(Received, st.Conn, got)
	if err == nil && bytes.Equal(got, want) {
		return nil
	}
	m := &Mismatch{Got: got, Offset: firstDiff(want, got), Err: err}
	if m.Offset < min(len(got), len(want)) || len(got) > len(want) {
		m.Err = nil // the bytes differ: that, not how the read ended, is the story
	}
	return m
}

// readExact reads until it has len(want) bytes, the deadline passes or the
// connection ends. Once the bytes differ from want it only waits a moment
// for the rest of the message.
func (p *player) readExact(c *conn, want []byte) ([]byte, error) {
	deadline := time.Now().Add(p.cfg.timeout)
	c.nc.SetReadDeadline(deadline)
	got := make([]byte, 0, len(want))
	differs := false
	for len(got) < len(want) {
		n, err := c.r.Read(got[len(got):len(want)])
		got = got[:len(got)+n]
		if !differs && !bytes.Equal(got, want[:len(got)]) {
			differs = true
			if soon := time.Now().Add(grace); soon.Before(deadline) {
				c.nc.SetReadDeadline(soon)
			}
		}
		if err != nil {
			return got, err
		}
	}
	return got, nil
}

func (p *player) datagram(c *conn) ([]byte, error) {
	c.nc.SetReadDeadline(time.Now().Add(p.cfg.timeout))
	buf := make([]byte, maxDatagram)
	n, err := c.nc.Read(buf)
	return buf[:n], err
}

// errLineTooLong ends a pattern step whose line never ends.
var errLineTooLong = fmt.Errorf("no \\n within %d KiB", maxMatchLine/1024)

func (p *player) match(st Step, c *conn) *Mismatch {
	var line []byte
	var err error
	if c.udp {
		line, err = p.datagram(c)
	} else {
		line, err = p.readLine(c)
	}
	p.record(Received, st.Conn, line)
	if err == nil && st.Pattern.Match(line) {
		return nil
	}
	return &Mismatch{Got: line, Err: err}
}

func (p *player) readLine(c *conn) ([]byte, error) {
	c.nc.SetReadDeadline(time.Now().Add(p.cfg.timeout))
	var line []byte
	for {
		frag, err := c.r.ReadSlice('\n')
		line = append(line, frag...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull) && len(line) >= maxMatchLine:
			return line, errLineTooLong
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		}
		return line, err
	}
}

func (p *player) eof(st Step, c *conn) *Mismatch {
	c.nc.SetReadDeadline(time.Now().Add(p.cfg.timeout))
	buf := make([]byte, 4096)
	n, err := c.r.Read(buf)
	if n == 0 && errors.Is(err, io.EOF) {
		p.record(PeerClosed, st.Conn, nil)
		return nil
	}
	p.record(Received, st.Conn, buf[:n])
	if n > 0 {
		err = nil
	}
	return &Mismatch{Got: buf[:n], Err: err}
}

// firstDiff returns the index of the first byte where a and b differ, or the
// length of the shorter one when one is a prefix of the other.
func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
