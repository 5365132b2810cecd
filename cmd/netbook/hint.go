package main

import (
	"flag"
	"fmt"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/term"
)

var hintCmd = &command{
	name:    "hint",
	args:    "[LAB]",
	summary: "show the next hint for a lab (each call shows one more)",
	example: "go run ./cmd/netbook hint 01\ngo run ./cmd/netbook hint 01 --all",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		all := fs.Bool("all", false, "show every hint given so far again, without a new one")
		return func(e *env, args []string) error { return runHint(e, args, *all) }
	},
}

func runHint(e *env, args []string, again bool) error {
	ctx, stop := e.ctx()
	defer stop()
	p, l, err := e.chooseLab(ctx, args)
	if err != nil {
		return err
	}
	if l == nil {
		return fmt.Errorf("%w: every lab passes; name the lab whose hints you want", errUsage)
	}
	b, st := p.book, p.state
	if len(l.Hints) == 0 {
		fmt.Fprintf(e.stdout, "Lab %s has no hints.\n", l.Name)
		return nil
	}
	seen := st.Hints[l.Name]
	s := e.style
	if again {
		if seen == 0 {
			fmt.Fprintf(e.stdout, "No hints shown yet for %s. Get the first with: %s\n", l.Name, s.Code(fmt.Sprintf("%s hint %02d", e.cmd(), l.Number)))
			return nil
		}
		for i := 0; i < seen; i++ {
			printHint(e, l, i)
		}
		return nil
	}
	if seen >= len(l.Hints) {
		fmt.Fprintf(e.stdout, "You have seen all %d hints for %s:\n\n", len(l.Hints), l.Name)
		for i := range l.Hints {
			printHint(e, l, i)
		}
		if c := b.ByLab(l.Name); c != nil {
			fmt.Fprintf(e.stdout, "The chapter explains the rest: %s\n", s.Code(fmt.Sprintf("%s read %d", e.cmd(), c.Number)))
		}
		return nil
	}
	printHint(e, l, seen)
	st.Hints[l.Name] = seen + 1
	e.saveState(st)
	if seen+1 < len(l.Hints) {
		fmt.Fprintf(e.stdout, "Another hint: %s\n", s.Code(fmt.Sprintf("%s hint %02d", e.cmd(), l.Number)))
	} else {
		fmt.Fprintln(e.stdout, "That was the last hint.")
	}
	return nil
}

func printHint(e *env, l *labs.Lab, i int) {
	fmt.Fprintf(e.stdout, "%s\n%s\n", e.style.Bold(fmt.Sprintf("Hint %d of %d for %s:", i+1, len(l.Hints), l.Name)),
		term.Indent(l.Hints[i], "  "))
}
