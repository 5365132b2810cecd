package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/reset"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/term"
)

var resetCmd = &command{
	name:    "reset",
	args:    "LAB [FILE...] | --restore LAB | --list LAB",
	summary: "start a lab over: put your files back as the book shipped them, after saving them",
	example: "go run ./cmd/netbook reset 05                # asks first; your files are saved in .netbook/backups/05-snack-shop/\n" +
		"go run ./cmd/netbook reset 05 shop.go --yes   # one file, without asking\n" +
		"go run ./cmd/netbook reset --restore 05       # bring back the files the last reset saved\n" +
		"go run ./cmd/netbook reset --list 05          # every backup of lab 05",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		yes := fs.Bool("yes", false, "reset without asking")
		restore := fs.Bool("restore", false, "bring back the lab's last backup instead")
		list := fs.Bool("list", false, "list the lab's backups instead")
		return func(e *env, args []string) error {
			switch {
			case *restore && *list:
				return fmt.Errorf("%w: --restore or --list, not both", errUsage)
			case *restore || *list:
				if len(args) != 1 {
					return fmt.Errorf("%w: name one lab, such as 05, and no files: a restore brings back every file of the backup", errUsage)
				}
				if *list {
					return runResetList(e, args[0])
				}
				return runRestore(e, args[0])
			}
			return runReset(e, args, *yes)
		}
	},
}

// stdin is where reset reads the student's answer and progress --import -
// the progress file; the tests replace it.
var stdin io.Reader = os.Stdin

// onTerminal reports whether stdin is a terminal a person can answer on;
// the tests replace it.
var onTerminal = func() bool {
	f, ok := stdin.(*os.File)
	return ok && term.IsTerminal(f)
}

func runReset(e *env, args []string, yes bool) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: name the lab to reset, such as 05", errUsage)
	}
	l, err := e.namedLab(args[:1], "lab")
	if err != nil {
		return err
	}
	sums, err := labs.ReadSums(e.root)
	if err != nil {
		return err
	}
	ctx, stop := e.ctx()
	defer stop()
	plan, err := reset.Prepare(ctx, e.root, l, sums, reset.Options{Files: args[1:]})
	switch {
	case errors.Is(err, reset.ErrNothing):
		what := "files"
		if len(args) > 1 {
			what = "files named"
		}
		return fmt.Errorf("nothing to reset: lab %s's %s (%s) are as the book shipped them", l.Name, what, strings.Join(namesOr(args[1:], l.Files), ", "))
	case errors.Is(err, shipped.ErrUnrecoverable):
		return fmt.Errorf("cannot reset lab %s: %v\nnetbook reads the book's skeleton from git; in a copy without git history, download the lab's files again from the book's repository", l.Name, err)
	case err != nil:
		return err
	}

	s := e.style
	cmd := e.cmd()
	fmt.Fprintf(e.stdout, "Reset lab %s: %s %s back to the book's skeleton.\n", l.Name, join(plan.Names()), verb(len(plan.Files), "goes", "go"))
	fmt.Fprintf(e.stdout, "Your copies are saved first in %s, and %s brings them back.\n",
		e.root.Rel(reset.Dir(e.root, l.Name))+string(os.PathSeparator)+"...", s.Code(fmt.Sprintf("%s reset --restore %02d", cmd, l.Number)))
	if len(plan.Own) > 0 {
		fmt.Fprintf(e.stdout, "Left as they are: %s (your own), the tests, and every other lab.\n", join(plan.Own))
	}
	if !yes {
		if !onTerminal() {
			return fmt.Errorf("nothing was changed: netbook asks before a reset, and there is no terminal to ask on; add --yes to reset without asking")
		}
		if !confirm(e.stdout, stdin, "Reset? [y/N] ") {
			fmt.Fprintln(e.stdout, "Not reset: nothing was changed.")
			return exitError(1)
		}
	}
	b, err := plan.Apply(time.Now())
	if err != nil {
		return err
	}
	if st, err := e.state(); err == nil {
		st.Restarted(l.Name)
		e.saveState(st)
	}
	fmt.Fprintf(e.stdout, "\n%s %s %s the skeleton again; your work is in %s\n", s.Good("Reset:"), join(b.Names()), verb(len(b.Files), "is", "are"), e.root.Rel(b.Dir))
	fmt.Fprintf(e.stdout, "Start again with: %s\nChanged your mind? %s\n", s.Code(fmt.Sprintf("%s check %02d", cmd, l.Number)),
		s.Code(fmt.Sprintf("%s reset --restore %02d", cmd, l.Number)))
	return nil
}

func runRestore(e *env, arg string) error {
	l, err := e.namedLab([]string{arg}, "lab")
	if err != nil {
		return err
	}
	b, err := reset.Latest(e.root, l.Name)
	if errors.Is(err, reset.ErrNoBackup) {
		return fmt.Errorf("lab %s has no backup to restore: netbook reset %02d makes one before it changes anything", l.Name, l.Number)
	}
	if err != nil {
		return err
	}
	sums, err := labs.ReadSums(e.root)
	if err != nil {
		return err
	}
	res, err := reset.Restore(e.root, l, sums, b, time.Now())
	if err != nil {
		return err
	}
	s := e.style
	when := b.At.Local().Format("2 Jan 2006 15:04:05")
	if res.Same {
		fmt.Fprintf(e.stdout, "Lab %s's %s %s already as in the backup of %s (%s): nothing to restore.\n",
			l.Name, join(res.Files), verb(len(res.Files), "is", "are"), when, e.root.Rel(b.Dir))
		return nil
	}
	if res.Saved != nil {
		fmt.Fprintf(e.stdout, "Your work since then (%s) was saved first in %s.\n", join(res.Saved.Names()), e.root.Rel(res.Saved.Dir))
	}
	fmt.Fprintf(e.stdout, "%s %s of lab %s, as %s when saved on %s (%s).\n", s.Good("Restored:"), join(res.Files), l.Name,
		verb(len(res.Files), "it was", "they were"), when, e.root.Rel(b.Dir))
	fmt.Fprintf(e.stdout, "See where it stands: %s\n", s.Code(fmt.Sprintf("%s check %02d", e.cmd(), l.Number)))
	return nil
}

func runResetList(e *env, arg string) error {
	l, err := e.namedLab([]string{arg}, "lab")
	if err != nil {
		return err
	}
	all, err := reset.List(e.root, l.Name)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		fmt.Fprintf(e.stdout, "Lab %s has no backups: netbook reset %02d makes one before it changes anything.\n", l.Name, l.Number)
		return nil
	}
	fmt.Fprintf(e.stdout, "Backups of lab %s, oldest first (%s brings back the last):\n", l.Name, e.style.Code(fmt.Sprintf("%s reset --restore %02d", e.cmd(), l.Number)))
	for _, b := range all {
		why := "before a reset"
		if b.Why == "restore" {
			why = "before a restore"
		}
		fmt.Fprintf(e.stdout, "  %s  %-16s %-28s %s\n", b.At.Local().Format("2006-01-02 15:04:05"), why, join(b.Names()), e.root.Rel(b.Dir))
	}
	return nil
}

// confirm asks question on out and reports whether the answer read from in
// is yes.
func confirm(out io.Writer, in io.Reader, question string) bool {
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

// join lists names as a student reads them: "a", "a and b", "a, b and c".
func join(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func namesOr(names, fallback []string) []string {
	if len(names) > 0 {
		return names
	}
	return fallback
}
