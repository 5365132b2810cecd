package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/style"
)

// WriteReport prints one lab's report as a line (ok, skip) or a list of
// problems (FAIL), for a terminal.
func WriteReport(w io.Writer, rep *Report, o Options, st style.Style) {
	switch {
	case rep.Skipped != "":
		fmt.Fprintf(w, "%s %-22s %s\n", st.Warn("skip"), rep.Lab, hang("not proved: "+rep.Skipped, 28))
	case rep.OK():
		fmt.Fprintf(w, "%s %-22s %s\n", st.Good("ok  "), rep.Lab, hang(Summary(rep, o), 28))
	default:
		n := len(rep.Problems)
		fmt.Fprintf(w, "%s %-22s %d %s:\n", st.Bad("FAIL"), rep.Lab, n, style.Plural(n, "problem", "problems"))
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(p, "\n", "\n    "))
		}
	}
	for _, wp := range rep.Wrongs {
		if wp.NotTried != "" {
			const indent = "     "
			text := style.Wrap(fmt.Sprintf("wrong/%s %s", wp.Name, wp.NotTried), width-len(indent)-len("not tried here: "))
			fmt.Fprintf(w, "%s%s %s\n", indent, st.Warn("not tried here:"), strings.ReplaceAll(text, "\n", "\n"+indent+"  "))
		}
	}
}

// width is the terminal width verify's lines fit in.
const width = 80

// hang wraps text that starts at column col so that its lines fit in
// width columns, the lines after the first indented under the lab's name.
func hang(text string, col int) string {
	const indent = "     "
	first, rest, ok := strings.Cut(style.Wrap(text, width-col), "\n")
	if !ok {
		return first
	}
	rest = style.Wrap(strings.Join(strings.Fields(rest), " "), width-len(indent))
	return first + "\n" + indent + strings.ReplaceAll(rest, "\n", "\n"+indent)
}

// WriteBroken prints a lab that could not even be loaded.
func WriteBroken(w io.Writer, err error, st style.Style) {
	fmt.Fprintf(w, "%s %v\n", st.Bad("FAIL"), err)
}

// WriteTotal prints the closing line: how many labs were proved.
func WriteTotal(w io.Writer, proved, total int) {
	fmt.Fprintf(w, "\nverify: %d of %d labs proved\n", proved, total)
}

// Summary says in one line what proving a lab took.
func Summary(rep *Report, o Options) string {
	var slowFail, slowPass float64
	for _, t := range rep.Tasks {
		slowFail = max(slowFail, t.SkeletonElapsed.Seconds())
		slowPass = max(slowPass, t.SolutionElapsed.Seconds())
	}
	extra := ""
	if o.Race {
		extra += " -race"
	}
	if o.Count > 1 {
		extra += fmt.Sprintf(" ×%d", o.Count)
	}
	wrongs := ""
	caught, notTried := 0, 0
	var missing []string
	for _, w := range rep.Wrongs {
		switch {
		case w.Caught:
			caught++
		case w.NotTried != "":
			notTried++
			for _, n := range w.missing {
				if !slices.Contains(missing, n.Short()) {
					missing = append(missing, n.Short())
				}
			}
		}
	}
	if caught+notTried > 0 {
		wrongs = fmt.Sprintf("; %d wrong %s caught", caught, style.Plural(caught, "solution", "solutions"))
	}
	if notTried > 0 {
		wrongs += fmt.Sprintf(", %d not tried here", notTried)
		if len(missing) > 0 {
			wrongs += fmt.Sprintf(" (%s %s)", style.Plural(notTried, "needs", "need"), strings.Join(missing, ", "))
		}
	}
	n := len(rep.Tasks)
	return fmt.Sprintf("%d %s: fail on the skeleton (slowest %.2fs), pass on the solution (slowest %.2fs)%s%s, %.1fs",
		n, style.Plural(n, "task", "tasks"), slowFail, slowPass, extra, wrongs, rep.Elapsed.Seconds())
}

// Prove proves each lab of chosen in turn and writes the reports to w as
// they come (text in style st, or, with asJSON, every report as one JSON
// array at the end); broken are labs that did not load, each a failure.
// It returns how many labs failed, and ctx's error if it ended first.
func Prove(ctx context.Context, r repo.Root, chosen []*labs.Lab, broken []error, o Options, w io.Writer, st style.Style, asJSON bool) (failed int, err error) {
	failed = len(broken)
	var reports []*Report
	for _, l := range chosen {
		rep := Lab(ctx, r, l, o)
		if ctx.Err() != nil {
			return failed, ctx.Err()
		}
		reports = append(reports, rep)
		if !rep.OK() {
			failed++
		}
		if !asJSON {
			WriteReport(w, rep, o, st)
		}
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return failed, enc.Encode(reports)
	}
	for _, b := range broken {
		WriteBroken(w, b, st)
	}
	WriteTotal(w, len(chosen)+len(broken)-failed, len(chosen)+len(broken))
	return failed, nil
}
