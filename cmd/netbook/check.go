package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/netbook/netbook/runner/check"
)

var checkCmd = &Command{
	Name:    "check",
	Args:    "[LAB]",
	Summary: "run a lab's tests and show each task's status and the first failure",
	Example: "go run ./cmd/netbook check        # the first lab not done yet\n" +
		"go run ./cmd/netbook check 01\n" +
		"go run ./cmd/netbook check 02-first-connection --json",
	New: func() Runner { return &checkLab{} },
}

type checkLab struct {
	json bool
	o    check.Options
}

func (c *checkLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&c.json, "json", false, "print the result as JSON")
	fs.BoolVar(&c.o.Race, "race", false, "run the tests with the race detector")
	fs.DurationVar(&c.o.Timeout, "timeout", 2*time.Minute, "stop the tests after this long")
}

func (c *checkLab) Run(ctx context.Context, e *env, args []string) error {
	w, err := e.workbook(ctx, false)
	if err != nil {
		return err
	}
	l, err := chooseLab(w, args)
	if err != nil {
		return err
	}
	if l == nil {
		fmt.Fprintf(e.stdout, "Every lab passes. Check one again with: %s check 01\n", e.cmd())
		return nil
	}
	res, err := w.Check(ctx, l, c.o)
	if err != nil {
		return err
	}
	if c.json {
		if err := writeJSON(e, res); err != nil {
			return err
		}
	} else {
		check.WriteText(e.stdout, res, e.style, w.Advice(l, res, e.style.Code))
	}
	if res.Status != check.Passed {
		return exitError(1)
	}
	return nil
}

// writeJSON prints v as indented JSON.
func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
