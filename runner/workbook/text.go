package workbook

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// WriteDashboard draws the terminal dashboard, for a terminal width
// columns wide: each chapter with its lab's status, a progress bar, and
// the next thing to do.
func WriteDashboard(out io.Writer, w *Workbook, s style.Style, width int) {
	l := w.Lang
	l.Fprintf(out, lang.DashboardTitle, s.Bold("netbook"))
	type row struct {
		number         int
		title, lab     string
		status, styled string
	}
	done, total := 0, 0
	var rows []row
	for _, en := range w.Entries {
		r := row{number: en.Chapter.Number, title: en.Chapter.Title}
		if p := en.Lab; p != nil {
			total++
			r.lab = p.Lab.Name
			r.status = p.LabelIn(l)
			switch p.Status {
			case Done:
				done++
				r.styled = s.Good(r.status)
			case NoCompile:
				r.styled = s.Bad(r.status)
			case InProgress:
				r.styled = s.Warn(r.status)
			default:
				r.styled = s.Dim(r.status)
			}
		}
		rows = append(rows, r)
	}
	// Columns are counted in display width (a Chinese title's characters
	// take two each). Each is as wide as its widest cell, but the titles
	// take only the width the terminal leaves beside the other columns,
	// and are clipped when they must be.
	chapter, labHead, statusHead := l.Sprintf(lang.DashboardChapter), l.Sprintf(lang.DashboardLab), l.Sprintf(lang.DashboardStatus)
	titleW, labW, statusW := style.Cols(chapter), style.Cols(labHead), style.Cols(statusHead)
	for _, r := range rows {
		titleW, labW, statusW = max(titleW, style.Cols(r.title)), max(labW, style.Cols(r.lab)), max(statusW, style.Cols(r.status))
	}
	const (
		rowStart = 2 + 2 + 2 // "  NN  "
		gap      = "  "      // between the columns
		minTitle = 12        // the narrowest title column worth drawing
	)
	titleW = min(titleW, max(width-rowStart-len(gap)-labW-len(gap)-statusW, minTitle))
	head := style.PadLeft(l.Sprintf(lang.DashboardCh), 2) + "  " + style.Pad(chapter, titleW) + gap + style.Pad(labHead, labW) + gap + statusHead
	fmt.Fprintf(out, "  %s\n", s.Dim(head))
	for _, r := range rows {
		row := fmt.Sprintf("  %2d  %s", r.number, style.Pad(style.Clip(r.title, titleW), titleW)+gap+style.Pad(r.lab, labW)+gap+r.styled)
		fmt.Fprintln(out, strings.TrimRight(row, " "))
	}
	fmt.Fprintf(out, "\n  %s %s\n\n", style.Bar(done, total, 24), l.Sprintf(lang.LabsDone, done, total))
	// A lab whose tests the dashboard just ran, and passed for the first
	// time, gets the pointer to the reference that check would have given.
	for _, p := range w.Labs {
		if p.FirstDone {
			l.Fprintf(out, lang.DashboardFirstDone, p.Lab.Name, s.Code(w.Command("compare", p)))
		}
	}
	if ch := w.Book.Chapters; done == 0 && len(ch) > 0 && ch[0].Number == 0 && !w.State.Read[ch[0].Slug] {
		l.Fprintf(out, lang.DashboardNewHere, s.Code(w.Cmd+" read 0"))
	}
	// The next step names a task by its title, which may be long: it is
	// wrapped to the width, as the rows are fitted to it.
	next := w.Next()
	fmt.Fprintf(out, "%s\n  %s\n", style.Wrap(next.Text, max(width, minTitle)), s.Code(next.Command))
}

// WriteHint prints a hint and what to do next: the command for the next
// level, or where to read on once the levels are spent.
func WriteHint(out io.Writer, w *Workbook, h *Hint, s style.Style) {
	l, lg := h.Lab, w.Lang
	if h.Build {
		fmt.Fprintf(out, "%s\n%s", s.Bold(lg.Sprintf(lang.HintNoCompile, l.Lab.Name)), style.Indent(wrapProse(h.Text), "  "))
		lg.Fprintf(out, lang.HintSeeErrors, s.Code(w.Command("check", l)))
		return
	}
	if h.Levels == 0 {
		lg.Fprintf(out, lang.HintNone, h.Task.Number, l.Lab.Name)
		writeChapter(out, w, l, s)
		return
	}
	fmt.Fprintf(out, "%s\n%s", s.Bold(HintTitle(h)), style.Indent(wrapProse(h.Text), "  "))
	switch {
	case h.Again:
		lg.Fprintf(out, lang.HintLastAgain)
		writeChapter(out, w, l, s)
	case h.Level < h.Levels:
		more := fmt.Sprintf("%s hint %02d", w.Cmd, l.Lab.Number)
		if h.Chose == "" {
			more += fmt.Sprintf(" %d", h.Task.Number)
		}
		lg.Fprintf(out, lang.HintAnother, s.Code(more))
	default:
		lg.Fprintf(out, lang.HintLast)
	}
}

// WriteShown prints hints shown before, as netbook hint --all does.
func WriteShown(out io.Writer, w *Workbook, l *Lab, task int, s style.Style) {
	shown := w.Shown(l, task)
	if len(shown) == 0 {
		if task == 0 && l.Next != nil {
			task = l.Next.Number
		}
		// With no task named and none known to fail yet (the lab changed
		// since its last check), hint finds the first that fails.
		next := w.Command("hint", l)
		if task > 0 {
			next = w.HintCommand(l, task)
		}
		if next == "" {
			w.Lang.Fprintf(out, lang.HintNone, task, l.Lab.Name)
			return
		}
		w.Lang.Fprintf(out, lang.HintNoneShown, l.Lab.Name, s.Code(next))
		return
	}
	for _, h := range shown {
		fmt.Fprintf(out, "%s\n%s", s.Bold(HintTitle(h)), style.Indent(wrapProse(h.Text), "  "))
	}
}

// HintWidth is the width hints are wrapped to (after a two-space indent):
// they are prose, written without line breaks.
const HintWidth = 76

// wrapProse wraps a hint of one paragraph (prose) to HintWidth and leaves
// one of several lines (code, a list) as it was written.
func wrapProse(text string) string {
	if strings.Contains(strings.TrimRight(text, "\n"), "\n") {
		return text
	}
	return style.Wrap(text, HintWidth)
}

// WrapHint is a hint's text as a terminal shows it: prose wrapped, code
// as written.
func WrapHint(h *Hint) string { return wrapProse(h.Text) }

// HintTitle is the line above a hint, in the hint's language: which
// level, of which task.
func HintTitle(h *Hint) string {
	if h.Chose != "" {
		return h.Lang.Sprintf(lang.HintTitleWhy, h.Level, h.Levels, h.Lab.Lab.Name, h.Task.Number, h.Chose)
	}
	return h.Lang.Sprintf(lang.HintTitle, h.Level, h.Levels, h.Lab.Lab.Name, h.Task.Number)
}

func writeChapter(out io.Writer, w *Workbook, l *Lab, s style.Style) {
	if c := w.Book.ByLab(l.Lab.Name); c != nil {
		w.Lang.Fprintf(out, lang.HintReadChapter, s.Code(fmt.Sprintf("%s read %d", w.Cmd, c.Number)))
	}
}
