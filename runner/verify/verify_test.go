package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/fixture"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBook proves every lab of the book, so that go test ./... fails when a
// lab's test passes on its skeleton or fails on its solution. Under -race
// the solutions' tests run with the race detector too.
//
// It proves the labs as the book shipped them (Options.AsShipped): in a
// student's clone, the student's work, edited tests and own test files are
// replaced through an overlay by the book's bytes from git, so the proof
// holds whatever state the student's labs are in. A lab whose shipped files
// cannot be recovered (no git) is left out, with one line that says why.
// netbook verify without --as-shipped, as CI runs it, proves the tree as it
// stands and also requires labs/book.sum to be up to date; it also runs
// every wrong solution, which TestBook leaves to it (NoWrongs: one test
// binary per wrong solution would take go test ./... past ten minutes on a
// busy two-core laptop), checking only that each names a task of its lab.
func TestBook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every lab's tests")
	}
	r, err := repo.Find(".")
	require.NoError(t, err)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	require.NotEmpty(t, all)
	b, err := book.Load(os.DirFS(r.Chapters()))
	require.NoError(t, err)
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, l := range all {
		t.Run(l.Name, func(t *testing.T) {
			before := treeHash(t, l.Dir) + treeHash(t, l.SolutionDir) + treeHash(t, r.Labs(), "go.mod", "go.sum")
			rep := Lab(ctx, r, l, Options{Race: raceEnabled, Book: b, Sums: sums, AsShipped: true, NoWrongs: true})
			if rep.Skipped != "" {
				t.Skipf("%s left out: %s", l.Name, rep.Skipped)
			}
			for _, p := range rep.Problems {
				t.Error(p)
			}
			t.Logf("%s: %d tasks proved in %v", l.Name, len(rep.Tasks), rep.Elapsed)
			after := treeHash(t, l.Dir) + treeHash(t, l.SolutionDir) + treeHash(t, r.Labs(), "go.mod", "go.sum")
			assert.Equal(t, before, after, "verify changed the lab, its solution or the labs module; it must only read them")
		})
	}
}

// treeHash fingerprints the files under root (only the named ones, if any
// are named), so that a test can prove a command left them byte-for-byte as
// they were.
func treeHash(t *testing.T, root string, only ...string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (rel == ".git" || rel == ".netbook") {
			return filepath.SkipDir
		}
		if d.IsDir() || (len(only) > 0 && !slices.Contains(only, rel)) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		h.Write([]byte(rel + "\x00"))
		h.Write(data)
		return nil
	})
	require.NoError(t, err)
	return hex.EncodeToString(h.Sum(nil))
}

