package nettest

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Backoff describes a server's back-off from Accept errors, for
// CheckBackoff: how to run it, its bounds, and what the messages call it.
type Backoff struct {
	Serve    func(net.Listener) error // runs the server on the listener, until it is closed
	Min, Max time.Duration            // the server's MinBackoff and MaxBackoff
	Err      error                    // what a failing Accept returns ("too many open files")
	Server   string                   // the server, in the messages: "the server", "the shop"
	LetIn    string                   // what an Accept that succeeds does: "a client is accepted"
}

// CheckBackoff plays three spells of Accept errors, with one connection
// let in after each of the first two, on the fake clock of
// testing/synctest: the server's sleeps take no real time, and the test
// knows exactly how long each one was. While the errors go on, the wait
// must double from Min and stop at Max (the third spell is long enough
// for the doubling to reach it), and after an Accept that succeeds it must
// start again from Min.
//
// Run it once the server is known to return when its listener closes: a
// server that never returned would stop the fake clock for good.
func CheckBackoff(t *testing.T, b Backoff) {
	t.Helper()
	clock := fmt.Sprintf("(These waits were measured on the fake clock of testing/synctest, where time.Sleep takes no real time. "+
		"That clock starts at midnight UTC on 2000-01-01, so %s's log lines from this part of the test are dated "+
		"2000/01/01, or 1999/12/31 in a time zone west of UTC.)", b.Server)
	synctest.Test(t, func(t *testing.T) {
		spells := []int{4, 3, 10} // Accept errors in a row, and a connection let in between spells
		var script []bool         // false: fail with b.Err; true: let a connection in
		for i, n := range spells {
			if i > 0 {
				script = append(script, true)
			}
			script = append(script, make([]bool, n)...)
		}
		ln := &scriptedListener{script: script, err: b.Err, waiting: make(chan struct{}), closed: make(chan struct{})}
		served := make(chan error, 1)
		go func() { served <- b.Serve(ln) }()

		select {
		case <-ln.waiting:
		case err := <-served:
			t.Fatalf("Serve returned while its listener was still open, after %d calls of Accept: %v", ln.count(), err)
		case <-time.After(time.Hour):
			t.Fatalf("Serve stopped calling Accept after %d calls (the test's clock ran an hour): "+
				"after an error, wait and call Accept again.\n%s", ln.count(), clock)
		}
		ln.Close()
		select {
		case <-served:
		case <-time.After(time.Hour):
			t.Fatalf("Serve did not return after its listener was closed.\n%s", clock)
		}

		// waits[s][i] is how long Serve waited after failure i+1 of spell
		// s before it called Accept again. The call that lets a connection
		// in ends a spell, and the next call comes at once.
		all := ln.waits()
		var waits [][]time.Duration
		call := 0 // the first call of the spell
		for _, n := range spells {
			waits = append(waits, all[call+1:call+1+n])
			call += n + 1
		}
		for s, spell := range waits {
			for i, w := range spell {
				n := i + 1 // failures in a row so far
				want := min(b.Min<<i, b.Max)
				if w == 0 {
					t.Fatalf("Accept failed with %q and Serve called it again at once (failure %d in a row).\n"+
						"Running out of file descriptors does not clear in a microsecond: a loop that retries at once spins at full "+
						"speed for as long as the error lasts. Wait before trying again: time.Sleep(delay), with delay MinBackoff "+
						"after the first error in a row, twice as long after each further one, up to MaxBackoff.\n%s", b.Err, n, clock)
				}
				if w < want {
					t.Fatalf("Accept failed (failure %d in a row) and Serve called it again %v later; it should "+
						"wait at least %v: MinBackoff after the first error in a row, twice as long after each further one, up to MaxBackoff.\n%s",
						n, w, want, clock)
				}
				if w > b.Max {
					t.Fatalf("Accept failed %d times in a row, and Serve waited %v before calling it again: more than MaxBackoff, %v. "+
						"Its waits in this spell of errors: %v.\n"+
						"Double the delay while the errors go on, but never beyond MaxBackoff (if delay > MaxBackoff { delay = MaxBackoff }): "+
						"a delay that doubles for ever is over an hour by the 21st error in a row, and %s sleeps on long "+
						"after the file descriptors have come back.\n%s", n, w, b.Max, spell, b.Server, clock)
				}
			}
			if s > 0 && spell[0] > waits[0][0] {
				t.Fatalf("Accept failed %d times in a row, and Serve's waits before trying again were %v. Then an Accept "+
					"succeeded, and when the errors came back its waits were %v.\n"+
					"After an Accept that succeeds, the back-off starts again from MinBackoff (set the delay back to 0 once %s): "+
					"an old spell of errors says nothing about a new one.\n%s",
					len(waits[s-1]), waits[s-1], spell, b.LetIn, clock)
			}
		}
	})
}

// scriptedListener is a fake listener for a synctest bubble, where real
// sockets cannot be used. Its calls of Accept follow script (true: let a
// connection in, over a net.Pipe whose far end it closes at once, so the
// server's first write fails and the visit ends; false: fail with err);
// the call after the script waits until the listener is closed. It
// records, on the bubble's clock, when each call came.
type scriptedListener struct {
	script  []bool
	err     error
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
		return nil, l.err
	}
	server, peer := net.Pipe()
	peer.Close()
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
