package main

import (
	"flag"

	"github.com/netbook/netbook/runner/up"
)

var upCmd = &command{
	name:    "up",
	args:    "LAB",
	summary: "run a server lab as a real server on 127.0.0.1: your code, or the reference with --ref",
	example: "go run ./cmd/netbook up 03              # prints: listening on tcp 127.0.0.1:PORT\n" +
		"nc 127.0.0.1 PORT                        # in another terminal: talk to it\n" +
		"go run ./cmd/netbook up 03 --ref        # the reference solution, to compare by hand\n" +
		"go run ./cmd/netbook up 06 --addr 127.0.0.1:9999",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := up.Options{}
		fs.BoolVar(&o.Ref, "ref", false, "run the reference solution instead of your code")
		fs.StringVar(&o.Addr, "addr", "127.0.0.1:0", "the `HOST:PORT` to listen on; port 0 lets the kernel pick one")
		fs.BoolVar(&o.Public, "public", false, "allow an address that is not loopback: other machines could connect")
		fs.BoolVar(&o.Quiet, "quiet", false, "do not log connections, reads and writes")
		return func(e *env, args []string) error { return runUp(e, args, o) }
	},
}

func runUp(e *env, args []string, o up.Options) error {
	l, err := e.namedLab(args, "server lab")
	if err != nil {
		return err
	}
	ctx, stop := e.ctx()
	defer stop()
	o.Stdout, o.Stderr, o.Cmd = e.stdout, e.stderr, e.cmd()
	return up.Run(ctx, e.root, l, o)
}
