package udpecho

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fake is a UDP server the test scripts: handle sees every datagram, in
// order, and decides what goes back.
type fake struct {
	pc   net.PacketConn
	Addr string

	mu  sync.Mutex
	got []string // every datagram received, in order
}

// startFake runs a scripted server until the test ends. handle runs on the
// server's one goroutine, so it needs no lock of its own.
func startFake(t *testing.T, handle func(f *fake, request string, from net.Addr)) *fake {
	t.Helper()
	f := &fake{pc: nettest.ListenPacket(t)}
	f.Addr = f.pc.LocalAddr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, nettest.MaxDatagram)
		for {
			n, from, err := f.pc.ReadFrom(buf)
			if err != nil {
				return // closed at the end of the test
			}
			f.mu.Lock()
			f.got = append(f.got, string(buf[:n]))
			f.mu.Unlock()
			if handle != nil {
				handle(f, string(buf[:n]), from)
			}
		}
	}()
	t.Cleanup(func() {
		f.pc.Close()
		<-done
	})
	return f
}

// send writes one datagram to a client.
func (f *fake) send(to net.Addr, reply string) {
	f.pc.SetWriteDeadline(time.Now().Add(nettest.Step))
	f.pc.WriteTo([]byte(reply), to)
}

// received returns the datagrams received so far.
func (f *fake) received() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

// echoGot answers every request with "<id> OK got:<rest>": a server the
// client tests can trust, whatever state Answer and Serve are in.
func echoGot(f *fake, request string, from net.Addr) {
	id, rest, _ := strings.Cut(request, " ")
	f.send(from, id+" OK got:"+rest)
}

// do calls c.Do and fails the test if it does not return in time: one
// Timeout per attempt, and a Step more for good measure.
func do(t *testing.T, c *Client, request string) (reply string, err error) {
	t.Helper()
	attempts := 1 + max(c.Retries, 0)
	limit := time.Duration(attempts)*c.Timeout + nettest.Step
	nettest.Withinf(t, limit, func() { reply, err = c.Do(request) },
		"Do(%s) with Timeout %v and Retries %d did not return within %v.\n"+
			"Each attempt must give up at its deadline (c.Conn.SetReadDeadline, set once when the attempt starts), "+
			"and Do must stop after %s.", show(request), c.Timeout, c.Retries, limit, times(attempts))
	return reply, err
}

