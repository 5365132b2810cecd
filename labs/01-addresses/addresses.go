// Package addresses works with the two halves of every network address: the
// host (a name or an IP address) and the port (a 16-bit number).
//
// Your job in this lab: fill in each function below so that the tests pass.
// Run them with
//
//	go test ./labs/01-addresses
//
// and read chapter 1 (go run ./cmd/netbook read 1) if you get stuck.
package addresses

import (
	"context"
	"errors"
	"net"
	"net/netip"
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
	// TODO: split s into host and port (the net package has a function for
	// exactly this), then turn the port into an int and check its range.
	return Endpoint{}, errors.New("TODO: implement ParseEndpoint (task 1)")
}

// String formats e as "host:port", with square brackets around an IPv6
// address: Endpoint{"::1", 8080} is "[::1]:8080".
func (e Endpoint) String() string {
	// TODO: the net package can join a host and a port, brackets included.
	return ""
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
	// TODO: parse s with the net/netip package, unwrap an IPv4-mapped form,
	// then ask the address what it is: netip's Is... methods first, then
	// whether a prefix of ReservedBlocks contains it. Mind the order: an
	// address is checked against every special kind before it is called
	// public.
	return Invalid, errors.New("TODO: implement Classify (task 3)")
}

// LookupPort returns the port of a well-known service from the WellKnown
// table, for a network "tcp" or "udp" ("tcp4", "tcp6", "udp4" and "udp6"
// count as their family). The service name is matched without regard to
// case ("HTTP" is "http"). A service given as a number ("8080") is that
// port, if it is in range. A service the network does not offer is an error
// that names both.
func LookupPort(network, service string) (int, error) {
	// TODO: accept a number first, then look the name up in WellKnown.
	return 0, errors.New("TODO: implement LookupPort (task 4)")
}

// LoopbackAddrs resolves the name "localhost" and returns its addresses, as
// the system's resolver gives them (IPv4-in-IPv6 forms unwrapped to IPv4).
// On every machine that list includes 127.0.0.1, and often ::1 as well.
func LoopbackAddrs(ctx context.Context) ([]netip.Addr, error) {
	// TODO: net.DefaultResolver can look a name up and return netip.Addr
	// values; pass ctx along so the caller can give up.
	return nil, errors.New("TODO: implement LoopbackAddrs (task 5)")
}

// ListenLoopback starts listening for TCP connections on 127.0.0.1 on a port
// the kernel chooses, and returns the listener and that port.
func ListenLoopback() (net.Listener, int, error) {
	// TODO: listen on port 0, then read back the port from the listener's
	// address.
	return nil, 0, errors.New("TODO: implement ListenLoopback (task 6)")
}
