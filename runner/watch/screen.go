package watch

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// Screen is everything one redraw shows.
type Screen struct {
	Result     *check.Result // nil while the first run is going
	Err        error         // go test could not run at all
	Running    bool          // a run is under way
	Dir        string        // the lab's folder, as the student types it
	Lab        string        // the lab's folder name, said where Dir has none ("..")
	HintCmd    string        // the command that shows the next hint, "" when none are left
	Hint       string        // a hint the student asked for with h
	Next       string        // the next lab's name, "" when this is the last
	Done       int           // labs done across the book
	Total      int           // labs in the book
	Keys       bool          // the keys work (stdin is a terminal or a pipe)
	Mode       string        // how saves are noticed: "events" or "polling"
	Took       time.Duration // the last run's time
	LastPassed bool          // every lab passes
	Lang       lang.Lang     // the language of the screen's words; English when empty
	Width      int           // the terminal's width: task titles are wrapped to it (80 when zero)
	// Elsewhere says the lab was done, on DoneAt, in another copy of the
	// book (netbook progress --import) and its files here are the
	// skeleton: a result that is not a pass says so above its tasks, in
	// the words check uses (check.ElsewhereNote).
	Elsewhere bool
	DoneAt    time.Time
}

// maxMessage is how many lines of the failure message a screen shows.
const maxMessage = 12

// Render draws the screen as text.
func Render(w io.Writer, s Screen, st style.Style) {
	r, l := s.Result, s.Lang
	cols := s.Width
	if cols <= 0 {
		cols = check.DefaultWidth
	}
	title := "netbook watch"
	if r == nil && s.Dir != "" {
		title += " · " + folder(s)
	}
	if r != nil {
		title = fmt.Sprintf("netbook watch · %s · %s", st.Bold(r.Lab), r.Title)
	}
	fmt.Fprintln(w, title)
	fmt.Fprintln(w)
	if s.Elsewhere && s.Err == nil && r != nil && r.Status != check.Passed {
		// Why a lab the progress calls done fails every task here.
		fmt.Fprintf(w, "%s\n\n", style.Wrap(check.ElsewhereNote(r.Lab, s.DoneAt, l).Text, cols))
	}
	switch {
	case s.Err != nil:
		fmt.Fprintf(w, "%s\n%s", st.Bad(l.Sprintf(lang.WatchCouldNotRun)), style.Indent(s.Err.Error(), "  "))
	case r == nil:
		fmt.Fprintln(w, l.Sprintf(lang.WatchRunning))
	case r.Status == check.BuildFailed:
		renderBuild(w, r, st, l, cols)
	default:
		renderTasks(w, r, st, l, s.Width)
	}
	fmt.Fprintln(w)
	if r != nil && r.Status == check.Passed {
		switch {
		case s.LastPassed:
			fmt.Fprintln(w, st.Good(l.Sprintf(lang.WatchFinished)))
		case s.Next != "":
			how := l.Sprintf(lang.WatchPressN)
			if !s.Keys {
				how = l.Sprintf(lang.WatchRunNext, s.Next)
			}
			passes := l.Sprintf(lang.WatchPasses)
			line := style.Wrap(passes+" "+l.Sprintf(lang.WatchNextLab, s.Next, how), cols)
			if rest, ok := strings.CutPrefix(line, passes); ok {
				line = st.Good(passes) + rest
			}
			fmt.Fprintln(w, line)
		default:
			fmt.Fprintln(w, st.Good(l.Sprintf(lang.WatchPasses)))
		}
	} else if s.HintCmd != "" {
		fmt.Fprint(w, strings.TrimSuffix(l.Sprintf(lang.CheckStuck, st.Code(s.HintCmd)), "\n"))
		if s.Keys {
			fmt.Fprint(w, l.Sprintf(lang.WatchOrPressH))
		}
		fmt.Fprintln(w)
	}
	if s.Hint != "" {
		fmt.Fprintf(w, "\n%s", style.Indent(s.Hint, "  "))
	}
	// A blank line before the progress, unless nothing came since the one
	// after the tasks (a task failing with no hint left).
	if (r != nil && r.Status == check.Passed) || s.HintCmd != "" || s.Hint != "" {
		fmt.Fprintln(w)
	}
	if s.Total > 0 { // 0 of 0 labs done says nothing
		fmt.Fprintf(w, "%s %s\n", style.Bar(s.Done, s.Total, 24), l.Sprintf(lang.LabsDone, s.Done, s.Total))
	}
	status := watching(s)
	// The first run has no result to show yet: the body says the tests
	// are running, and the footer what is watched, not the same words
	// again.
	if s.Running && r != nil {
		status = l.Sprintf(lang.WatchRunning)
	} else if s.Took > 0 {
		status += l.Sprintf(lang.WatchLastRun, s.Took.Round(10*time.Millisecond))
	}
	fmt.Fprintln(w, st.Dim(style.Wrap(status, cols)))
	if s.Keys {
		fmt.Fprintln(w, st.Dim(l.Sprintf(lang.WatchKeys)))
	}
}

