package watch

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/style"
)

// Screen is everything one redraw shows.
type Screen struct {
	Result     *check.Result // nil while the first run is going
	Err        error         // go test could not run at all
	Running    bool          // a run is under way
	Dir        string        // the lab's folder, as the student types it
	HintCmd    string        // the command that shows the next hint, "" when none are left
	Hint       string        // a hint the student asked for with h
	Next       string        // the next lab's name, "" when this is the last
	Done       int           // labs done across the book
	Total      int           // labs in the book
	Keys       bool          // the keys work (stdin is a terminal or a pipe)
	Mode       string        // how saves are noticed: "events" or "polling"
	Took       time.Duration // the last run's time
	LastPassed bool          // every lab passes
}

// maxMessage is how many lines of the failure message a screen shows.
const maxMessage = 12

// Render draws the screen as text.
func Render(w io.Writer, s Screen, st style.Style) {
	r := s.Result
	title := "netbook watch"
	if r != nil {
		title = fmt.Sprintf("netbook watch · %s · %s", st.Bold(r.Lab), r.Title)
	}
	fmt.Fprintln(w, title)
	fmt.Fprintln(w)
	switch {
	case s.Err != nil:
		fmt.Fprintf(w, "%s\n%s", st.Bad("The tests could not run:"), style.Indent(s.Err.Error(), "  "))
	case r == nil:
		fmt.Fprintln(w, "Running the tests...")
	case r.Status == check.BuildFailed:
		renderBuild(w, r, st)
	default:
		renderTasks(w, r, st)
	}
	fmt.Fprintln(w)
	if r != nil && r.Status == check.Passed {
		switch {
		case s.LastPassed:
			fmt.Fprintln(w, st.Good("Every lab passes: you have finished the book."))
		case s.Next != "":
			how := "press n to go on, or run netbook watch --auto"
			if !s.Keys {
				how = "run netbook watch " + s.Next
			}
			fmt.Fprintf(w, "%s Next: lab %s (%s).\n", st.Good("This lab passes!"), s.Next, how)
		default:
			fmt.Fprintln(w, st.Good("This lab passes!"))
		}
	} else if s.HintCmd != "" {
		fmt.Fprintf(w, "Stuck? %s", st.Code(s.HintCmd))
		if s.Keys {
			fmt.Fprint(w, " (or press h)")
		}
		fmt.Fprintln(w)
	}
	if s.Hint != "" {
		fmt.Fprintf(w, "\n%s", style.Indent(s.Hint, "  "))
	}
	fmt.Fprintf(w, "\n%s %d of %d labs done\n", style.Bar(s.Done, s.Total, 24), s.Done, s.Total)
	status := fmt.Sprintf("Watching %s: save a file to run the tests again", s.Dir)
	if s.Running {
		status = "Running the tests..."
	} else if s.Took > 0 {
		status += fmt.Sprintf(" (last run %s)", s.Took.Round(10*time.Millisecond))
	}
	fmt.Fprintln(w, st.Dim(status))
	if s.Keys {
		fmt.Fprintln(w, st.Dim("keys: n next lab · h hint · r run again · q quit"))
	}
}

func renderTasks(w io.Writer, r *check.Result, st style.Style) {
	check.WriteTasks(w, r, st)
	if r.Problem != "" {
		fmt.Fprintf(w, "\n%s", style.Indent(firstLines(r.Problem, maxMessage), "  "))
	}
	if f := r.Failure; f != nil {
		fmt.Fprintf(w, "\n%s\n", st.Bold(fmt.Sprintf("Task %d %s (%s):", f.Task, check.Describe(f.Status), f.Test)))
		msg := strings.TrimRight(f.Message, "\n")
		if msg == "" {
			msg = "(the test printed no message)"
		}
		fmt.Fprint(w, style.Indent(firstLines(msg, maxMessage), "  "))
	}
	check.WriteFindings(w, r, st)
}

func renderBuild(w io.Writer, r *check.Result, st style.Style) {
	fmt.Fprintln(w, st.Bad("The code does not compile:"))
	n := 0
	for _, d := range r.BuildErrors {
		if n == 5 {
			fmt.Fprintf(w, "  ... and %d more\n", len(r.BuildErrors)-n)
			break
		}
		fmt.Fprintf(w, "  %s\n", d)
		n++
	}
	if len(r.BuildErrors) == 0 && r.Problem != "" {
		fmt.Fprint(w, style.Indent(firstLines(r.Problem, maxMessage), "  "))
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n... (%d more lines: run netbook check for all of it)", len(lines)-n)
}
