package check

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// Advice is what the text report suggests after the results: commands the
// student can copy.
type Advice struct {
	Edit  []string // the files to edit, as paths to show
	Again string   // the command that checks again
	Hint  string   // the command that shows the next hint, if any are left
	Next  string   // what to do once the lab passes
	// Compare is the command that shows the reference next to the
	// student's files, given when the lab has just been done for the first
	// time.
	Compare string
	// Only is the --task list the check ran ("2" or "2,3"), empty when it
	// ran every task: the headline then counts the tasks it ran.
	Only string
	// Lang is the language the report is written in (the runner's words:
	// the results' task titles are the lab's own); English when empty.
	// Failure messages come from the tests and stay as they are.
	Lang lang.Lang
	// Width is the terminal's width, in columns: the task titles and the
	// advice are wrapped to it; 80 when zero. Failure messages, which
	// come from the tests, are shown as they are.
	Width int
}

// DefaultWidth is the width a report is wrapped to when none is given:
// what a terminal of unknown width, a file or a pipe gets.
const DefaultWidth = 80

// Mark is the one-character sign of a task's status.
func Mark(s gotest.Status) string {
	switch s {
	case gotest.Pass:
		return "✓"
	case gotest.Fail:
		return "✗"
	case gotest.TimedOut:
		return "⏱"
	case gotest.Interrupted:
		return "!"
	case gotest.Skip:
		return "-"
	}
	return "·"
}

// Describe says a task status in words, in language l.
func Describe(s gotest.Status, l lang.Lang) string {
	switch s {
	case gotest.Pass:
		return l.Sprintf(lang.TaskPassed)
	case gotest.Fail:
		return l.Sprintf(lang.TaskFailed)
	case gotest.TimedOut:
		return l.Sprintf(lang.TaskTimedOut)
	case gotest.Interrupted:
		return l.Sprintf(lang.TaskCutShort)
	case gotest.Skip:
		return l.Sprintf(lang.TaskSkipped)
	}
	return l.Sprintf(lang.TaskNotRun)
}

// WriteFailure prints the first failing task's heading, in language l,
// and its message (as the test wrote it), indented, at most max lines;
// more says what to run for the rest.
func WriteFailure(w io.Writer, f *Failure, st style.Style, l lang.Lang, max int, more *lang.Message, moreArgs ...any) {
	fmt.Fprintf(w, "\n%s\n", st.Bold(l.Sprintf(lang.FailureHead, f.Task, Describe(f.Status, l), f.Test)))
	msg := strings.TrimRight(f.Message, "\n")
	if msg == "" {
		msg = l.Sprintf(lang.FailureNoMessage)
	}
	fmt.Fprint(w, style.Indent(limitLines(msg, max, l, more, moreArgs...), "  "))
}

