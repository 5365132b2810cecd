package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/interpbin"
	"github.com/netbook/netbook/runner/snippets"
	"github.com/netbook/netbook/runner/term"
)

var runCmd = &command{
	name:    "run",
	args:    "CHAPTER[:N] [ARG...]",
	summary: "list a chapter's runnable snippets, or run one in a sandboxed child process",
	example: "go run ./cmd/netbook run 2               # list chapter 2's snippets\n" +
		"go run ./cmd/netbook run 2:3             # run its third go block\n" +
		"go run ./cmd/netbook run 2 --all         # run each one and check it prints what the chapter says\n" +
		"go run ./cmd/netbook run 2:3 --timeout 30s --toolchain",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		o := runOptions{}
		fs.DurationVar(&o.timeout, "timeout", snippets.DefaultTimeout, "stop a snippet that runs longer than this")
		fs.BoolVar(&o.toolchain, "toolchain", false, "compile with the Go toolchain instead of interpreting")
		fs.BoolVar(&o.all, "all", false, "run every runnable snippet of the chapter (of the book, with no chapter) and check its output")
		return func(e *env, args []string) error { return runRun(e, args, o) }
	},
}

type runOptions struct {
	timeout   time.Duration
	toolchain bool
	all       bool
}

func runRun(e *env, args []string, o runOptions) error {
	b, err := e.book()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		if o.all {
			return runAll(e, b.Chapters, o)
		}
		return fmt.Errorf("%w: name a chapter (%s run 2 lists its snippets) or a snippet (%s run 2:1)", errUsage, e.cmd(), e.cmd())
	}
	chapter, index, hasIndex := strings.Cut(args[0], ":")
	c, err := b.Find(chapter)
	if err != nil {
		return err
	}
	switch {
	case o.all && hasIndex:
		return fmt.Errorf("%w: --all runs a whole chapter; leave out :%s", errUsage, index)
	case o.all:
		return runAll(e, []*book.Chapter{c}, o)
	case !hasIndex:
		listSnippets(e, c)
		return nil
	}
	n, err := strconv.Atoi(index)
	if err != nil || n < 1 || n > len(c.Snippets) {
		return fmt.Errorf("chapter %d has no snippet %q: it has %d go blocks; see them with: %s run %d",
			c.Number, index, len(c.Snippets), e.cmd(), c.Number)
	}
	s := c.Snippets[n-1]
	if !s.Runnable() {
		return fmt.Errorf("snippet %s is a fragment, a piece of a program shown for reading; list the ones that run with: %s run %d",
			s.ID(), e.cmd(), c.Number)
	}
	return runOne(e, s, args[1:], o)
}

// listSnippets prints the chapter's runnable snippets with their first lines.
func listSnippets(e *env, c *book.Chapter) {
	st := e.style
	var runnable []*book.Snippet
	for _, s := range c.Snippets {
		if s.Runnable() {
			runnable = append(runnable, s)
		}
	}
	fmt.Fprintf(e.stdout, "%s · %d runnable snippets\n\n", st.Bold(fmt.Sprintf("Chapter %d, %s", c.Number, c.Title)), len(runnable))
	if len(runnable) == 0 {
		fmt.Fprintf(e.stdout, "  (none: this chapter's code is all fragments)\n")
		return
	}
	for _, s := range runnable {
		var marks []string
		if s.Title != "" {
			marks = append(marks, s.Title)
		}
		if s.Server != "" {
			marks = append(marks, "server of "+s.Server)
		}
		if s.Client != "" {
			marks = append(marks, "client of "+s.Client)
		}
		if s.Toolchain {
			marks = append(marks, "Go toolchain")
		}
		label := ""
		if len(marks) > 0 {
			label = st.Dim("[" + strings.Join(marks, ", ") + "] ")
		}
		fmt.Fprintf(e.stdout, "  %-6s %s%s\n", s.ID(), label, clip(snippetLine(s), 64))
	}
	fmt.Fprintf(e.stdout, "\nRun one with: %s\n", st.Code(fmt.Sprintf("%s run %s", e.cmd(), runnable[0].ID())))
}

// snippetLine is the snippet's first line of code that says something:
// the first statement of main rather than "func main() {".
func snippetLine(s *book.Snippet) string {
	first := s.FirstLine()
	if first != "func main() {" {
		return first
	}
	lines := strings.Split(s.Code, "\n")
	inMain := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "func main() {":
			inMain = true
		case inMain && t != "" && !strings.HasPrefix(t, "//"):
			return t
		}
	}
	return first
}

// engine returns what runs the snippets: the interpreter (built on first
// use) with the toolchain for snippets marked toolchain, or the toolchain
// for all of them. The cleanup removes the compiled binaries.
func (e *env) engine(ctx context.Context, snips []*book.Snippet, toolchain bool) (snippets.Engine, func(), error) {
	if err := e.needRoot(); err != nil {
		return nil, nil, fmt.Errorf("%w\n(netbook run builds snippets with the work tree's go.mod)", err)
	}
	var compile []*book.Snippet
	for _, s := range snips {
		if s.Runnable() && (toolchain || s.Toolchain) {
			compile = append(compile, s)
		}
	}
	var built *snippets.Built
	cleanup := func() {}
	if len(compile) > 0 {
		var err error
		if built, err = snippets.Build(ctx, e.root.Dir, compile); err != nil {
			return nil, nil, err
		}
		cleanup = func() { built.Close() }
	}
	if toolchain {
		return built, cleanup, nil
	}
	bin, err := interpbin.Ensure(ctx, e.root.Dir, e.stderr)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return snippets.Pick{Interp: &snippets.Interp{Path: bin}, Toolchain: built}, cleanup, nil
}

