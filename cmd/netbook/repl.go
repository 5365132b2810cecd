package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"

	xterm "golang.org/x/term"

	"github.com/netbook/netbook/runner/interpbin"
)

var replCmd = &command{
	name:    "repl",
	summary: "an interactive Go prompt, with net, bufio, fmt, time and encoding/json imported",
	example: "go run ./cmd/netbook repl\n" +
		"echo 'net.ParseIP(\"::1\").IsLoopback()' | go run ./cmd/netbook repl",
	setup: noFlags(runREPL),
}

// runREPL starts the interpreter's REPL as a child process in a temp
// directory. The child shares netbook's process group, so that it can read
// the terminal and Ctrl-C reaches it: the child stops the running
// evaluation (a hung Accept included) and netbook ignores the signal.
func runREPL(e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: repl takes no arguments; pipe Go into it to run lines without a terminal", errUsage)
	}
	if err := e.needRoot(); err != nil {
		return fmt.Errorf("%w\n(netbook repl builds its interpreter from the work tree)", err)
	}
	ctx, stop := e.ctx()
	bin, err := interpbin.Ensure(ctx, e.root.Dir, e.stderr)
	stop()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "netbook-repl-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)

	// The interpreter makes the terminal raw while it reads a line. Should
	// it die then, the terminal must not stay raw for the shell.
	if fd := int(os.Stdin.Fd()); xterm.IsTerminal(fd) {
		if st, err := xterm.GetState(fd); err == nil {
			defer xterm.Restore(fd, st)
		}
	}
	cmd := exec.Command(bin, "repl")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+dir, "GOTRACEBACK=none")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, e.stdout, e.stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() < 0 { // killed by a signal: say so, it is not the REPL's own exit
			return fmt.Errorf("the interpreter stopped unexpectedly (%v); start netbook repl again", exit)
		}
		return exitError(exit.ExitCode())
	}
	return err
}
