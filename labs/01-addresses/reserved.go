package addresses

import "net/netip"

// ReservedBlocks are the special-purpose blocks that net/netip has no method
// for: no host on the Internet has an address in them, yet they are neither
// loopback, private, link-local nor multicast. IANA's special-purpose
// address registries list every such block; these are the ones chapter 1
// names. Classify calls an address in one of them Reserved, never Public.
var ReservedBlocks = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network": of it, only 0.0.0.0 (unspecified) has a use
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space, for carriers' NAT (RFC 6598)
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation, TEST-NET-1 (RFC 5737)
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking network devices (RFC 2544)
	netip.MustParsePrefix("198.51.100.0/24"), // documentation, TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation, TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved for future use, with 255.255.255.255, the limited broadcast
	netip.MustParsePrefix("2001:db8::/32"),   // documentation (RFC 3849)
}