// WriteText prints the result for a terminal, in adv.Lang.
func WriteText(w io.Writer, res *Result, st style.Style, adv Advice) {
	l := adv.Lang
	head := fmt.Sprintf("%s · %s", st.Bold(res.Lab), res.Title)
	switch {
	case adv.Only != "" && (res.Status == Passed || res.Status == Failed):
		// "all 1 tasks pass" and "0 of 1 tasks" would read as the lab's.
		count := l.Sprintf(lang.CheckOnly, adv.Only, res.Passed, res.Total)
		if res.Status == Passed {
			count = st.Good(count)
		}
		fmt.Fprintf(w, "%s · %s\n\n", head, count)
	case res.Status == Passed:
		fmt.Fprintf(w, "%s · %s\n\n", head, st.Good(l.Sprintf(lang.CheckAllPass, res.Total)))
	case res.Status == Unverified:
		fmt.Fprintf(w, "%s · %s\n\n", head, st.Warn(l.Sprintf(lang.CheckUnverified, res.Total)))
	case res.Status == BuildFailed:
		fmt.Fprintf(w, "%s · %s\n\n", head, st.Bad(l.Sprintf(lang.StatusNoCompile)))
	default:
		fmt.Fprintf(w, "%s · %s\n\n", head, l.Sprintf(lang.LabelTasks, res.Passed, res.Total))
	}
	writeTrust(w, res, st, l, adv.Width)
	if res.Status == BuildFailed {
		for _, d := range res.BuildErrors {
			kind := ""
			if d.Vet {
				kind = "vet: "
			}
			fmt.Fprintf(w, "  %s%s\n", kind, d)
		}
		if res.Problem != "" {
			fmt.Fprint(w, style.Indent(res.Problem, "  "))
		}
		if name := BookTestError(res); name != "" {
			fmt.Fprintf(w, "\n%s\n", style.Wrap(l.Sprintf(lang.CheckBookTestError, name), width(adv.Width)))
		}
		// Wrapped as the Edit sentence below is: the command to run
		// again stays on a line of its own.
		fix, rest := l.Sprintf(lang.CheckFixFirst), l.Sprintf(lang.CheckFullStop)
		if adv.Again != "" {
			var head string
			head, rest, _ = strings.Cut(l.Sprintf(lang.CheckThenRun, st.Code(adv.Again)), "\n")
			fix, rest = fix+head, "\n"+rest
		}
		fmt.Fprintf(w, "\n%s%s", style.Wrap(fix, width(adv.Width)), rest)
		return
	}
	WriteTasks(w, res, st, adv.Width)
	if stopped(res) {
		fmt.Fprintf(w, "\n%s\n", st.Dim(style.Wrap(l.Sprintf(lang.CheckNotRun), width(adv.Width))))
	}
	if res.Problem != "" {
		fmt.Fprintf(w, "\n%s\n", style.Indent(res.Problem, "  "))
	}
	if f := res.Failure; f != nil {
		WriteFailure(w, f, st, l, 40, lang.CheckMoreLines, st.Code(fullFailure(res.Lab, f.Test)))
	}
	WriteFindings(w, res, st, l)
	fmt.Fprintln(w)
	if res.Status == Passed {
		if adv.Compare != "" {
			l.Fprintf(w, lang.CheckDoneCompare, st.Code(adv.Compare))
		}
		if adv.Next != "" {
			l.Fprintf(w, lang.CheckNext, adv.Next)
		}
		return
	}
	if len(adv.Edit) > 0 {
		// A lab of several files makes a long sentence: it is wrapped,
		// and the command stays on a line of its own.
		edit := l.Sprintf(lang.CheckEdit, l.List(adv.Edit))
		rest := "\n"
		if adv.Again != "" {
			var head string
			head, rest, _ = strings.Cut(l.Sprintf(lang.CheckThenRun, st.Code(adv.Again)), "\n")
			edit, rest = edit+head, "\n"+rest
		}
		fmt.Fprintf(w, "%s%s", style.Wrap(edit, width(adv.Width)), rest)
	}
	if adv.Hint != "" {
		l.Fprintf(w, lang.CheckStuck, st.Code(adv.Hint))
	}
}

// BookTestError returns the name of the first of the book's test files
// that a compile error of res is in, or "" when there is none (a
// student's own test file is theirs to fix). An error there means that the
// tests call something the student's code no longer declares as the
// skeleton did (a function renamed, a parameter added or dropped): the
// code is what to change, and an edited test would be replaced by the
// book's anyway.
func BookTestError(res *Result) string {
	if res.Status != BuildFailed {
		return ""
	}
	for _, d := range res.BuildErrors {
		name := path.Base(filepath.ToSlash(d.File))
		if d.Vet || !strings.HasSuffix(name, "_test.go") || slices.Contains(res.OwnTests, name) {
			continue
		}
		return name
	}
	return ""
}

// stopped reports whether some of res's tasks never ran after others had:
// a test that ran before them stopped the test binary, which the task
// list alone does not say (its "·" has no legend).
func stopped(res *Result) bool {
	ran, notRun := false, false
	for _, t := range res.Tasks {
		if t.Status == gotest.NotRun {
			notRun = true
		} else {
			ran = true
		}
	}
	return ran && notRun
}

// WriteFindings prints the analyzers' advice on the student's code, after
// the tasks: advice, which passing every task does not silence and which
// never fails one.
func WriteFindings(w io.Writer, res *Result, st style.Style, l lang.Lang) {
	if len(res.Findings) == 0 {
		return
	}
	head := l.Sprintf(lang.CheckAdvice)
	if res.Status == Passed {
		head = l.Sprintf(lang.CheckAdviceDone)
	}
	fmt.Fprintf(w, "\n%s\n", st.Bold(head))
	WriteFindingList(w, res.Lab, res.Findings, "  ", st)
}

// WriteFindingList prints findings in lab's files, one per line as go vet
// does (labs/LAB/file.go:line: message), each with its fix beneath, every
// line after indent.
func WriteFindingList(w io.Writer, lab string, findings []analysis.Finding, indent string, st style.Style) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s%s:%d: %s\n", indent, st.Code("labs/"+lab+"/"+f.File), f.Line, f.Message)
		if f.Fix != "" {
			fmt.Fprint(w, style.Indent(st.Dim("→ "+f.Fix), indent+"  ")) // Indent ends the line
		}
	}
}

