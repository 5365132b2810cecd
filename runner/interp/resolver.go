package interp

import (
	"context"
	"net"
	"net/netip"
	"reflect"
	"strings"

	"github.com/netbook/netbook/labs/loopback"
)

// checkLookup reports whether host may be looked up: localhost and IP
// addresses are answered on this machine, any other name would ask a DNS
// server, which is not on loopback.
func checkLookup(host string) error {
	h := strings.TrimSuffix(host, ".")
	if i := strings.LastIndexByte(h, '%'); i >= 0 {
		h = h[:i] // a zone: fe80::1%eth0
	}
	if h == "" || loopback.IsLoopback(h) {
		return nil
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return nil
	}
	return lookupError(host, "netbook's interpreter reaches loopback only, and looking up "+host+" would ask a DNS server off this machine; use localhost or an IP address")
}

// checkLookupAddr reports whether addr may be looked up by address: a
// loopback address is in the hosts file; any other would ask a DNS server.
func checkLookupAddr(addr string) error {
	if loopback.IsLoopback(addr) {
		return nil
	}
	return lookupError(addr, "netbook's interpreter reaches loopback only, and looking up "+addr+" would ask a DNS server off this machine; look up a loopback address")
}

// lookupError is a *net.DNSError, as a failed lookup returns, that says why.
func lookupError(name, why string) error {
	return &net.DNSError{Err: why, Name: name}
}

// errAlwaysDNS is the error of a lookup that only a DNS server answers.
func errAlwaysDNS(what, name string) error {
	return lookupError(name, "netbook's interpreter reaches loopback only, and only a DNS server off this machine answers "+what+" lookups")
}

// checkResolve reports whether address ("host:port", or a bare host for
// ResolveIPAddr) may be resolved.
func checkResolve(address string) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	return checkLookup(host)
}

// Resolver is net.Resolver for interpreted code: the same fields, and
// lookups of localhost and IP addresses only (any other name would go to
// the system's DNS server, whatever Dial says).
type Resolver net.Resolver

func (r *Resolver) std() *net.Resolver { return (*net.Resolver)(r) }

// LookupHost looks up localhost or an IP address.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	if err := checkLookup(host); err != nil {
		return nil, err
	}
	return r.std().LookupHost(ctx, host)
}

// LookupIP looks up localhost or an IP address.
func (r *Resolver) LookupIP(ctx context.Context, network, host string) ([]net.IP, error) {
	if err := checkLookup(host); err != nil {
		return nil, err
	}
	return r.std().LookupIP(ctx, network, host)
}

// LookupIPAddr looks up localhost or an IP address.
func (r *Resolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	if err := checkLookup(host); err != nil {
		return nil, err
	}
	return r.std().LookupIPAddr(ctx, host)
}

// LookupNetIP looks up localhost or an IP address.
func (r *Resolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if err := checkLookup(host); err != nil {
		return nil, err
	}
	return r.std().LookupNetIP(ctx, network, host)
}

// LookupAddr looks up the names of a loopback address.
func (r *Resolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	if err := checkLookupAddr(addr); err != nil {
		return nil, err
	}
	return r.std().LookupAddr(ctx, addr)
}

// LookupCNAME looks up the canonical name of localhost or an IP address.
func (r *Resolver) LookupCNAME(ctx context.Context, host string) (string, error) {
	if err := checkLookup(host); err != nil {
		return "", err
	}
	return r.std().LookupCNAME(ctx, host)
}

// LookupPort looks up a service's port in the system's services file.
func (r *Resolver) LookupPort(ctx context.Context, network, service string) (int, error) {
	return r.std().LookupPort(ctx, network, service)
}

// LookupMX is refused: only a DNS server answers it.
func (r *Resolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	return nil, errAlwaysDNS("MX", name)
}

// LookupNS is refused: only a DNS server answers it.
func (r *Resolver) LookupNS(_ context.Context, name string) ([]*net.NS, error) {
	return nil, errAlwaysDNS("NS", name)
}

// LookupSRV is refused: only a DNS server answers it.
func (r *Resolver) LookupSRV(_ context.Context, _, _, name string) (string, []*net.SRV, error) {
	return "", nil, errAlwaysDNS("SRV", name)
}

// LookupTXT is refused: only a DNS server answers it.
func (r *Resolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	return nil, errAlwaysDNS("TXT", name)
}

// defaultResolver is net.DefaultResolver as interpreted code sees it.
var defaultResolver = (*Resolver)(net.DefaultResolver)

func resolverSymbols() map[string]reflect.Value {
	bg := context.Background()
	r := defaultResolver
	return map[string]reflect.Value{
		"Resolver":        reflect.ValueOf((*Resolver)(nil)),
		"DefaultResolver": reflect.ValueOf(&defaultResolver).Elem(),
		"LookupHost":      reflect.ValueOf(func(host string) ([]string, error) { return r.LookupHost(bg, host) }),
		"LookupIP":        reflect.ValueOf(func(host string) ([]net.IP, error) { return r.LookupIP(bg, "ip", host) }),
		"LookupAddr":      reflect.ValueOf(func(addr string) ([]string, error) { return r.LookupAddr(bg, addr) }),
		"LookupCNAME":     reflect.ValueOf(func(host string) (string, error) { return r.LookupCNAME(bg, host) }),
		"LookupMX":        reflect.ValueOf(func(name string) ([]*net.MX, error) { return r.LookupMX(bg, name) }),
		"LookupNS":        reflect.ValueOf(func(name string) ([]*net.NS, error) { return r.LookupNS(bg, name) }),
		"LookupTXT":       reflect.ValueOf(func(name string) ([]string, error) { return r.LookupTXT(bg, name) }),
		"LookupSRV": reflect.ValueOf(func(service, proto, name string) (string, []*net.SRV, error) {
			return r.LookupSRV(bg, service, proto, name)
		}),
		"ResolveTCPAddr": reflect.ValueOf(func(network, address string) (*net.TCPAddr, error) {
			if err := checkResolve(address); err != nil {
				return nil, err
			}
			return net.ResolveTCPAddr(network, address)
		}),
		"ResolveUDPAddr": reflect.ValueOf(func(network, address string) (*net.UDPAddr, error) {
			if err := checkResolve(address); err != nil {
				return nil, err
			}
			return net.ResolveUDPAddr(network, address)
		}),
		"ResolveIPAddr": reflect.ValueOf(func(network, address string) (*net.IPAddr, error) {
			if err := checkResolve(address); err != nil {
				return nil, err
			}
			return net.ResolveIPAddr(network, address)
		}),
	}
}
