package watch

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
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
	if s.Running {
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

func renderTasks(w io.Writer, r *check.Result, st style.Style, l lang.Lang, width int) {
	check.WriteTasks(w, r, st, width)
	if r.Problem != "" {
		fmt.Fprintf(w, "\n%s", style.Indent(firstLines(r.Problem, maxMessage, l), "  "))
	}
	if f := r.Failure; f != nil {
		// Wrapped before it is cut to maxMessage lines: the screen's lines
		// are what a terminal has room for.
		wrapped := *f
		wrapped.Message = wrapMessage(f.Message, width-len(messageIndent))
		check.WriteFailure(w, &wrapped, st, l, maxMessage, lang.WatchMoreLines)
	}
	check.WriteFindings(w, r, st, l)
}

// messageIndent is what check.WriteFailure puts before each line of a
// failure's message.
const messageIndent = "  "

// goCommand is a go command line a test's message suggests, with the
// environment it sets: "NETSIM_SEED=7 go test -run '^TestTask5$' ./labs/11-reliable-stream".
// Its first argument is a flag or a path: "go test ran none of the
// lab's tests" is prose.
var goCommand = regexp.MustCompile(`(?:[A-Z_]+=\S+ )*go (?:test|run) [-./][^\n]*`)

// wrapMessage wraps a test's failure message at width, as the terminal
// would break it but under each line's own indentation, and never inside
// a go command the message suggests (lab 08's "go test ./labs/08-framing
// -run='^$' -fuzz=FuzzLineReader"): broken, it would not run as two. A
// command ends at the end of its line, or before a " (" that comments on it.
func wrapMessage(msg string, width int) string {
	if width <= 0 {
		width = check.DefaultWidth - len(messageIndent)
	}
	var cmds []string
	for _, c := range goCommand.FindAllString(msg, -1) {
		c, _, _ = strings.Cut(c, " (")
		cmds = append(cmds, strings.TrimRight(c, " .,;:"))
	}
	return style.Style{}.WrapKeeping(msg, width, cmds...)
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