// writeTrust says whose tests the results come from, when that is not
// simply the book's as they stand in the tree, each note wrapped to cols
// (DefaultWidth when zero).
func writeTrust(w io.Writer, res *Result, st style.Style, l lang.Lang, cols int) {
	notes := TrustNotes(res, l)
	for _, n := range notes {
		for _, line := range strings.Split(wrapNote(n.Text, width(cols)), "\n") {
			if n.Warn {
				line = st.Warn(line)
			}
			fmt.Fprintf(w, "%s\n", line)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
}

// wrapNote wraps a note to cols columns, but never inside the command it
// gives to copy (git checkout -- FILES, up to the closing ")" or "）"): a
// command broken over two lines runs as two. A command wider than the
// screen gets a line of its own.
func wrapNote(text string, cols int) string {
	const cmd = "git checkout -- "
	i := strings.Index(text, cmd)
	if i < 0 {
		return style.Wrap(text, cols)
	}
	end := strings.IndexAny(text[i:], ")）\n")
	if end < 0 {
		end = len(text) - i
	}
	return style.Wrap(text[:i]+style.Unbroken(text[i:i+end])+text[i+end:], cols)
}

// A TrustNote is one line of what TrustNotes says.
type TrustNote struct {
	Text string
	Warn bool // something the student should act on
}

// TrustNotes says, in l, whose tests res comes from when that is not
// simply the book's as they stand in the tree: test files that differ from
// the book's, results from the student's copies (Unverified), files left
// out, the student's own tests. WriteText prints them between its first
// line and the task list; the web book's lab page shows them there too.
func TrustNotes(res *Result, l lang.Lang) []TrustNote {
	var out []TrustNote
	note := func(warn bool, m *lang.Message, args ...any) {
		out = append(out, TrustNote{Text: strings.TrimSuffix(l.Sprintf(m, args...), "\n"), Warn: warn})
	}
	for _, f := range res.TestsModified {
		note(true, lang.TrustModified, shortName(res.Lab, f))
	}
	if res.Unverified != nil {
		note(true, lang.TrustUnverified, res.Unverified.Text(l))
		note(true, lang.TrustNotDone)
	}
	for _, h := range res.LeftOut {
		note(false, lang.TrustLeftOut, h.File, h.Why.Text(l))
	}
	if len(res.OwnTests) > 0 && res.Status == BuildFailed {
		// Nothing ran: the student's tests are part of what did not compile.
		note(false, lang.TrustOwnBuilt, l.List(res.OwnTests))
	} else if len(res.OwnTests) > 0 {
		note(false, lang.TrustOwnTests, l.List(res.OwnTests))
		if len(res.OwnFailed) > 0 {
			note(true, lang.TrustOwnFailed, l.List(res.OwnFailed))
		}
	}
	return out
}

// shortName names a file of the labs module for a student working in lab:
// its name alone when it is the lab's own.
func shortName(lab, rel string) string {
	if name, ok := strings.CutPrefix(rel, lab+"/"); ok {
		return name
	}
	return "labs/" + rel
}

// WriteTasks prints one line per task: its mark, number and title, a
// title wider than the screen (width columns; DefaultWidth when zero)
// wrapped under itself.
func WriteTasks(w io.Writer, res *Result, st style.Style, cols int) {
	const indent = "        " // "  ✓ 10  "
	titleW := max(width(cols)-len(indent), 20)
	for _, t := range res.Tasks {
		mark := Mark(t.Status)
		switch t.Status {
		case gotest.Pass:
			mark = st.Good(mark)
		case gotest.Fail, gotest.TimedOut, gotest.Interrupted:
			mark = st.Bad(mark)
		default:
			mark = st.Dim(mark)
		}
		title := strings.ReplaceAll(style.Wrap(t.Title, titleW), "\n", "\n"+indent)
		fmt.Fprintf(w, "  %s %2d  %s\n", mark, t.Number, title)
	}
}

// width is cols, or DefaultWidth when cols is zero.
func width(cols int) int {
	if cols <= 0 {
		return DefaultWidth
	}
	return cols
}

// limitLines keeps the first n lines of s; more, in language l, says how
// many more there were and what shows them.
func limitLines(s string, n int, l lang.Lang, more *lang.Message, args ...any) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "\n") + "\n" + l.Sprintf(more, append([]any{len(lines) - n}, args...)...)
}

// fullFailure is the command, run from the work tree's root, whose output
// is the whole of test's failure in lab: the labs are a module of their
// own, so go test runs from labs/.
func fullFailure(lab, test string) string {
	top, _, _ := strings.Cut(test, "/")
	return fmt.Sprintf("cd labs && go test -run '^%s$' ./%s", top, lab)
}
