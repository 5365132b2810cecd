// Package addresses works with the two halves of every network address: the
// host (a name or an IP address) and the port (a 16-bit number).
//
// This is the reference solution of lab 01-addresses.
package addresses

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Endpoint is where a service can be reached: a host and a port.
type Endpoint struct {
	Host string // a name ("localhost") or an IP address ("127.0.0.1", "::1"), never in brackets
	Port int    // 0 to 65535; 0 asks the kernel to choose when listening
}

// ParseEndpoint splits "host:port" into an Endpoint.
//
// IPv6 addresses contain colons themselves, so they come in square brackets:
// "[::1]:8080" is host "::1", port 8080. The host may be empty (":8080"
// means every address of this machine). The port must be a number from 0 to
// 65535; anything else is an error that quotes the input.
func ParseEndpoint(s string) (Endpoint, error) {
	// The port is after the last colon; brackets around the host go.
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return Endpoint{}, fmt.Errorf("parse endpoint %q: no port", s)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(s[:i], "["), "]")
	portText := s[i+1:]
	port, err := parsePort(portText)
	if err != nil {
		return Endpoint{}, fmt.Errorf("parse endpoint %q: %w", s, err)
	}
	return Endpoint{Host: host, Port: port}, nil
}

// parsePort accepts a decimal port number from 0 to 65535.
func parsePort(s string) (int, error) {
	port, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("port %q is not a number from 0 to 65535", s)
	}
	return int(port), nil
}

// String formats e as "host:port", with square brackets around an IPv6
// address: Endpoint{"::1", 8080} is "[::1]:8080".
func (e Endpoint) String() string {
	return net.JoinHostPort(e.Host, strconv.Itoa(e.Port))
}

// Kind says what sort of address an IP address is.
type Kind int

// The kinds of address, from the most special to the most ordinary.
const (
	Invalid     Kind = iota // not an IP address
	Unspecified             // 0.0.0.0 or ::, "any address" when listening
	Loopback                // this machine: 127.0.0.0/8 or ::1
	Private                 // a private network: 10/8, 172.16/12, 192.168/16, fc00::/7
	LinkLocal               // this network segment only: 169.254/16, fe80::/10
	Multicast               // a group of receivers: 224.0.0.0/4, ff00::/8
	Reserved                // set aside, no host on the Internet has it: the blocks of ReservedBlocks
	Public                  // anything else: reachable across the Internet
)

var kindNames = [...]string{"invalid", "unspecified", "loopback", "private", "link-local", "multicast", "reserved", "public"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "Kind(?)"
	}
	return kindNames[k]
}

// Classify parses an IP address (IPv4 or IPv6) and says what kind it is.
// An IPv4 address written in IPv6 form ("::ffff:127.0.0.1") is classified
// as the IPv4 address it carries. Text that is not an IP address returns
// Invalid and an error.
//
// net/netip answers for the first five kinds (IsUnspecified, IsLoopback,
// IsPrivate, IsLinkLocalUnicast, IsMulticast), but an address that is none
// of those is not public yet: 192.0.2.1 (documentation), 100.64.0.1
// (carriers' NAT) and 255.255.255.255 (broadcast) are in blocks that netip
// has no method for. Those are the ReservedBlocks (reserved.go): an address
// in one of them is Reserved, and only what is left is Public.
func Classify(s string) (Kind, error) {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return Invalid, fmt.Errorf("classify %q: not an IP address", s)
	}
	// A zone ("%eth0") names the interface an address is reached through;
	// the address is the same without it, and a netip.Prefix never
	// contains an address that has one.
	addr = addr.Unmap().WithZone("")
	switch {
	case addr.IsUnspecified():
		return Unspecified, nil
	case addr.IsLoopback():
		return Loopback, nil
	case addr.IsPrivate():
		return Private, nil
	case addr.IsLinkLocalUnicast():
		return LinkLocal, nil
	case addr.IsMulticast():
		return Multicast, nil
	}
	// netip has no method for the blocks set aside for documentation,
	// carriers' NAT, benchmarks and the future: an address that is none of
	// the above may still be one of those, and then it is not public.
	for _, block := range ReservedBlocks {
		if block.Contains(addr) {
			return Reserved, nil
		}
	}
	return Public, nil
}

// LookupPort returns the port of a well-known service from the WellKnown
// table, for a network "tcp" or "udp" ("tcp4", "tcp6", "udp4" and "udp6"
// count as their family). The service name is matched without regard to
// case ("HTTP" is "http"). A service given as a number ("8080") is that
// port, if it is in range. A service the network does not offer is an error
// that names both.
func LookupPort(network, service string) (int, error) {
	// Compare whole words: stripping "4" and "6" off the end would also
	// take "tcp46" or "udp644", which name no network.
	var family string
	switch strings.ToLower(network) {
	case "tcp", "tcp4", "tcp6":
		family = "tcp"
	case "udp", "udp4", "udp6":
		family = "udp"
	default:
		return 0, fmt.Errorf("lookup port: unknown network %q (want tcp or udp)", network)
	}
	if service != "" && strings.Trim(service, "0123456789") == "" {
		return parsePort(service)
	}
	for _, s := range WellKnown {
		if s.Network == family && strings.EqualFold(s.Name, service) {
			return s.Port, nil
		}
	}
	return 0, fmt.Errorf("lookup port: no well-known %s service %q", family, service)
}

// LoopbackAddrs resolves the name "localhost" and returns its addresses, as
// the system's resolver gives them (IPv4-in-IPv6 forms unwrapped to IPv4).
// On every machine that list includes 127.0.0.1, and often ::1 as well.
func LoopbackAddrs(ctx context.Context) ([]netip.Addr, error) {
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", "localhost")
	if err != nil {
		return nil, fmt.Errorf("resolve localhost: %w", err)
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

// ListenLoopback starts listening for TCP connections on 127.0.0.1 on a port
// the kernel chooses, and returns the listener and that port.
func ListenLoopback() (net.Listener, int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, fmt.Errorf("listen on loopback: %w", err)
	}
	return ln, ln.Addr().(*net.TCPAddr).Port, nil
}
