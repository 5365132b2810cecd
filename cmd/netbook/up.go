package main

import (
	"context"
	"flag"

	"github.com/netbook/netbook/runner/up"
)

var upCmd = &Command{
	Name:    "up",
	Args:    "LAB",
	Summary: "run a server lab as a real server on 127.0.0.1: your code, or the reference with --ref",
	Example: "go run ./cmd/netbook up 03        # prints: listening on tcp 127.0.0.1:PORT\n" +
		"nc 127.0.0.1 PORT                 # in another terminal: talk to it\n" +
		"go run ./cmd/netbook up 03 --ref  # the reference solution, to compare by hand\n" +
		"go run ./cmd/netbook up 06 --addr 127.0.0.1:9999",
	New:  func() Runner { return &upLab{} },
	Lang: true,
}

type upLab struct{ o up.Options }

func (u *upLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&u.o.Ref, "ref", false, "run the reference solution instead of your code")
	fs.StringVar(&u.o.Addr, "addr", "127.0.0.1:0", "the `HOST:PORT` to listen on; port 0 lets the kernel pick one")
	fs.BoolVar(&u.o.Public, "public", false, "allow an address that is not loopback: other machines could connect")
	fs.BoolVar(&u.o.Quiet, "quiet", false, "do not log connections, reads and writes")
}

func (u *upLab) Run(ctx context.Context, e *env, args []string) error {
	l, err := e.namedLab(e.labArgs("up", args, false), "server lab")
	if err != nil {
		return err
	}
	o := u.o
	o.Stdout, o.Stderr, o.Cmd, o.Lang = e.stdout, e.stderr, e.cmd(), e.lang
	return up.Run(ctx, e.root, l, o)
}
