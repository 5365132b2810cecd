package workbook

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/state"
)

// Status is where a lab stands.
type Status string

// The statuses a lab can have.
const (
	NotStarted Status = "not started"
	InProgress Status = "in progress"
	NoCompile  Status = "does not compile"
	Done       Status = "done"
)

// Lab is one lab's progress.
type Lab struct {
	Lab    *labs.Lab
	Status Status
	Passed int
	Total  int
	Next   *labs.Task // the first task that does not pass yet
	// Known reports whether the status is that of the lab's current
	// content: its files match the skeleton, or a result was recorded for
	// them. A lab edited since its last check is NotStarted and not Known
	// until its tests run.
	Known bool
	// DoneAt is when the lab was first done; zero when it is not done or
	// the date is unknown.
	DoneAt time.Time
	// Elsewhere marks a lab done by the state file's record alone: its
	// files here are the skeleton, and the files that passed are elsewhere.
	Elsewhere bool
	// FirstDone is set by Workbook.Check, and by Of when it runs the tests
	// (the dashboard), when the check it ran was the first time every task
	// passed (or the first since the lab was started over): the moment to
	// point to the reference (netbook compare).
	FirstDone bool
}

// Entry is one line of the dashboard: a chapter and its lab, if it has one.
type Entry struct {
	Chapter *book.Chapter
	Lab     *Lab
}

// Runner runs a lab's tests.
type Runner func(ctx context.Context, l *labs.Lab) (*check.Result, error)