// times says how many attempts: "1 attempt", "3 attempts".
func times(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

// Send "<id> <request>", return the reply after its id, ids counting from 1.
func TestTask6ClientDo(t *testing.T) {
	big := strings.Repeat("abcdefgh", 8000) // a reply of 64000 bytes and a bit
	f := startFake(t, func(f *fake, request string, from net.Addr) {
		id, rest, _ := strings.Cut(request, " ")
		switch rest {
		case "ECHO big":
			f.send(from, id+" OK "+big)
		case "FETCH x":
			f.send(from, id+" ERR unknown verb")
		case "ECHO":
			f.send(from, id+" OK") // an empty result: the reply is the id and OK
		default:
			echoGot(f, request, from)
		}
	})
	c := &Client{Conn: nettest.DialUDP(t, f.Addr), Timeout: nettest.Step}

	for i, tc := range []struct{ request, sent, want string }{
		{"ECHO hello", "1 ECHO hello", "OK got:ECHO hello"},
		{"UPPER two words", "2 UPPER two words", "OK got:UPPER two words"},
		{"FETCH x", "3 FETCH x", "ERR unknown verb"},
		{"ECHO big", "4 ECHO big", "OK " + big},
		{"ECHO", "5 ECHO", "OK"},
		{"ECHO  two  spaces, and one at the end ", "6 ECHO  two  spaces, and one at the end ", "OK got:ECHO  two  spaces, and one at the end "},
	} {
		got, err := do(t, c, tc.request)
		require.NoError(t, err, "Do(%s) returned an error", show(tc.request))
		if tc.request == "ECHO big" && len(got) < len(tc.want) {
			t.Fatalf("Do(%s) returned a reply of %d bytes; the server sent %d after the id. "+
				"Read into a buffer that holds any datagram (64 KiB): Read cuts a datagram that does not fit, silently.",
				show(tc.request), len(got), len(tc.want))
		}
		if got != tc.want && got == strings.Join(strings.Fields(tc.want), " ") {
			t.Fatalf("Do(%s) returned %s; the server's reply after the id was %s. "+
				"The spaces in the reply changed: return everything after \"<id> \" as it came (strings.CutPrefix), "+
				"not its words joined again (strings.Fields)",
				show(tc.request), show(got), show(tc.want))
		}
		require.Equal(t, tc.want, got,
			"Do(%s) should return the server's reply without the id and the space after it", show(tc.request))
		sent := f.received()
		require.Len(t, sent, i+1, "the server should have received one datagram per request so far: %q", sent)
		require.Equal(t, tc.sent, sent[i],
			"request %d should go out as one datagram \"<id> <request>\", the ids counting 1, 2, 3...", i+1)
	}
}

// Wait a Timeout per attempt, retry Retries times with the same datagram, then give up.
func TestTask7ClientGivesUp(t *testing.T) {
	const timeout = 100 * time.Millisecond
	for _, retries := range []int{0, 2} {
		silent := nettest.ListenPacket(t) // a server that never answers
		conn := &deadlineConn{Conn: nettest.DialUDP(t, silent.LocalAddr().String())}
		c := &Client{Conn: conn, Timeout: timeout, Retries: retries}
		start := time.Now()
		_, err := do(t, c, "ECHO anyone?")
		require.Error(t, err, "nobody answers, so Do (Retries %d) should give up with an error", retries)
		require.ErrorIs(t, err, ErrNoReply,
			"Do (Retries %d) returned %q; after its last attempt times out, return an error that wraps ErrNoReply (fmt.Errorf with %%w)", retries, err)

		// Count what reached the server: one datagram per attempt.
		var sent []string
		r := nettest.NewPacketClient(silent.(net.Conn))
		for {
			d, err := r.TryDatagram(quiet)
			if err != nil {
				break
			}
			sent = append(sent, d)
		}
		want := make([]string, retries+1)
		for i := range want {
			want[i] = "1 ECHO anyone?"
		}
		require.Equal(t, want, sent,
			"with Retries %d, Do should make %s (the first, then %d more), each one sending the very same datagram",
			retries, times(retries+1), retries)

		// Each attempt waits a whole Timeout of its own: the deadline in
		// effect when an attempt's Read times out was set after the
		// attempt before it ended, Timeout ahead. Only the order of the
		// clock's readings matters, never how long anything took, so a
		// busy machine cannot change the outcome.
		timeouts := conn.timeouts()
		require.Len(t, timeouts, retries+1,
			"with Retries %d, Do's Read should time out %s, once per attempt, before Do gives up; it timed out %d times",
			retries, times(retries+1), len(timeouts))
		ended, since := start, "Do was called" // when the attempt before this one ended
		for i, to := range timeouts {
			if i > 0 && !to.deadline.After(ended) {
				t.Fatalf("with Retries %d, attempt %d timed out at once: its read deadline was the one attempt %d had already reached. "+
					"Each attempt needs a deadline of its own: call c.Conn.SetReadDeadline(time.Now().Add(c.Timeout)) "+
					"inside the retry loop, as each attempt starts, not once before it", retries, i+1, i)
			}
			if to.deadline.Before(ended.Add(timeout)) {
				t.Fatalf("with Retries %d, attempt %d waited less than Timeout (%v): its read deadline was %v after %s. "+
					"Set each attempt's deadline to time.Now().Add(c.Timeout) as the attempt starts",
					retries, i+1, timeout, to.deadline.Sub(ended).Round(time.Millisecond), since)
			}
			ended, since = to.at, "the attempt before it ended"
		}
	}

	// A datagram for another request must not buy an attempt more time: the
	// deadline is set once, when the attempt starts. Each attempt's first
	// Reads get stray replies, then the silent server lets the attempt time
	// out; the read deadline in effect must be the same at every Read of an
	// attempt. Only the deadlines are compared, never how long anything
	// took, so a busy machine cannot change the outcome.
	silent := nettest.ListenPacket(t)
	spam := &strayConn{Conn: nettest.DialUDP(t, silent.LocalAddr().String()), strays: 3}
	c := &Client{Conn: spam, Timeout: timeout, Retries: 1}
	_, err := do(t, c, "ECHO anyone?")
	require.ErrorIs(t, err, ErrNoReply,
		"each attempt got %d datagrams, all with id 999, none the reply to this request: Do should give up with ErrNoReply", spam.strays)
	attempts := spam.reads()
	require.Len(t, attempts, 2,
		"with Retries 1, Do should send its request twice, once per attempt, while replies to another request (id 999) arrive; it sent it %d times. "+
			"A datagram that is not the reply is no reason to send again or to give up: read on until the attempt's deadline", len(attempts))
	for i, reads := range attempts {
		require.Greater(t, len(reads), spam.strays,
			"attempt %d read %d datagrams, all strays with id 999, and then stopped reading before its deadline: "+
				"read past the datagrams that are not your reply until the Read times out", i+1, len(reads))
		for _, r := range reads[1:] {
			if r.After(reads[0]) {
				t.Fatalf("attempt %d's read deadline moved later after it read a reply to another request (id 999): "+
					"each stray datagram bought the attempt more time, so a steady trickle of them would keep Do waiting for ever. "+
					"Set each attempt's deadline once, when it starts (before c.Conn.Write), and keep it while you read past the datagrams that are not your reply",
					i+1)
			}
		}
	}

	// Nothing listens on a port that was just closed: Do reports an error
	// (on most systems "connection refused", which a connected UDP socket
	// learns from the ICMP message the kernel sends back), never a reply.
	gone := nettest.ListenPacket(t)
	addr := gone.LocalAddr().String()
	gone.Close()
	c = &Client{Conn: nettest.DialUDP(t, addr), Timeout: timeout, Retries: 2}
	reply, err := do(t, c, "ECHO anyone?")
	assert.Error(t, err, "nothing listens at %s, yet Do returned the reply %s", addr, show(reply))

	// An error that is not a timeout ends Do at once: sending again cannot
	// help a closed socket or an unreachable port, so it is no lost reply.
	silent = nettest.ListenPacket(t)
	broken := &failingRead{Conn: nettest.DialUDP(t, silent.LocalAddr().String())}
	c = &Client{Conn: broken, Timeout: timeout, Retries: 2}
	_, err = do(t, c, "ECHO anyone?")
	require.Error(t, err, "every Read of the socket failed with %q, yet Do returned no error", errRefused)
	assert.False(t, errors.Is(err, ErrNoReply),
		"Do returned %q, which wraps ErrNoReply, but no attempt timed out: every Read failed at once with %q. "+
			"Only a timeout (errors.Is(err, os.ErrDeadlineExceeded)) means \"send again\"; return any other error at once",
		err, errRefused)
	assert.ErrorIs(t, err, errRefused, "Do returned %q: return an error that wraps the one Read returned (fmt.Errorf with %%w)", err)
	assert.Equal(t, int32(1), broken.writes.Load(),
		"Do sent the request %d times after Read failed with %q; a read error that is not a timeout ends Do after the first send",
		broken.writes.Load(), errRefused)
}

// errRefused is what a connected UDP socket's Read returns after the
// server's port answered with an ICMP "port unreachable".
var errRefused = &net.OpError{Op: "read", Net: "udp", Err: errors.New("connection refused (made up by the test)")}

// failingRead is a connected UDP socket whose every Read fails at once
// with errRefused, and which counts its Writes.
type failingRead struct {
	net.Conn
	writes atomic.Int32
}

func (c *failingRead) Read([]byte) (int, error) { return 0, errRefused }

func (c *failingRead) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// deadlineConn is a connected UDP socket that remembers the read deadline
// in effect each time a Read times out, and when that Read returned.
type deadlineConn struct {
	net.Conn

	mu       sync.Mutex
	deadline time.Time // the read deadline set last
	expired  []expiry
}

// expiry is one Read that timed out: the deadline it met, and when.
type expiry struct{ deadline, at time.Time }

func (c *deadlineConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *deadlineConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		c.mu.Lock()
		c.expired = append(c.expired, expiry{deadline: c.deadline, at: time.Now()})
		c.mu.Unlock()
	}
	return n, err
}

