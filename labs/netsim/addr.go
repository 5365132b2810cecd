package netsim

import (
	"fmt"
	"net"

	"github.com/netbook/netbook/labs/loopback"
)

// defaultListen is where a proxy listens unless told otherwise.
const defaultListen = "127.0.0.1:0"

// listenAddress returns the address to listen on, refusing one that is not
// loopback unless allow is set: a proxy that drops and delays on purpose has
// no business on a real network by accident.
func listenAddress(addr string, allow bool) (string, error) {
	if addr == "" {
		return defaultListen, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("netsim: listen address %q: %w", addr, err)
	}
	if !allow && !loopback.IsLoopback(host) {
		return "", fmt.Errorf("netsim: refusing to listen on %s, which is not loopback (127.0.0.1 or ::1); set AllowNonLoopback to do it anyway", addr)
	}
	return addr, nil
}

// checkProbability reports a probability outside [0, 1].
func checkProbability(name string, p float64) error {
	if p < 0 || p > 1 || p != p {
		return fmt.Errorf("netsim: %s probability %v is not between 0 and 1", name, p)
	}
	return nil
}
