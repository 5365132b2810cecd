package main

import (
	"context"
	"flag"
	"os"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/watch"
)

var watchCmd = &Command{
	Name:    "watch",
	Args:    "[LAB]",
	Summary: "run a lab's tests again each time you save, with each task's status and your progress",
	Example: "go run ./cmd/netbook watch           # the first lab not done yet\n" +
		"go run ./cmd/netbook watch 02 --auto # and go on to the next lab when it passes",
	Lang: true,
	New:  func() Runner { return &watchLab{} },
}

type watchLab struct {
	auto, poll bool
	o          check.Options
}

func (c *watchLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&c.auto, "auto", false, "go on to the next lab by itself when a lab passes")
	fs.BoolVar(&c.poll, "poll", false, "notice saves by polling the files (for folders where file events do not arrive, such as some network drives and VMs)")
	fs.BoolVar(&c.o.Race, "race", false, "run the tests with the race detector")
}

func (c *watchLab) Run(ctx context.Context, e *env, args []string) error {
	args = e.labArgs("watch", args, false)
	w, err := e.workbook(ctx, false)
	if err != nil {
		return err
	}
	l, err := chooseLab(w, args)
	if err != nil {
		return err
	}
	if l == nil {
		e.lang.Fprintf(e.stdout, lang.WatchEveryLab, e.cmd())
		return nil
	}
	s := watch.NewSession(w, l, c.o)
	s.Out, s.Style, s.Auto, s.Watch = e.stdout, e.style, c.auto, watch.Options{PollOnly: c.poll}
	f, _ := e.stdout.(*os.File)
	s.Width = style.Width(f)
	if style.IsTerminal(f) {
		s.Clear = true
	}
	keys, raw, restore := watch.Keys(ctx, os.Stdin)
	defer restore()
	s.Keys = keys
	if s.Clear && raw {
		s.Out = watch.CRLF(s.Out)
	}
	return s.Run(ctx)
}
