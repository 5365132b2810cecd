package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/web"
)

var serveCmd = &Command{
	Name:    "serve",
	Args:    "",
	Summary: "read the book in your browser: run its snippets, and see each lab's tasks checked as you save",
	Example: "go run ./cmd/netbook serve               # opens http://127.0.0.1:3999/?token=...\n" +
		"go run ./cmd/netbook serve --no-open     # print the URL only\n" +
		"go run ./cmd/netbook serve --addr 127.0.0.1:8080",
	Lang: true,
	New:  func() Runner { return &serveBook{} },
}

type serveBook struct {
	addr           string
	noOpen, public bool
	race           bool
}

func (c *serveBook) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.addr, "addr", web.DefaultAddr, "the address to listen on (loopback only, unless --public)")
	fs.BoolVar(&c.noOpen, "no-open", false, "do not open a browser; just print the URL")
	fs.BoolVar(&c.public, "public", false, "allow an address other machines can reach (anyone with the URL can run code as you)")
	fs.BoolVar(&c.race, "race", false, "check labs with the race detector")
}

func (c *serveBook) Run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: serve takes no arguments", errUsage)
	}
	if e.rootErr != nil {
		return e.rootErr
	}
	ln, fellBack, err := web.Listen(ctx, c.addr, c.public)
	if err != nil {
		return err
	}
	if c.public {
		fmt.Fprintf(e.stderr, "netbook: warning: --public: the book listens on %s, which other machines may reach; anyone with the URL can run code as you\n", ln.Addr())
	}
	if fellBack {
		fmt.Fprintf(e.stderr, "netbook: %s is taken; serving on %s instead\n", c.addr, ln.Addr())
	}
	s := web.New(web.Options{Root: e.root, Lang: e.lang, Public: c.public, Check: check.Options{Race: c.race}, Log: e.stderr})
	url := web.URL(ln, s.Token())
	fmt.Fprintf(e.stdout, "The book is at %s\n(Ctrl-C stops it.)\n", url)
	if !c.noOpen {
		if err := web.OpenBrowser(url); err != nil {
			fmt.Fprintf(e.stderr, "netbook: %v; open the URL above yourself\n", err)
		}
	}
	return s.Serve(ctx, ln)
}
