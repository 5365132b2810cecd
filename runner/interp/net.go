package interp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"reflect"
	"syscall"
	"time"

	"github.com/netbook/netbook/labs/loopback"
)

// ErrNotLoopback is the error of a dial or listen that would leave the
// machine, or open something other than a TCP or UDP socket.
var ErrNotLoopback = errors.New("netbook's interpreter reaches loopback only (127.0.0.1, ::1, localhost) over TCP or UDP")

// notLoopback is an error that says why in its own words and is
// ErrNotLoopback to errors.Is.
type notLoopback string

func (e notLoopback) Error() string { return string(e) }
func (e notLoopback) Unwrap() error { return ErrNotLoopback }

// checkNet reports whether a socket on address may be opened. A listener
// must name its host: ":0" is every interface.
func checkNet(op, network, address string) error {
	fail := func(why string) error {
		return fmt.Errorf("%s %s %s: %w: %s", op, network, address, ErrNotLoopback, why)
	}
	switch network {
	case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6":
	default:
		return fail(fmt.Sprintf("network %q is not TCP or UDP", network))
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil // net reports the malformed address itself
	}
	if op == "listen" && everyInterface(host) {
		return notLoopback(fmt.Sprintf("listen on 127.0.0.1:%s, not %s: a snippet may listen on loopback only, and %s is every interface",
			port, address, orQuoted(host)))
	}
	if host == "" {
		return nil // dialing ":port" dials the local machine
	}
	if loopback.IsLoopback(host) {
		return nil
	}
	return fail(host + " is not a loopback address")
}

// everyInterface reports whether a listener on host listens on every
// interface: no host, 0.0.0.0 or ::.
func everyInterface(host string) bool {
	if host == "" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsUnspecified()
}

func orQuoted(host string) string {
	if host == "" {
		return "an address without a host"
	}
	return host
}

func addrString(a net.Addr) string {
	if a == nil || reflect.ValueOf(a).IsNil() {
		return ""
	}
	return a.String()
}

// Dialer is net.Dialer for interpreted code: the same fields, with the
// interpreter's Resolver, and dials that reach loopback only. It is a
// struct of its own rather than a net.Dialer under another name, so that
// its Resolver field is not the standard library's, whose lookups would
// go unchecked.
type Dialer struct {
	Timeout         time.Duration
	Deadline        time.Time
	LocalAddr       net.Addr
	DualStack       bool
	FallbackDelay   time.Duration
	KeepAlive       time.Duration
	KeepAliveConfig net.KeepAliveConfig
	Resolver        *Resolver
	Cancel          <-chan struct{}
	Control         func(network, address string, c syscall.RawConn) error
	ControlContext  func(ctx context.Context, network, address string, c syscall.RawConn) error
}

// std is d as the standard library's net.Dialer; nil is the zero Dialer.
func (d *Dialer) std() *net.Dialer {
	if d == nil {
		return &net.Dialer{}
	}
	return &net.Dialer{
		Timeout: d.Timeout, Deadline: d.Deadline, LocalAddr: d.LocalAddr, DualStack: d.DualStack, //nolint:staticcheck // DualStack is a field a snippet may set
		FallbackDelay: d.FallbackDelay, KeepAlive: d.KeepAlive, KeepAliveConfig: d.KeepAliveConfig,
		Resolver: (*net.Resolver)(d.Resolver), Cancel: d.Cancel, Control: d.Control, ControlContext: d.ControlContext,
	}
}

// Dial connects to address on the named network, if it is on loopback.
func (d *Dialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

// DialContext connects to address on the named network, if it is on
// loopback.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if err := checkNet("dial", network, address); err != nil {
		return nil, err
	}
	return d.std().DialContext(ctx, network, address)
}

// ListenConfig is net.ListenConfig for interpreted code: the same fields,
// and listeners on loopback only.
type ListenConfig net.ListenConfig

// Listen announces on a loopback address.
func (lc *ListenConfig) Listen(ctx context.Context, network, address string) (net.Listener, error) {
	if err := checkNet("listen", network, address); err != nil {
		return nil, err
	}
	return (*net.ListenConfig)(lc).Listen(ctx, network, address)
}

// ListenPacket announces on a loopback address.
func (lc *ListenConfig) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	if err := checkNet("listen", network, address); err != nil {
		return nil, err
	}
	return (*net.ListenConfig)(lc).ListenPacket(ctx, network, address)
}

func netSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Dialer":       reflect.ValueOf((*Dialer)(nil)),
		"ListenConfig": reflect.ValueOf((*ListenConfig)(nil)),
		"Dial": reflect.ValueOf(func(network, address string) (net.Conn, error) {
			if err := checkNet("dial", network, address); err != nil {
				return nil, err
			}
			return net.Dial(network, address)
		}),
		"DialTimeout": reflect.ValueOf(func(network, address string, timeout time.Duration) (net.Conn, error) {
			if err := checkNet("dial", network, address); err != nil {
				return nil, err
			}
			return net.DialTimeout(network, address, timeout)
		}),
		"Listen": reflect.ValueOf(func(network, address string) (net.Listener, error) {
			if err := checkNet("listen", network, address); err != nil {
				return nil, err
			}
			return net.Listen(network, address)
		}),
		"ListenPacket": reflect.ValueOf(func(network, address string) (net.PacketConn, error) {
			if err := checkNet("listen", network, address); err != nil {
				return nil, err
			}
			return net.ListenPacket(network, address)
		}),
		"DialTCP": reflect.ValueOf(func(network string, laddr, raddr *net.TCPAddr) (*net.TCPConn, error) {
			if err := checkNet("dial", network, addrString(raddr)); err != nil {
				return nil, err
			}
			return net.DialTCP(network, laddr, raddr)
		}),
		"ListenTCP": reflect.ValueOf(func(network string, laddr *net.TCPAddr) (*net.TCPListener, error) {
			if err := checkNet("listen", network, orEvery(addrString(laddr))); err != nil {
				return nil, err
			}
			return net.ListenTCP(network, laddr)
		}),
		"DialUDP": reflect.ValueOf(func(network string, laddr, raddr *net.UDPAddr) (*net.UDPConn, error) {
			if err := checkNet("dial", network, addrString(raddr)); err != nil {
				return nil, err
			}
			return net.DialUDP(network, laddr, raddr)
		}),
		"ListenUDP": reflect.ValueOf(func(network string, laddr *net.UDPAddr) (*net.UDPConn, error) {
			if err := checkNet("listen", network, orEvery(addrString(laddr))); err != nil {
				return nil, err
			}
			return net.ListenUDP(network, laddr)
		}),
	}
}

// orEvery turns a nil local address, which listens on every interface,
// into ":0" so that checkNet refuses it.
func orEvery(a string) string {
	if a == "" {
		return ":0"
	}
	return a
}
