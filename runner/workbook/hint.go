package workbook

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
)

// Hint is one level of a task's hints, as netbook hint, watch's h key and
// a web page show it.
type Hint struct {
	Lab  *Lab
	Task *labs.Task // the task the hint is for; nil for a build failure
	// Build is set when the lab's code does not compile: no task can run,
	// so the hint is about reading compile errors (Text), not a task's.
	Build  bool
	Level  int    // the level shown, from 1; 0 when the task has no hints
	Levels int    // how many levels the task has
	Text   string // the level's text
	// Lang is the language the hint is shown in: its text's, when the lab
	// has hints in it, and its title's (HintTitle).
	Lang lang.Lang
	// Again is set when every level had been shown already: Text is the
	// last one, shown again.
	Again bool
	// Chose says why the task was chosen, in Lang: "the first that fails",
	// or "" when the student named it.
	Chose string
}

// ErrAllPass is Hint's error for a lab whose every task passes when no
// task is named.
var ErrAllPass = errors.New("every task of the lab passes")

// Hint shows the next level of the hints for a task of lab l and
// remembers it in the progress file. With task 0 the task is the first
// that fails, from the last check of the lab's current content when there
// is one, else (or when the lab is done elsewhere, its files here the
// skeleton) from a check run now; a lab that does not compile gets
// a hint about reading compile errors (lang.HintBuild) instead. Once
// every level was shown, the last is shown again.
func (w *Workbook) Hint(ctx context.Context, l *Lab, task int) (*Hint, error) {
	h := &Hint{Lab: l, Lang: w.Lang}
	if task == 0 {
		build, next := l.Status == NoCompile, l.Next
		// Done elsewhere (the record stands, the files here are the
		// skeleton): the hint is for the files here, so their tasks run,
		// and what the check finds counts, though the lab stays done
		// (see Check).
		if !l.Known || l.Elsewhere {
			res, err := w.Check(ctx, l, check.Options{})
			if err != nil {
				return nil, err
			}
			build, next = res.Status == check.BuildFailed, firstFailing(l.Lab, res)
		}
		switch {
		case build:
			h.Build, h.Text = true, w.Lang.Sprintf(lang.HintBuild)
			return h, nil
		case next == nil:
			return nil, fmt.Errorf("%w: ask for a task's hints with: %s hint %02d N", ErrAllPass, w.Cmd, l.Lab.Number)
		}
		task, h.Chose = next.Number, w.Lang.Sprintf(lang.HintChoseFirst)
	}
	for i := range l.Lab.Tasks {
		if l.Lab.Tasks[i].Number == task {
			h.Task = &l.Lab.Tasks[i]
		}
	}
	if h.Task == nil {
		return nil, fmt.Errorf("lab %s has no task %d: its tasks are 1 to %d", l.Lab.Name, task, len(l.Lab.Tasks))
	}
	levels := l.Lab.Hints.For(task)
	h.Levels = len(levels)
	if len(levels) == 0 {
		return h, nil
	}
	shown := w.State.Shown(l.Lab.Name, task)
	if shown >= len(levels) {
		h.Level, h.Again = len(levels), true
	} else {
		h.Level = shown + 1
		w.State.SetShown(l.Lab.Name, task, h.Level)
		w.Save()
	}
	h.Text = levels[h.Level-1]
	return h, nil
}

// firstFailing is the first of lab l's tasks that res does not pass, or
// nil when it passes every one.
func firstFailing(l *labs.Lab, res *check.Result) *labs.Task {
	for i := range l.Tasks {
		if !slices.ContainsFunc(res.Tasks, func(t check.TaskResult) bool {
			return t.Number == l.Tasks[i].Number && t.Status == gotest.Pass
		}) {
			return &l.Tasks[i]
		}
	}
	return nil
}

// Shown returns the levels of a task's hints that the student has seen,
// in order, without showing a new one. With task 0, the task is the lab's
// first that does not pass, as far as the workbook knows.
func (w *Workbook) Shown(l *Lab, task int) []*Hint {
	if task == 0 && l.Next != nil {
		task = l.Next.Number
	}
	var t *labs.Task
	for i := range l.Lab.Tasks {
		if l.Lab.Tasks[i].Number == task {
			t = &l.Lab.Tasks[i]
		}
	}
	if t == nil {
		return nil
	}
	levels := l.Lab.Hints.For(task)
	var out []*Hint
	for i := range min(w.State.Shown(l.Lab.Name, task), len(levels)) {
		out = append(out, &Hint{Lab: l, Task: t, Level: i + 1, Levels: len(levels), Text: levels[i], Lang: w.Lang})
	}
	return out
}

// HintCommand is the command that shows the next level of the hints for
// task of lab l ("netbook hint 01 3"; "netbook hint 01" when task is the
// first that fails), or "" when every level has been shown or there are
// none.
func (w *Workbook) HintCommand(l *Lab, task int) string {
	levels := l.Lab.Hints.For(task)
	if w.State.Shown(l.Lab.Name, task) >= len(levels) {
		return ""
	}
	if l.Known && l.Next != nil && l.Next.Number == task {
		return w.Command("hint", l)
	}
	return fmt.Sprintf("%s %d", w.Command("hint", l), task)
}