// TestCatchesBrokenLabs builds a small work tree whose lab has the mistakes
// verify exists to catch, and checks each is reported.
func TestCatchesBrokenLabs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := fixture.Unpack(t, "testdata/bad.txtar", t.TempDir())
	r := repo.Root{Dir: dir}
	l, err := labs.Load(r, "01-bad")
	require.NoError(t, err)
	b := &book.Book{Chapters: []*book.Chapter{{Number: 1, Slug: "01-bad", Meta: book.Meta{Title: "Bad"}}}}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// The machine pretends: an IPv6 loopback but not Linux.
	machine := func(n labs.Need) bool { return n == labs.NeedIPv6 }
	rep := Lab(ctx, r, l, Options{Book: b, Sums: &labs.Sums{}, Machine: machine, Jobs: 4})
	all := strings.Join(rep.Problems, "\n")
	for _, want := range []string{
		"labs/01-bad/hints.yaml:1: task 1's level 1 is empty",
		"README.md lists gone.go, which does not exist",
		"bad.go has no TODO",
		"chapter 01-bad does not link back to this lab",
		"README.md links to nowhere.md, which does not exist",
		"TestTask4Three is out of sequence",
		"TestTask2Nothing passes on the skeleton",
		"TestTask4Three fails on the reference solution",
		"the solution has no gone.go",
		"solutions/01-bad/wrong/unseen passes TestTask1Two, which must catch it: Writes two in another way",
		"solutions/01-bad/wrong/no-task/WHY: say what is wrong on the first line and which task catches it",
		"solutions/01-bad/wrong/task-nine/WHY names task 9, which the lab does not have",
		"solutions/01-bad/wrong/broken does not compile",
		"solutions/01-bad/wrong/skips-for-no-need passes TestTask1Two because the test skipped (TestTask1Two: this machine cannot tell)",
	} {
		assert.Contains(t, all, want)
	}
	assert.NotContains(t, all, "TestTask1Two passes on the skeleton", "task 1 is proved: it fails on the skeleton and passes on the solution")
	assert.NotContains(t, all, "TestTask1Two fails on the reference")
	assert.NotContains(t, all, "wrong/three", "task 1 catches the wrong solution that returns three")
	assert.NotContains(t, all, "wrong/linux-only", "a wrong solution that needs Linux is not tried on a machine without it")
	var caught, notTried []string
	for _, w := range rep.Wrongs {
		if w.Caught {
			caught = append(caught, w.Name)
		}
		if w.NotTried != "" {
			notTried = append(notTried, w.Name+": "+w.NotTried)
		}
	}
	assert.Equal(t, []string{"four-over-ipv6", "three"}, caught, "a wrong solution whose needs the machine meets is tried")
	assert.Equal(t, []string{"linux-only: needs Linux", "skips-where-it-needs: (its test skipped: TestTask1Two: this machine cannot tell)"}, notTried,
		"a wrong solution whose test skipped on a machine that meets its needs in name is not tried either, with the test's reason")
	assert.NotContains(t, all, "wrong/skips-where-it-needs")
	assert.False(t, rep.OK())

	// Proved one at a time, the wrong solutions give the same report, in
	// the same order: the lab's, not the order in which they finish.
	one := Lab(ctx, r, l, Options{Book: b, Sums: &labs.Sums{}, Machine: machine, Jobs: 1})
	assert.Equal(t, one.Problems, rep.Problems)
	names := func(ws []WrongProof) (n []string) {
		for _, w := range ws {
			n = append(n, w.Name)
		}
		return n
	}
	assert.Equal(t, names(one.Wrongs), names(rep.Wrongs))
	assert.True(t, slices.IsSortedFunc(rep.Wrongs, func(a, b WrongProof) int { return strings.Compare(a.Name, b.Name) }),
		"the wrong solutions are reported in the lab's order (by name): %v", names(rep.Wrongs))
}

// A run that timed out shows the head of the panic, which names the tests
// still running, not the end of a goroutine dump.
func TestTailOfATimedOutRun(t *testing.T) {
	out := "=== RUN   TestTask3\npanic: test timed out after 2m0s\n\trunning tests:\n\t\tTestTask3 (2m0s)\n\ngoroutine 7 [running]:\n" +
		strings.Repeat("testing.(*M).startAlarm.func1()\n\t/usr/local/go/src/testing/testing.go:2682 +0x345\n", 40)
	got := testRun{output: out}.tail()
	assert.Contains(t, got, "panic: test timed out after 2m0s")
	assert.Contains(t, got, "TestTask3 (2m0s)")
	assert.NotContains(t, got, "=== RUN", "the lines before the panic are left out")

	plain := strings.Repeat("line\n", 50) + "--- FAIL: TestTask1\n"
	assert.Contains(t, testRun{output: plain}.tail(), "--- FAIL: TestTask1")
	assert.Contains(t, testRun{output: plain}.tail(), "...", "a long output is cut to its end")
}

