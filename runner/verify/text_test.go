package verify

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/labs"
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
	wrongs := make([]WrongProof, 19)
	for i := range wrongs {
		wrongs[i] = WrongProof{Name: fmt.Sprintf("mistake-%d", i), Task: 1, Caught: true}
	}
	wrongs[4] = WrongProof{Name: "fetch-dials-ipv4-only", Task: 1, Needs: []labs.Need{labs.NeedIPv6},
		NotTried: "needs an IPv6 loopback (::1)", missing: []labs.Need{labs.NeedIPv6}}
	wrongs[5] = WrongProof{Name: "fetch-dials-without-a-timeout", Task: 4, Needs: []labs.Need{labs.NeedLinux},
		NotTried: "needs Linux", missing: []labs.Need{labs.NeedLinux}}
	WriteReport(&b, &Report{Lab: "04-first-server", Elapsed: 41 * time.Second, Tasks: []Proof{
		{Test: "TestTask1", SkeletonFailed: true, SkeletonElapsed: 30 * time.Millisecond, SolutionPassed: true, SolutionElapsed: 10 * time.Millisecond},
	}, Wrongs: wrongs}, Options{}, style.Style{})
	WriteReport(&b, &Report{Lab: "05-echo", Problems: []string{"TestTask2 fails on the reference solution"}, Wrongs: wrongs[4:5]}, Options{}, style.Style{})
	WriteBroken(&b, errors.New("lab 98-half-written has no brief"), style.Style{})
	WriteTotal(&b, 2, 6)
	golden.Check(t, "testdata/report.txt", b.String())
}

// Summary counts tasks and wrong solutions in words that agree with the
// count: "1 task", "2 tasks"; wrong solutions this machine cannot catch are
// counted apart, with what they need.
func TestSummaryPlurals(t *testing.T) {
	proof := Proof{Test: "TestTask1", SkeletonFailed: true, SolutionPassed: true}
	ipv6 := WrongProof{NotTried: "needs an IPv6 loopback (::1)", missing: []labs.Need{labs.NeedIPv6}}
	linux := WrongProof{NotTried: "needs Linux", missing: []labs.Need{labs.NeedLinux}}
	both := WrongProof{NotTried: "needs Linux and an IPv6 loopback (::1)", missing: []labs.Need{labs.NeedLinux, labs.NeedIPv6}}
	for _, tc := range []struct {
		tasks, caught int
		notTried      []WrongProof
		want          string
	}{
		{1, 0, nil, "1 task: fail on the skeleton"},
		{2, 0, nil, "2 tasks: fail on the skeleton"},
		{1, 1, nil, "; 1 wrong solution caught,"},
		{1, 3, nil, "; 3 wrong solutions caught,"},
		{1, 0, []WrongProof{ipv6}, "; 0 wrong solutions caught, 1 not tried here (needs IPv6),"},
		{1, 17, []WrongProof{linux, ipv6}, "; 17 wrong solutions caught, 2 not tried here (need Linux, IPv6),"},
		{1, 2, []WrongProof{ipv6, ipv6}, "; 2 wrong solutions caught, 2 not tried here (need IPv6),"},
		{1, 2, []WrongProof{both, ipv6}, "; 2 wrong solutions caught, 2 not tried here (need Linux, IPv6),"},
	} {
		rep := &Report{Lab: "01-addresses", Tasks: make([]Proof, tc.tasks)}
		for i := range rep.Tasks {
			rep.Tasks[i] = proof
		}
		for range tc.caught {
			rep.Wrongs = append(rep.Wrongs, WrongProof{Caught: true})
		}
		rep.Wrongs = append(rep.Wrongs, tc.notTried...)
		if got := Summary(rep, Options{}); !strings.Contains(got, tc.want) {
			t.Errorf("%d tasks, %d caught, %d not tried: %q, want it to contain %q", tc.tasks, tc.caught, len(tc.notTried), got, tc.want)
		}
	}
	var b strings.Builder
	WriteReport(&b, &Report{Lab: "03-hello-server", Problems: []string{"README.md: the front matter needs a title"}}, Options{}, style.Style{})
	if !strings.Contains(b.String(), " 1 problem:\n") {
		t.Errorf("one problem: %q", b.String())
	}
}

// A test that skipped is named with its reason, the last line it logged
// before it skipped; a run without a skip has none.
func TestSkipReason(t *testing.T) {
	const out = `=== RUN   TestTask4FetchDeadline
    greet_test.go:140: a log of the parent
=== RUN   TestTask4FetchDeadline/connecting
    greet_linux_test.go:52: 8 connections to a listener with a backlog of 0 all completed: this kernel does not drop connections past the backlog
        a second line
--- PASS: TestTask4FetchDeadline (0.31s)
    --- SKIP: TestTask4FetchDeadline/connecting (0.01s)
PASS
`
	want := "TestTask4FetchDeadline/connecting: 8 connections to a listener with a backlog of 0 all completed: this kernel does not drop connections past the backlog"
	if got := skipReason(out); got != want {
		t.Errorf("skipReason = %q, want %q", got, want)
	}
	if got := skipReason("=== RUN   TestA\n--- PASS: TestA (0.00s)\nPASS\n"); got != "" {
		t.Errorf("skipReason of a run without a skip = %q, want \"\"", got)
	}
}
