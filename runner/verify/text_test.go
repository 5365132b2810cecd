package verify

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/style"
)

// TestReportText draws each kind of line verify prints: a lab proved, one
// skipped, one with problems, one that did not load, and the total.
func TestReportText(t *testing.T) {
	var b strings.Builder
	o := Options{Race: true, Count: 20}
	WriteReport(&b, &Report{Lab: "01-addresses", Elapsed: 3500 * time.Millisecond, Tasks: []Proof{
		{Test: "TestTask1", SkeletonFailed: true, SkeletonElapsed: 30 * time.Millisecond, SolutionPassed: true, SolutionElapsed: 10 * time.Millisecond},
		{Test: "TestTask2", SkeletonFailed: true, SkeletonElapsed: 20 * time.Millisecond, SolutionPassed: true, SolutionElapsed: 310 * time.Millisecond},
	}}, o, style.Style{})
	WriteReport(&b, &Report{Lab: "02-first-connection", Skipped: "the book's files cannot be recovered: git is not installed"}, o, style.Style{})
	WriteReport(&b, &Report{Lab: "03-hello-server", Problems: []string{
		"README.md: the front matter needs a title",
		"TestTask2 passes on the skeleton:\nit tests nothing the student writes",
		"labs/03-hello-server/hints.yaml:7: lab 03-hello-server has no task 12",
	}}, o, style.Style{})
	WriteBroken(&b, errors.New("lab 98-half-written has no brief"), style.Style{})
	WriteTotal(&b, 1, 4)
	golden.Check(t, "testdata/report.txt", b.String())
}
