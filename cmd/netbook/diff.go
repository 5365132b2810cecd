package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/netbook/netbook/runner/diff"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

var diffCmd = &Command{
	Name:    "diff",
	Args:    "LAB",
	Summary: "play a lab's scripted sessions against your code and the reference, and show the first byte where yours differs",
	Example: "go run ./cmd/netbook diff 03\n" +
		"go run ./cmd/netbook diff 04          # a client lab: your client and the reference against scripted servers\n" +
		"go run ./cmd/netbook diff 05 --json",
	New:  func() Runner { return &diffLab{} },
	Lang: true,
}

type diffLab struct {
	json    bool
	timeout time.Duration
}

func (d *diffLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&d.json, "json", false, "print the report as JSON")
	fs.DurationVar(&d.timeout, "timeout", 0, "how long each step of a session may wait (default 2s, 4s for a client lab)")
}

func (d *diffLab) Run(ctx context.Context, e *env, args []string) error {
	l, err := e.namedLab(e.labArgs("diff", args, false), "lab")
	if err != nil {
		return err
	}
	// --json stays English, its errors too.
	o := diff.Options{Timeout: d.timeout}
	if !d.json {
		o.Lang = e.lang
		o.Building = func() { e.lang.Fprintf(e.stderr, lang.DiffBuilding, l.Name) }
		o.Progress = func(name string) { e.lang.Fprintf(e.stderr, lang.DiffPlaying, name) }
	}
	rep, err := diff.Run(ctx, e.root, l, o)
	if err != nil {
		return err
	}
	if d.json {
		if err := writeJSON(e, rep); err != nil {
			return err
		}
	} else {
		n := fmt.Sprintf("%02d", l.Number)
		f, _ := e.stdout.(*os.File)
		diff.WriteText(e.stdout, rep, e.style, diff.Advice{
			Up:    e.cmd() + " up " + n,
			UpRef: e.cmd() + " up " + n + " --ref",
			Check: e.cmd() + " check " + n,
			Width: style.Width(f),
			Lang:  e.lang,
		})
	}
	if !rep.OK() {
		return exitError(1)
	}
	return nil
}
