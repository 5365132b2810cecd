package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/netbook/netbook/runner/assist"
)

var assistCmd = &Command{
	Name:    "assist",
	Args:    "tcp|udp listen|connect ADDR",
	Summary: "a network debugging assistant: connect or listen over TCP or UDP, see what arrives, send what you type",
	Example: "go run ./cmd/netbook assist tcp connect 127.0.0.1:9000   # talk to a server, as nc does\n" +
		"go run ./cmd/netbook assist tcp listen 127.0.0.1:0       # be the server; \"@b hi\" answers client b only\n" +
		"go run ./cmd/netbook assist udp connect 127.0.0.1:9000   # each line you type is one datagram\n" +
		"go run ./cmd/netbook assist tcp connect 127.0.0.1:9000 --crlf   # end lines with \\r\\n, as telnet does\n" +
		"go run ./cmd/netbook assist tcp connect 127.0.0.1:9000 --raw < request.bin",
	New: func() Runner { return &assistant{} },
}

type assistant struct{ o assist.Options }

func (a *assistant) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&a.o.Raw, "raw", false, "send the input's bytes exactly as they are read, adding nothing")
	fs.BoolVar(&a.o.CRLF, "crlf", false, "end each line you type with \\r\\n instead of \\n")
	fs.BoolVar(&a.o.Escapes, "escapes", false, "read \\n \\r \\t \\\\ and \\xHH in a line you type as those bytes")
	fs.BoolVar(&a.o.Public, "public", false, "allow an address that is not loopback")
	fs.DurationVar(&a.o.Linger, "linger", assist.DefaultLinger, "connect: how long to wait for the last replies after your input ends")
}

func (a *assistant) Run(ctx context.Context, e *env, args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("%w: say tcp or udp, listen or connect, and an address, such as: assist tcp connect 127.0.0.1:9000", errUsage)
	}
	o := a.o
	o.Network, o.Mode, o.Addr = args[0], args[1], args[2]
	o.In, o.Out, o.Warn = os.Stdin, e.stdout, e.stderr
	return assist.Run(ctx, o)
}
