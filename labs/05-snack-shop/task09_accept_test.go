package shop

import (
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/require"
)

// Stay open when Accept fails with "too many open files": back off, retry, keep serving.
func TestTask9AcceptErrors(t *testing.T) {
	fl := &failingListener{err: emfile}
	recovered := fl.failNext(3)
	returned := make(chan struct{})
	var served error
	srv := nettest.Start(t, func(ln net.Listener) error {
		fl.Listener = ln
		served = NewShop(NewShelf(Goods)).Serve(fl)
		close(returned)
		return served
	})

	// waitRecovery waits for the shop to call Accept again after n failures.
	waitRecovery := func(n int, recovered <-chan struct{}, during string) {
		t.Helper()
		select {
		case <-recovered:
		case <-returned:
			if !fl.called() {
				t.Fatalf("Serve returned before it called Accept: %v", served)
			}
			t.Fatalf("Accept failed with %q %s, and Serve returned: %v.\n"+
				"Running out of file descriptors is an error the shop can outlive: customers leave, descriptors come back. "+
				"Returning closes the shop on every customer inside and every one who comes later. Log the error, wait a "+
				"moment (MinBackoff, doubling while the errors go on, up to MaxBackoff) and call Accept again.", fl.err, during, served)
		case <-time.After(nettest.Step):
			t.Fatalf("Accept failed %d times in a row with %q %s, and Serve had not called it again %v later.\n"+
				"Back off briefly and retry: MinBackoff after the first error, twice as long after each further one, never more than MaxBackoff.",
				n, fl.err, during, nettest.Step)
		}
	}
	waitRecovery(3, recovered, "as the shop opened")

	a := enter(t, srv, "customer a, once Accept works again")
	ask(t, a, "customer a", "buy melon\n", Bought(melon, 800), "")

	// A second spell of errors while customer a is inside: it starts once
	// the shop has let customer b in, and customer c waits in the kernel's
	// queue until the shop gets through it.
	recovered = fl.failNext(2)
	b := enter(t, srv, "customer b")
	c := srv.Dial(t)
	waitRecovery(2, recovered, "while customer a was shopping")
	require.Equal(t, Welcome(StartingBalance), c.Line(t, "the greeting of customer c, who came in during the second spell of errors"))
	ask(t, a, "customer a", "balance\n", BalanceIs(800), "Customer a's visit goes on through the errors: they are the listener's, not the customer's.")
	ask(t, b, "customer b", "buy 西瓜\n", Bought(melon, 800), "")
	askMenu(t, c, "customer c", "menu\n", 5, 3, 5)
	require.False(t, srv.Done(), "Serve returned while its listener was still open")
	require.NoError(t, srv.Stop(t), "Serve should return nil once its listener is closed: back off only on errors other than net.ErrClosed")

	// The same errors on a fake clock: how long the shop waits each time.
	backoffOnAFakeClock(t)
}