// watching says which folder is watched: "this folder" inside the lab.
func watching(s Screen) string {
	if s.Dir == "." {
		return s.Lang.Sprintf(lang.WatchThisDir)
	}
	return s.Lang.Sprintf(lang.WatchWatching, folder(s))
}

// folder names the lab's folder: Dir, or the lab's name where Dir has none
// to read ("." inside the lab, ".." in a folder of it).
func folder(s Screen) string {
	if (s.Dir == "." || filepath.Base(s.Dir) == "..") && s.Lab != "" {
		return s.Lab
	}
	return s.Dir
}

func renderTasks(w io.Writer, r *check.Result, st style.Style, l lang.Lang, cols int) {
	check.WriteTasks(w, r, st, cols)
	if r.Problem != "" {
		fmt.Fprintf(w, "\n%s", style.Indent(firstLines(r.Problem, maxMessage, l), "  "))
	}
	if f := r.Failure; f != nil {
		// Wrapped as check wraps it, to the screen's width, then cut to
		// maxMessage lines: the screen's lines are what a terminal has
		// room for. What the note under it promises is what check shows:
		// check.MaxMessage lines of the message, and for a longer one the
		// go test command that prints all of it.
		all := strings.Count(check.WrapMessage(f.MessageIn(l), width(cols)-2, style.Style{}), "\n") + 1
		check.WriteFailure(w, f, st, l, cols, maxMessage, func(n int) string {
			if all > check.MaxMessage {
				return check.MoreLines(n, r.Lab, f.Test, st, l, cols)
			}
			return l.Sprintf(lang.WatchMoreLines, n)
		})
		if f.Output != "" {
			// Counted as check counts them: the lines the code printed
			// (a long one takes more rows; check shows check.MaxOutput
			// lines), of which netbook may have kept only part.
			lines, cut := check.OutputLines(f.Output)
			n := len(lines)
			note := l.Sprintf(lang.WatchOutputAll, n)
			switch {
			case cut > 0:
				note = l.Sprintf(lang.WatchOutputCut, n, check.MaxOutput)
			case n == 1:
				note = l.Sprintf(lang.WatchOutputOne)
			case n > check.MaxOutput:
				note = l.Sprintf(lang.WatchOutputSome, n, check.MaxOutput)
			}
			fmt.Fprint(w, style.Indent(st.Dim(style.Wrap(note, width(cols)-2)), "  "))
		}
	}
	check.WriteFindings(w, r, st, l)
}

func renderBuild(w io.Writer, r *check.Result, st style.Style, l lang.Lang, cols int) {
	fmt.Fprintln(w, st.Bad(l.Sprintf(lang.WatchNoCompile)))
	n := 0
	for _, d := range r.BuildErrors {
		if n == 5 {
			fmt.Fprintf(w, "  %s\n", l.Sprintf(lang.WatchMoreErrors, len(r.BuildErrors)-n))
			break
		}
		fmt.Fprintf(w, "  %s\n", d)
		n++
	}
	if len(r.BuildErrors) == 0 && r.Problem != "" {
		fmt.Fprint(w, style.Indent(firstLines(r.Problem, maxMessage, l), "  "))
	}
	if name := check.BookTestError(r); name != "" {
		fmt.Fprintf(w, "\n%s\n", style.Wrap(l.Sprintf(lang.CheckBookTestError, name), cols))
	}
}

func firstLines(s string, n int, l lang.Lang) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + "\n" + l.Sprintf(lang.WatchMoreLines, len(lines)-n)
}

// width is cols, or check.DefaultWidth when cols is zero.
func width(cols int) int {
	if cols <= 0 {
		return check.DefaultWidth
	}
	return cols
}
