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
	dir := t.TempDir()
	write := func(name, content string) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	write("go.work", "go 1.22\n\nuse ./labs\n")
	write("labs/go.mod", "module example.com/labs\n\ngo 1.22\n")
	write("labs/01-bad/README.md", "---\ntitle: Bad\nchapter: 01-bad\nfiles: [bad.go, gone.go]\nhints: [\"\"]\n---\nSee [here](nowhere.md).\n")
	write("labs/01-bad/bad.go", "package bad\n\nfunc Two() int { return 0 }\n")
	write("labs/01-bad/bad_test.go", "package bad\n\nimport \"testing\"\n\n"+
		"// Return two.\nfunc TestTask1Two(t *testing.T) {\n\tif Two() != 2 {\n\t\tt.Fatal(\"want 2\")\n\t}\n}\n\n"+
		"// Always passes.\nfunc TestTask2Nothing(t *testing.T) {}\n\n"+
		"// Wants three.\nfunc TestTask4Three(t *testing.T) {\n\tif Two() != 3 {\n\t\tt.Fatal(\"want 3\")\n\t}\n}\n")
	write("solutions/01-bad/bad.go", "package bad\n\nfunc Two() int { return 2 }\n")
	write("solutions/01-bad/wrong/three/WHY", "Thinks two is three.\ntask: 1\n")
	write("solutions/01-bad/wrong/three/bad.go", "package bad\n\nfunc Two() int { return 3 }\n")
	write("solutions/01-bad/wrong/unseen/WHY", "Writes two in another way, which task 1 cannot tell apart.\ntask: 1\n")
	write("solutions/01-bad/wrong/unseen/bad.go", "package bad\n\nfunc Two() int { return 1 + 1 }\n")
	write("solutions/01-bad/wrong/no-task/WHY", "Forgets to say which task.\n")
	write("solutions/01-bad/wrong/no-task/bad.go", "package bad\n\nfunc Two() int { return 0 }\n")
	write("solutions/01-bad/wrong/task-nine/WHY", "Names a task that does not exist.\ntask: 9\n")
	write("solutions/01-bad/wrong/task-nine/bad.go", "package bad\n\nfunc Two() int { return 0 }\n")
	write("solutions/01-bad/wrong/broken/WHY", "Does not compile.\ntask: 1\n")
	write("solutions/01-bad/wrong/broken/bad.go", "package bad\n\nfunc Two() int { return }\n")
	r := repo.Root{Dir: dir}
	l, err := labs.Load(r, "01-bad")
	require.NoError(t, err)
	b := &book.Book{Chapters: []*book.Chapter{{Number: 1, Slug: "01-bad", Meta: book.Meta{Title: "Bad"}}}}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep := Lab(ctx, r, l, Options{Book: b, Sums: &labs.Sums{}})
	all := strings.Join(rep.Problems, "\n")
	for _, want := range []string{
		"hint 1 is empty",
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
	} {
		assert.Contains(t, all, want)
	}
	assert.NotContains(t, all, "TestTask1Two passes on the skeleton", "task 1 is proved: it fails on the skeleton and passes on the solution")
	assert.NotContains(t, all, "TestTask1Two fails on the reference")
	assert.NotContains(t, all, "wrong/three", "task 1 catches the wrong solution that returns three")
	var caught []string
	for _, w := range rep.Wrongs {
		if w.Caught {
			caught = append(caught, w.Name)
		}
	}
	assert.Equal(t, []string{"three"}, caught)
	assert.False(t, rep.OK())
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
