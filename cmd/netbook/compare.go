package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/compare"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/pager"
	"github.com/netbook/netbook/runner/progress"
)

var compareCmd = &command{
	name:    "compare",
	args:    "LAB",
	summary: "once a lab passes, show your files next to the reference solution, with notes on it",
	example: "go run ./cmd/netbook compare 03            # a pager when it is longer than the screen\n" +
		"go run ./cmd/netbook compare 03 --no-pager > 03.diff\n" +
		"go run ./cmd/netbook compare 03 --json     # the diffs and the notes, for another tool",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		asJSON := fs.Bool("json", false, "print the comparison (or why there is none yet) as JSON")
		width := fs.Int("width", 0, fmt.Sprintf("wrap the notes at this many columns, %d to %d (default: the terminal's width, at most %d)", minReadWidth, maxReadWidth, defaultReadWidth))
		plain := fs.Bool("plain", false, "no colour, whatever the terminal")
		noPager := fs.Bool("no-pager", false, "print it all, even when it is longer than the screen")
		return func(e *env, args []string) error { return runCompare(e, args, *asJSON, *width, *plain, *noPager) }
	},
}

func runCompare(e *env, args []string, asJSON bool, width int, plain, noPager bool) error {
	l, err := e.namedLab(args, "lab")
	if err != nil {
		return err
	}
	ctx, stop := e.ctx()
	defer stop()
	st, err := e.state()
	if err != nil {
		return err
	}
	sums, err := labs.ReadSums(e.root)
	if err != nil {
		return err
	}
	// The last check is enough when the lab has not changed since; else the
	// book's tests run now.
	res, known, err := progress.Cached(st, l, sums)
	if err != nil {
		return err
	}
	if !known {
		fmt.Fprintf(e.stderr, "checking %s first (it changed since its last check)...\n", l.Name)
		hash, err := l.Hash()
		if err != nil {
			return err
		}
		if res, err = check.Run(ctx, e.root, l, check.Options{Sums: sums}); err != nil {
			return err
		}
		progress.Record(st, l, hash, res)
		e.saveState(st)
	}
	c, err := compare.Build(e.root, l, res, "")
	var notYet *compare.NotYet
	if errors.As(err, &notYet) {
		d, wasDone := st.Done[l.Name]
		if wasDone && d.Stands() && sums.Pristine(l) && !asJSON {
			// Done in another copy of the book: the dashboard counts it,
			// but there is nothing of the student's here to compare.
			fmt.Fprintf(e.stdout, "You did lab %s on %s, with files that are not in this copy of the book: its files here are the skeleton.\n", l.Name, progress.Date(d.At))
			fmt.Fprintf(e.stdout, "Bring the files that passed over (from your own git remote, say), then compare them with the reference:\n  %s\n",
				e.style.Code(fmt.Sprintf("%s compare %02d", e.cmd(), l.Number)))
			return exitError(1)
		}
		return refuseCompare(e, l, notYet, asJSON)
	}
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	out, _ := e.stdout.(*os.File)
	s := e.style
	s.Color = s.Color && !plain
	var text strings.Builder
	compare.WriteText(&text, c, compare.TextOptions{Style: s, Color: s.Color, Width: readWidth(width, out, e.stderr)})
	fmt.Fprintf(&text, "The reference is one good answer, not the only one: your code passes the same tests.\n")
	fmt.Fprintf(&text, "Next: %s\n", s.Code(e.cmd()))
	return pager.Page(e.stdout, text.String(), pager.Options{Off: noPager, Stderr: e.stderr})
}

// refuseCompare says why the reference stays hidden, and exits 1.
func refuseCompare(e *env, l *labs.Lab, why *compare.NotYet, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		out := map[string]any{"lab": l.Name, "done": false, "status": why.Status, "passed": why.Passed, "total": why.Total, "reason": why.Error()}
		if why.Next != nil {
			out["next"] = why.Next.Number
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
		return exitError(1)
	}
	s := e.style
	msg := why.Error()
	fmt.Fprintf(e.stdout, "%s%s.\n", strings.ToUpper(msg[:1]), msg[1:])
	fmt.Fprintf(e.stdout, "The reference solution stays hidden until every task passes on the book's tests; then compare your code with it.\n")
	fmt.Fprintf(e.stdout, "Keep going: %s\n", s.Code(fmt.Sprintf("%s check %02d", e.cmd(), l.Number)))
	return exitError(1)
}
