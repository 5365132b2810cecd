// Package pager shows text one screen at a time when it is longer than the
// screen, as git and man do: through $PAGER, else less, and only on a
// terminal. Piped output is written as it is.
package pager

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"

	"golang.org/x/term"
)

// Options says how Page shows text.
type Options struct {
	// Off writes the text directly, whatever the terminal (--no-pager).
	Off bool
	// Stderr is the pager's standard error; os.Stderr when nil.
	Stderr io.Writer
	// LookupEnv and LookPath default to os.LookupEnv and exec.LookPath.
	LookupEnv func(string) (string, bool)
	LookPath  func(string) (string, error)
}

func (o Options) lookupEnv(k string) (string, bool) {
	if o.LookupEnv != nil {
		return o.LookupEnv(k)
	}
	return os.LookupEnv(k)
}

// Command returns the pager to run, as a program and its arguments:
// $PAGER split at spaces (no shell quoting), else less -R -S (colour
// passed through, long lines cut at the screen's edge and scrolled
// sideways) when less is installed. It returns nil when there is no
// pager: none installed, $PAGER set to "" or "cat", or TERM=dumb.
func Command(o Options) []string {
	if t, _ := o.lookupEnv("TERM"); t == "dumb" {
		return nil
	}
	if p, ok := o.lookupEnv("PAGER"); ok {
		argv := strings.Fields(p)
		if len(argv) == 0 || argv[0] == "cat" {
			return nil
		}
		return argv
	}
	lookPath := o.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	if path, err := lookPath("less"); err == nil {
		return []string{path, "-R", "-S"}
	}
	return nil
}

// Page writes text to out. When out is a terminal, paging is not Off and
// text has at least as many lines as the terminal has rows, it runs the
// pager (see Command) with text on its standard input and waits for it;
// netbook ignores Ctrl-C meanwhile, which is the pager's to handle. When
// the pager cannot start, the text is written directly.
func Page(out io.Writer, text string, o Options) error {
	f, ok := out.(*os.File)
	if o.Off || !ok || !term.IsTerminal(int(f.Fd())) {
		return write(out, text)
	}
	if _, rows, err := term.GetSize(int(f.Fd())); err == nil && strings.Count(text, "\n") < rows {
		return write(out, text)
	}
	argv := Command(o)
	if argv == nil {
		return write(out, text)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout = f
	cmd.Stderr = o.Stderr
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	cmd.Env = os.Environ()
	if _, ok := o.lookupEnv("LESS"); !ok {
		cmd.Env = append(cmd.Env, "LESS=RS") // for PAGER=less too: colour, and sideways scrolling
	}
	_, set := o.lookupEnv("LESSCHARSET")
	_, def := o.lookupEnv("LESSCHARDEF")
	if !set && !def {
		cmd.Env = append(cmd.Env, "LESSCHARSET=utf-8") // the text is UTF-8, whatever the locale says
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	if err := cmd.Start(); err != nil {
		return write(out, text)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("the pager %s failed: %w (--no-pager prints without one)", argv[0], err)
	}
	return nil
}

func write(w io.Writer, text string) error {
	_, err := io.WriteString(w, text)
	return err
}
