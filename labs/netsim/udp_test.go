package netsim

import (
	"container/heap"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUDPForwardsEachClientsReplies(t *testing.T) {
	target := nettest.Answer(t, func(b []byte) []byte { return append([]byte("re: "), b...) })
	p := startUDP(t, target, UDPOptions{})
	a, b := dialUDP(t, p.Addr()), dialUDP(t, p.Addr())
	for i := range 3 {
		for name, c := range map[string]interface{ Write([]byte) (int, error) }{"a": a, "b": b} {
			_, err := c.Write(fmt.Appendf(nil, "%s%d", name, i))
			require.NoError(t, err)
		}
		got, ok := readDatagram(t, a, step)
		require.True(t, ok)
		assert.Equal(t, fmt.Sprintf("re: a%d", i), got)
		got, ok = readDatagram(t, b, step)
		require.True(t, ok)
		assert.Equal(t, fmt.Sprintf("re: b%d", i), got)
	}
	require.NoError(t, p.Close()) // the counters are final once Close returns
	st := p.Stats()
	assert.Equal(t, UDPStats{Clients: 2,
		ToServer: DatagramStats{In: 6, Out: 6},
		ToClient: DatagramStats{In: 6, Out: 6}}, st)
	assert.Contains(t, p.String(), "udp "+p.Addr()+" -> "+target+": 2 clients; to server: 6 in, 6 out, 0 dropped")
}

// sink counts the datagrams that reach it, by content.
type sink struct {
	mu  sync.Mutex
	got []string
}

func (s *sink) add(b []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, string(b))
	return nil
}

func (s *sink) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

// holdForever is a ReorderHold that never expires within a test, so what
// is held back goes out only after the next datagram or at releaseHeld:
// timing cannot change the outcome.
const holdForever = time.Hour

// releaseHeld lets whatever is held back for reordering go out now, as if
// its hold had expired.
func releaseHeld(p *UDPProxy) {
	s := p.sched
	s.mu.Lock()
	var held []*item
	for _, it := range s.q {
		if it.flow != nil {
			held = append(held, it)
		}
	}
	for _, it := range held {
		it.due = time.Now()
		heap.Fix(&s.q, it.index)
	}
	s.mu.Unlock()
	s.poke()
}

// sendThrough sends n numbered datagrams from one client through a proxy
// with options o and returns what reached the target, in order, once the
// proxy has nothing left to send, with the proxy's counters.
func sendThrough(t *testing.T, n int, o UDPOptions) ([]string, UDPStats) {
	t.Helper()
	var s sink
	p := startUDP(t, nettest.Answer(t, s.add), o)
	c := dialUDP(t, p.Addr())
	for i := range n {
		_, err := c.Write([]byte(strconv.Itoa(i)))
		require.NoError(t, err)
	}
	deadline := time.Now().Add(step)
	for {
		// In the order that makes the answer final: every datagram pushed
		// (In is counted after), then nothing queued or being written, and
		// only then Out, which can no longer grow.
		if p.Stats().ToServer.In == uint64(n) {
			releaseHeld(p)
			if p.idle() {
				st := p.Stats()
				if got := s.received(); uint64(len(got)) == st.ToServer.Out {
					return got, st
				}
			}
		}
		st, got := p.Stats(), s.received()
		require.True(t, time.Now().Before(deadline), "the proxy did not settle: %v, %d received", st, len(got))
		time.Sleep(time.Millisecond) // polling the counters: there is no event to wait for
	}
}

func TestUDPSeedRepeatsDecisions(t *testing.T) {
	o := UDPOptions{Drop: 0.2, Duplicate: 0.1, Reorder: 0.1, Seed: 42, ReorderHold: holdForever}
	first, st1 := sendThrough(t, 200, o)
	second, st2 := sendThrough(t, 200, o)
	assert.Equal(t, first, second, "the same seed decides the same fates, in the same order")
	assert.Equal(t, st1, st2)
	assert.NotZero(t, st1.ToServer.Dropped)
	assert.NotZero(t, st1.ToServer.Duplicated)
	assert.NotZero(t, st1.ToServer.Reordered)
	assert.Equal(t, st1.ToServer.In-st1.ToServer.Dropped+st1.ToServer.Duplicated, st1.ToServer.Out)
	assert.False(t, slices.IsSortedFunc(first, func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return x - y
	}), "some datagrams should arrive out of order")

	o.Seed = 43
	third, _ := sendThrough(t, 200, o)
	assert.NotEqual(t, first, third, "another seed decides otherwise")
}

func TestUDPDecisions(t *testing.T) {
	tests := []struct {
		name string
		o    UDPOptions
		want []string
		st   DatagramStats
	}{
		{"nothing", UDPOptions{}, []string{"0", "1", "2", "3"}, DatagramStats{In: 4, Out: 4}},
		{"drop all", UDPOptions{Drop: 1}, nil, DatagramStats{In: 4, Dropped: 4}},
		{"duplicate all", UDPOptions{Duplicate: 1}, []string{"0", "0", "1", "1", "2", "2", "3", "3"}, DatagramStats{In: 4, Out: 8, Duplicated: 4}},
		// Each held datagram is released by the next, which is not held.
		{"reorder all", UDPOptions{Reorder: 1, ReorderHold: holdForever}, []string{"1", "0", "3", "2"}, DatagramStats{In: 4, Out: 4, Reordered: 2}},
		{"delay", UDPOptions{Delay: time.Millisecond}, []string{"0", "1", "2", "3"}, DatagramStats{In: 4, Out: 4, Delayed: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, st := sendThrough(t, 4, tt.o)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.st, st.ToServer)
		})
	}
}

