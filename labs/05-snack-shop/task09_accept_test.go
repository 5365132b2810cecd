package shop

import (
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
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
	nettest.CheckBackoff(t, nettest.Backoff{
		Serve: func(ln net.Listener) error { return NewShop(NewShelf(Goods)).Serve(ln) }, Min: MinBackoff, Max: MaxBackoff,
		Err: emfile, Server: "the shop", LetIn: "a customer is let in"})
}

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
