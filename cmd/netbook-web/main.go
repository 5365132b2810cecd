// Command netbook-web is the web book's server. netbook serve builds it on
// first use (runner/lazybin) and runs it in its own place, so that
// net/http, chroma and the pages stay out of the netbook command: a fresh
// clone's first "go run ./cmd/netbook" compiles about 70 packages fewer,
// and every other command starts without chroma's 40 ms of set-up.
//
// Start it through netbook serve, which checks the flags, finds the work
// tree and the language, and passes them on as --root and --lang.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/web"
	"github.com/netbook/netbook/runner/weblisten"
)

func main() {
	// netbook's own signals: Ctrl-C, a closed terminal and kill all stop
	// the server, its snippet runs and its checks.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "netbook serve: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("netbook-web", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "the book's work tree")
	edition := fs.String("lang", "en", "the edition: en or zh")
	addr := fs.String("addr", weblisten.DefaultAddr, "the address to listen on (loopback only, unless --public)")
	noOpen := fs.Bool("no-open", false, "do not open a browser; just print the URL")
	public := fs.Bool("public", false, "allow an address other machines can reach")
	race := fs.Bool("race", false, "check labs with the race detector")
	cmd := fs.String("cmd", "", "how the student runs netbook (\"go run ./cmd/netbook\"), for the commands the pages suggest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := repo.Find(*root)
	if err != nil {
		return err
	}
	l, err := lang.Parse(*edition)
	if err != nil {
		return err
	}
	ln, fellBack, err := weblisten.Listen(ctx, *addr, *public)
	if err != nil {
		return err
	}
	if *public {
		fmt.Fprintf(stderr, "netbook: warning: --public: the book listens on %s, which other machines may reach; anyone with the URL can run code as you\n", ln.Addr())
	}
	if fellBack {
		l.Fprintf(stderr, lang.ServeTaken, *addr, ln.Addr())
	}
	s := web.New(web.Options{Root: r, Lang: l, Cmd: *cmd, Public: *public, Check: check.Options{Race: *race}, Log: stderr})
	url := weblisten.URL(ln, s.Token())
	l.Fprintf(stdout, lang.ServeAt, url)
	if !*noOpen {
		if err := weblisten.OpenBrowser(url); err != nil {
			l.Fprintf(stderr, lang.ServeNoBrowser, err)
		}
	}
	return s.Serve(ctx, ln)
}
