package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/netbook/netbook/runner/proxy"
)

var proxyCmd = &Command{
	Name:    "proxy",
	Args:    "[tcp|udp] --to ADDR [--listen ADDR] [flags]",
	Summary: "a loopback proxy that drops, duplicates, delays and reorders datagrams, or splits and merges a TCP stream",
	Example: "go run ./cmd/netbook proxy --to 127.0.0.1:9000 --fragment 1          # TCP: the server reads one byte at a time\n" +
		"go run ./cmd/netbook proxy --to 127.0.0.1:9000 --coalesce --delay 20ms\n" +
		"go run ./cmd/netbook proxy udp --to 127.0.0.1:9000 --drop 20% --dup 5% --reorder 10% --seed 7\n" +
		"go run ./cmd/netbook proxy udp --listen 127.0.0.1:9001 --to 127.0.0.1:9000 --delay 50ms±20ms --verbose",
	New: func() Runner { return &proxyRun{} },
}

type proxyRun struct{ o proxy.Options }

func (p *proxyRun) Flags(fs *flag.FlagSet) {
	fs.StringVar(&p.o.Listen, "listen", "127.0.0.1:0", "the `HOST:PORT` clients connect to; port 0 lets the kernel pick one")
	fs.StringVar(&p.o.To, "to", "", "the `HOST:PORT` of the server to forward to")
	fs.BoolVar(&p.o.Verbose, "verbose", false, "log every connection, datagram and decision")
	fs.BoolVar(&p.o.Public, "public", false, "allow addresses that are not loopback")
	p.o.Sim.Register(fs)
}

func (p *proxyRun) Run(ctx context.Context, e *env, args []string) error {
	o := p.o
	switch {
	case len(args) > 1:
		return fmt.Errorf("%w: at most one argument, tcp or udp", errUsage)
	case len(args) == 1 && args[0] != "tcp" && args[0] != "udp":
		return fmt.Errorf("%w: %q is not tcp or udp", errUsage, args[0])
	case len(args) == 1:
		o.Network = args[0]
	}
	if o.To == "" {
		return fmt.Errorf("%w: --to is missing: say which server to forward to, such as --to 127.0.0.1:9000", errUsage)
	}
	o.Out, o.Warn = e.stdout, e.stderr
	return proxy.Run(ctx, o)
}