func TestUDPHeldDatagramGoesAfterTheHold(t *testing.T) {
	const hold = 20 * time.Millisecond
	p := startUDP(t, nettest.Answer(t, echo), UDPOptions{Reorder: 1, ReorderHold: hold})
	c := dialUDP(t, p.Addr())
	start := time.Now()
	c.Write([]byte("alone"))
	got, ok := readDatagram(t, c, step)
	require.True(t, ok, "with nothing after it, a held datagram still arrives")
	assert.Equal(t, "alone", got)
	assert.GreaterOrEqual(t, time.Since(start), 2*hold, "held back both ways")
	require.NoError(t, p.Close())
	assert.Equal(t, uint64(1), p.Stats().ToServer.Reordered)
	assert.Equal(t, uint64(1), p.Stats().ToClient.Reordered)
}

func TestUDPDelayAndJitter(t *testing.T) {
	tests := []struct {
		delay, jitter time.Duration
	}{
		{30 * time.Millisecond, 0},
		{30 * time.Millisecond, 20 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v±%v", tt.delay, tt.jitter), func(t *testing.T) {
			t.Parallel()
			p := startUDP(t, nettest.Answer(t, echo), UDPOptions{Delay: tt.delay, Jitter: tt.jitter})
			c := dialUDP(t, p.Addr())
			for range 3 {
				start := time.Now()
				_, err := c.Write([]byte("ping"))
				require.NoError(t, err)
				_, ok := readDatagram(t, c, step)
				require.True(t, ok)
				// Both ways are delayed; only the lower bound is certain.
				assert.GreaterOrEqual(t, time.Since(start), 2*(tt.delay-tt.jitter))
			}
			require.NoError(t, p.Close()) // the counters are final once Close returns
			st := p.Stats()
			assert.Equal(t, uint64(3), st.ToServer.Delayed)
			assert.Equal(t, uint64(3), st.ToClient.Delayed)
		})
	}
}

func TestUDPTargetNotListening(t *testing.T) {
	pc := nettest.ListenPacket(t)
	target := pc.LocalAddr().String()
	pc.Close() // nothing listens there now
	p := startUDP(t, target, UDPOptions{})
	c := dialUDP(t, p.Addr())
	for range 3 {
		c.Write([]byte("anyone?"))
		_, ok := readDatagram(t, c, 20*time.Millisecond)
		assert.False(t, ok)
	}
	require.Eventually(t, func() bool { return p.Stats().ToServer.Out == 3 }, step, time.Millisecond,
		"the proxy keeps forwarding after the target refuses: %v", p.Stats())
}

func TestUDPMaxClients(t *testing.T) {
	p := startUDP(t, nettest.Answer(t, echo), UDPOptions{MaxClients: 1})
	a, b := dialUDP(t, p.Addr()), dialUDP(t, p.Addr())
	a.Write([]byte("a"))
	_, ok := readDatagram(t, a, step)
	require.True(t, ok)
	b.Write([]byte("b"))
	_, ok = readDatagram(t, b, 50*time.Millisecond)
	assert.False(t, ok, "a client beyond MaxClients is not served")
	require.NoError(t, p.Close())
	assert.Equal(t, DatagramStats{In: 2, Out: 1, Dropped: 1}, p.Stats().ToServer)
}

func TestUDPLog(t *testing.T) {
	var events []Event
	p := startUDP(t, nettest.Answer(t, echo), UDPOptions{Duplicate: 1, Log: func(e Event) {
		events = append(events, e) // Log is called one event at a time
		_ = e.String()
	}})
	c := dialUDP(t, p.Addr())
	c.Write([]byte("hi"))
	for range 2 {
		_, ok := readDatagram(t, c, step)
		require.True(t, ok)
	}
	require.NoError(t, p.Close())
	var got []string
	for _, e := range events {
		if e.Dir == ToServer {
			got = append(got, e.Kind.String())
		}
	}
	assert.Equal(t, []string{"accepted", "received", "duplicated", "sent", "sent"}, got)
}

func TestUDPOptionsChecked(t *testing.T) {
	for _, o := range []UDPOptions{{Drop: 1.5}, {Duplicate: -0.1}, {Delay: -time.Second}, {MaxClients: -1}} {
		_, err := ListenUDP("127.0.0.1:9", o)
		assert.Error(t, err, "%+v", o)
	}
	_, err := ListenUDP("nowhere", UDPOptions{})
	assert.ErrorContains(t, err, `target "nowhere"`)
}

func TestUDPCloseEndsEveryGoroutine(t *testing.T) {
	p, err := ListenUDP(nettest.Answer(t, echo), UDPOptions{Delay: time.Hour})
	require.NoError(t, err)
	for range 3 {
		c := dialUDP(t, p.Addr())
		c.Write([]byte("stuck in the queue"))
	}
	require.Eventually(t, func() bool { return p.Stats().Clients == 3 }, step, time.Millisecond)
	require.NoError(t, p.Close())
	assert.Empty(t, proxyGoroutines(), "Close returned before its goroutines ended")
	assert.NoError(t, p.Close(), "closing twice does nothing")
}
