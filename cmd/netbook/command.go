package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/lang"
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

// langFlag adds --lang to fs. Every command takes it, since the README
// tells a reader to add it to a command; one that speaks English only
// says so rather than refusing the flag.
func (c *Command) langFlag(fs *flag.FlagSet) *string {
	usage := "read the book in `en|zh`: English or 中文 (default: $" + lang.Env + ", else the system's locale; LANG=zh_CN.UTF-8 is Chinese)"
	if !c.Lang {
		usage = "the language, `en|zh`: this command speaks English only (本命令只有英文)"
	}
	return fs.String("lang", "", usage)
}

// usage prints the command's usage, flags and example. fs holds the flags
// when the command line was parsed already.
func (c *Command) usage(w io.Writer, fs *flag.FlagSet) {
	name := strings.TrimSpace("netbook " + c.Name)
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace(name+" "+c.Args), style.Wrap(c.Summary, helpWidth))
	if fs == nil {
		fs = flag.NewFlagSet(name, flag.ContinueOnError)
		c.New().Flags(fs)
		c.langFlag(fs)
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		io.WriteString(w, wrapFlags(b.String(), helpWidth))
	}
	if c.Example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", indent(wrapExample(c.Example, helpWidth-2)))
	}
}

// flagIndent starts each line of a flag's description in
// flag.PrintDefaults; the tab takes it to column 8.
const flagIndent = "    \t"

// wrapFlags wraps the descriptions in flag.PrintDefaults's output so that
// no line is wider than width columns, each continuation line indented as
// PrintDefaults indents them.
func wrapFlags(defaults string, width int) string {
	lines := strings.SplitAfter(defaults, "\n")
	for i, l := range lines {
		text, ok := strings.CutPrefix(l, flagIndent)
		if !ok {
			continue
		}
		nl := strings.HasSuffix(text, "\n")
		wrapped := style.Wrap(strings.TrimSuffix(text, "\n"), width-8)
		lines[i] = flagIndent + strings.ReplaceAll(wrapped, "\n", "\n"+flagIndent)
		if nl {
			lines[i] += "\n"
		}
	}
	return strings.Join(lines, "")
}

// wrapExample fits an example to width columns. An example whose lines
// all fit is left as it is, its comments aligned on the right. Otherwise
// each comment goes on a line of its own above its command, a blank line
// between one command and the next, and a command still too wide goes on
// over several lines, each but the last ending in a backslash, as a shell
// reads them.
func wrapExample(example string, width int) string {
	lines := strings.Split(strings.TrimRight(example, "\n"), "\n")
	fits := true
	for _, l := range lines {
		fits = fits && style.Cols(l) <= width
	}
	if fits {
		return example
	}
	var out []string
	for i, l := range lines {
		if i > 0 {
			out = append(out, "")
		}
		cmd, comment, ok := strings.Cut(l, " # ")
		if ok {
			for _, c := range strings.Split(style.Wrap(strings.TrimSpace(comment), width-2), "\n") {
				out = append(out, "# "+c)
			}
		}
		out = append(out, continueLines(strings.TrimRight(cmd, " "), width)...)
	}
	return strings.Join(out, "\n")
}

// continueLines breaks a shell command wider than width at spaces into
// lines that end in a backslash, the later ones indented.
func continueLines(cmd string, width int) []string {
	var out []string
	for style.Cols(cmd) > width {
		cut := strings.LastIndexByte(cmd[:min(len(cmd), width-2)], ' ')
		for cut > 0 && strings.Count(cmd[:cut], `"`)%2 == 1 { // not inside quotes
			cut = strings.LastIndexByte(cmd[:cut], ' ')
		}
		if cut <= 0 {
			break // one word wider than the line: leave it whole
		}
		out = append(out, cmd[:cut]+" \\")
		cmd = "    " + cmd[cut+1:]
	}
	return append(out, cmd)
}

// indent indents each line but the empty ones by two spaces.
func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		if lines[i] != "" {
			lines[i] = "  " + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}
