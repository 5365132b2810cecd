// Command netbook is the workbook's runner: it shows where you are, renders
// chapters, checks labs, gives hints and proves the book.
//
// This package only parses flags and wires the runner's packages together:
// each command is a Command (command.go) whose Run calls into ../../runner,
// where the model (runner/workbook), the rendering and the processes live.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// commands is every subcommand, in the order help lists them.
var commands = []*Command{
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
	lintCmd,
	gradeCmd,
	newLabCmd,
	classroomCmd,
	serveCmd,
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs one command line and returns the exit status. The tests call it
// in-process, many times: everything a command holds is made anew here.
func run(args []string, stdout, stderr io.Writer) int {
	return runIn(args, os.Stdin, style.IsTerminal(os.Stdin), stdout, stderr)
}

// runIn is run reading what the student types from stdin; terminal says
// whether a person answers there.
func runIn(args []string, stdin io.Reader, terminal bool, stdout, stderr io.Writer) int {
	args = langFirst(args)
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" || (name == "" && len(args) > 0 && isHelp(args[0])) {
		if len(args) > 0 && name == "help" {
			if c := find(args[0]); c != nil {
				c.usage(stdout, nil)
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
	fs := flag.NewFlagSet("netbook "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	r := c.New()
	r.Flags(fs)
	langFlag := c.langFlag(fs)
	prog := strings.TrimSpace("netbook " + c.Name) // the dashboard's name is ""
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.usage(stdout, fs)
			return 0
		}
		printError(stderr, prog, err.Error())
		fmt.Fprintln(stderr)
		c.usage(stderr, fs)
		return 2
	}
	e := newEnv(stdin, terminal, stdout, stderr)
	if !c.Lang && *langFlag != "" {
		l, _, err := lang.Resolve(*langFlag, os.Getenv)
		if err != nil {
			printError(stderr, prog, err.Error())
			fmt.Fprintln(stderr)
			c.usage(stderr, fs)
			return 2
		}
		if l != lang.English {
			fmt.Fprintf(stderr, "%s: 本命令只有英文 (this command speaks English only)\n", prog)
		}
	}
	if c.Lang {
		l, warning, err := lang.Resolve(*langFlag, os.Getenv)
		if err != nil {
			printError(stderr, prog, err.Error())
			fmt.Fprintln(stderr)
			c.usage(stderr, fs)
			return 2
		}
		if warning != "" {
			printError(stderr, "netbook: warning", warning)
		}
		e.lang = l
	}
	// Ctrl-C, SIGTERM and SIGHUP (the terminal closed) cancel the context,
	// so a long command stops cleanly: its children stopped, its temp dirs
	// removed. Those of a netbook killed before it could are swept here.
	stopSignals := []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	got := make(chan os.Signal, 1) // which one it was, for the last words
	signal.Notify(got, stopSignals...)
	defer signal.Stop(got)
	sandbox.Sweep()
	defer stop()
	err = r.Run(ctx, e, positional)
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return int(exit)
	case errors.Is(err, errUsage):
		printError(stderr, prog, err.Error())
		fmt.Fprintln(stderr)
		c.usage(stderr, fs)
		return 2
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		// "context canceled" would say nothing to a student.
		e.lang.Fprintf(stderr, lang.MainStopped, prog, stoppedByIn(e.lang, got))
		return 1
	}
	printError(stderr, prog, err.Error())
	return 1
}

// stoppedBy names the signal that stopped a command, if got has it.
func stoppedBy(got <-chan os.Signal) string { return stoppedByIn(lang.English, got) }

// stoppedByIn is stoppedBy in language l.
func stoppedByIn(l lang.Lang, got <-chan os.Signal) string {
	select {
	case sig := <-got:
		switch sig {
		case os.Interrupt:
			return "Ctrl-C"
		case syscall.SIGHUP:
			return l.Sprintf(lang.MainStoppedHUP)
		case syscall.SIGTERM:
			return "SIGTERM"
		}
		return sig.String()
	default:
		return l.Sprintf(lang.MainStoppedAny)
	}
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

func find(name string) *Command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func help(w io.Writer) {
	fmt.Fprintf(w, "netbook: an interactive workbook of network programming in Go.\n\n")
	fmt.Fprintf(w, "Usage:\n  netbook [command] [arguments]\n\nCommands:\n")
	for _, c := range commands {
		name := c.Name
		if name == "" {
			name = "(none)"
		}
		// Summaries are sentences: wrapped under themselves to fit 80
		// columns, the width of a terminal netbook cannot measure.
		const indent = "             " // "  " + a 10-column name + " "
		summary := strings.ReplaceAll(style.Wrap(c.Summary, helpWidth-len(indent)), "\n", "\n"+indent)
		fmt.Fprintf(w, "  %-10s %s\n", name, summary)
	}
	fmt.Fprintf(w, "\n%s\n", style.Wrap("Run \"netbook help COMMAND\" or \"netbook COMMAND --help\" for its flags and an example. "+
		"From a clone of the workbook, \"go run ./cmd/netbook\" runs netbook without installing it. "+
		"Inside a lab's folder, a command that takes a lab works on that lab when you name none.", helpWidth))
}

// helpWidth is the width help text is wrapped to.
const helpWidth = 80

// langFirst moves a --lang flag given before the command's name to after
// it ("netbook --lang zh check 03" is "netbook check 03 --lang zh"), where
// the command's flags are parsed.
func langFirst(args []string) []string {
	if len(args) == 0 {
		return args
	}
	n := 0
	switch a := strings.TrimLeft(args[0], "-"); {
	case !strings.HasPrefix(args[0], "-"):
	case a == "lang" && len(args) > 1:
		n = 2
	case strings.HasPrefix(a, "lang="):
		n = 1
	}
	if n == 0 || len(args) == n || strings.HasPrefix(args[n], "-") {
		return args
	}
	if args[n] == "help" { // which speaks English only
		return args[n:]
	}
	out := append([]string{args[n]}, args[:n]...)
	return append(out, args[n+1:]...)
}
