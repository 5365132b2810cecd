package watch

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// Book is what a watch session needs of the student's workbook;
// *workbook.Workbook is one (through ForWorkbook), a test's fake another.
type Book interface {
	// Check runs a lab's tests and records the result in the student's
	// progress.
	Check(ctx context.Context, l *labs.Lab) (*check.Result, error)
	// Progress counts the labs done across the book.
	Progress() (done, total int)
	// HintCmd is the command that shows the next hint for the task that
	// failed in res, "" when none are left.
	HintCmd(l *labs.Lab, res *check.Result) string
	// NextHint shows one more hint for the task that failed in res (or
	// about reading compile errors), as netbook hint does, and returns it
	// wrapped for a screen cols columns wide (80 when zero).
	NextHint(ctx context.Context, l *labs.Lab, res *check.Result, cols int) string
	// Dir is the lab's folder as the student would type it.
	Dir(l *labs.Lab) string
	// Elsewhere reports whether lab l was done, on the day it returns, in
	// another copy of the book (netbook progress --import) and its files
	// here are still the skeleton: the screen says why its tasks fail.
	Elsewhere(l *labs.Lab) (time.Time, bool)
}

// Session is one netbook watch: a lab at a time, from a starting lab to
// the end of the book.
type Session struct {
	Labs  []*labs.Lab // every lab of the book, in order
	Start int         // the index in Labs of the first lab to watch
	Book  Book

	Keys  <-chan rune // key presses; nil or closed when there are none
	Out   io.Writer
	Style style.Style
	Clear bool // redraw in place (a terminal), rather than print one screen after another
	Auto  bool // go on to the next lab by itself once a lab passes
	Watch Options
	Lang  lang.Lang // the language of the screen's words; English when empty
	Width int       // the terminal's width, in columns; 80 when zero
}

// Run watches labs until q, Ctrl-C (ctx) or, with Auto, the end of the book.
func (s *Session) Run(ctx context.Context) error {
	keys := s.Keys
	for i := s.Start; i < len(s.Labs); {
		next, err := s.watchLab(ctx, s.Labs[i], i, &keys)
		if err != nil || next < 0 {
			return err
		}
		i = next
	}
	return nil
}

// watchLab watches one lab and returns the index of the lab to watch next,
// or -1 to stop.
func (s *Session) watchLab(ctx context.Context, l *labs.Lab, i int, keys *<-chan rune) (int, error) {
	w, err := Watch(ctx, []string{l.Dir}, s.Watch)
	if err != nil {
		return -1, err
	}
	defer w.Close()
	scr := Screen{Dir: s.Book.Dir(l), Lab: l.Name, Keys: *keys != nil, Mode: w.Mode, Lang: s.Lang, Width: s.Width}
	scr.Done, scr.Total = s.Book.Progress() // the first screen shows it too, while the first run goes
	if i+1 < len(s.Labs) {
		scr.Next = s.Labs[i+1].Name
	}
	runNow := true
	for {
		if runNow {
			runNow = false
			scr.Running, scr.Hint = true, ""
			s.draw(scr)
			start := time.Now()
			res, err := s.Book.Check(ctx, l)
			if ctx.Err() != nil {
				return -1, nil
			}
			scr.Running, scr.Took, scr.Result, scr.Err = false, time.Since(start), res, err
			scr.Done, scr.Total = s.Book.Progress()
			scr.LastPassed = scr.Total > 0 && scr.Done == scr.Total
			scr.HintCmd = s.Book.HintCmd(l, res)
			scr.DoneAt, scr.Elsewhere = s.Book.Elsewhere(l)
			s.draw(scr)
			if res != nil && res.Status == check.Passed && s.Auto && scr.Next != "" {
				return i + 1, nil
			}
		}
		select {
		case <-ctx.Done():
			return -1, nil
		case <-w.C:
			runNow = true
		case k, ok := <-*keys:
			if !ok {
				*keys = nil // no more keys: watch until Ctrl-C
				scr.Keys = false
				continue
			}
			switch k {
			case 'q', 'Q', 3, 4: // q, Ctrl-C and Ctrl-D in a raw terminal
				return -1, nil
			case 'r', 'R':
				runNow = true
			case 'n', 'N':
				if scr.Next == "" {
					scr.Hint = s.Lang.Sprintf(lang.WatchLastLab)
					s.draw(scr)
					continue
				}
				return i + 1, nil
			case 'h', 'H':
				scr.Hint = s.Book.NextHint(ctx, l, scr.Result, s.Width)
				scr.HintCmd = s.Book.HintCmd(l, scr.Result)
				s.draw(scr)
			}
		}
	}
}

// clearScreen moves the cursor home and clears the terminal.
const clearScreen = "\x1b[H\x1b[2J"

func (s *Session) draw(scr Screen) {
	if s.Clear {
		io.WriteString(s.Out, clearScreen)
	} else if scr.Running {
		return // plain output: one screen per run, not one per state
	}
	Render(s.Out, scr, s.Style)
	if !s.Clear {
		fmt.Fprintln(s.Out)
	}
}
