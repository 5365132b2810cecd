// Package loopback is netbook's one policy for staying on this machine:
// what counts as a loopback address (IsLoopback), the check every command
// that listens or connects makes (up, assist, proxy: a loopback address by
// default, 127.0.0.1 or ::1, and --public for any other), which netsim's
// proxies and the snippet interpreter make too, and how a loopback port is
// written in output that is compared across runs (Ports). It lives in the
// labs module so that the labs' shared packages and the runner share it.
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
	"regexp"
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

var loopbackPort = regexp.MustCompile(`(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}\b`)

// Ports writes the port of every loopback address in s as PORT
// (127.0.0.1:54012 becomes 127.0.0.1:PORT), since each run gets its own.
func Ports(s string) string {
	return loopbackPort.ReplaceAllString(s, "$1:PORT")
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