// runOne runs a snippet, or the pair it belongs to, streaming its output.
func runOne(e *env, s *book.Snippet, args []string, o runOptions) error {
	ctx, stop := e.ctx()
	defer stop()
	partner := snippets.Pair(s)
	if (s.Server != "" || s.Client != "") && partner == nil {
		return fmt.Errorf("snippet %s is half of pair %q, but its other half is missing from chapter %d", s.ID(), s.Server+s.Client, s.Chapter.Number)
	}
	eng, cleanup, err := e.engine(ctx, []*book.Snippet{s, partner}[:1+boolInt(partner != nil)], o.toolchain)
	if err != nil {
		return err
	}
	defer cleanup()
	st := e.style
	ro := snippets.Options{Timeout: o.timeout, Args: args, Stream: e.stdout, Stdin: pipedStdin()}
	where := fmt.Sprintf("chapters/%s.md:%d", s.Chapter.Slug, s.Line)
	if partner == nil {
		fmt.Fprintf(e.stderr, "%s\n", st.Dim(fmt.Sprintf("Running %s (%s) with %s", s.ID(), where, how(eng, s))))
		start := time.Now()
		res := snippets.Run(ctx, eng, s, ro)
		return report(e, s, res, time.Since(start), o)
	}
	server, client := s, partner
	if s.Client != "" {
		server, client = partner, s
	}
	fmt.Fprintf(e.stderr, "%s\n", st.Dim(fmt.Sprintf("Running server %s and client %s together with %s: the client gets the server's address",
		server.ID(), client.ID(), how(eng, s))))
	start := time.Now()
	_, res, err := snippets.RunPair(ctx, eng, server, client, ro)
	if err != nil {
		return fmt.Errorf("the server, snippet %s, %v", server.ID(), err)
	}
	return report(e, client, res, time.Since(start), o)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func how(eng snippets.Engine, s *book.Snippet) string {
	if p, ok := eng.(snippets.Pick); ok && !s.Toolchain {
		return p.Interp.Name()
	}
	if s.Toolchain {
		return "the Go toolchain (it is marked toolchain)"
	}
	return eng.Name()
}

// pipedStdin gives a snippet netbook's standard input when it is a pipe or
// a file. A terminal is not passed on: the snippet runs in a process group
// of its own, and reading the terminal from there would stop it.
func pipedStdin() io.Reader {
	if term.IsTerminal(os.Stdin) {
		return nil
	}
	return os.Stdin
}

// report explains how a run ended and returns the command's error.
func report(e *env, s *book.Snippet, res snippets.Result, took time.Duration, o runOptions) error {
	st := e.style
	switch {
	case res.TimedOut:
		return fmt.Errorf("stopped %s after %v: it was still running (a loop that never ends, or a server waiting in Accept). Give it longer with --timeout 30s", s.ID(), o.timeout)
	case errors.Is(res.Err, snippets.ErrOutputCap):
		return fmt.Errorf("stopped %s: it printed more than %d KiB, so netbook cut it off (a loop that prints without end?)", s.ID(), snippets.OutputCap>>10)
	case res.ExitCode == snippets.ExitRefused && !o.toolchain && !s.Toolchain:
		return fmt.Errorf("the interpreter refused %s (see above); try it with the Go toolchain: %s run %s --toolchain", s.ID(), e.cmd(), s.ID())
	case res.Err != nil:
		return fmt.Errorf("%s failed: %v", s.ID(), res.Err)
	}
	if s.Output != nil && !s.Varies {
		if err := snippets.Compare(s, res.Output); err != nil {
			fmt.Fprintf(e.stderr, "%s\n", st.Warn(fmt.Sprintf("%s printed something other than the chapter shows under it (line %d); a chapter bug? Please report it.", s.ID(), s.OutputLine)))
			return exitError(1)
		}
		fmt.Fprintf(e.stderr, "%s\n", st.Dim(fmt.Sprintf("%s ok in %v: the output matches the chapter", s.ID(), took.Round(time.Millisecond))))
	}
	return nil
}

// runAll runs every runnable snippet of the chapters and checks each against
// its output block.
func runAll(e *env, chapters []*book.Chapter, o runOptions) error {
	ctx, stop := e.ctx()
	defer stop()
	var snips []*book.Snippet
	for _, c := range chapters {
		snips = append(snips, c.Snippets...)
	}
	eng, cleanup, err := e.engine(ctx, snips, o.toolchain)
	if err != nil {
		return err
	}
	defer cleanup()
	st := e.style
	ran, failed := 0, 0
	for _, c := range chapters {
		outs := snippets.RunChapter(ctx, eng, c, o.timeout)
		if len(outs) == 0 {
			continue
		}
		fmt.Fprintf(e.stdout, "%s\n", st.Bold(fmt.Sprintf("Chapter %d, %s", c.Number, c.Title)))
		for _, out := range outs {
			ran++
			err := out.Err
			if err == nil {
				err = snippets.Compare(out.Snippet, out.Output)
			}
			if err != nil {
				failed++
				fmt.Fprintf(e.stdout, "  %s %s\n%s\n", st.Bad("✗"), out.Snippet.ID(), term.Indent(err.Error(), "      "))
				continue
			}
			fmt.Fprintf(e.stdout, "  %s %s %s\n", st.Good("✓"), out.Snippet.ID(), st.Dim(clip(snippetLine(out.Snippet), 60)))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	fmt.Fprintf(e.stdout, "\n%d of %d snippets ran and printed what the chapter says.\n", ran-failed, ran)
	if failed > 0 {
		return exitError(1)
	}
	return nil
}
