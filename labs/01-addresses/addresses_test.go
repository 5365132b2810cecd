package addresses

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"testing"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Parse "host:port" into a host and a port number, IPv6 brackets included.
func TestTask1ParseEndpoint(t *testing.T) {
	good := []struct {
		in   string
		want Endpoint
		why  string
	}{
		{"127.0.0.1:9999", Endpoint{"127.0.0.1", 9999}, "host, colon, port"},
		{"localhost:80", Endpoint{"localhost", 80}, "the host may be a name"},
		{"www.example.com:443", Endpoint{"www.example.com", 443}, "the host may be a name"},
		{"[::1]:8080", Endpoint{"::1", 8080}, "an IPv6 host comes in brackets, which are not part of it"},
		{"[2001:db8::7]:65535", Endpoint{"2001:db8::7", 65535}, "65535 is the largest port"},
		{":8080", Endpoint{"", 8080}, "the host may be empty: every address of this machine"},
		{"127.0.0.1:0", Endpoint{"127.0.0.1", 0}, "port 0 is a port: listening on it asks the kernel to choose one"},
	}
	for _, tc := range good {
		got, err := ParseEndpoint(tc.in)
		require.NoError(t, err, "ParseEndpoint(%q) returned an error, want host %q, port %d: %s", tc.in, tc.want.Host, tc.want.Port, tc.why)
		require.Equal(t, tc.want, got, "ParseEndpoint(%q): %s", tc.in, tc.why)
	}

	bad := []struct{ in, why string }{
		{"127.0.0.1", "there is no port"},
		{"::1:80", "an IPv6 address needs brackets when a port follows"},
		{"localhost:http", "the port must be a number"},
		{"localhost:65536", "a port is 16 bits: at most 65535"},
		{"localhost:-1", "a port is never negative"},
		{"localhost:", "the port is empty"},
		{"localhost:+80", "a port is digits only: strconv.Atoi takes a sign, strconv.ParseUint(s, 10, 16) does not"},
		{"[::1]:+0", "a port is digits only, even a zero"},
		{"localhost: 80", "a port is digits only: no space"},
		{"localhost:0x50", "a port is decimal digits: strconv.ParseUint(s, 0, 16) reads 0x50 as 80 (base 0 guesses the base from a prefix), strconv.ParseUint(s, 10, 16) does not"},
		{"localhost:8_0", "a port is digits only: base 0 also takes the underscores of Go's number literals, so give ParseUint base 10"},
	}
	for _, tc := range bad {
		_, err := ParseEndpoint(tc.in)
		require.Error(t, err, "ParseEndpoint(%q) should fail: %s", tc.in, tc.why)
		require.Contains(t, err.Error(), tc.in, "the error for %q should quote the input, so the caller sees what was wrong", tc.in)
	}
}

// Format an endpoint back into "host:port".
func TestTask2FormatEndpoint(t *testing.T) {
	for _, tc := range []struct {
		in        Endpoint
		want, why string
	}{
		{Endpoint{"127.0.0.1", 9999}, "127.0.0.1:9999", "host and port joined by a colon"},
		{Endpoint{"::1", 8080}, "[::1]:8080", "square brackets around an IPv6 host"},
		{Endpoint{"fe80::1%eth0", 22}, "[fe80::1%eth0]:22", "an IPv6 address with a zone (%eth0) is IPv6 too, and needs its brackets " +
			"(net.ParseIP knows no zones; net.JoinHostPort brackets any host with a colon in it)"},
		{Endpoint{"", 8080}, ":8080", "an empty host stays empty"},
		{Endpoint{"localhost", 0}, "localhost:0", "port 0 is written like any other"},
	} {
		got := tc.in.String()
		if got == "" {
			t.Fatalf("Endpoint{%q, %d}.String() returned \"\", want %q: String is not written yet. Join the host and the port with a colon, and put square brackets around an IPv6 host", tc.in.Host, tc.in.Port, tc.want)
		}
		require.Equal(t, tc.want, got, "Endpoint{%q, %d}.String(): %s", tc.in.Host, tc.in.Port, tc.why)
	}
	for _, s := range []string{"[::1]:8080", "10.0.0.1:53", ":7"} {
		e, err := ParseEndpoint(s)
		require.NoError(t, err, "ParseEndpoint(%q) (task 1) must work first", s)
		require.Equal(t, s, e.String(), "parsing %q and formatting it again should give it back", s)
	}
}

