package reset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/style"
)

// Text is what the reset screens need to name things as the student types
// them: the work tree (for relative paths), the styling, how to invoke
// netbook ("netbook", or "go run ./cmd/netbook"), and the terminal's
// width, which the sentences are wrapped to (DefaultWidth when zero).
type Text struct {
	Root  repo.Root
	Style style.Style
	Cmd   string
	Width int
}

// DefaultWidth is the width the sentences are wrapped to when Text gives
// none: what a file or a pipe gets.
const DefaultWidth = 80

func (t Text) command(verb string, l *labs.Lab) string {
	return fmt.Sprintf("%s %s %02d", t.Cmd, verb, l.Number)
}

// println writes text as a line wrapped to t's width, never inside one of
// cmds, commands to copy, which are styled as code: a command broken over
// two lines runs as two.
func (t Text) println(w io.Writer, text string, cmds ...string) {
	width := t.Width
	if width <= 0 {
		width = DefaultWidth
	}
	fmt.Fprintln(w, t.Style.WrapKeeping(text, width, cmds...))
}

// Why turns Prepare's error for lab l into what the student reads; files
// are the files named on the command line (none: the lab's own).
func Why(err error, l *labs.Lab, files []string) error {
	switch {
	case errors.Is(err, ErrNothing):
		what, names := "files", l.Files
		if len(files) > 0 {
			what, names = "files named", files
		}
		return wrapped(fmt.Sprintf("nothing to reset: lab %s's %s (%s) are as the book shipped them", l.Name, what, strings.Join(names, ", ")))
	case errors.Is(err, shipped.ErrUnrecoverable):
		return wrapped(fmt.Sprintf("cannot reset lab %s: %v\nnetbook reads the book's skeleton from git; in a copy without git history, download the lab's files again from the book's repository", l.Name, err))
	}
	return err
}

// wrapped is the error msg, wrapped to DefaultWidth columns as netbook
// prints it: after "netbook reset: ".
func wrapped(msg string) error {
	const prog = "netbook reset: "
	return errors.New(strings.TrimPrefix(style.Wrap(prog+msg, DefaultWidth), prog))
}

// WritePlan says what a reset is about to do, before it asks.
func (t Text) WritePlan(w io.Writer, p *Plan) {
	l := p.Lab
	t.println(w, fmt.Sprintf("Reset lab %s: %s %s back to the book's skeleton.", l.Name, style.Join(p.Names()), style.Plural(len(p.Files), "goes", "go")))
	restore := t.command("reset --restore", l)
	t.println(w, fmt.Sprintf("Your copies are saved first in %s, and %s brings them back.",
		t.Root.Rel(Dir(t.Root, l.Name))+string(os.PathSeparator)+"...", restore), restore)
	if len(p.Own) > 0 {
		t.println(w, fmt.Sprintf("Left as they are: %s (your own), the tests, and every other lab.", style.Join(p.Own)))
	}
}

// Question is what a reset asks before it changes anything.
const Question = "Reset? [y/N] "

// Declined is what a reset says when the student answers no.
const Declined = "Not reset: nothing was changed."

// ErrNoTerminal is the error of a reset that would ask, with no terminal
// to ask on: two lines that fit 80 columns after "netbook reset: ".
var ErrNoTerminal = errors.New("nothing was changed: there is no terminal to ask on,\nand netbook asks before a reset; add --yes to reset without asking")

