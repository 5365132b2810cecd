package main

import (
	"flag"
	"fmt"

	"github.com/netbook/netbook/runner/newlab"
)

var newLabCmd = &command{
	name: "new-lab",
	args: "NN-slug",
	summary: "scaffold a new lab that verify proves at once: brief, hints, skeleton, a first task, " +
		"solution, a wrong solution, a chapter stub (for authors; it never overwrites a file)",
	example: "go run ./cmd/netbook new-lab 11-udp-broadcast\n" +
		"go run ./cmd/netbook new-lab 11-udp-broadcast --title \"UDP broadcast\" --chapter 11-broadcast",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		var o newlab.Options
		fs.StringVar(&o.Title, "title", "", "the lab's and the chapter's title (default: from the slug)")
		fs.StringVar(&o.Chapter, "chapter", "", "the new chapter's `NN-slug` (default: the lab's name)")
		fs.StringVar(&o.Package, "package", "", "the lab's Go package name (default: the slug without dashes)")
		return func(e *env, args []string) error { return runNewLab(e, args, o) }
	},
}

func runNewLab(e *env, args []string, o newlab.Options) error {
	if err := e.needRoot(); err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: name the new lab, such as 11-udp-broadcast", errUsage)
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	l, err := newlab.Plan(e.root, args[0], o)
	if err != nil {
		return err
	}
	if err := newlab.Create(e.root, l); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created lab %s:\n", l.Name)
	for _, f := range l.Files {
		fmt.Fprintf(e.stdout, "  %s\n", f)
	}
	fmt.Fprintf(e.stdout, "and its lines in labs/book.sum.\n\n%s", l.NextSteps(e.cmd(), len(b.Chapters)))
	return nil
}