// Classify an IP address: loopback, private, public, unspecified and more.
func TestTask3Classify(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Kind
	}{
		{"127.0.0.1", Loopback},
		{"127.8.9.10", Loopback},
		{"::1", Loopback},
		{"::ffff:127.0.0.1", Loopback},
		{"10.1.2.3", Private},
		{"172.16.0.1", Private},
		{"172.31.255.254", Private},
		{"192.168.1.100", Private},
		{"fd12:3456::1", Private},
		{"0.0.0.0", Unspecified},
		{"::", Unspecified},
		{"169.254.10.20", LinkLocal},
		{"fe80::1", LinkLocal},
		{"224.0.0.251", Multicast},
		{"ff02::1", Multicast},
		{"172.32.0.1", Public},
		{"8.8.8.8", Public},
		{"2001:4860:4860::8888", Public},
		{"::ffff:8.8.4.4", Public},
	} {
		got, err := Classify(tc.in)
		require.NoError(t, err, "Classify(%q) returned an error", tc.in)
		require.Equal(t, tc.want, got, "Classify(%q) = %v, want %v", tc.in, got, tc.want)
	}
	for _, in := range []string{"", "localhost", "256.1.1.1", "1.2.3", "::g"} {
		got, err := Classify(in)
		require.Error(t, err, "Classify(%q) should fail: it is not an IP address", in)
		require.Equal(t, Invalid, got, "Classify(%q) should return Invalid with its error", in)
	}

	// The edges: IPv4-mapped forms of every kind, the blocks netip has no
	// method for, and the addresses just outside them.
	for _, tc := range []struct {
		in   string
		want Kind
		why  string
	}{
		{"::ffff:0.0.0.0", Unspecified, "it is 0.0.0.0 in IPv6 form: Unmap it first (netip's IsUnspecified does not look inside the IPv6 form)"},
		{"::ffff:10.1.2.3", Private, "it is 10.1.2.3 in IPv6 form: Unmap it first"},
		{"192.0.2.1", Reserved, "192.0.2.0/24 is for documentation: no netip method says so, so check the prefixes of ReservedBlocks before calling an address public"},
		{"198.51.100.7", Reserved, "198.51.100.0/24 is for documentation (ReservedBlocks)"},
		{"203.0.113.255", Reserved, "203.0.113.0/24 is for documentation (ReservedBlocks)"},
		{"2001:db8::1", Reserved, "2001:db8::/32 is IPv6's block for documentation (ReservedBlocks)"},
		{"100.64.0.1", Reserved, "100.64.0.0/10 is shared by carriers' NAT: not reachable across the Internet (ReservedBlocks)"},
		{"100.127.255.254", Reserved, "the last addresses of 100.64.0.0/10 are in it too"},
		{"198.19.0.1", Reserved, "198.18.0.0/15 (benchmarking) covers 198.18.x.x and 198.19.x.x"},
		{"240.0.0.1", Reserved, "240.0.0.0/4 is reserved for future use (ReservedBlocks)"},
		{"255.255.255.255", Reserved, "the limited broadcast, \"every machine on this network\", is in 240.0.0.0/4: no machine has it"},
		{"0.1.2.3", Reserved, "0.0.0.0/8 is \"this network\": only 0.0.0.0 itself, the unspecified address, has a use"},
		{"::ffff:192.0.2.1", Reserved, "it is 192.0.2.1 in IPv6 form: Unmap it before asking a prefix (a prefix of IPv4 never contains an IPv6 address)"},
		{"100.128.0.1", Public, "100.64.0.0/10 ends at 100.127.255.255: the next address is public"},
		{"198.20.0.1", Public, "198.18.0.0/15 ends at 198.19.255.255"},
		{"192.0.3.1", Public, "192.0.2.0/24 ends at 192.0.2.255"},
		{"2001:db9::1", Public, "2001:db8::/32 ends at 2001:db8:ffff:..."},
		{"223.255.255.255", Public, "the last address before multicast (224.0.0.0/4) is public"},
		{"fe80::1%eth0", LinkLocal, "the %eth0 after it is a zone: it names the interface a link-local address is reached through, and it is part of IPv6's text (netip.ParseAddr takes it; net.ParseIP does not)"},
		{"2001:db8::1%eth0", Reserved, "a zone (%eth0) names an interface, it does not make the address another one; but a netip.Prefix never Contains an address with a zone, so drop it (addr.WithZone(\"\")) before asking the prefixes of ReservedBlocks"},
	} {
		got, err := Classify(tc.in)
		require.NoError(t, err, "Classify(%q) returned an error, want %v: %s", tc.in, tc.want, tc.why)
		require.Equal(t, tc.want, got, "Classify(%q) = %v, want %v: %s", tc.in, got, tc.want, tc.why)
	}
	for _, tc := range []struct{ in, why string }{
		{"010.1.2.3", "a leading zero makes an IPv4 field ambiguous (octal or decimal?): netip.ParseAddr rejects it, and so should you"},
		{"1.2.3.4.5", "an IPv4 address has four fields"},
		{"1.2.3.-4", "a field is digits only: no sign"},
		{"1.2.3.+4", "a field is digits only: no sign"},
	} {
		got, err := Classify(tc.in)
		require.Error(t, err, "Classify(%q) should fail: %s", tc.in, tc.why)
		require.Equal(t, Invalid, got, "Classify(%q) should return Invalid with its error", tc.in)
	}
}

