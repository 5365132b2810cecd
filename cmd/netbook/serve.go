package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/lazybin"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/weblisten"
)

var serveCmd = &Command{
	Name:    "serve",
	Args:    "",
	Summary: "read the book in your browser: run its snippets, and see each lab's tasks checked as you save",
	Example: "go run ./cmd/netbook serve            # opens http://127.0.0.1:3999/?token=...\n" +
		"go run ./cmd/netbook serve --no-open  # print the URL only\n" +
		"go run ./cmd/netbook serve --addr 127.0.0.1:8080",
	Lang: true,
	New:  func() Runner { return &serveBook{} },
}

// webBook is the web book's server, cmd/netbook-web: built on first use,
// so that net/http and chroma stay out of netbook's own build.
var webBook = &lazybin.Binary{Name: "netbook-web", Package: "./cmd/netbook-web", About: "the web book", Says: lang.BuildWebBook}

type serveBook struct {
	addr           string
	noOpen, public bool
	race           bool
}

func (c *serveBook) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.addr, "addr", weblisten.DefaultAddr, "the address to listen on (loopback only, unless --public)")
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
	// Refuse a bad address before a build that may take a minute.
	if err := weblisten.Check(ctx, c.addr, c.public); err != nil {
		return err
	}
	// The pages' snippets run in the sandbox as netbook run's do: the same
	// notice, before a build that may take a minute.
	sandboxNotice(e)
	bin, err := webBook.EnsureIn(ctx, e.root.Dir, e.stderr, e.lang)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin,
		"--root", e.root.Dir, "--lang", e.lang.String(), "--cmd", e.cmd(), "--addr", c.addr,
		"--no-open="+strconv.FormatBool(c.noOpen), "--public="+strconv.FormatBool(c.public), "--race="+strconv.FormatBool(c.race))
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	// netbook's Ctrl-C, SIGHUP or SIGTERM asks the server to stop, as its
	// own would; should netbook die outright, the kernel kills it.
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	sandbox.DieWithParent(cmd)
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return nil // stopped on purpose
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exitError(exit.ExitCode()) // it said why
	}
	return err
}