// timeouts returns the Reads that timed out so far, in order.
func (c *deadlineConn) timeouts() []expiry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]expiry(nil), c.expired...)
}

// strayConn is a connected UDP socket to a server that never answers. The
// first strays Reads after each Write (each attempt) do not wait: they
// return a reply to another request. It remembers the read deadline in
// effect at every Read, attempt by attempt.
type strayConn struct {
	net.Conn
	strays int

	mu       sync.Mutex
	deadline time.Time     // the read deadline set last
	setAt    time.Time     // when it was set
	left     int           // stray datagrams still to come in this attempt
	attempts [][]time.Time // for each Write, the read deadline at each Read after it
}

// stray is the datagram a strayConn's Read returns: a reply, but to
// another request.
const stray = "999 OK this is not the reply you are waiting for"

func (c *strayConn) SetDeadline(t time.Time) error {
	c.set(t)
	return c.Conn.SetDeadline(t)
}

func (c *strayConn) SetReadDeadline(t time.Time) error {
	c.set(t)
	return c.Conn.SetReadDeadline(t)
}

func (c *strayConn) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline, c.setAt = t, time.Now()
}

func (c *strayConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.attempts = append(c.attempts, nil)
	c.left = c.strays
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *strayConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if len(c.attempts) == 0 { // a Read before any Write: nothing to wait for yet
		c.mu.Unlock()
		return c.Conn.Read(p)
	}
	last := len(c.attempts) - 1
	c.attempts[last] = append(c.attempts[last], c.deadline)
	give := c.left > 0
	if give {
		c.left--
	}
	setAt := c.setAt
	c.mu.Unlock()
	if !give {
		return c.Conn.Read(p)
	}
	// Return only once the clock has moved on since the deadline was set:
	// a deadline set again after this Read, from time.Now(), is then later
	// than the one in effect, even on a system whose clock ticks coarsely.
	// (On Linux the clock has moved on already: the loop does not turn.)
	for !time.Now().After(setAt) {
		runtime.Gosched()
	}
	return copy(p, stray), nil
}

