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
// them: the work tree (for relative paths), the styling, and how to invoke
// netbook ("netbook", or "go run ./cmd/netbook").
type Text struct {
	Root  repo.Root
	Style style.Style
	Cmd   string
}

func (t Text) command(verb string, l *labs.Lab) string {
	return t.Style.Code(fmt.Sprintf("%s %s %02d", t.Cmd, verb, l.Number))
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
		return fmt.Errorf("nothing to reset: lab %s's %s (%s) are as the book shipped them", l.Name, what, strings.Join(names, ", "))
	case errors.Is(err, shipped.ErrUnrecoverable):
		return fmt.Errorf("cannot reset lab %s: %v\nnetbook reads the book's skeleton from git; in a copy without git history, download the lab's files again from the book's repository", l.Name, err)
	}
	return err
}

// WritePlan says what a reset is about to do, before it asks.
func (t Text) WritePlan(w io.Writer, p *Plan) {
	l := p.Lab
	fmt.Fprintf(w, "Reset lab %s: %s %s back to the book's skeleton.\n", l.Name, style.Join(p.Names()), style.Plural(len(p.Files), "goes", "go"))
	fmt.Fprintf(w, "Your copies are saved first in %s, and %s brings them back.\n",
		t.Root.Rel(Dir(t.Root, l.Name))+string(os.PathSeparator)+"...", t.command("reset --restore", l))
	if len(p.Own) > 0 {
		fmt.Fprintf(w, "Left as they are: %s (your own), the tests, and every other lab.\n", style.Join(p.Own))
	}
}

// Question is what a reset asks before it changes anything.
const Question = "Reset? [y/N] "

// Declined is what a reset says when the student answers no.
const Declined = "Not reset: nothing was changed."

// ErrNoTerminal is the error of a reset that would ask, with no terminal
// to ask on.
var ErrNoTerminal = errors.New("nothing was changed: netbook asks before a reset, and there is no terminal to ask on; add --yes to reset without asking")

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
	s := t.Style
	fmt.Fprintf(w, "\n%s %s %s the skeleton again; your work is in %s\n", s.Good("Reset:"), style.Join(b.Names()), style.Plural(len(b.Files), "is", "are"), t.Root.Rel(b.Dir))
	fmt.Fprintf(w, "Start again with: %s\nChanged your mind? %s\n", t.command("check", l), t.command("reset --restore", l))
}

// NoBackup is the error of a restore of lab l, which has no backup.
func NoBackup(l *labs.Lab) error {
	return fmt.Errorf("lab %s has no backup to restore: netbook reset %02d makes one before it changes anything", l.Name, l.Number)
}

// WriteRestored says what a restore of backup b of lab l did.
func (t Text) WriteRestored(w io.Writer, l *labs.Lab, b *Backup, res *Restored) {
	s := t.Style
	when := b.At.Local().Format("2 Jan 2006 15:04:05")
	if res.Same {
		fmt.Fprintf(w, "Lab %s's %s %s already as in the backup of %s (%s): nothing to restore.\n",
			l.Name, style.Join(res.Files), style.Plural(len(res.Files), "is", "are"), when, t.Root.Rel(b.Dir))
		return
	}
	if res.Saved != nil {
		fmt.Fprintf(w, "Your work since then (%s) was saved first in %s.\n", style.Join(res.Saved.Names()), t.Root.Rel(res.Saved.Dir))
	}
	fmt.Fprintf(w, "%s %s of lab %s, as %s when saved on %s (%s).\n", s.Good("Restored:"), style.Join(res.Files), l.Name,
		style.Plural(len(res.Files), "it was", "they were"), when, t.Root.Rel(b.Dir))
	fmt.Fprintf(w, "See where it stands: %s\n", t.command("check", l))
}

// WriteList lists lab l's backups, oldest first.
func (t Text) WriteList(w io.Writer, l *labs.Lab, all []*Backup) {
	if len(all) == 0 {
		fmt.Fprintf(w, "Lab %s has no backups: netbook reset %02d makes one before it changes anything.\n", l.Name, l.Number)
		return
	}
	fmt.Fprintf(w, "Backups of lab %s, oldest first (%s brings back the last):\n", l.Name, t.command("reset --restore", l))
	for _, b := range all {
		why := "before a reset"
		if b.Why == "restore" {
			why = "before a restore"
		}
		fmt.Fprintf(w, "  %s  %-16s %-28s %s\n", b.At.Local().Format("2006-01-02 15:04:05"), why, style.Join(b.Names()), t.Root.Rel(b.Dir))
	}
}
