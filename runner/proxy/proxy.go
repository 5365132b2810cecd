// Package proxy runs a netsim proxy from the command line, for the
// experiments of chapters 6 and 8: netbook proxy puts a network that drops,
// duplicates, delays and reorders UDP datagrams, or splits and merges a TCP
// stream, between a client and a server on loopback. It is the same code
// (labs/netsim) that the labs' own tests use.
//
//	netbook proxy udp --to 127.0.0.1:9000 --drop 20% --seed 7
//	proxy udp 127.0.0.1:41234 -> 127.0.0.1:9000
//	... (Ctrl-C)
//	udp 127.0.0.1:41234 -> 127.0.0.1:9000: 1 client; to server: 10 in, 8 out, 2 dropped, ...
//
// Run prints one line once the proxy listens, logs each event with
// Verbose (and, without it, each failure on Warn), and prints the counters
// when its context is done.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"

	"github.com/netbook/netbook/labs/loopback"
	"github.com/netbook/netbook/labs/netsim"
)

// Options say what to proxy, and how badly.
type Options struct {
	// Network is "tcp" or "udp". When empty, it is udp if a UDP-only
	// misbehaviour is asked for (drop, dup, reorder), else tcp.
	Network string
	Listen  string // where clients connect; 127.0.0.1:0 when empty
	To      string // the server's address
	Public  bool   // allow addresses that are not loopback
	Verbose bool   // log every event
	Sim     netsim.Flags

	Out  io.Writer // the listening line, events, the summary
	Warn io.Writer // warnings
}

// proxy is what both kinds of netsim proxy have in common.
type proxy interface {
	Addr() string
	String() string
	Close() error
}

// Run starts the proxy, serves until ctx is done, then closes it and prints
// its summary.
func Run(ctx context.Context, o Options) error {
	if o.To == "" {
		return errors.New("--to is missing: say which server to forward to, such as --to 127.0.0.1:9000")
	}
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	if o.Network == "" {
		o.Network = "tcp"
		if o.Sim.Drop > 0 || o.Sim.Duplicate > 0 || o.Sim.Reorder > 0 {
			o.Network = "udp"
		}
	}
	for _, c := range []struct{ addr, what string }{{o.Listen, "listen on"}, {o.To, "forward to"}} {
		warning, err := loopback.Check(c.addr, c.what, o.Public)
		if err != nil {
			return err
		}
		if warning != "" && o.Warn != nil {
			fmt.Fprintln(o.Warn, warning)
		}
	}
	// The server's port is refused now, not when the first client comes
	// and the dial fails.
	if _, port, _ := net.SplitHostPort(o.To); !serverPort(port) {
		return fmt.Errorf("cannot forward to %s: %q is not a server's port; write a number from 1 to 65535, such as --to 127.0.0.1:9000", o.To, port)
	}
	// Without --verbose, failures are still said (on Warn): a client reset
	// because nothing listens at --to would otherwise be a mystery.
	log := func(e netsim.Event) {
		if e.Kind == netsim.Failed && o.Warn != nil {
			fmt.Fprintln(o.Warn, e)
		}
	}
	if o.Verbose {
		log = netsim.LogTo(o.Out)
	}
	var p proxy
	switch o.Network {
	case "tcp":
		opts, err := o.Sim.TCP()
		if err != nil {
			return err
		}
		opts.Listen, opts.AllowNonLoopback, opts.Log = o.Listen, o.Public, log
		p, err = netsim.ListenTCP(o.To, opts)
		if err != nil {
			return err
		}
	case "udp":
		opts, err := o.Sim.UDP()
		if err != nil {
			return err
		}
		opts.Listen, opts.AllowNonLoopback, opts.Log = o.Listen, o.Public, log
		p, err = netsim.ListenUDP(o.To, opts)
		if err != nil {
			return err
		}
	default:
		return fmt.Errorf("%q is not a network: say tcp or udp", o.Network)
	}
	fmt.Fprintf(o.Out, "proxy %s %s -> %s\n", o.Network, p.Addr(), o.To)
	<-ctx.Done()
	err := p.Close()
	fmt.Fprintln(o.Out, p.String())
	return err
}

// serverPort reports whether port is a port a server can listen on: a
// number from 1 to 65535.
func serverPort(port string) bool {
	n, err := strconv.ParseUint(port, 10, 16)
	return err == nil && n > 0
}
