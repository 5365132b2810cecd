package grade

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/netbook/netbook/runner/gotest"
)

// mark is the word a table cell adds to a lab's points when the points
// alone do not tell the story.
func mark(s Status) string {
	switch s {
	case BuildFail:
		return " compile error"
	case Timeout:
		return " timeout"
	case Missing:
		return " missing"
	case Error:
		return " not graded"
	}
	return ""
}

// WriteTable prints the report for a terminal: one row per student with
// each lab's points and the total, then a note for each record an
// instructor should look at (a compile error, a time-out, a crash, missing
// files, tests that differ from the book's).
func WriteTable(w io.Writer, rep *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"student"}
	for _, l := range rep.Labs {
		head = append(head, l.Name)
	}
	fmt.Fprintln(tw, strings.Join(append(head, "total"), "\t"))
	for _, s := range rep.Students() {
		row := []string{s}
		for _, l := range rep.Labs {
			rec := rep.Find(s, l.Name)
			if rec == nil {
				row = append(row, "-")
				continue
			}
			row = append(row, fmt.Sprintf("%d/%d%s", rec.Points, rec.MaxPoints, mark(rec.Status)))
		}
		p, m := rep.Total(s)
		row = append(row, fmt.Sprintf("%d/%d", p, m))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var notes []string
	for _, rec := range rep.Records {
		notes = append(notes, recordNotes(rec)...)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nNotes:\n")
		for _, n := range notes {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(n, "\n", "\n    "))
		}
	}
	hidden := 0
	for _, l := range rep.Labs {
		hidden += l.Hidden
	}
	if hidden > 0 {
		fmt.Fprintf(w, "\n%d of the tasks are hidden tests.\n", hidden)
	}
	_, err := fmt.Fprintf(w, "\n%d students, %d labs graded; netbook grade --json gives each task's status and message.\n", len(rep.Students()), len(rep.Labs))
	return err
}

// recordNotes are the lines an instructor should read about one record.
func recordNotes(rec *Record) []string {
	who := rec.Student + " · " + rec.Lab + ": "
	var out []string
	switch rec.Status {
	case BuildFail:
		msg := "does not compile"
		if len(rec.BuildErrors) > 0 {
			msg += ": " + firstLine(rec.BuildErrors[0].String())
			if n := len(rec.BuildErrors) - 1; n > 0 {
				msg += fmt.Sprintf(" (and %d more)", n)
			}
		}
		out = append(out, who+msg)
	case Timeout:
		hung := ""
		for _, t := range rec.Tasks {
			if t.Status == gotest.TimedOut {
				hung = fmt.Sprintf(" (task %d was still running)", t.Number)
			}
		}
		out = append(out, who+"stopped at the time limit"+hung+"; the tasks that finished count")
	case Missing, Error:
		out = append(out, who+firstLine(rec.Problem))
	default:
		if rec.Problem != "" {
			out = append(out, who+firstLine(rec.Problem))
		}
	}
	if len(rec.Missing) > 0 {
		out = append(out, who+"missing "+strings.Join(rec.Missing, ", ")+"; the skeleton's stood in")
	}
	if len(rec.TestsModified) > 0 {
		out = append(out, who+"differs from the book in "+strings.Join(rec.TestsModified, ", ")+"; graded with the book's")
	}
	if len(rec.Extra) > 0 {
		out = append(out, who+"has files of its own, not used: "+strings.Join(rec.Extra, ", "))
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// WriteJSON prints the records as a JSON array, one object per student
// and lab.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	recs := rep.Records
	if recs == nil {
		recs = []*Record{}
	}
	return enc.Encode(recs)
}
