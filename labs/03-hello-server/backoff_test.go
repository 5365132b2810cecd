package hello

import (
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// backoffOnAFakeClock plays three spells of Accept errors, with one client
// accepted after each of the first two, on the fake clock of
// testing/synctest: Serve's sleeps take no real time, and the test knows
// exactly how long each one was. While the errors go on, the wait doubles
// from MinBackoff and stops at MaxBackoff; the third spell is long enough
// for the doubling to reach it. After an Accept that succeeds, the back-off
// must start again from where it started, not go on doubling from where
// the last spell left it.
//
// It runs after the rest of task 9 has passed, so Serve is known to return
// when its listener closes (a Serve that never returned would hang the
// fake clock).
func backoffOnAFakeClock(t *testing.T) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		spells := []int{4, 3, 10} // Accept errors in a row (EMFILE), and a client accepted between spells
		var script []bool         // false: fail with EMFILE; true: accept a client
		for i, n := range spells {
			if i > 0 {
				script = append(script, true)
			}
			script = append(script, make([]bool, n)...)
		}
		ln := &scriptedListener{script: script, waiting: make(chan struct{}), closed: make(chan struct{})}
		served := make(chan error, 1)
		go func() { served <- Serve(ln) }()

		select {
		case <-ln.waiting:
		case err := <-served:
			t.Fatalf("Serve returned while its listener was still open, after %d calls of Accept: %v", ln.count(), err)
		case <-time.After(time.Hour):
			t.Fatalf("Serve stopped calling Accept after %d calls (the test's clock ran an hour): "+
				"after an error, wait and call Accept again.\n%s", ln.count(), fakeClock)
		}
		ln.Close()
		select {
		case <-served:
		case <-time.After(time.Hour):
			t.Fatalf("Serve did not return after its listener was closed.\n%s", fakeClock)
		}

		// waits[s][i] is how long Serve waited after failure i+1 of spell
		// s before it called Accept again. The call that accepts a client
		// ends a spell, and the next call comes at once.
		all := ln.waits()
		var waits [][]time.Duration
		call := 0 // the first call of the spell
		for _, n := range spells {
			waits = append(waits, all[call+1:call+1+n])
			call += n + 1
		}
		for s, spell := range waits {
			for i, w := range spell {
				want := min(MinBackoff<<i, MaxBackoff)
				if w < want {
					t.Fatalf("Accept failed (failure %d in a row) and Serve called it again %v later, by the test's clock; it should wait "+
						"at least %v: MinBackoff after the first error in a row, twice as long after each further one, up to MaxBackoff. "+
						"Retrying at once spins at full speed for as long as the error lasts.\n%s", i+1, w, want, fakeClock)
				}
				if w > MaxBackoff {
					t.Fatalf("Accept failed %d times in a row, and Serve waited %v before calling it again: more than MaxBackoff, %v. "+
						"Its waits in this spell of errors: %v.\n"+
						"Double the delay while the errors go on, but never beyond MaxBackoff (if delay > MaxBackoff { delay = MaxBackoff }): "+
						"a delay that doubles for ever is over an hour by the 21st error in a row, and the server sleeps on long after "+
						"the file descriptors have come back.\n%s", i+1, w, MaxBackoff, spell, fakeClock)
				}
			}
			if s > 0 && spell[0] > waits[0][0] {
				t.Fatalf("Accept failed %d times in a row, and Serve's waits before trying again were %v. Then an Accept "+
					"succeeded, and when the errors came back its waits were %v.\n"+
					"After an Accept that succeeds, the back-off starts again from MinBackoff (delay = 0 once a client is accepted): "+
					"an old spell of errors says nothing about a new one.\n%s",
					len(waits[s-1]), waits[s-1], spell, fakeClock)
			}
		}
	})
}

// fakeClock explains the times in backoffOnAFakeClock's messages, and the
// date on the server's log lines from it.
const fakeClock = "(These waits were measured on the fake clock of testing/synctest, where time.Sleep takes no real time. " +
	"That clock starts at midnight UTC on 2000-01-01, so the server's log lines from this part of the test are dated " +
	"2000/01/01, or 1999/12/31 in a time zone west of UTC.)"

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