// Gather computes every chapter's lab status, running the tests of labs that
// changed since their last result. It updates st's cached results; the
// caller saves st.
func Gather(ctx context.Context, b *book.Book, all []*labs.Lab, st *state.State, sums *labs.Sums, run Runner) ([]Entry, error) {
	var entries []Entry
	for _, c := range b.Chapters {
		e := Entry{Chapter: c}
		if c.Lab != "" {
			l, err := labs.Find(all, c.Lab)
			if err != nil {
				return nil, fmt.Errorf("chapter %s links to lab %q, which does not exist", c.Slug, c.Lab)
			}
			p, err := Of(ctx, l, st, sums, run)
			if err != nil {
				return nil, err
			}
			e.Lab = p
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// Of computes one lab's progress.
func Of(ctx context.Context, l *labs.Lab, st *state.State, sums *labs.Sums, run Runner) (*Lab, error) {
	p := &Lab{Lab: l, Total: len(l.Tasks), Status: NotStarted}
	if len(l.Tasks) > 0 {
		p.Next = &l.Tasks[0]
	}
	if sums.Pristine(l) {
		p.Known = true
		if d, ok := st.Done[l.Name]; ok && d.Stands() {
			p.Status, p.Passed, p.Next = Done, p.Total, nil
			p.DoneAt, p.Elsewhere = d.At, true
		}
		return p, nil
	}
	hash, err := l.Hash()
	if err != nil {
		return nil, err
	}
	r, ok := st.Results[l.Name]
	if !ok || r.Hash != hash {
		if run == nil {
			return p, nil
		}
		res, err := run(ctx, l)
		if err != nil {
			return nil, err
		}
		before, wasDone := st.Done[l.Name]
		r = Record(st, l, hash, res)
		p.FirstDone = r.Done && (!wasDone || !before.Stands())
	}
	p.apply(r)
	if p.Status == Done {
		if d, ok := st.Done[l.Name]; !ok || !d.Stands() {
			if err := passed(st, l, r.At); err != nil {
				return nil, err
			}
		}
		p.DoneAt = st.Done[l.Name].At
	}
	return p, nil
}

// Record caches a check result for the lab's content hash and, when every
// task passed, records the lab as done (state.Done) with the fingerprints
// of the student's files.
func Record(st *state.State, l *labs.Lab, hash string, res *check.Result) state.Result {
	r := state.Result{Hash: hash, Total: res.Total, Done: res.Status == check.Passed, Passed: []int{}, At: time.Now()}
	for _, t := range res.Tasks {
		if t.Status == gotest.Pass {
			r.Passed = append(r.Passed, t.Number)
		}
	}
	if res.Status == check.BuildFailed {
		r.Passed = nil // nil, not empty: the code did not compile
	}
	st.Results[l.Name] = r
	if r.Done {
		// The fingerprints are a record, not a reason to lose the result.
		_ = passed(st, l, r.At)
	}
	return r
}

// passed records in st that lab l is done, first at at (now when zero),
// with its files as they are.
func passed(st *state.State, l *labs.Lab, at time.Time) error {
	files, err := l.Fingerprints()
	if err != nil {
		return err
	}
	if at.IsZero() {
		at = time.Now()
	}
	st.Passed(l.Name, at, files)
	return nil
}

func (p *Lab) apply(r state.Result) {
	p.Known = true
	p.Passed = len(r.Passed)
	p.Next = nil
	for i := range p.Lab.Tasks {
		if !slices.Contains(r.Passed, p.Lab.Tasks[i].Number) {
			p.Next = &p.Lab.Tasks[i]
			break
		}
	}
	switch {
	case r.Done:
		p.Status = Done
	case r.Passed == nil:
		p.Status = NoCompile
	default:
		p.Status = InProgress
	}
}

// In is the status in language l, as the dashboard prints it.
func (s Status) In(l lang.Lang) string {
	switch s {
	case NotStarted:
		return l.Sprintf(lang.StatusNotStarted)
	case InProgress:
		return l.Sprintf(lang.StatusInProgress)
	case NoCompile:
		return l.Sprintf(lang.StatusNoCompile)
	case Done:
		return l.Sprintf(lang.StatusDone)
	}
	return string(s)
}

// Label is the status as the dashboard prints it, in English.
func (p *Lab) Label() string { return p.LabelIn(lang.English) }

// LabelIn is the status as the dashboard prints it, in language l.
func (p *Lab) LabelIn(l lang.Lang) string {
	switch p.Status {
	case InProgress:
		return l.Sprintf(lang.LabelTasks, p.Passed, p.Total)
	case Done:
		switch {
		case p.DoneAt.IsZero():
			return l.Sprintf(lang.LabelDoneTasks, p.Total)
		case p.Elsewhere:
			return l.Sprintf(lang.LabelDoneElsewhere, l.Day(p.DoneAt))
		}
		return l.Sprintf(lang.LabelDoneOn, l.Day(p.DoneAt))
	}
	return p.Status.In(l)
}

// Step is the next thing to do: a sentence and a command to copy.
type Step struct {
	Text    string
	Command string
	Lab     *Lab // the lab it is about, if any
}

// Next picks the single next thing to do, said in language l. cmd is how
// to invoke netbook.
func Next(entries []Entry, st *state.State, cmd string, l lang.Lang) Step {
	for _, e := range entries {
		p := e.Lab
		if p == nil || p.Status == Done {
			continue
		}
		c := e.Chapter
		switch {
		case p.Status == NotStarted && !st.Read[c.Slug]:
			return Step{Lab: p,
				Text:    l.Sprintf(lang.NextRead, p.Lab.Name, c.Number, c.Title),
				Command: fmt.Sprintf("%s read %d", cmd, c.Number)}
		case p.Status == NoCompile:
			return Step{Lab: p,
				Text:    l.Sprintf(lang.NextNoCompile, p.Lab.Name),
				Command: fmt.Sprintf("%s check %02d", cmd, p.Lab.Number)}
		default:
			text := l.Sprintf(lang.NextLab, p.Lab.Name)
			if p.Next != nil {
				text = l.Sprintf(lang.NextTask, p.Lab.Name, p.Next.Number, p.Total, p.Next.Title)
			}
			return Step{Lab: p, Text: text, Command: fmt.Sprintf("%s check %02d", cmd, p.Lab.Number)}
		}
	}
	return Step{Text: l.Sprintf(lang.NextFinished), Command: cmd + " list"}
}
