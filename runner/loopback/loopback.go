// Package loopback keeps netbook's sockets on this machine: every command
// that listens or connects (up, assist, proxy) takes a loopback address by
// default, 127.0.0.1 or ::1, and needs --public for any other.
//
// A server a student is still writing, an assistant that prints whatever
// arrives, and a proxy that drops packets on purpose have no business on a
// real network by accident: other machines could reach them, and some
// networks forbid it. Check says so before anything listens.
package loopback

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Check returns an error for an address (host:port) that is not on
// loopback, unless public is set; then it returns a warning to print
// instead. The host may be an IPv4 or IPv6 loopback address (all of
// 127.0.0.0/8, and ::1) or "localhost". what says what the address is
// for, as in "listen on" or "connect to".
func Check(addr, what string, public bool) (warning string, err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%q is not an address: write HOST:PORT, such as 127.0.0.1:9000 (or 127.0.0.1:0 for a port the kernel picks)", addr)
	}
	if IsLoopback(host) {
		return "", nil
	}
	why := fmt.Sprintf("%s is not a loopback address (127.0.0.1 or ::1)", describe(host))
	if !public {
		return "", fmt.Errorf("refusing to %s %s: %s, so other machines could be involved. "+
			"Use 127.0.0.1, or add --public if you really mean it", what, addr, why)
	}
	return fmt.Sprintf("warning: about to %s %s: %s. Other machines on your network may reach it; stop it when you are done.", what, addr, why), nil
}

// IsLoopback reports whether host (without a port) is "localhost" or a
// loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

func describe(host string) string {
	if host == "" {
		return "an empty host, which means every network interface,"
	}
	ip, err := netip.ParseAddr(host)
	switch {
	case err != nil:
		return host + " (a name, not an IP address)"
	case ip.IsUnspecified():
		return host + ", which means every network interface,"
	}
	return host
}
