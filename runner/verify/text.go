package verify

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/style"
)

// WriteReport prints one lab's report as a line (ok, skip) or a list of
// problems (FAIL), for a terminal.
func WriteReport(w io.Writer, rep *Report, o Options, st style.Style) {
	switch {
	case rep.Skipped != "":
		fmt.Fprintf(w, "%s %-22s not proved: %s\n", st.Warn("skip"), rep.Lab, rep.Skipped)
	case rep.OK():
		fmt.Fprintf(w, "%s %-22s %s\n", st.Good("ok  "), rep.Lab, Summary(rep, o))
	default:
		fmt.Fprintf(w, "%s %-22s %d problem(s):\n", st.Bad("FAIL"), rep.Lab, len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(p, "\n", "\n    "))
		}
	}
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
	if n := len(rep.Wrongs); n > 0 {
		wrongs = fmt.Sprintf("; %d wrong solutions caught", n)
	}
	return fmt.Sprintf("%d tasks: fail on the skeleton (slowest %.2fs), pass on the solution (slowest %.2fs)%s%s, %.1fs",
		len(rep.Tasks), slowFail, slowPass, extra, wrongs, rep.Elapsed.Seconds())
}