// Look up the port of a well-known service.
func TestTask4LookupPort(t *testing.T) {
	for _, tc := range []struct {
		network, service string
		want             int
	}{
		{"tcp", "http", 80},
		{"tcp", "HTTP", 80},
		{"tcp", "ftp", 21},
		{"tcp", "smtp", 25},
		{"udp", "tftp", 69},
		{"tcp", "mysql", 3306},
		{"tcp4", "redis", 6379},
		{"udp6", "domain", 53},
		{"tcp", "8080", 8080},
		{"udp", "0", 0},
	} {
		got, err := LookupPort(tc.network, tc.service)
		require.NoError(t, err, "LookupPort(%q, %q) returned an error", tc.network, tc.service)
		require.Equal(t, tc.want, got, "LookupPort(%q, %q)", tc.network, tc.service)
	}
	for _, tc := range []struct{ network, service, why string }{
		{"tcp", "tftp", "TFTP runs over UDP only"},
		{"udp", "http", "HTTP (before HTTP/3) runs over TCP only"},
		{"tcp", "gopher", "it is not in the WellKnown table"},
		{"tcp", "70000", "a port is at most 65535"},
		{"sctp", "http", "the network must be tcp or udp"},
		{"tcp", "", "an empty service names nothing"},
		{"tcp", "+80", "a port number is digits only: strconv.Atoi takes a sign, so check the digits first"},
		{"udp", "-1", "a port is never negative"},
		{"tcp", "0x50", "a port number is decimal digits: 0x50 is neither a number nor a service name"},
		{"tcp46", "http", "tcp4 and tcp6 are networks, tcp46 is not: compare the whole word, do not strip every 4 and 6"},
		{"udp64", "domain", "udp4 and udp6 are networks, udp64 is not"},
		{"tcpx", "http", "compare the whole network name, not its first letters"},
	} {
		_, err := LookupPort(tc.network, tc.service)
		require.Error(t, err, "LookupPort(%q, %q) should fail: %s", tc.network, tc.service, tc.why)
	}
}

