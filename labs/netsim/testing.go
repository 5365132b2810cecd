package netsim

import "testing"

// UDP starts a UDP proxy in front of target for one test, failing the test
// if it cannot, and closes it when the test ends.
func UDP(t testing.TB, target string, o UDPOptions) *UDPProxy {
	t.Helper()
	p, err := ListenUDP(target, o)
	if err != nil {
		t.Fatalf("starting a UDP proxy in front of %s: %v", target, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TCP starts a TCP proxy in front of target for one test, failing the test
// if it cannot, and closes it when the test ends.
func TCP(t testing.TB, target string, o TCPOptions) *TCPProxy {
	t.Helper()
	p, err := ListenTCP(target, o)
	if err != nil {
		t.Fatalf("starting a TCP proxy in front of %s: %v", target, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
