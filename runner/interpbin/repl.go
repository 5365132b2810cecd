package interpbin

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/netbook/netbook/runner/sandbox"
	"golang.org/x/term"
)

// REPLLimits bound a REPL session's interpreter: runner/sandbox's
// defaults, with ten minutes of CPU time for the whole session rather than
// two for one run.
var REPLLimits = func() sandbox.Limits {
	l := sandbox.Default
	l.CPU = 10 * time.Minute
	return l
}()

// REPL runs the interpreter at bin as an interactive prompt (netbook repl)
// in a temp directory and returns its exit status. The child shares
// netbook's process group, unlike every other child netbook starts, so
// that it can read the terminal and Ctrl-C reaches it: the child stops the
// running evaluation (a hung Accept included) and netbook ignores the
// signal meanwhile. The terminal is put back as it was, should the child
// die while it had the terminal raw; an error says the child died.
func REPL(bin string, stdin *os.File, stdout, stderr io.Writer) (int, error) {
	dir, remove, err := sandbox.TempDir("netbook-repl-")
	if err != nil {
		return 1, err
	}
	defer remove()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)

	if fd := int(stdin.Fd()); term.IsTerminal(fd) {
		if st, err := term.GetState(fd); err == nil {
			defer term.Restore(fd, st)
		}
	}
	cmd := exec.Command(bin, "repl")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+dir, "GOTRACEBACK=none")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	sandbox.Wrap(cmd, sandbox.Options{Dir: dir, Limits: REPLLimits})
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	// SIGHUP (the terminal closed) and SIGTERM stop the child too: only
	// netbook may have received them.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP, syscall.SIGTERM)
	defer signal.Stop(hup)
	exited := make(chan struct{})
	defer close(exited)
	go func() {
		select {
		case <-hup:
			cmd.Process.Kill()
		case <-exited:
		}
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if why := sandbox.Explain(exit.ProcessState, "", REPLLimits); why != "" {
			return 1, fmt.Errorf("%s; start netbook repl again", why)
		}
		if exit.ExitCode() < 0 { // killed by a signal: say so, it is not the REPL's own exit
			return 1, fmt.Errorf("the interpreter stopped unexpectedly (%v); start netbook repl again", exit)
		}
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, err
	}
	return 0, nil
}
