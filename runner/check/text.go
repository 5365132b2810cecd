package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/gotest"
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
}

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

// Describe says a task status in words.
func Describe(s gotest.Status) string {
	switch s {
	case gotest.Pass:
		return "passed"
	case gotest.Fail:
		return "failed"
	case gotest.TimedOut:
		return "timed out"
	case gotest.Interrupted:
		return "was cut short"
	case gotest.Skip:
		return "was skipped"
	}
	return "did not run"
}

// WriteText prints the result for a terminal.
func WriteText(w io.Writer, res *Result, st style.Style, adv Advice) {
	head := fmt.Sprintf("%s · %s", st.Bold(res.Lab), res.Title)
	switch res.Status {
	case Passed:
		fmt.Fprintf(w, "%s · %s\n\n", head, st.Good(fmt.Sprintf("all %d tasks pass", res.Total)))
	case Unverified:
		fmt.Fprintf(w, "%s · %s\n\n", head, st.Warn(fmt.Sprintf("all %d tasks pass, but not on the book's tests", res.Total)))
	case BuildFailed:
		fmt.Fprintf(w, "%s · %s\n\n", head, st.Bad("does not compile"))
	default:
		fmt.Fprintf(w, "%s · %d of %d tasks\n\n", head, res.Passed, res.Total)
	}
	writeTrust(w, res, st)
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
		fmt.Fprintf(w, "\nThe tests cannot run until the code compiles. Fix the first error above")
		if adv.Again != "" {
			fmt.Fprintf(w, ", then run:\n  %s\n", st.Code(adv.Again))
		} else {
			fmt.Fprintln(w, ".")
		}
		return
	}
	WriteTasks(w, res, st)
	if res.Problem != "" {
		fmt.Fprintf(w, "\n%s\n", style.Indent(res.Problem, "  "))
	}
	if f := res.Failure; f != nil {
		fmt.Fprintf(w, "\n%s\n", st.Bold(fmt.Sprintf("Task %d %s (%s):", f.Task, Describe(f.Status), f.Test)))
		msg := strings.TrimRight(f.Message, "\n")
		if msg == "" {
			msg = "(the test printed no message)"
		}
		fmt.Fprint(w, style.Indent(limitLines(msg, 40), "  "))
	}
	WriteFindings(w, res, st)
	fmt.Fprintln(w)
	if res.Status == Passed {
		if adv.Compare != "" {
			fmt.Fprintf(w, "Done! See how the book's reference solution does it, next to yours:\n  %s\n", st.Code(adv.Compare))
		}
		if adv.Next != "" {
			fmt.Fprintf(w, "Next: %s\n", adv.Next)
		}
		return
	}
	if len(adv.Edit) > 0 {
		fmt.Fprintf(w, "Edit %s", strings.Join(adv.Edit, ", "))
		if adv.Again != "" {
			fmt.Fprintf(w, ", then run:\n  %s\n", st.Code(adv.Again))
		} else {
			fmt.Fprintln(w)
		}
	}
	if adv.Hint != "" {
		fmt.Fprintf(w, "Stuck? %s\n", st.Code(adv.Hint))
	}
}

// WriteFindings prints the analyzers' advice on the student's code, after
// the tasks: advice, which passing every task does not silence and which
// never fails one.
func WriteFindings(w io.Writer, res *Result, st style.Style) {
	if len(res.Findings) == 0 {
		return
	}
	head := "Advice on your code (it does not change the result):"
	if res.Status == Passed {
		head = "Every task passes, but a reviewer would point out:"
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
			fmt.Fprintf(w, "%s\n", style.Indent(st.Dim("→ "+f.Fix), indent+"  "))
		}
	}
}

// writeTrust says whose tests the results come from, when that is not
// simply the book's as they stand in the tree.
func writeTrust(w io.Writer, res *Result, st style.Style) {
	said := false
	for _, f := range res.TestsModified {
		fmt.Fprintf(w, "%s\n", st.Warn(fmt.Sprintf("Your copy of %s differs from the book's; these results use the book's tests.", shortName(res.Lab, f))))
		said = true
	}
	if res.Unverified != "" {
		fmt.Fprintf(w, "%s\n", st.Warn("These results use your copies of files that differ from the book's, because "+res.Unverified+"."))
		fmt.Fprintf(w, "%s\n", st.Warn("The lab does not count as done until those files are the book's again."))
		said = true
	}
	for _, h := range res.LeftOut {
		fmt.Fprintf(w, "Left out of this check: %s.\n", h)
		said = true
	}
	if len(res.OwnTests) > 0 {
		fmt.Fprintf(w, "Your own tests in %s ran too; they do not count toward the tasks.\n", strings.Join(res.OwnTests, ", "))
		if len(res.OwnFailed) > 0 {
			fmt.Fprintf(w, "%s\n", st.Warn("Of yours, these failed: "+strings.Join(res.OwnFailed, ", ")+" (go test -v shows why)."))
		}
		said = true
	}
	if said {
		fmt.Fprintln(w)
	}
}

// shortName names a file of the labs module for a student working in lab:
// its name alone when it is the lab's own.
func shortName(lab, rel string) string {
	if name, ok := strings.CutPrefix(rel, lab+"/"); ok {
		return name
	}
	return "labs/" + rel
}

// WriteTasks prints one line per task: its mark, number and title.
func WriteTasks(w io.Writer, res *Result, st style.Style) {
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
		fmt.Fprintf(w, "  %s %2d  %s\n", mark, t.Number, t.Title)
	}
}

func limitLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n... (%d more lines: run go test -v for all of it)", len(lines)-n)
}
