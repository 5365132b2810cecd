package udpecho

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lossySeed fixes every decision of the proxy in TestTask9LossyLink: the
// same datagrams are lost and duplicated on every run.
const lossySeed = 14

// Get the right reply or ErrNoReply over a network that loses and duplicates datagrams.
func TestTask9LossyLink(t *testing.T) {
	// Part one: one client, a seeded proxy, an exact outcome. Each attempt
	// is one datagram to the server, and each datagram the server gets is
	// one reply, so a client and server that follow the protocol meet the
	// same fates on every run: these.
	srv := nettest.StartPacket(t, Serve)
	opts := netsim.UDPOptions{Drop: 0.3, Duplicate: 0.2, Seed: lossySeed}
	p := netsimtest.UDP(t, srv.Addr, opts)
	c := &Client{Conn: nettest.DialUDP(t, p.Addr()), Timeout: 120 * time.Millisecond, Retries: 1}
	var outcomes []string
	for i := 1; i <= 12; i++ {
		request := fmt.Sprintf("ADD %d 1000", i)
		want := fmt.Sprintf("OK %d", i+1000)
		reply, err := do(t, c, request)
		switch {
		case err == nil:
			require.Equal(t, want, reply,
				"Do(%q) returned the wrong reply over a network that duplicates datagrams: only a reply with this request's id answers it", request)
			outcomes = append(outcomes, "ok")
		case errors.Is(err, ErrNoReply):
			outcomes = append(outcomes, "lost")
		default:
			t.Fatalf("Do(%q) returned %v: over a lossy network, expect the reply or an error that wraps ErrNoReply", request, err)
		}
	}
	require.False(t, srv.Done(), "%s", srv.Why())
	p.Close() // the counters are final once Close returns
	st := p.Stats()
	wantOutcomes := "ok ok ok ok ok ok ok ok lost ok ok ok"
	const wantAttempts = 16
	if got := strings.Join(outcomes, " "); got != wantOutcomes || st.ToServer.In != wantAttempts {
		t.Fatalf("With seed %d, the proxy (drop %v, duplicate %v) loses and duplicates the same datagrams on every run,\n"+
			"so the twelve requests should end like this:\n  want: %s\n  got:  %s\n"+
			"The server was sent %d datagrams, want %d: fewer means Do gave up before its last retry, "+
			"more that it sent a datagram it should not have (one per attempt, 1+Retries attempts at most, none after the reply).\n"+
			"The proxy counted: %v.\n"+
			"Tasks 3 to 8 test the server and the client one at a time: make them pass first.",
			lossySeed, opts.Drop, opts.Duplicate, wantOutcomes, got, st.ToServer.In, wantAttempts, st)
	}

	// Part two: several clients at once over a network that also delays
	// and reorders. Timing now matters, so the outcome is not exact, but
	// this holds on every run: each Do returns its own reply or ErrNoReply.
	srv = nettest.StartPacket(t, Serve)
	p = netsimtest.UDP(t, srv.Addr, netsim.UDPOptions{Drop: 0.2, Duplicate: 0.2, Reorder: 0.3,
		Delay: 2 * time.Millisecond, Jitter: 2 * time.Millisecond, ReorderHold: 20 * time.Millisecond, Seed: 7})
	const clients, requests = 4, 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	ok := 0
	for k := 0; k < clients; k++ {
		c := &Client{Conn: nettest.DialUDP(t, p.Addr()), Timeout: 100 * time.Millisecond, Retries: 2}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < requests; i++ {
				request := fmt.Sprintf("UPPER client %d, request %d", k, i)
				reply, err := c.Do(request)
				mu.Lock()
				switch {
				case err == nil && reply == "OK "+strings.ToUpper(request[len("UPPER "):]):
					ok++
				case err == nil:
					problems = append(problems, fmt.Sprintf("Do(%q) returned %q, the reply to another request", request, reply))
				case !errors.Is(err, ErrNoReply):
					problems = append(problems, fmt.Sprintf("Do(%q) returned %v, neither the reply nor ErrNoReply", request, err))
				}
				mu.Unlock()
			}
		}()
	}
	nettest.Within(t, requests*3*100*time.Millisecond+nettest.Step, "four clients' requests over a lossy network", wg.Wait)
	require.Empty(t, problems, "every Do should return its own reply, or an error that wraps ErrNoReply")
	assert.GreaterOrEqual(t, ok, clients*requests/2,
		"only %d of %d requests got their reply; with two retries, nearly all should. "+
			"Does Do retry? Does Serve reply to each datagram's own sender? (The proxy gives each client a socket of its own.)", ok, clients*requests)
	assert.False(t, srv.Done(), "%s", srv.Why())
}
