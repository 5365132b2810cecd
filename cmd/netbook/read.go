package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/netbook/netbook/runner/mdterm"
	"github.com/netbook/netbook/runner/pager"
	"github.com/netbook/netbook/runner/term"
)

var readCmd = &command{
	name:    "read",
	args:    "CHAPTER",
	summary: "render a chapter in the terminal",
	example: "go run ./cmd/netbook read 1                 # a pager when the chapter is longer than the screen\n" +
		"go run ./cmd/netbook read sockets-in-go --no-pager\n" +
		"go run ./cmd/netbook read 3 > chapter-3.txt  # piped or saved: plain text, 80 columns",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		width := fs.Int("width", 0, fmt.Sprintf("wrap prose at this many columns, %d to %d (default: the terminal's width, at most %d); code lines are never wrapped", minReadWidth, maxReadWidth, defaultReadWidth))
		plain := fs.Bool("plain", false, "no colour or styling, whatever the terminal")
		noPager := fs.Bool("no-pager", false, "print the whole chapter, even when it is longer than the screen")
		return func(e *env, args []string) error { return runRead(e, args, *width, *plain, *noPager) }
	},
}

// The widths read wraps prose to: --width is held between minReadWidth and
// maxReadWidth; without it, the terminal's width up to defaultReadWidth
// (longer lines are hard to read), or 80 when the output is not a terminal.
const (
	minReadWidth     = 40
	maxReadWidth     = 200
	defaultReadWidth = 100
)

func runRead(e *env, args []string, width int, plain, noPager bool) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: name one chapter, by number or name", errUsage)
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	c, err := b.Find(args[0])
	if err != nil {
		return err
	}
	out, _ := e.stdout.(*os.File)
	s := e.style
	s.Color = s.Color && !plain
	var text strings.Builder
	last := b.Chapters[len(b.Chapters)-1].Number
	fmt.Fprintf(&text, "%s\n", s.Dim(fmt.Sprintf("Chapter %d of %d", c.Number, last)))
	text.WriteString(mdterm.Chapter(c, mdterm.Options{Width: readWidth(width, out, e.stderr), Color: s.Color}))
	if c.Lab != "" {
		fmt.Fprintf(&text, "\n%s labs/%s. Start it with:\n  %s\n", s.Bold("Lab:"), c.Lab,
			s.Code(fmt.Sprintf("%s check %s", e.cmd(), c.Lab[:2])))
	}
	for i, ch := range b.Chapters {
		if ch == c && i+1 < len(b.Chapters) {
			next := b.Chapters[i+1]
			fmt.Fprintf(&text, "%s chapter %d, %s: %s\n", s.Dim("Next:"), next.Number, next.Title,
				s.Code(fmt.Sprintf("%s read %d", e.cmd(), next.Number)))
		}
	}
	if err := pager.Page(e.stdout, text.String(), pager.Options{Off: noPager, Stderr: e.stderr}); err != nil {
		return err
	}
	if e.rootErr == nil {
		if st, err := e.state(); err == nil {
			st.Read[c.Slug] = true
			e.saveState(st)
		}
	}
	return nil
}

// readWidth is the width to wrap at: --width when given, held between
// minReadWidth and maxReadWidth (saying so on stderr when it had to be),
// else the terminal's.
func readWidth(flagWidth int, out *os.File, stderr io.Writer) int {
	if flagWidth == 0 {
		return min(term.Width(out), defaultReadWidth)
	}
	w := max(minReadWidth, min(flagWidth, maxReadWidth))
	if w != flagWidth {
		fmt.Fprintf(stderr, "netbook read: --width %d is outside %d to %d; using %d\n", flagWidth, minReadWidth, maxReadWidth, w)
	}
	return w
}
