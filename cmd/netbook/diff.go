package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/netbook/netbook/runner/diff"
	"github.com/netbook/netbook/runner/labrun"
)

var diffCmd = &command{
	name:    "diff",
	args:    "LAB",
	summary: "play a lab's scripted sessions against your code and the reference, and show the first byte where yours differs",
	example: "go run ./cmd/netbook diff 03\n" +
		"go run ./cmd/netbook diff 04          # a client lab: your client and the reference against scripted servers\n" +
		"go run ./cmd/netbook diff 05 --json",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		asJSON := fs.Bool("json", false, "print the report as JSON")
		timeout := fs.Duration("timeout", 0, "how long each step of a session may wait (default 2s, 4s for a client lab)")
		return func(e *env, args []string) error { return runDiff(e, args, *asJSON, *timeout) }
	},
}

func runDiff(e *env, args []string, asJSON bool, timeout time.Duration) error {
	l, err := e.namedLab(args, "lab")
	if err != nil {
		return err
	}
	ctx, stop := e.ctx()
	defer stop()
	o := diff.Options{Timeout: timeout}
	if !asJSON {
		if labrun.KindOf(l) != labrun.NotRunnable {
			fmt.Fprintf(e.stderr, "building your code and the reference for %s...\n", l.Name)
		}
		o.Progress = func(name string) { fmt.Fprintf(e.stderr, "playing %s\n", name) }
	}
	rep, err := diff.Run(ctx, e.root, l, o)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		n := fmt.Sprintf("%02d", l.Number)
		diff.WriteText(e.stdout, rep, e.style, diff.Advice{
			Up:    e.cmd() + " up " + n,
			UpRef: e.cmd() + " up " + n + " --ref",
			Check: e.cmd() + " check " + n,
		})
	}
	if !rep.OK() {
		return exitError(1)
	}
	return nil
}