// Resolve "localhost" to its loopback addresses.
func TestTask5LoopbackAddrs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), nettest.Step)
	defer cancel()
	addrs, err := LoopbackAddrs(ctx)
	require.NoError(t, err, "LoopbackAddrs returned an error")
	require.NotEmpty(t, addrs, "localhost should resolve to at least one address")
	for _, a := range addrs {
		assert.True(t, a.IsLoopback(), "%v came back for localhost, but it is not a loopback address", a)
		assert.False(t, a.Is4In6(), "%v is IPv4 wrapped in IPv6: unwrap it with Unmap", a)
	}

	// The same question asked another way: what this machine's resolver
	// says localhost is (127.0.0.1 nearly everywhere, and often ::1).
	names, err := net.DefaultResolver.LookupHost(ctx, "localhost")
	require.NoError(t, err, "this machine cannot resolve localhost at all")
	var want []netip.Addr
	for _, n := range names {
		want = append(want, netip.MustParseAddr(n).Unmap())
	}
	if slices.ContainsFunc(want, netip.Addr.Is6) && !slices.ContainsFunc(addrs, netip.Addr.Is6) {
		t.Errorf("localhost resolves to %v on this machine, IPv6's loopback included, but LoopbackAddrs returned %v: "+
			"IPv4 only. Look the name up for the network \"ip\" (IPv4 and IPv6), not \"ip4\"", want, addrs)
	} else {
		assert.ElementsMatch(t, want, addrs, "LoopbackAddrs should return every address localhost resolves to")
	}

	// A caller that has given up must not be kept waiting: the context is
	// the caller's, so pass it to the resolver (not context.Background()).
	// Go's resolver races a cancelled context against an answer that is
	// already there (localhost comes from the hosts file at once), so it
	// may answer anyway now and then; asked 20 times, a resolver that is
	// given the context gives up at least once (each time, at least as
	// often as not), and one that never sees it never does.
	gone, cancelGone := context.WithCancel(context.Background())
	cancelGone()
	for try := 1; ; try++ {
		addrs, err = LoopbackAddrs(gone)
		if err != nil {
			assert.ErrorIs(t, err, context.Canceled, "the error should wrap the context's (%%w), so the caller can tell why; got: %v", err)
			break
		}
		require.Less(t, try, 20, "LoopbackAddrs was called 20 times with a context that was already cancelled, and returned %v every time: "+
			"pass the caller's ctx to the resolver (LookupNetIP(ctx, ...)), so that a caller who gives up is not kept waiting", addrs)
	}
}

// Listen on 127.0.0.1 on a port the kernel chooses, and report that port.
func TestTask6ListenLoopback(t *testing.T) {
	ln, port, err := ListenLoopback()
	require.NoError(t, err, "ListenLoopback returned an error")
	require.NotNil(t, ln, "ListenLoopback returned no listener")
	t.Cleanup(func() { ln.Close() })

	addr, ok := ln.Addr().(*net.TCPAddr)
	require.True(t, ok, "the listener should be a TCP listener, got %T", ln.Addr())
	assert.True(t, addr.IP.Equal(net.IPv4(127, 0, 0, 1)), "the listener should be on 127.0.0.1, is on %v", addr.IP)
	assert.NotZero(t, port, "port 0 asks the kernel for a port; return the one it chose, from ln.Addr()")
	assert.Equal(t, addr.Port, port, "the port returned should be the listener's port")

	conn := nettest.Dial(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	accepted := nettest.Accept(t, ln, "the test's client")
	assert.Equal(t, conn.LocalAddr().String(), accepted.RemoteAddr().String(),
		"the listener accepted a different client than the one that dialed it")

	ln2, port2, err := ListenLoopback()
	require.NoError(t, err, "a second ListenLoopback returned an error")
	t.Cleanup(func() { ln2.Close() })
	assert.NotEqual(t, port, port2, "two listeners at once need two ports: listen on port 0 every time")
}
