package workbook

import (
	"fmt"
	"io"
	"regexp"
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
	// time, gets the pointer to the reference that check would have given;
	// several (a student who solved labs outside netbook) get one sentence
	// and a command each. Prose is wrapped to the width, as the next step
	// is, never inside a command.
	wide := max(width, minTitle)
	var firsts []*Lab
	for _, p := range w.Labs {
		if p.FirstDone {
			firsts = append(firsts, p)
		}
	}
	switch {
	case len(firsts) == 1:
		cmd := w.Command("compare", firsts[0])
		fmt.Fprint(out, s.WrapKeeping(l.Sprintf(lang.DashboardFirstDone, firsts[0].Lab.Name, cmd), wide, cmd))
	case len(firsts) > 1:
		fmt.Fprint(out, style.Wrap(l.Sprintf(lang.DashboardFirstDoneMany), wide))
		for _, p := range firsts {
			fmt.Fprintf(out, "  %s\n", s.Code(w.Command("compare", p)))
		}
		fmt.Fprintln(out)
	}
	if ch := w.Book.Chapters; done == 0 && len(ch) > 0 && ch[0].Number == 0 && !w.State.Read[ch[0].Slug] {
		cmd := w.Cmd + " read 0"
		fmt.Fprint(out, s.WrapKeeping(l.Sprintf(lang.DashboardNewHere, cmd), wide, cmd))
	}
	// The next step names a task by its title, which may be long: it is
	// wrapped to the width, as the rows are fitted to it.
	next := w.Next()
	fmt.Fprintf(out, "%s\n  %s\n", style.Wrap(next.Text, max(width, minTitle)), s.Code(next.Command))
}

// WriteHint prints a hint and what to do next: the command for the next
// level, or where to read on once the levels are spent. It fits a screen
// cols columns wide (80 when zero): prose is wrapped, never inside a
// command, and code is as written.
func WriteHint(out io.Writer, w *Workbook, h *Hint, s style.Style, cols int) {
	l, lg := h.Lab, w.Lang
	say := func(m *lang.Message, cmd string, args ...any) {
		fmt.Fprint(out, s.WrapKeeping(lg.Sprintf(m, args...), screen(cols), cmd))
	}
	if h.Build {
		writeHintText(out, lg.Sprintf(lang.HintNoCompile, l.Lab.Name), h.Text, s, cols)
		check := w.Command("check", l)
		say(lang.HintSeeErrors, check, check)
		return
	}
	if h.Levels == 0 {
		say(lang.HintNone, "", h.Task.Number, l.Lab.Name)
		writeChapter(out, w, l, s, cols)
		return
	}
	writeHintText(out, HintTitle(h), h.Text, s, cols)
	switch {
	case h.Again:
		say(lang.HintLastAgain, "")
		writeChapter(out, w, l, s, cols)
	case h.Level < h.Levels:
		more := fmt.Sprintf("%s hint %02d", w.Cmd, l.Lab.Number)
		if h.Chose == "" {
			more += fmt.Sprintf(" %d", h.Task.Number)
		}
		say(lang.HintAnother, more, more)
	default:
		say(lang.HintLast, "")
	}
}

// writeHintText prints a hint under its title, both fitted to a screen
// cols columns wide.
func writeHintText(out io.Writer, title, text string, s style.Style, cols int) {
	fmt.Fprintf(out, "%s\n%s", s.Bold(style.Wrap(title, screen(cols))), style.Indent(wrapProse(text, cols), hintIndent))
}

// screen is cols, or 80 when it is zero.
func screen(cols int) int {
	if cols <= 0 {
		return 80
	}
	return cols
}

// WriteShown prints hints shown before, as netbook hint --all does, for a
// screen cols columns wide (80 when zero).
func WriteShown(out io.Writer, w *Workbook, l *Lab, task int, s style.Style, cols int) {
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
			fmt.Fprint(out, style.Wrap(w.Lang.Sprintf(lang.HintNone, task, l.Lab.Name), screen(cols)))
			return
		}
		fmt.Fprint(out, s.WrapKeeping(w.Lang.Sprintf(lang.HintNoneShown, l.Lab.Name, next), screen(cols), next))
		return
	}
	for _, h := range shown {
		writeHintText(out, HintTitle(h), h.Text, s, cols)
	}
}

// hintIndent is what a hint's text is indented by, under its title.
const hintIndent = "  "

// hintWidth is the width a hint's prose is wrapped to on a screen cols
// columns wide (80 when zero), after its indent.
func hintWidth(cols int) int { return max(screen(cols)-len(hintIndent), 20) }

// wrapProse wraps a hint of one paragraph (prose) to a screen cols wide,
// never inside a command it names (go test -run Task8
// ./labs/03-hello-server), and leaves one of several lines (code, a list)
// as it was written: code broken over two lines would not read as code.
func wrapProse(text string, cols int) string {
	if strings.Contains(strings.TrimRight(text, "\n"), "\n") {
		return text
	}
	return style.Style{}.WrapKeeping(text, hintWidth(cols), commands(text)...)
}

// goCommand starts a go command a hint names in its prose.
var goCommand = regexp.MustCompile(`(?:[A-Z_]+=\S+ )*go (?:test|run|vet|build)\b`)

// commands finds the go commands a hint's prose names, each as far as its
// arguments go: words that start with "-" or "./", and the word between
// a flag and such an argument (the pattern of -run Task8 ./labs/03-x).
// "go test -race too." is "go test -race".
func commands(text string) []string {
	var cmds []string
	for _, loc := range goCommand.FindAllStringIndex(text, -1) {
		cmd := text[loc[0]:loc[1]]
		words := strings.Split(text[loc[1]:], " ")
		if len(words) > 0 && words[0] == "" {
			words = words[1:]
		}
		arg := func(w string) bool {
			w = strings.TrimRight(w, ".,;:)，。；：）")
			return len(w) > 1 && (strings.HasPrefix(w, "-") || strings.HasPrefix(w, "./") || strings.HasPrefix(w, "../"))
		}
		for i := 0; i < len(words); i++ {
			w := words[i]
			switch {
			case arg(w):
			case i > 0 && strings.HasPrefix(words[i-1], "-") && !strings.Contains(words[i-1], "=") && i+1 < len(words) && arg(words[i+1]):
			default:
				i = len(words)
				continue
			}
			// A word of a command: up to the punctuation that ends a
			// sentence or a clause around it.
			trimmed := strings.TrimRight(w, ".,;:)，。；：）")
			cmd += " " + trimmed
			if trimmed != w {
				break
			}
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

// WrapHint is a hint's text as a screen cols columns wide shows it (80
// when zero), under its indent: prose wrapped, code as written.
func WrapHint(h *Hint, cols int) string { return wrapProse(h.Text, cols) }

// HintTitle is the line above a hint, in the hint's language: which
// level, of which task.
func HintTitle(h *Hint) string {
	if h.Chose != "" {
		return h.Lang.Sprintf(lang.HintTitleWhy, h.Level, h.Levels, h.Lab.Lab.Name, h.Task.Number, h.Chose)
	}
	return h.Lang.Sprintf(lang.HintTitle, h.Level, h.Levels, h.Lab.Lab.Name, h.Task.Number)
}

func writeChapter(out io.Writer, w *Workbook, l *Lab, s style.Style, cols int) {
	if c := w.Book.ByLab(l.Lab.Name); c != nil {
		read := fmt.Sprintf("%s read %d", w.Cmd, c.Number)
		fmt.Fprint(out, s.WrapKeeping(w.Lang.Sprintf(lang.HintReadChapter, read), screen(cols), read))
	}
}
