package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/netbook/netbook/runner/hidden"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/verify"
)

var verifyCmd = &Command{
	Name: "verify",
	Args: "[LAB...]",
	Summary: "prove the labs: every test fails on the skeleton and passes on the reference solution " +
		"(for authors and CI; it never changes your files)",
	Example: "go run ./cmd/netbook verify\n" +
		"go run ./cmd/netbook verify 03 --race --count 20\n" +
		"go run ./cmd/netbook verify --update-sums   # after changing a lab\n" +
		"go run ./cmd/netbook verify --as-shipped    # in a student's clone: the book as shipped\n" +
		"go run ./cmd/netbook verify 03 --hidden ~/course/hidden   # an instructor's hidden tests too",
	New: func() Runner { return &verifyLabs{} },
}

type verifyLabs struct {
	o            verify.Options
	update, json bool
}

func (v *verifyLabs) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&v.o.Race, "race", false, "build the solution's tests with the race detector")
	fs.IntVar(&v.o.Count, "count", 1, "run the solution's tests this many times in a row")
	fs.BoolVar(&v.update, "update-sums", false, "rewrite labs/"+labs.SumsFile+" from the labs as they are, then verify")
	fs.BoolVar(&v.o.AsShipped, "as-shipped", false, "prove the labs as the book shipped them, whatever your copy holds (your work is left alone)")
	fs.BoolVar(&v.o.NoWrongs, "no-wrongs", false, "do not run the wrong solutions (quicker; they are still read)")
	fs.IntVar(&v.o.Jobs, "jobs", 0, "prove this many wrong solutions at once (0: one per CPU, at most 4)")
	fs.BoolVar(&v.json, "json", false, "print the reports as JSON")
	fs.StringVar(&v.o.Hidden, "hidden", "", "also prove the hidden tests in `DIR`/NN-slug/ (see docs/instructors.md)")
}

func (v *verifyLabs) Run(ctx context.Context, e *env, args []string) error {
	all, broken, err := e.labs()
	if err != nil {
		return err
	}
	if len(args) > 0 {
		broken = nil // only the labs named matter
	}
	if v.o.Hidden != "" {
		if err := hidden.Check(v.o.Hidden, all); err != nil {
			return err
		}
	}
	if v.update {
		if err := labs.WriteSums(e.root, all); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote labs/%s\n", labs.SumsFile)
	}
	chosen, err := e.pick(all, args)
	if err != nil {
		return err
	}
	o := v.o
	if o.Book, err = e.book(); err != nil {
		return err
	}
	if o.Sums, err = labs.ReadSums(e.root); err != nil {
		return err
	}
	failed, err := verify.Prove(ctx, e.root, chosen, broken, o, e.stdout, e.style, v.json)
	if err != nil {
		return err
	}
	if failed > 0 {
		return exitError(1)
	}
	return nil
}
