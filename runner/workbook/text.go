package workbook

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/style"
)

// WriteDashboard draws the terminal dashboard: each chapter with its lab's
// status, a progress bar, and the next thing to do.
func WriteDashboard(out io.Writer, w *Workbook, s style.Style) {
	fmt.Fprintf(out, "%s · network programming in Go, one lab at a time\n\n", s.Bold("netbook"))
	done, total := 0, 0
	fmt.Fprintf(out, "  %s\n", s.Dim(fmt.Sprintf("%2s  %-28s %-22s %s", "ch", "chapter", "lab", "status")))
	for _, en := range w.Entries {
		lab, status := "", ""
		if p := en.Lab; p != nil {
			total++
			lab = p.Lab.Name
			status = p.Label()
			switch p.Status {
			case Done:
				done++
				status = s.Good(status)
			case NoCompile:
				status = s.Bad(status)
			case InProgress:
				status = s.Warn(status)
			default:
				status = s.Dim(status)
			}
		}
		fmt.Fprintf(out, "  %2d  %-28s %-22s %s\n", en.Chapter.Number, style.Clip(en.Chapter.Title, 28), lab, status)
	}
	fmt.Fprintf(out, "\n  %s %d of %d labs done\n\n", style.Bar(done, total, 24), done, total)
	if ch := w.Book.Chapters; len(ch) > 0 && ch[0].Number == 0 && !w.State.Read[ch[0].Slug] {
		fmt.Fprintf(out, "New here? %s explains how the workbook works.\n\n", s.Code(w.Cmd+" read 0"))
	}
	next := w.Next()
	fmt.Fprintf(out, "%s\n  %s\n", next.Text, s.Code(next.Command))
}

// WriteHint prints a hint and what to do next: the command for the next
// level, or where to read on once the levels are spent.
func WriteHint(out io.Writer, w *Workbook, h *Hint, s style.Style) {
	l := h.Lab
	if h.Build {
		fmt.Fprintf(out, "%s\n%s", s.Bold(fmt.Sprintf("Lab %s does not compile:", l.Lab.Name)), style.Indent(wrapProse(h.Text), "  "))
		fmt.Fprintf(out, "See the errors with: %s\n", s.Code(w.Command("check", l)))
		return
	}
	if h.Levels == 0 {
		fmt.Fprintf(out, "Task %d of lab %s has no hints.\n", h.Task.Number, l.Lab.Name)
		writeChapter(out, w, l, s)
		return
	}
	fmt.Fprintf(out, "%s\n%s", s.Bold(HintTitle(h)), style.Indent(wrapProse(h.Text), "  "))
	switch {
	case h.Again:
		fmt.Fprintf(out, "That was the last hint for this task, again.\n")
		writeChapter(out, w, l, s)
	case h.Level < h.Levels:
		more := fmt.Sprintf("%s hint %02d", w.Cmd, l.Lab.Number)
		if h.Chose == "" {
			more += fmt.Sprintf(" %d", h.Task.Number)
		}
		fmt.Fprintf(out, "Another hint: %s\n", s.Code(more))
	default:
		fmt.Fprintln(out, "That was the last hint.")
	}
}

// WriteShown prints hints shown before, as netbook hint --all does.
func WriteShown(out io.Writer, w *Workbook, l *Lab, task int, s style.Style) {
	shown := w.Shown(l, task)
	if len(shown) == 0 {
		if task == 0 && l.Next != nil {
			task = l.Next.Number
		}
		fmt.Fprintf(out, "No hints shown yet for %s. Get the first with: %s\n", l.Lab.Name, s.Code(w.HintCommand(l, task)))
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

// HintTitle is the line above a hint: which level, of which task.
func HintTitle(h *Hint) string {
	why := ""
	if h.Chose != "" {
		why = " (" + h.Chose + ")"
	}
	return fmt.Sprintf("Hint %d of %d for %s, task %d%s:", h.Level, h.Levels, h.Lab.Lab.Name, h.Task.Number, why)
}

func writeChapter(out io.Writer, w *Workbook, l *Lab, s style.Style) {
	if c := w.Book.ByLab(l.Lab.Name); c != nil {
		fmt.Fprintf(out, "The chapter explains the rest: %s\n", s.Code(fmt.Sprintf("%s read %d", w.Cmd, c.Number)))
	}
}
