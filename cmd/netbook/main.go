// Command netbook is the workbook's runner: it shows where you are, renders
// chapters, checks labs, gives hints and proves the book.
//
// This package only parses flags and wires the runner's packages together;
// the work happens in ../../runner.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// command is one subcommand.
type command struct {
	name    string
	args    string // the usage line after the name
	summary string
	example string
	// setup declares the command's flags and returns the function that runs
	// it, which sees the parsed flags through the closure.
	setup func(fs *flag.FlagSet) func(e *env, args []string) error
}

// noFlags is the setup of a command that has no flags.
func noFlags(run func(e *env, args []string) error) func(*flag.FlagSet) func(*env, []string) error {
	return func(*flag.FlagSet) func(*env, []string) error { return run }
}

// commands is every subcommand, in the order help lists them.
var commands = []*command{
	dashboardCmd,
	listCmd,
	readCmd,
	checkCmd,
	hintCmd,
	compareCmd,
	resetCmd,
	progressCmd,
	verifyCmd,
	runCmd,
	replCmd,
	watchCmd,
	upCmd,
	diffCmd,
	assistCmd,
	proxyCmd,
	benchCmd,
	gradeCmd,
	newLabCmd,
	classroomCmd,
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks an error in how the command was called (exit status 2).
var errUsage = errors.New("usage")

// exitError carries an exit status for an outcome that is not an error to
// report, such as a check that found failing tasks.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(args []string, stdout, stderr io.Writer) int {
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" || (name == "" && len(args) > 0 && isHelp(args[0])) {
		if len(args) > 0 && name == "help" {
			if c := find(args[0]); c != nil {
				usage(stdout, c, nil)
				return 0
			}
		}
		help(stdout)
		return 0
	}
	c := dashboardCmd
	if name != "" {
		if c = find(name); c == nil {
			fmt.Fprintf(stderr, "netbook: unknown command %q\n\n", name)
			help(stderr)
			return 2
		}
	}
	fs := flag.NewFlagSet("netbook "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runCmd := c.setup(fs)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, c, fs)
			return 0
		}
		fmt.Fprintf(stderr, "netbook %s: %v\n\n", c.name, err)
		usage(stderr, c, fs)
		return 2
	}
	e := newEnv(stdout, stderr)
	err = runCmd(e, positional)
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return int(exit)
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "netbook %s: %v\n\n", c.name, err)
		usage(stderr, c, fs)
		return 2
	}
	fmt.Fprintf(stderr, "netbook %s: %v\n", c.name, err)
	return 1
}

// parseInterspersed parses flags wherever they stand among the arguments,
// so "netbook read 1 --plain" works as well as "netbook read --plain 1"
// (the flag package alone stops at the first argument). Everything after
// "--" is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

func find(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func help(w io.Writer) {
	fmt.Fprintf(w, "netbook: an interactive workbook of network programming in Go.\n\n")
	fmt.Fprintf(w, "Usage:\n  netbook [command] [arguments]\n\nCommands:\n")
	for _, c := range commands {
		name := c.name
		if name == "" {
			name = "(none)"
		}
		fmt.Fprintf(w, "  %-10s %s\n", name, c.summary)
	}
	fmt.Fprintf(w, "\nRun \"netbook help COMMAND\" or \"netbook COMMAND --help\" for its flags and an example.\n")
	fmt.Fprintf(w, "From a clone of the workbook, \"go run ./cmd/netbook\" runs netbook without installing it.\n")
}

func usage(w io.Writer, c *command, fs *flag.FlagSet) {
	name := strings.TrimSpace("netbook " + c.name)
	fmt.Fprintf(w, "Usage: %s %s\n\n%s\n", name, c.args, c.summary)
	if fs == nil {
		fs = flag.NewFlagSet(name, flag.ContinueOnError)
		c.setup(fs)
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", indent(c.example))
	}
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = "  " + lines[i]
	}
	return strings.Join(lines, "\n")
}
