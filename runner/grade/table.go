package grade

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/style"
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

// WriteTable prints the report for a terminal width columns wide (80
// when 0): one row per student with each lab's points and the total, then
// a note for each record an instructor should look at (a compile error, a
// time-out, a crash, missing files, tests that differ from the book's),
// wrapped to the width. A table wider than the terminal is left whole and
// a line under it says where a wide class reads better (--csv, --json).
func WriteTable(w io.Writer, rep *Report, width int) error {
	if width <= 0 {
		width = 80
	}
	term := width
	width-- // a line as wide as the terminal wraps on some
	head := []string{"student"}
	for _, l := range rep.Labs {
		head = append(head, l.Name)
	}
	rows := [][]string{append(head, "total")}
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
		rows = append(rows, append(row, fmt.Sprintf("%d/%d", p, m)))
	}
	table := columns(rows)
	if _, err := io.WriteString(w, table); err != nil {
		return err
	}
	wide := 0
	for _, line := range strings.Split(table, "\n") {
		wide = max(wide, style.Cols(strings.TrimRight(line, " ")))
	}
	if wide > width {
		fmt.Fprintf(w, "\n%s\n", style.Wrap(fmt.Sprintf("The table is %d columns wide, more than the terminal's %d: --csv FILE gives the points for a spreadsheet, --json every task's, --lab grades fewer labs.", wide, term), width))
	}
	var notes []string
	ungraded := map[string]bool{} // labs that no student's record was graded for, for one reason
	for _, l := range rep.Labs {
		if l.Note != "" {
			notes = append(notes, l.Name+": "+l.Note)
		}
		if why := labProblem(rep, l.Name); why != "" {
			ungraded[l.Name] = true
			notes = append(notes, l.Name+": not graded for anyone: "+firstLine(why))
		}
	}
	for _, s := range rep.Students() {
		notes = append(notes, studentNotes(rep, s, ungraded)...)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nNotes:\n")
		for _, n := range notes {
			fmt.Fprintf(w, "%s\n", note(n, width))
		}
	}
	hidden := 0
	for _, l := range rep.Labs {
		hidden += l.Hidden
	}
	if hidden > 0 {
		fmt.Fprintf(w, "\n%s\n", style.Plural(hidden, "1 of the tasks is a hidden test.", fmt.Sprintf("%d of the tasks are hidden tests.", hidden)))
	}
	// A lab that could not be graded for anyone who has its files (the
	// notes say why) is not counted as graded.
	students, graded := len(rep.Students()), 0
	for _, l := range rep.Labs {
		errs, others := 0, 0
		for _, rec := range rep.Records {
			switch {
			case rec.Lab != l.Name || rec.Status == Missing:
			case rec.Status == Error:
				errs++
			default:
				others++
			}
		}
		if others > 0 || errs == 0 {
			graded++
		}
	}
	labs := fmt.Sprintf("%d %s", graded, style.Plural(graded, "lab", "labs"))
	if graded < len(rep.Labs) {
		labs = fmt.Sprintf("%d of %d %s", graded, len(rep.Labs), style.Plural(len(rep.Labs), "lab", "labs"))
	}
	_, err := fmt.Fprintf(w, "\n%s\n", style.Wrap(fmt.Sprintf("%d %s, %s graded; netbook grade --json gives each task's status, message and what its code printed.",
		students, style.Plural(students, "student", "students"), labs), width))
	return err
}

