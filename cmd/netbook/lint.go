package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
)

var lintCmd = &Command{
	Name:    "lint",
	Args:    "[LAB...]",
	Summary: "read a lab's code as a reviewer would: the network mistakes tests can miss (advice; check shows it too)",
	Example: "go run ./cmd/netbook lint 03          # your server: one Read taken as one message, a read with no deadline...\n" +
		"go run ./cmd/netbook lint --ref        # every lab's reference solution: it prints nothing\n" +
		"go vet -vettool=$(go env GOPATH)/bin/netbook-vet ./labs/03-hello-server   # the same analyzers in go vet, after go install ./cmd/netbook-vet",
	New: func() Runner { return &lintLabs{} },
}

type lintLabs struct {
	ref, json bool
}

func (c *lintLabs) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&c.ref, "ref", false, "read the reference solution instead of your code (with no LAB: every lab's)")
	fs.BoolVar(&c.json, "json", false, "print the findings as JSON")
}

func (c *lintLabs) Run(ctx context.Context, e *env, args []string) error {
	all, _, err := e.labs()
	if err != nil {
		return err
	}
	args = e.labArgs("lint", args, false)
	chosen, err := e.pick(all, args)
	if err != nil {
		return err
	}
	if len(args) == 0 && !c.ref {
		w, err := e.workbook(ctx, false)
		if err != nil {
			return err
		}
		cur := w.Current()
		if cur == nil {
			fmt.Fprintf(e.stdout, "Every lab passes. Read one's code again with: %s lint 03\n", e.cmd())
			return nil
		}
		chosen = []*labs.Lab{cur.Lab}
	}
	found := map[string][]analysis.Finding{}
	n := 0
	for _, l := range chosen {
		var overlay map[string]string
		if c.ref {
			if overlay, err = l.SolutionFiles(); err != nil {
				return err
			}
		}
		fs, err := analysis.Run(ctx, l.Dir, l.StudentFiles(), overlay)
		if errors.Is(err, analysis.ErrDoesNotCompile) {
			fmt.Fprintf(e.stderr, "%s does not compile yet: %s check %02d shows why\n", l.Name, e.cmd(), l.Number)
			continue
		}
		if err != nil {
			return err
		}
		found[l.Name], n = fs, n+len(fs)
		if !c.json {
			check.WriteFindingList(e.stdout, l.Name, fs, "", e.style, lang.English) // lint speaks English only
			if len(fs) == 0 && !c.ref {
				// Silence would leave a student wondering which lab was read.
				fmt.Fprintf(e.stdout, "%s: nothing to point out.\n", l.Name)
			}
		}
	}
	if c.json {
		if err := writeJSON(e, found); err != nil {
			return err
		}
	}
	if n > 0 {
		return exitError(1)
	}
	return nil
}
