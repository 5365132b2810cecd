package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/netbook/netbook/runner/interpbin"
)

var replCmd = &Command{
	Name:    "repl",
	Summary: "an interactive Go prompt, with net, bufio, fmt, time and encoding/json imported",
	Example: "go run ./cmd/netbook repl\n" +
		"go run ./cmd/netbook repl --timeout 30s\n" +
		"echo 'net.ParseIP(\"::1\").IsLoopback()' | go run ./cmd/netbook repl\n" +
		"go run ./cmd/netbook repl < lines.go > out.txt  # saved or piped: each line's output kept up to 4 MiB\n" +
		"go run ./cmd/netbook repl < lines.go || echo failed  # piped, the exit status is 1 if a line failed: it did not compile, panicked, ran out of time or was left unfinished",
	New: func() Runner { return &repl{} },
}

type repl struct {
	timeout time.Duration
}

func (r *repl) Flags(fs *flag.FlagSet) {
	fs.DurationVar(&r.timeout, "timeout", interpbin.DefaultREPLTimeout, "stop an evaluation that runs longer than this")
}

func (r *repl) Run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: repl takes no arguments; pipe Go into it to run lines without a terminal", errUsage)
	}
	if r.timeout <= 0 {
		return fmt.Errorf("%w: --timeout must be more than 0, such as 5s", errUsage)
	}
	if e.rootErr != nil {
		return fmt.Errorf("%w\n(netbook repl builds its interpreter from the work tree)", e.rootErr)
	}
	bin, err := interpbin.Ensure(ctx, e.root.Dir, e.stderr)
	if err != nil {
		return err
	}
	sandboxNotice(e)
	code, err := interpbin.REPL(bin, os.Stdin, e.stdout, e.stderr, interpbin.REPLOptions{Timeout: r.timeout})
	if err == nil && code != 0 {
		err = exitError(code)
	}
	return err
}
