// Package netsimtest starts netsim's proxies for one test, failing the
// test if they cannot start and closing them when it ends. It is apart
// from package netsim, which netbook proxy uses too, so that the netbook
// binary does not link the testing package.
package netsimtest

import (
	"testing"

	"github.com/netbook/netbook/labs/netsim"
)

// UDP starts a UDP proxy in front of target for one test, failing the test
// if it cannot, and closes it when the test ends.
func UDP(t testing.TB, target string, o netsim.UDPOptions) *netsim.UDPProxy {
	t.Helper()
	p, err := netsim.ListenUDP(target, o)
	if err != nil {
		t.Fatalf("starting a UDP proxy in front of %s: %v", target, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TCP starts a TCP proxy in front of target for one test, failing the test
// if it cannot, and closes it when the test ends.
func TCP(t testing.TB, target string, o netsim.TCPOptions) *netsim.TCPProxy {
	t.Helper()
	p, err := netsim.ListenTCP(target, o)
	if err != nil {
		t.Fatalf("starting a TCP proxy in front of %s: %v", target, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