// backoffOnAFakeClock plays three spells of Accept errors, with one
// customer let in after each of the first two, in a testing/synctest
// bubble: time there is fake, so Serve's waits take no real time and the
// test knows exactly how long each one was. The shop must wait after every
// error (MinBackoff, doubling while the errors go on, never more than
// MaxBackoff: the third spell is long enough for the doubling to reach
// it), and after an Accept that succeeds start again from MinBackoff.
//
// It runs after the rest of task 9 has passed, so Serve is known to return
// when its listener closes (a Serve that spun on instead would stop the
// fake clock).
func backoffOnAFakeClock(t *testing.T) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		spells := []int{4, 3, 10} // Accept errors in a row (EMFILE), and a customer let in between spells
		var script []bool         // false: fail with EMFILE; true: let a customer in
		for i, n := range spells {
			if i > 0 {
				script = append(script, true)
			}
			script = append(script, make([]bool, n)...)
		}
		ln := &scriptedListener{script: script, waiting: make(chan struct{}), closed: make(chan struct{})}
		served := make(chan error, 1)
		go func() { served <- NewShop(NewShelf(Goods)).Serve(ln) }()

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
		// s before it called Accept again. The call that lets a customer
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
				want := min(MinBackoff<<i, MaxBackoff)
				if w == 0 {
					t.Fatalf("Accept failed with %q and Serve called it again at once (failure %d in a row).\n"+
						"Running out of file descriptors does not clear in a microsecond: a loop that retries at once spins at full "+
						"speed for as long as the error lasts. Wait before trying again: time.Sleep(delay), with delay MinBackoff "+
						"after the first error in a row, twice as long after each further one, up to MaxBackoff.\n%s", emfile, n, fakeClock)
				}
				if w < want {
					t.Fatalf("Accept failed (failure %d in a row) and Serve called it again %v later; it should "+
						"wait at least %v: MinBackoff after the first error in a row, twice as long after each further one, up to MaxBackoff.\n%s",
						n, w, want, fakeClock)
				}
				if w > MaxBackoff {
					t.Fatalf("Accept failed %d times in a row, and Serve waited %v before calling it again: more than MaxBackoff, %v. "+
						"Its waits in this spell of errors: %v.\n"+
						"Double the delay while the errors go on, but never beyond MaxBackoff (if delay > MaxBackoff { delay = MaxBackoff }): "+
						"a delay that doubles for ever is over an hour by the 21st error in a row, and the shop keeps its door shut long "+
						"after the file descriptors have come back.\n%s", n, w, MaxBackoff, spell, fakeClock)
				}
			}
			if s > 0 && spell[0] > waits[0][0] {
				t.Fatalf("Accept failed %d times in a row, and Serve's waits before trying again were %v. Then an Accept "+
					"succeeded, and when the errors came back its waits were %v.\n"+
					"After an Accept that succeeds, the back-off starts again from MinBackoff (set the delay back to 0 once a customer "+
					"is let in): an old spell of errors says nothing about a new one.\n%s",
					len(waits[s-1]), waits[s-1], spell, fakeClock)
			}
		}
	})
}

// fakeClock explains the times in backoffOnAFakeClock's messages, and the
// date on the shop's log lines from it.
const fakeClock = "(These waits were measured on the fake clock of testing/synctest, where time.Sleep takes no real time. " +
	"That clock starts at midnight UTC on 2000-01-01, so the shop's log lines from this part of the test are dated " +
	"2000/01/01, or 1999/12/31 in a time zone west of UTC.)"

// scriptedListener is a fake listener for a synctest bubble, where real
// sockets cannot be used. Its calls of Accept follow script (true: let a
// customer in, over a net.Pipe whose far end the test closes at once, so the
// customer leaves straight away; false: fail with emfile); the call after
// the script waits until the listener is closed. It records, on the
// bubble's clock, when each call came.
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
		return nil, emfile
	}
	shop, customer := net.Pipe()
	customer.Close() // the customer leaves at once: the greeting fails, the visit ends
	return shop, nil
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

// emfile is the error Accept returns on Linux when the process has no file
// descriptor left for the new connection.
var emfile error = &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}

// failingListener is a listener whose Accept fails with err, at once, as
// many times as it is told to, and otherwise accepts from the listener it
// wraps.
type failingListener struct {
	net.Listener
	err error

	mu        sync.Mutex
	calls     int           // calls so far
	fails     int           // failing calls still to come
	recovered chan struct{} // closed at the first call after them
}

// failNext makes the next n calls of Accept fail, and returns the channel
// that is closed at the call after them.
func (l *failingListener) failNext(n int) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails, l.recovered = n, make(chan struct{})
	return l.recovered
}

// called reports whether Accept has been called at all.
func (l *failingListener) called() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls > 0
}

func (l *failingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	l.calls++
	if l.fails > 0 {
		l.fails--
		l.mu.Unlock()
		return nil, l.err
	}
	select {
	case <-l.recovered:
	default:
		close(l.recovered)
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}
