package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/progress"
	"github.com/netbook/netbook/runner/term"
	"github.com/netbook/netbook/runner/watch"
	xterm "golang.org/x/term"
)

var watchCmd = &command{
	name:    "watch",
	args:    "[LAB]",
	summary: "run a lab's tests again each time you save, with each task's status and your progress",
	example: "go run ./cmd/netbook watch           # the first lab not done yet\n" +
		"go run ./cmd/netbook watch 02 --auto # and go on to the next lab when it passes",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		var o watchOptions
		fs.BoolVar(&o.auto, "auto", false, "go on to the next lab by itself when a lab passes")
		fs.BoolVar(&o.poll, "poll", false, "notice saves by polling the files (for folders where file events do not arrive, such as some network drives and VMs)")
		fs.BoolVar(&o.race, "race", false, "run the tests with the race detector")
		return func(e *env, args []string) error { return runWatch(e, args, o) }
	},
}

type watchOptions struct {
	auto, poll, race bool
}

func runWatch(e *env, args []string, o watchOptions) error {
	ctx, stop := e.ctx()
	defer stop()
	p, l, err := e.chooseLab(ctx, args)
	if err != nil {
		return err
	}
	sums, err := labs.ReadSums(e.root)
	if err != nil {
		return err
	}
	if l == nil {
		fmt.Fprintf(e.stdout, "Every lab passes. Watch one again with: %s watch 01\n", e.cmd())
		return nil
	}
	all, st := p.labs, p.state
	start := 0
	for i, x := range all {
		if x == l {
			start = i
		}
	}

	out := e.stdout
	clear := false
	if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(f) {
		clear = true
	}
	keys, restore := readKeys(ctx, os.Stdin)
	defer restore()
	if clear && term.IsTerminal(os.Stdin) {
		out = crlf{out} // a raw terminal does not return the carriage by itself
	}

	s := &watch.Session{
		Labs:  all,
		Start: start,
		Check: func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
			hash, err := l.Hash()
			if err != nil {
				return nil, err
			}
			res, err := check.Run(ctx, e.root, l, check.Options{Race: o.race})
			if err != nil {
				return nil, err
			}
			progress.Record(st, l, hash, res)
			e.saveState(st)
			return res, nil
		},
		Progress: func() (int, int) {
			done := 0
			for _, x := range all {
				if p, err := progress.Of(ctx, x, st, sums, nil); err == nil && p.Status == progress.Done {
					done++
				}
			}
			return done, len(all)
		},
		HintCmd: func(l *labs.Lab) string {
			if st.Hints[l.Name] >= len(l.Hints) {
				return ""
			}
			return fmt.Sprintf("%s hint %02d", e.cmd(), l.Number)
		},
		NextHint: func(l *labs.Lab) string {
			if len(l.Hints) == 0 {
				return "This lab has no hints."
			}
			i := st.Hints[l.Name]
			if i >= len(l.Hints) {
				i = len(l.Hints) - 1
			} else {
				st.Hints[l.Name] = i + 1
				e.saveState(st)
			}
			return fmt.Sprintf("Hint %d of %d:\n%s", i+1, len(l.Hints), term.Indent(l.Hints[i], "  "))
		},
		Dir:   func(l *labs.Lab) string { return e.root.Rel(l.Dir) },
		Keys:  keys,
		Out:   out,
		Style: e.style,
		Clear: clear,
		Auto:  o.auto,
		Watch: watch.Options{PollOnly: o.poll},
	}
	return s.Run(ctx)
}

// readKeys delivers key presses until ctx ends: single keys from a
// terminal (in raw mode until restore is called), or the first character of
// each line from a pipe or file. The channel closes at the end of input.
func readKeys(ctx context.Context, in *os.File) (keys <-chan rune, restore func()) {
	ch := make(chan rune)
	restore = func() {}
	var next func() (rune, bool)
	if xterm.IsTerminal(int(in.Fd())) {
		old, err := xterm.MakeRaw(int(in.Fd()))
		if err != nil {
			return nil, restore
		}
		restore = func() { xterm.Restore(int(in.Fd()), old) }
		r := bufio.NewReader(in)
		next = func() (rune, bool) {
			k, _, err := r.ReadRune()
			return k, err == nil
		}
	} else {
		sc := bufio.NewScanner(in)
		next = func() (rune, bool) {
			for sc.Scan() {
				if line := strings.TrimSpace(sc.Text()); line != "" {
					return []rune(line)[0], true
				}
			}
			return 0, false
		}
	}
	go func() {
		defer close(ch)
		for {
			k, ok := next()
			if !ok {
				return
			}
			select {
			case ch <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, restore
}

// crlf turns "\n" into "\r\n" for a terminal in raw mode.
type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	if _, err := c.w.Write([]byte(strings.ReplaceAll(string(p), "\n", "\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
