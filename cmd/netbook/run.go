package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/snippets"
	"github.com/netbook/netbook/runner/style"
)

var runCmd = &Command{
	Name:    "run",
	Args:    "CHAPTER[:N] [ARG...]",
	Summary: "list a chapter's runnable snippets, or run one in a sandboxed child process",
	Example: "go run ./cmd/netbook run 2               # list chapter 2's snippets\n" +
		"go run ./cmd/netbook run 2:3             # run its third go block\n" +
		"go run ./cmd/netbook run 2 --all         # run each one and check it prints what the chapter says\n" +
		"go run ./cmd/netbook run 2:3 --timeout 30s --toolchain\n" +
		"go run ./cmd/netbook run --sandbox-report     # which layers of the OS sandbox this machine offers",
	New: func() Runner { return &runSnippet{} },
	// The Chinese chapters have the English ones' code blocks, byte for
	// byte (chapters/zh_test.go): the same snippets under their headings.
	Lang: true,
}

type runSnippet struct {
	timeout   time.Duration
	toolchain bool
	all       bool
	report    bool
}

func (r *runSnippet) Flags(fs *flag.FlagSet) {
	fs.DurationVar(&r.timeout, "timeout", snippets.DefaultTimeout, "stop a snippet that runs longer than this")
	fs.BoolVar(&r.toolchain, "toolchain", false, "compile with the Go toolchain instead of interpreting")
	fs.BoolVar(&r.all, "all", false, "run every runnable snippet of the chapter (of the book, with no chapter) and check its output")
	fs.BoolVar(&r.report, "sandbox-report", false, "say which layers of the operating system's sandbox fence snippets on this machine, and stop")
}

func (r *runSnippet) Run(ctx context.Context, e *env, args []string) error {
	if r.report && len(args) > 0 {
		return fmt.Errorf("%w: --sandbox-report only reports on the sandbox and runs nothing: leave out %s, or leave out --sandbox-report to run it", errUsage, args[0])
	}
	if r.report {
		offWarning(e)
		f, _ := e.stdout.(*os.File)
		fmt.Fprintf(e.stdout, "netbook runs snippets and the REPL in a sandbox (see CONTRIBUTING.md, Sandbox):\n%s", sandbox.Probe().Text(style.Width(f)))
		return nil
	}
	if r.timeout <= 0 {
		return fmt.Errorf("%w: --timeout must be more than 0, such as 30s", errUsage)
	}
	if len(args) > 0 {
		chapter, _, _ := strings.Cut(args[0], ":")
		e.langOfPath(chapter)
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	args = e.chapterArgs("run", args, b)
	if len(args) == 0 {
		if r.all {
			return r.runAll(ctx, e, b.Chapters)
		}
		return fmt.Errorf("%w: name a chapter (%s run 2 lists its snippets) or a snippet (%s run 2:1)", errUsage, e.cmd(), e.cmd())
	}
	chapter, index, hasIndex := strings.Cut(args[0], ":")
	c, err := b.Find(chapter)
	if err != nil {
		return err
	}
	switch {
	case r.all && hasIndex:
		return fmt.Errorf("%w: --all runs a whole chapter; leave out :%s", errUsage, index)
	case r.all:
		return r.runAll(ctx, e, []*book.Chapter{c})
	case !hasIndex:
		snippets.WriteList(e.stdout, c, e.style, e.lang, e.cmd())
		return nil
	}
	s, err := snippets.Runnable(c, index, e.cmd())
	if err != nil {
		return err
	}
	return r.runOne(ctx, e, s, args[1:])
}

// engine chooses what runs snips, from the work tree.
func (r *runSnippet) engine(ctx context.Context, e *env, snips ...*book.Snippet) (snippets.Engine, func(), error) {
	if e.rootErr != nil {
		return nil, nil, fmt.Errorf("%w\n(netbook run builds snippets with the work tree's go.mod)", e.rootErr)
	}
	sandboxNotice(e)
	return snippets.ChooseIn(ctx, e.root.Dir, snips, r.toolchain, e.stderr, e.lang)
}

// sandboxNotice says, on netbook's standard error, which words of
// NETBOOK_SANDBOX_OFF it ignored, if any, and which layers of the
// operating system's sandbox this machine does not offer, if any.
func sandboxNotice(e *env) {
	offWarning(e)
	if m := sandbox.Probe().MissingIn(e.lang); m != "" {
		printError(e.stderr, "netbook", m)
	}
}

// offWarning says, on netbook's standard error, which words of
// NETBOOK_SANDBOX_OFF name no layer and were ignored, if any.
func offWarning(e *env) {
	if w := sandbox.OffWarningIn(e.lang); w != "" {
		printError(e.stderr, "netbook: warning", w)
	}
}

// runOne runs a snippet, or the pair it belongs to, streaming its output.
func (r *runSnippet) runOne(ctx context.Context, e *env, s *book.Snippet, args []string) error {
	eng, cleanup, err := r.engine(ctx, e, s, snippets.Pair(s))
	if err != nil {
		return err
	}
	defer cleanup()
	o := snippets.Options{Timeout: r.timeout, Args: args, Stream: e.stdout, Stdin: pipedStdin()}
	err = snippets.RunOne(ctx, eng, s, o, r.stdio(e), r.toolchain)
	if errors.Is(err, snippets.ErrDiffers) {
		return exitError(1)
	}
	return err
}

func (r *runSnippet) stdio(e *env) snippets.Stdio {
	f, _ := e.stdout.(*os.File)
	return snippets.Stdio{Out: e.stdout, Log: e.stderr, Style: e.style, Cmd: e.cmd(), Lang: e.lang, Width: style.Width(f)}
}

// pipedStdin gives a snippet netbook's standard input when it is a pipe or
// a file. A terminal is not passed on: the snippet runs in a process group
// of its own, and reading the terminal from there would stop it. Nor is
// /dev/null or an empty file, which hold nothing to read: the snippet
// reads none the same, and its output is then the chapter's to compare.
func pipedStdin() io.Reader {
	if style.IsTerminal(os.Stdin) {
		return nil
	}
	if fi, err := os.Stdin.Stat(); err == nil {
		if fi.Mode().IsRegular() && fi.Size() == 0 {
			return nil
		}
		if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
			return nil
		}
	}
	return os.Stdin
}

// runAll runs every runnable snippet of the chapters and checks each
// against its output block.
func (r *runSnippet) runAll(ctx context.Context, e *env, chapters []*book.Chapter) error {
	var snips []*book.Snippet
	for _, c := range chapters {
		snips = append(snips, c.Snippets...)
	}
	eng, cleanup, err := r.engine(ctx, e, snips...)
	if err != nil {
		return err
	}
	defer cleanup()
	failed, err := snippets.RunAll(ctx, eng, chapters, r.timeout, r.stdio(e))
	if err == nil && failed > 0 {
		err = exitError(1)
	}
	return err
}