// reads returns, for each attempt so far, the read deadline in effect at
// each of its Reads.
func (c *strayConn) reads() [][]time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([][]time.Time, len(c.attempts))
	for i, a := range c.attempts {
		out[i] = append([]time.Time(nil), a...)
	}
	return out
}

// Ignore duplicates and late replies: only this request's id answers it.
func TestTask8ClientIgnoresOtherReplies(t *testing.T) {
	// The script, one step per datagram the server receives.
	f := startFake(t, func(f *fake, request string, from net.Addr) {
		switch n := len(f.received()); n {
		case 1: // "1 ECHO first": answered twice, as a network may duplicate it
			f.send(from, "1 OK first")
			f.send(from, "1 OK first")
		case 2: // "2 ECHO second": a stray reply first, then the answer
			f.send(from, "77 OK nobody asked for this")
			f.send(from, "2 OK second")
		case 3: // "3 ECHO third", first attempt: lost on the way back, say
		case 4: // "3 ECHO third", second attempt: its reply, then the first attempt's, late
			f.send(from, "3 OK third")
			f.send(from, "3 OK third")
		case 5: // "4 ECHO fourth"
			f.send(from, "4 OK fourth")
		}
	})
	c := &Client{Conn: nettest.DialUDP(t, f.Addr), Timeout: 150 * time.Millisecond, Retries: 2}

	for i, tc := range []struct{ request, want, trap string }{
		{"ECHO first", "OK first", "the server answered it with \"1 OK first\""},
		{"ECHO second", "OK second", "before the reply to request 2, the server sent a second copy of reply 1 and a reply with id 77"},
		{"ECHO third", "OK third", "the server ignored the first attempt and answered the second"},
		{"ECHO fourth", "OK fourth", "before the reply to request 4, a late reply to request 3 arrived (the answer to its first attempt)"},
	} {
		got, err := do(t, c, tc.request)
		require.NoError(t, err, "Do(%s) returned an error", show(tc.request))
		require.Equal(t, tc.want, got,
			"Do(%s) returned %s, but %s. A reply answers a request only if it starts with that request's id and a space (\"%d \"): ignore any other and read on",
			show(tc.request), show(got), tc.trap, i+1)
	}
	assert.Equal(t, []string{"1 ECHO first", "2 ECHO second", "3 ECHO third", "3 ECHO third", "4 ECHO fourth"}, f.received(),
		"the datagrams the server received: a retry of request 3 sends the same datagram, with the same id")

	// The same through a network that duplicates every datagram, both ways:
	// each request reaches the server twice, each reply comes back twice.
	echo := startFake(t, echoGot)
	p := netsimtest.UDP(t, echo.Addr, netsim.UDPOptions{Duplicate: 1})
	c = &Client{Conn: nettest.DialUDP(t, p.Addr()), Timeout: nettest.Step}
	for i := 1; i <= 10; i++ {
		request := fmt.Sprintf("ECHO %d", i)
		got, err := do(t, c, request)
		require.NoError(t, err, "Do(%q) through a network that duplicates datagrams", request)
		require.Equal(t, "OK got:"+request, got,
			"Do(%q) through a network that duplicates every datagram returned the reply to another request: compare ids", request)
	}

	// An id that starts with this request's digits is another id: the
	// reply to request 12 is no answer to request 1.
	f = startFake(t, func(f *fake, request string, from net.Addr) {
		id, _, _ := strings.Cut(request, " ")
		f.send(from, id+"2 OK the reply to request "+id+"2")
		f.send(from, id+" OK yours")
	})
	c = &Client{Conn: nettest.DialUDP(t, f.Addr), Timeout: nettest.Step}
	got, err := do(t, c, "ECHO yours")
	require.NoError(t, err, "Do(\"ECHO yours\") returned an error")
	require.Equal(t, "OK yours", got,
		"Do(\"ECHO yours\") (id 1) returned %s, but that came from \"12 OK the reply to request 12\", whose id is 12, not 1. "+
			"Compare the whole id: the reply must start with the id and a space (\"1 \")", show(got))

	// A request that gave up has used its id all the same: the next request
	// gets the next id, or a late reply to the abandoned one would answer it.
	f = startFake(t, func(f *fake, request string, from net.Addr) {
		switch len(f.received()) {
		case 1, 2: // request 1 and its retry: no answer in time
		default: // the next request: the late reply to request 1 comes first
			id, _, _ := strings.Cut(request, " ")
			f.send(from, "1 OK the late reply to request 1")
			f.send(from, id+" OK second")
		}
	})
	c = &Client{Conn: nettest.DialUDP(t, f.Addr), Timeout: 100 * time.Millisecond, Retries: 1}
	_, err = do(t, c, "ECHO first")
	require.ErrorIs(t, err, ErrNoReply, "the server never answered request 1: Do should give up with ErrNoReply")
	got, err = do(t, c, "ECHO second")
	require.NoError(t, err, "Do(\"ECHO second\"), after request 1 gave up, returned an error")
	sent := f.received()
	if len(sent) >= 3 && sent[2] == "1 ECHO second" {
		t.Fatalf("after request 1 gave up, the next request went out as %q, with id 1 again, and Do returned %s, "+
			"the late reply to request 1. A request uses up its id whether it is answered or not: "+
			"count up (c.id++) at the start of every Do, not only when a reply comes", sent[2], show(got))
	}
	require.Equal(t, []string{"1 ECHO first", "1 ECHO first", "2 ECHO second"}, sent,
		"the datagrams the server received: request 1 twice (Retries 1), then request 2 with the next id")
	require.Equal(t, "OK second", got,
		"Do(\"ECHO second\") returned %s, but before its reply came a late reply to request 1: only a reply with this request's id answers it", show(got))
}
