package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/netbook/netbook/runner/classroom"
	"github.com/netbook/netbook/runner/newlab"
)

var newLabCmd = &Command{
	Name: "new-lab",
	Args: "NN-slug",
	Summary: "scaffold a new lab that verify proves at once: brief, hints, skeleton, a first task, " +
		"solution, a wrong solution, a chapter stub; it adds the lab to labs/book.sum and " + classroom.BookFile +
		" and never overwrites another file (for authors)",
	Example: "go run ./cmd/netbook new-lab 12-udp-broadcast\n" +
		"go run ./cmd/netbook new-lab 12-udp-broadcast --title \"UDP broadcast\" --chapter 12-broadcast",
	New: func() Runner { return &newLab{} },
}

type newLab struct{ o newlab.Options }

func (n *newLab) Flags(fs *flag.FlagSet) {
	fs.StringVar(&n.o.Title, "title", "", "the lab's and the chapter's title (default: from the slug)")
	fs.StringVar(&n.o.Chapter, "chapter", "", "the new chapter's `NN-slug` (default: the lab's name)")
	fs.StringVar(&n.o.Package, "package", "", "the lab's Go package name (default: the slug without dashes)")
}

func (n *newLab) Run(_ context.Context, e *env, args []string) error {
	if e.rootErr != nil {
		return e.rootErr
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: name the new lab, such as %s", errUsage, newlab.Example(e.root))
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	l, err := newlab.Plan(e.root, args[0], n.o)
	if err != nil {
		return err
	}
	if err := newlab.Create(e.root, l); err != nil {
		return err
	}
	l.WriteCreated(e.stdout, e.cmd(), len(b.Chapters))
	return nil
}