// A wrong solution is tried only where the machine meets its needs; one
// whose needs it does not meet is reported, with the reason, and is no
// problem. The machine here is pretended: no real Linux or IPv6 decides.
func TestWrongsThisMachineCannotCatch(t *testing.T) {
	linux := labs.Wrong{Name: "dials-without-a-timeout", Task: 1, Needs: []labs.Need{labs.NeedLinux}}
	ipv6 := labs.Wrong{Name: "dials-ipv4-only", Task: 1, Needs: []labs.Need{labs.NeedIPv6}}
	both := labs.Wrong{Name: "both", Task: 1, Needs: []labs.Need{labs.NeedLinux, labs.NeedIPv6}}
	plain := labs.Wrong{Name: "plain", Task: 1}
	has := func(needs ...labs.Need) func(labs.Need) bool {
		return func(n labs.Need) bool { return slices.Contains(needs, n) }
	}
	for _, tc := range []struct {
		name    string
		machine func(labs.Need) bool
		w       labs.Wrong
		want    string // why it is not tried; "" when it is
	}{
		{"linux on linux", has(labs.NeedLinux), linux, ""},
		{"linux on a mac", has(labs.NeedIPv6), linux, "needs Linux"},
		{"ipv6 with ::1", has(labs.NeedIPv6), ipv6, ""},
		{"ipv6 in a container", has(labs.NeedLinux), ipv6, "needs an IPv6 loopback (::1)"},
		{"both on a mac", has(labs.NeedIPv6), both, "needs Linux"},
		{"both in a container", has(labs.NeedLinux), both, "needs an IPv6 loopback (::1)"},
		{"both on neither", has(), both, "needs Linux and an IPv6 loopback (::1)"},
		{"both on both", has(labs.NeedLinux, labs.NeedIPv6), both, ""},
		{"no needs on neither", has(), plain, ""},
	} {
		got := ""
		if missing := unmet(tc.w, tc.machine); len(missing) > 0 {
			got = notTried(missing)
		}
		assert.Equal(t, tc.want, got, tc.name)
	}

	// proveWrongs neither builds nor runs them, and counts no problem.
	root := t.TempDir()
	sol := filepath.Join(root, "solutions", "01-demo")
	for _, w := range []struct{ name, why string }{
		{"dials-without-a-timeout", "Dials without a timeout.\ntask: 1\nneeds: linux\n"},
		{"dials-ipv4-only", "Dials tcp4.\ntask: 1\nneeds: ipv6\n"},
		{"names-task-nine", "Needs Linux but names a task that does not exist.\ntask: 9\nneeds: linux\n"},
	} {
		dir := filepath.Join(sol, "wrong", w.name)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, labs.WrongFile), []byte(w.why), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "demo.go"), []byte("package demo\n"), 0o644))
	}
	l := &labs.Lab{Name: "01-demo", Number: 1, Dir: filepath.Join(root, "labs", "01-demo"), SolutionDir: sol,
		Tasks: []labs.Task{{Number: 1, Test: "TestTask1"}}}
	l.Files = []string{"demo.go"}
	rep := &Report{Lab: l.Name}
	proveWrongs(t.Context(), repo.Root{Dir: root}, l, nil, t.TempDir(), Options{Machine: has()}, rep, nil)
	assert.Equal(t, []string{"solutions/01-demo/wrong/names-task-nine/WHY names task 9, which the lab does not have"}, rep.Problems,
		"a task that does not exist is a problem on any machine")
	assert.Equal(t, []WrongProof{
		{Name: "dials-ipv4-only", Task: 1, Needs: []labs.Need{labs.NeedIPv6}, NotTried: "needs an IPv6 loopback (::1)", missing: []labs.Need{labs.NeedIPv6}},
		{Name: "dials-without-a-timeout", Task: 1, Needs: []labs.Need{labs.NeedLinux}, NotTried: "needs Linux", missing: []labs.Need{labs.NeedLinux}},
	}, rep.Wrongs)

	rep = &Report{Lab: l.Name}
	proveWrongs(t.Context(), repo.Root{Dir: root}, l, nil, t.TempDir(), Options{Machine: has(), NoWrongs: true}, rep, nil)
	assert.Empty(t, rep.Wrongs, "--no-wrongs reports none, tried or not")
}
