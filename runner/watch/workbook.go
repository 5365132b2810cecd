package watch

import (
	"context"
	"time"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/workbook"
)

// ForWorkbook is the Book of a session over the student's workbook: checks
// run with o and are recorded there, and hints come from it as netbook
// hint gives them.
func ForWorkbook(w *workbook.Workbook, o check.Options) Book { return wbBook{w, o} }

// NewSession is a session over the student's workbook that starts at lab
// start and goes on through every lab of the book, in order.
func NewSession(w *workbook.Workbook, start *workbook.Lab, o check.Options) *Session {
	s := &Session{Book: ForWorkbook(w, o), Lang: w.Lang}
	for i, l := range w.Labs {
		s.Labs = append(s.Labs, l.Lab)
		if l == start {
			s.Start = i
		}
	}
	return s
}

type wbBook struct {
	w *workbook.Workbook
	o check.Options
}

func (b wbBook) lab(l *labs.Lab) *workbook.Lab {
	p, _ := b.w.Find(l.Name)
	return p
}

func (b wbBook) Check(ctx context.Context, l *labs.Lab) (*check.Result, error) {
	return b.w.Check(ctx, b.lab(l), b.o)
}

func (b wbBook) Progress() (int, int) { return b.w.Progress() }

func (b wbBook) Dir(l *labs.Lab) string { return b.w.Dir(b.lab(l)) }

// Elsewhere is what netbook check's report says of the lab (see
// workbook.Advice): its files are the skeleton as shipped, and the
// progress holds a done record that stands, carried from another copy.
func (b wbBook) Elsewhere(l *labs.Lab) (time.Time, bool) {
	d, ok := b.w.State.Done[l.Name]
	if !ok || !d.Stands() || b.w.Sums == nil || !b.w.Sums.Pristine(l) {
		return time.Time{}, false
	}
	return d.At, true
}

func (b wbBook) HintCmd(l *labs.Lab, res *check.Result) string {
	if res != nil && res.Status == check.BuildFailed {
		return b.w.Command("hint", b.lab(l))
	}
	if res == nil || res.Failure == nil {
		return ""
	}
	return b.w.HintCommand(b.lab(l), res.Failure.Task)
}

func (b wbBook) NextHint(ctx context.Context, l *labs.Lab, res *check.Result, cols int) string {
	task := 0
	if res != nil && res.Failure != nil {
		task = res.Failure.Task
	}
	h, err := b.w.Hint(ctx, b.lab(l), task)
	if err != nil {
		return err.Error()
	}
	switch {
	case h.Build:
		return workbook.WrapHint(h, cols)
	case h.Levels == 0:
		return b.w.Lang.Sprintf(lang.HintNoneTask, h.Task.Number)
	}
	return workbook.HintTitle(h) + "\n" + workbook.WrapHint(h, cols)
}
