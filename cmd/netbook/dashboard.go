package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/progress"
	"github.com/netbook/netbook/runner/state"
)

var dashboardCmd = &command{
	name:    "",
	summary: "show each chapter, its lab's status, and the next thing to do",
	example: "go run ./cmd/netbook",
	setup:   noFlags(runDashboard),
}

func runDashboard(e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: the dashboard takes no arguments", errUsage)
	}
	ctx, stop := e.ctx()
	defer stop()
	p, err := e.progress(ctx, true)
	if err != nil {
		return err
	}
	b, st, entries := p.book, p.state, p.entries
	defer e.saveState(st)
	s := e.style
	fmt.Fprintf(e.stdout, "%s · network programming in Go, one lab at a time\n\n", s.Bold("netbook"))
	done, total := 0, 0
	fmt.Fprintf(e.stdout, "  %s\n", s.Dim(fmt.Sprintf("%2s  %-28s %-22s %s", "ch", "chapter", "lab", "status")))
	for _, en := range entries {
		lab, status := "", ""
		if p := en.Lab; p != nil {
			total++
			lab = p.Lab.Name
			status = p.Label()
			switch p.Status {
			case progress.Done:
				done++
				status = s.Good(status)
			case progress.NoCompile:
				status = s.Bad(status)
			case progress.InProgress:
				status = s.Warn(status)
			default:
				status = s.Dim(status)
			}
		}
		fmt.Fprintf(e.stdout, "  %2d  %-28s %-22s %s\n", en.Chapter.Number, clip(en.Chapter.Title, 28), lab, status)
	}
	fmt.Fprintf(e.stdout, "\n  %s %d of %d labs done\n\n", bar(done, total, 24), done, total)
	if len(b.Chapters) > 0 && b.Chapters[0].Number == 0 && !st.Read[b.Chapters[0].Slug] {
		fmt.Fprintf(e.stdout, "New here? %s explains how the workbook works.\n\n", s.Code(e.cmd()+" read 0"))
	}
	next := progress.Next(entries, st, e.cmd())
	fmt.Fprintf(e.stdout, "%s\n  %s\n", next.Text, s.Code(next.Command))
	return nil
}

// place is where the student stands: the book, the labs, the progress
// file, and each chapter's lab status.
type place struct {
	book    *book.Book
	labs    []*labs.Lab
	state   *state.State
	entries []progress.Entry
}

// progress loads the book, the labs and the state, and computes where the
// student is. With runTests, labs edited since their last result are tested.
func (e *env) progress(ctx context.Context, runTests bool) (*place, error) {
	if err := e.needRoot(); err != nil {
		return nil, err
	}
	p := &place{}
	var err error
	if p.book, err = e.book(); err != nil {
		return nil, err
	}
	if p.labs, err = e.labs(); err != nil {
		return nil, err
	}
	if p.state, err = e.state(); err != nil {
		return nil, err
	}
	sums, err := labs.ReadSums(e.root)
	if err != nil {
		return nil, err
	}
	var run progress.Runner
	if runTests {
		run = func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
			fmt.Fprintf(e.stderr, "checking %s (it changed since its last check)...\n", l.Name)
			return check.Run(ctx, e.root, l, check.Options{})
		}
	}
	p.entries, err = progress.Gather(ctx, p.book, p.labs, p.state, sums, run)
	return p, err
}

// chooseLab gathers the student's progress and returns it with the lab
// named in args (at most one), or else the first lab, in chapter order,
// that is not done; the lab is nil when every lab is done.
func (e *env) chooseLab(ctx context.Context, args []string) (*place, *labs.Lab, error) {
	if len(args) > 1 {
		return nil, nil, fmt.Errorf("%w: name one lab", errUsage)
	}
	p, err := e.progress(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	if len(args) == 1 {
		l, err := e.findLab(p.labs, args[0])
		return p, l, err
	}
	for _, en := range p.entries {
		if en.Lab != nil && en.Lab.Status != progress.Done {
			return p, en.Lab.Lab, nil
		}
	}
	return p, nil, nil
}

func bar(done, total, width int) string {
	if total == 0 {
		return "[" + strings.Repeat("-", width) + "]"
	}
	n := done * width / total
	return "[" + strings.Repeat("#", n) + strings.Repeat("-", width-n) + "]"
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
