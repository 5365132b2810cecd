package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/netbook/netbook/runner/compare"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/mdterm"
	"github.com/netbook/netbook/runner/pager"
	"github.com/netbook/netbook/runner/style"
)

var compareCmd = &Command{
	Name:    "compare",
	Args:    "LAB",
	Summary: "once a lab passes, show your files next to the reference solution, with notes on it",
	Example: "go run ./cmd/netbook compare 03            # a pager when it is longer than the screen\n" +
		"go run ./cmd/netbook compare 03 --no-pager > 03.diff\n" +
		"go run ./cmd/netbook compare 03 --json     # the diffs and the notes, for another tool\n" +
		"go run ./cmd/netbook compare 03 --lang zh  # notes from NOTES.zh.md where there is one, else the English",
	Lang: true,
	New:  func() Runner { return &compareLab{} },
}

type compareLab struct {
	json, plain, noPager bool
	width                int
}

func (c *compareLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&c.json, "json", false, "print the comparison (or why there is none yet) as JSON")
	fs.IntVar(&c.width, "width", 0, fmt.Sprintf("wrap the notes at this many columns, %d to %d (default: the terminal's width, at most %d)", mdterm.MinWidth, mdterm.MaxWidth, mdterm.DefaultWidth))
	fs.BoolVar(&c.plain, "plain", false, "no colour, whatever the terminal")
	fs.BoolVar(&c.noPager, "no-pager", false, "print it all, even when it is longer than the screen")
}

func (c *compareLab) Run(ctx context.Context, e *env, args []string) error {
	args = e.labArgs("compare", args, false)
	if len(args) != 1 {
		return fmt.Errorf("%w: name one lab, such as 03", errUsage)
	}
	w, err := e.workbook(ctx, false)
	if err != nil {
		return err
	}
	l, err := w.Find(args[0])
	if err != nil {
		return err
	}
	// The last check is enough when the lab has not changed since; else the
	// book's tests run now.
	if !l.Known {
		e.lang.Fprintf(e.stderr, lang.CheckingFirst, l.Lab.Name)
	}
	res, err := w.Result(ctx, l)
	if err != nil {
		return err
	}
	cmp, err := compare.Build(e.root, l.Lab, res, e.lang.String())
	f, _ := e.stdout.(*os.File)
	var notYet *compare.NotYet
	switch {
	case errors.As(err, &notYet) && c.json:
		if err := writeJSON(e, notYet.Refusal()); err != nil {
			return err
		}
		return exitError(1)
	case errors.As(err, &notYet) && l.Elsewhere:
		// Done in another copy of the book: the dashboard counts it, but
		// there is nothing of the student's here to compare.
		compare.WriteElsewhere(e.stdout, l.Lab.Name, l.DoneAt, e.style, w.Command("compare", l), e.lang, style.Width(f))
		return exitError(1)
	case errors.As(err, &notYet):
		compare.WriteNotYet(e.stdout, notYet, e.style, w.Command("check", l), e.lang, style.Width(f))
		return exitError(1)
	case err != nil:
		return err
	case c.json:
		return writeJSON(e, cmp)
	}
	width, note := mdterm.WidthFor(c.width, f)
	if note != "" {
		printError(e.stderr, "netbook compare", note)
	}
	s := e.style
	s.Color = s.Color && !c.plain
	var text strings.Builder
	compare.WriteText(&text, cmp, compare.TextOptions{Style: s, Color: s.Color, Width: width, Next: e.cmd(), Lang: e.lang})
	return pager.Page(e.stdout, text.String(), pager.Options{Off: c.noPager, Stderr: e.stderr})
}
