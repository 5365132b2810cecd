package greet

import (
	"net"
	"syscall"
	"testing"

	"github.com/netbook/netbook/labs/nettest"
)

// unanswered returns the address of a loopback listener whose queue of
// connections waiting to be accepted is full: the kernel drops every new
// connection attempt (SYN) on the floor, so a dial to it waits until it
// gives up. It skips the test where it cannot make one.
func unanswered(t *testing.T) string {
	t.Helper()
	ln := nettest.Listen(t)
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		t.Skipf("the test's listener is a %T, not a *net.TCPListener", ln)
	}
	raw, err := tl.SyscallConn()
	if err != nil {
		t.Skipf("cannot reach the listener's socket: %v", err)
	}
	// On Linux, listen(2) again on a listening socket sets its backlog
	// anew; with 0, the queue holds one connection.
	var lerr error
	if err := raw.Control(func(fd uintptr) { lerr = syscall.Listen(int(fd), 0) }); err != nil || lerr != nil {
		t.Skipf("cannot shrink the listener's backlog: %v %v", err, lerr)
	}
	addr := ln.Addr().String()
	// Fill the queue: nobody accepts, so each connection that completes
	// stays in it. The first dial that cannot complete says it is full.
	const tries, wait = 8, nettest.Step / 4
	for i := 0; i < tries; i++ {
		c, err := net.DialTimeout("tcp", addr, wait)
		if err != nil {
			if nettest.IsTimeout(err) {
				return addr
			}
			t.Skipf("filling the listener's queue: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skipf("%d connections to a listener with a backlog of 0 all completed: this kernel does not drop connections past the backlog", tries)
	return ""
}
