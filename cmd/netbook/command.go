package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/style"
)

// A Command is one netbook subcommand, in the spirit of cmd/go's
// base.Command: its name, usage and help, and how to make what runs it.
type Command struct {
	Name    string // "" for the dashboard, which runs with no command
	Args    string // the usage line after the name
	Summary string
	Example string
	// Lang marks a command that prints the book's text (chapters, briefs,
	// hints, task titles) or the runner's messages around it: it takes
	// its text follows lang.Resolve (--lang, NETBOOK_LANG, the locale).
	// Other commands speak English and read the English book; they take
	// --lang all the same and say, when it asks for Chinese, that they
	// speak English only.
	Lang bool
	// New makes a fresh Runner for one invocation, so that flag values
	// never carry over from one command line to the next (the tests run
	// many in one process).
	New func() Runner
}

// A Runner is one invocation of a command: a struct whose fields are the
// command's flags.
type Runner interface {
	// Flags declares the flags on fs, bound to the Runner's fields.
	Flags(fs *flag.FlagSet)
	// Run runs the command with the positional arguments. ctx is cancelled
	// by Ctrl-C or SIGTERM.
	Run(ctx context.Context, e *env, args []string) error
}

// noFlags is embedded by a Runner that has no flags.
type noFlags struct{}

func (noFlags) Flags(*flag.FlagSet) {}

// errUsage marks an error in how the command was called (exit status 2,
// and the usage is printed).
var errUsage = errors.New("usage")

// exitError carries an exit status for an outcome that is not an error to
// report, such as a check that found failing tasks.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usage prints the command's usage, flags and example. fs holds the flags
// when the command line was parsed already.
func (c *Command) usage(w io.Writer, fs *flag.FlagSet) {
	name := strings.TrimSpace("netbook " + c.Name)
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace(name+" "+c.Args), style.Wrap(c.Summary, helpWidth))
	if fs == nil {
		fs = flag.NewFlagSet(name, flag.ContinueOnError)
		c.New().Flags(fs)
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	if c.Example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", indent(c.Example))
	}
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = "  " + lines[i]
	}
	return strings.Join(lines, "\n")
}