// columns lays rows out in columns two spaces apart, each as wide as its
// widest cell in display columns (a student's name may be Chinese, two
// columns a character, which text/tabwriter counts as one).
func columns(rows [][]string) string {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], style.Cols(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		line := ""
		for i, c := range row {
			if i < len(row)-1 {
				c = style.Pad(c, widths[i]+2)
			}
			line += c
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// note lays out one note for the table: indented by two, its own lines
// and the lines it wraps to (at width) by four.
func note(n string, width int) string {
	const first, more = "  ", "    "
	wrapped := style.Wrap(more+strings.ReplaceAll(n, "\n", "\n"+more), width)
	return first + strings.TrimPrefix(wrapped, more)
}

// labProblem is why lab could not be graded, when that is one reason for
// every record of it that has the lab's files, and there are two or more
// (a hidden test that does not compile): one note then says it, not one
// per student. It is "" when any record of the lab was graded.
func labProblem(rep *Report, lab string) string {
	why, n := "", 0
	for _, rec := range rep.Records {
		if rec.Lab != lab || rec.Status == Missing {
			continue
		}
		if rec.Status != Error || (n > 0 && rec.Problem != why) {
			return ""
		}
		why = rec.Problem
		n++
	}
	if n < 2 {
		return ""
	}
	return why
}

// studentNotes are the notes on one student's records: one for a
// submission that has none of the labs graded, else each record's but
// the errors of the labs in ungraded, which have a note of their own.
func studentNotes(rep *Report, student string, ungraded map[string]bool) []string {
	var recs []*Record
	for _, rec := range rep.Records {
		if rec.Student == student {
			recs = append(recs, rec)
		}
	}
	if len(recs) > 1 && !slices.ContainsFunc(recs, func(rec *Record) bool { return rec.Status != Missing }) {
		return []string{student + ": no files for any lab graded (no labs/NN-slug/, no NN-slug/, no .go files of a lab's package at the top): every lab scores 0"}
	}
	var out []string
	for _, rec := range recs {
		if !(ungraded[rec.Lab] && rec.Status == Error) {
			out = append(out, recordNotes(rec)...)
		}
	}
	return out
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
		if hung == "" && rec.Problem != "" {
			// No task was running: the record's problem says where the
			// time went (code held in an init function, before any task).
			out = append(out, who+firstLine(rec.Problem))
			break
		}
		out = append(out, who+"stopped at the time limit"+hung+"; the tasks that finished count")
	case Missing, Error:
		out = append(out, who+firstLine(rec.Problem))
	default:
		if rec.Problem != "" {
			out = append(out, who+firstLine(rec.Problem))
		}
	}
	if n := rec.OutputNote(); n != "" {
		out = append(out, n)
	}
	if len(rec.Missing) > 0 {
		out = append(out, who+"missing "+strings.Join(rec.Missing, ", ")+"; the skeleton's stood in")
	}
	if n := rec.TestsModifiedNote(); n != "" {
		out = append(out, n)
	}
	if len(rec.Extra) > 0 {
		out = append(out, who+"has files of its own, not used: "+strings.Join(rec.Extra, ", "))
	}
	if n := rec.SuspectNote(); n != "" {
		out = append(out, n)
	}
	if n := rec.ReferenceNote(); n != "" {
		out = append(out, n)
	}
	return out
}

// outputMore is the line limitOutput ends a long output with, and says
// when the run did not keep all of it.
var outputMore = regexp.MustCompile(`^\.\.\. \((\d+) more lines?(, and .* more not kept)?\)$`)

// OutputNote is the note on what rec's code printed while the first of
// its tasks that did not pass and printed something ran (Task.Output):
// how many lines, and the first, cut to a line's width; "" when no such
// task printed anything.
func (rec *Record) OutputNote() string {
	for _, t := range rec.Tasks {
		if t.Output == "" || t.Status == gotest.Pass {
			continue
		}
		lines := strings.Split(t.Output, "\n")
		n, count := len(lines), ""
		if m := outputMore.FindStringSubmatch(lines[n-1]); m != nil {
			more, _ := strconv.Atoi(m[1])
			n += more - 1
			if m[2] != "" {
				count = "more than "
			}
		}
		first := style.Clip(strings.TrimSpace(lines[0]), 100)
		if n == 1 && count == "" {
			return fmt.Sprintf("%s · %s: task %d's code printed: %s", rec.Student, rec.Lab, t.Number, first)
		}
		return fmt.Sprintf("%s · %s: task %d's code printed %s%d lines (--json has the first %d), the first: %s",
			rec.Student, rec.Lab, t.Number, count, n, min(n, OutputLines), first)
	}
	return ""
}

// TestsModifiedNote is the note on the book's files that rec's
// submission changed (Record.TestsModified), "" when it changed none:
// among the table's notes, and in the JUnit XML.
func (rec *Record) TestsModifiedNote() string {
	if len(rec.TestsModified) == 0 {
		return ""
	}
	var files []string
	for _, f := range rec.TestsModified {
		files = append(files, strings.TrimPrefix(f, rec.Lab+"/"))
	}
	return rec.Student + " · " + rec.Lab + ": differs from the book in " + strings.Join(files, ", ") + "; graded with the book's"
}

// ReferenceNote is the note on rec's files that are the book's reference
// solution (Record.Reference), "" when none is: among the table's notes,
// and on standard error when the table is not printed.
func (rec *Record) ReferenceNote() string {
	if len(rec.Reference) == 0 {
		return ""
	}
	return rec.Student + " · " + rec.Lab + ": " + strings.Join(rec.Reference, ", ") + " " +
		style.Plural(len(rec.Reference), "is", "are") + " the book's reference solution, comments and layout aside"
}

// SuspectNote is the note on what rec's code does that a faked run needs
// (Record.Suspect), "" when it does nothing of the kind: among the
// table's notes, and on standard error when the table is not printed.
func (rec *Record) SuspectNote() string {
	if len(rec.Suspect) == 0 {
		return ""
	}
	return rec.Student + " · " + rec.Lab + ": read the code before you trust these points: " + strings.Join(rec.Suspect, "; ") +
		" (no lab needs this, and code that ends the test binary or prints test lines itself can fake a run)"
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