// Confirm asks question on out and reports whether the answer read from in
// is yes.
func Confirm(out io.Writer, in io.Reader, question string) bool {
	fmt.Fprint(out, question)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(out)
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// WriteDone says what a reset of lab l did (b is the backup it made) and
// how to go on or undo it.
func (t Text) WriteDone(w io.Writer, l *labs.Lab, b *Backup) {
	text := fmt.Sprintf("Reset: %s %s the skeleton again; your work is in %s", style.Join(b.Names()), style.Plural(len(b.Files), "is", "are"), t.Root.Rel(b.Dir))
	var out strings.Builder
	t.println(&out, text)
	fmt.Fprintf(w, "\n%s%s", t.Style.Good("Reset:"), strings.TrimPrefix(out.String(), "Reset:"))
	check, restore := t.command("check", l), t.command("reset --restore", l)
	t.println(w, "Start again with: "+check, check)
	t.println(w, "Changed your mind? "+restore, restore)
}

// NoBackup is the error of a restore of lab l, which has no backup; cmd
// is how to invoke netbook. The command to make one is on a line of its
// own, so that the error fits a terminal's width.
func NoBackup(l *labs.Lab, cmd string) error {
	return fmt.Errorf("lab %s has no backup to restore:\n%s reset %02d makes one before it changes anything", l.Name, cmd, l.Number)
}

// WriteRestored says what a restore of backup b of lab l did.
func (t Text) WriteRestored(w io.Writer, l *labs.Lab, b *Backup, res *Restored) {
	when := style.Unbroken(b.At.Local().Format("2 Jan 2006 15:04:05"))
	if res.Same {
		t.println(w, fmt.Sprintf("Lab %s's %s %s already as in the backup of %s (%s): nothing to restore.",
			l.Name, style.Join(res.Files), style.Plural(len(res.Files), "is", "are"), when, t.Root.Rel(b.Dir)))
		return
	}
	if res.Saved != nil {
		t.println(w, fmt.Sprintf("Your work since then (%s) was saved first in %s.", style.Join(res.Saved.Names()), t.Root.Rel(res.Saved.Dir)))
	}
	var out strings.Builder
	t.println(&out, fmt.Sprintf("Restored: %s of lab %s, as %s when saved on %s (%s).", style.Join(res.Files), l.Name,
		style.Plural(len(res.Files), "it was", "they were"), when, t.Root.Rel(b.Dir)))
	fmt.Fprintf(w, "%s%s", t.Style.Good("Restored:"), strings.TrimPrefix(out.String(), "Restored:"))
	check := t.command("check", l)
	t.println(w, "See where it stands: "+check, check)
}

// WriteList lists lab l's backups, oldest first: when each was made, why
// and of which files, and under that its folder.
func (t Text) WriteList(w io.Writer, l *labs.Lab, all []*Backup) {
	reset := t.command("reset", l)
	if len(all) == 0 {
		t.println(w, fmt.Sprintf("Lab %s has no backups: %s makes one before it changes anything.", l.Name, reset), reset)
		return
	}
	restore := t.command("reset --restore", l)
	t.println(w, fmt.Sprintf("Backups of lab %s, oldest first (%s brings back the last):", l.Name, restore), restore)
	width := t.Width
	if width <= 0 {
		width = DefaultWidth
	}
	// The files beside the date, under themselves, and the folder under
	// them; on a screen too narrow for a column of 30 beside the date, or
	// for a folder's path in that column, under the date, indented.
	indent := "                       " // "  2006-01-02 15:04:05  "
	narrow := width-len(indent) < 30
	for _, b := range all {
		narrow = narrow || style.Cols("in "+t.Root.Rel(b.Dir)) > width-len(indent)
	}
	if narrow {
		indent = "    "
	}
	for _, b := range all {
		why := "before a reset"
		if b.Why == "restore" {
			why = "before a restore"
		}
		what := style.Wrap(why+": "+style.Join(b.Names()), width-len(indent))
		what = strings.ReplaceAll(what, "\n", "\n"+indent)
		where := style.Wrap("in "+t.Root.Rel(b.Dir), width-len(indent)) // a path wider than that has a line of its own
		where = indent + strings.ReplaceAll(where, "\n", "\n"+indent)
		when := b.At.Local().Format("2006-01-02 15:04:05")
		if narrow {
			fmt.Fprintf(w, "  %s\n%s%s\n%s\n", when, indent, what, where)
			continue
		}
		fmt.Fprintf(w, "  %s  %s\n%s\n", when, what, where)
	}
}
