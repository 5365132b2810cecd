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

// Summary counts tasks and wrong solutions in words that agree with the
// count: "1 task", "2 tasks".
func TestSummaryPlurals(t *testing.T) {
	proof := Proof{Test: "TestTask1", SkeletonFailed: true, SolutionPassed: true}
	for _, tc := range []struct {
		tasks, wrongs int
		want          string
	}{
		{1, 0, "1 task: fail on the skeleton"},
		{2, 0, "2 tasks: fail on the skeleton"},
		{1, 1, "; 1 wrong solution caught,"},
		{1, 3, "; 3 wrong solutions caught,"},
	} {
		rep := &Report{Lab: "01-addresses", Tasks: make([]Proof, tc.tasks), Wrongs: make([]WrongProof, tc.wrongs)}
		for i := range rep.Tasks {
			rep.Tasks[i] = proof
		}
		if got := Summary(rep, Options{}); !strings.Contains(got, tc.want) {
			t.Errorf("%d tasks, %d wrongs: %q, want it to contain %q", tc.tasks, tc.wrongs, got, tc.want)
		}
	}
	var b strings.Builder
	WriteReport(&b, &Report{Lab: "03-hello-server", Problems: []string{"README.md: the front matter needs a title"}}, Options{}, style.Style{})
	if !strings.Contains(b.String(), " 1 problem:\n") {
		t.Errorf("one problem: %q", b.String())
	}
}
