package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/reset"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

var resetCmd = &Command{
	Name:    "reset",
	Args:    "LAB [FILE...] | --restore LAB | --list LAB",
	Summary: "start a lab over: put your files back as the book shipped them, after saving them",
	Example: "go run ./cmd/netbook reset 05                # asks first; your files are saved in .netbook/backups/05-snack-shop/\n" +
		"go run ./cmd/netbook reset 05 shop.go --yes   # one file, without asking\n" +
		"go run ./cmd/netbook reset --restore 05       # bring back the files the last reset saved\n" +
		"go run ./cmd/netbook reset --list 05          # every backup of lab 05",
	New: func() Runner { return &resetLab{} },
}

type resetLab struct{ yes, restore, list bool }

func (r *resetLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&r.yes, "yes", false, "reset without asking")
	fs.BoolVar(&r.restore, "restore", false, "bring back the lab's last backup instead")
	fs.BoolVar(&r.list, "list", false, "list the lab's backups instead")
}

func (r *resetLab) Run(ctx context.Context, e *env, args []string) error {
	args = e.labArgs("reset", args, true)
	switch {
	case r.restore && r.list:
		return fmt.Errorf("%w: --restore or --list, not both", errUsage)
	case (r.restore || r.list) && len(args) != 1:
		return fmt.Errorf("%w: name one lab, such as 05, and no files:\na restore brings back every file of the backup", errUsage)
	case len(args) == 0:
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
	f, _ := e.stdout.(*os.File)
	text := reset.Text{Root: e.root, Style: e.style, Cmd: e.cmd(), Width: style.Width(f)}
	switch {
	case r.list:
		all, err := reset.List(e.root, l.Name)
		if err != nil {
			return err
		}
		text.WriteList(e.stdout, l, all)
		return nil
	case r.restore:
		b, err := reset.Latest(e.root, l.Name)
		if errors.Is(err, reset.ErrNoBackup) {
			return reset.NoBackup(l, e.cmd())
		}
		if err != nil {
			return err
		}
		res, err := reset.Restore(e.root, l, sums, b, time.Now())
		if err != nil {
			return err
		}
		text.WriteRestored(e.stdout, l, b, res)
		return nil
	}

	files := args[1:]
	plan, err := reset.Prepare(ctx, e.root, l, sums, reset.Options{Files: files})
	if err != nil {
		return reset.Why(err, l, files)
	}
	text.WritePlan(e.stdout, plan)
	if !r.yes {
		if !e.terminal {
			return reset.ErrNoTerminal
		}
		if !reset.Confirm(e.stdout, e.stdin, reset.Question) {
			fmt.Fprintln(e.stdout, reset.Declined)
			return exitError(1)
		}
	}
	b, err := plan.Apply(time.Now())
	if err != nil {
		return err
	}
	// The lab is not done any more while its files are the skeleton. A
	// progress file that does not load is no reason to hide the reset.
	if w, err := workbook.Open(ctx, e.root, workbook.Options{Warn: e.stderr}); err == nil {
		if p, err := w.Find(l.Name); err == nil {
			w.Restarted(p)
		}
	}
	text.WriteDone(e.stdout, l, b)
	return nil
}
