package hello

import (
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// backoffStartsAgain plays two spells of Accept errors, with one client
// accepted between them, on the fake clock of testing/synctest: Serve's
// sleeps take no real time, and the test knows exactly how long each one
// was. After an Accept that succeeds, the back-off must start again from
// where it started, not go on doubling from where the last spell left it.
//
// It runs after the rest of task 9 has passed, so Serve is known to return
// when its listener closes (a Serve that never returned would hang the
// fake clock).
func backoffStartsAgain(t *testing.T) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		ln := &scriptedListener{
			script:  []bool{false, false, false, false, true, false, false, false}, // false: fail with EMFILE
			waiting: make(chan struct{}),
			closed:  make(chan struct{}),
		}
		served := make(chan error, 1)
		go func() { served <- Serve(ln) }()

		select {
		case <-ln.waiting:
		case err := <-served:
			t.Fatalf("Serve returned while its listener was still open, after %d calls of Accept: %v", ln.count(), err)
		case <-time.After(time.Hour):
			t.Fatalf("Serve stopped calling Accept after %d calls (the test's clock ran an hour)", ln.count())
		}
		ln.Close()
		select {
		case <-served:
		case <-time.After(time.Hour):
			t.Fatalf("Serve did not return after its listener was closed")
		}

		// The waits before calls 2 to 5 are the first spell's; call 5
		// accepted a client; the waits before calls 7 to 9 are the
		// second spell's, and call 6 came at once after the client.
		waits := ln.waits()
		first, second := waits[1:5], waits[6:9]
		for i, w := range first {
			want := MinBackoff << i
			if want > MaxBackoff {
				want = MaxBackoff
			}
			if w < want {
				t.Fatalf("Accept failed (failure %d in a row) and Serve called it again %v later, by the test's clock; it should wait "+
					"at least %v: MinBackoff after the first error in a row, twice as long after each further one, up to MaxBackoff. "+
					"Retrying at once spins at full speed for as long as the error lasts.", i+1, w, want)
			}
		}
		if second[0] > first[0] {
			t.Fatalf("Accept failed 4 times in a row, and Serve waited %v, then %v, %v and %v before trying again. Then an Accept "+
				"succeeded, and when the errors came back Serve waited %v, %v and %v.\n"+
				"After an Accept that succeeds, the back-off starts again from MinBackoff (delay = 0 once a client is accepted): "+
				"an old spell of errors says nothing about a new one.",
				first[0], first[1], first[2], first[3], second[0], second[1], second[2])
		}
	})
}

// scriptedListener is a fake listener for a synctest bubble. Its calls of
// Accept follow script (true: accept a client, whose end the test closes at
// once; false: fail with "too many open files"); the call after the script
// waits until the listener is closed. It records, on the bubble's clock,
// when each call came.
type scriptedListener struct {
	script  []bool
	waiting chan struct{} // closed when the call after the script begins
	closed  chan struct{} // closed by Close

	mu        sync.Mutex
	calls     []time.Time
	closeOnce sync.Once
}

func (l *scriptedListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	l.calls = append(l.calls, time.Now())
	n := len(l.calls)
	l.mu.Unlock()
	if n > len(l.script) {
		if n == len(l.script)+1 {
			close(l.waiting)
		}
		<-l.closed
		return nil, &net.OpError{Op: "accept", Net: "pipe", Err: net.ErrClosed}
	}
	if !l.script[n-1] {
		return nil, emfile(l)
	}
	server, client := net.Pipe()
	client.Close() // the client leaves at once: its handler's first write fails
	return server, nil
}

func (l *scriptedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return nil
}

func (l *scriptedListener) Addr() net.Addr { return pipeAddr{} }

// count returns how many times Accept has been called.
func (l *scriptedListener) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.calls)
}

// waits returns, for each call of Accept, how long after the call before it
// it came (0 for the first).
func (l *scriptedListener) waits() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	waits := make([]time.Duration, len(l.calls))
	for i := 1; i < len(l.calls); i++ {
		waits[i] = l.calls[i].Sub(l.calls[i-1])
	}
	return waits
}

// pipeAddr is the address of a listener that is not on any network.
type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
