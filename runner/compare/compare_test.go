package compare

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// result is a check of l in which the first passed tasks pass.
func result(l *labs.Lab, passed int) *check.Result {
	res := &check.Result{Lab: l.Name, Title: l.Title, Total: len(l.Tasks), Passed: passed, Status: check.Passed}
	for i, t := range l.Tasks {
		st := gotest.Pass
		if i >= passed {
			st, res.Status = gotest.Fail, check.Failed
		}
		res.Tasks = append(res.Tasks, check.TaskResult{Number: t.Number, Title: t.Title, Test: t.Test, Status: st})
	}
	return res
}

func TestCompareRefusedUntilEveryTaskPasses(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("03"))
	l := testkit.Lab(t, r, "03-hello-server")

	_, err := Build(r, l, result(l, 3), "")
	var notYet *NotYet
	require.True(t, errors.As(err, &notYet), "Build before the lab passes: got %v, want a *NotYet", err)
	assert.Equal(t, 7, notYet.Total-notYet.Passed)
	assert.Contains(t, err.Error(), "lab 03-hello-server is not done yet: 3 of 10 tasks pass, 7 to go (next: task 4, ")

	res := result(l, len(l.Tasks))
	res.Status = check.Unverified
	res.Unverified = &check.Reason{Unrecoverable: &shipped.UnrecoverableError{
		Files: []string{"03-hello-server/task01_hello_test.go"}, Why: shipped.Why{Kind: shipped.NotAClone}}}
	_, err = Build(r, l, res, "")
	assert.EqualError(t, err, "lab 03-hello-server passes only on test files that are not the book's "+
		"(the book's copy cannot be recovered (03-hello-server/task01_hello_test.go): this copy of the book is not a git clone)",
		"a pass on tests that may not be the book's is no pass")
	require.True(t, errors.As(err, &notYet))
	assert.Equal(t, "实验 03-hello-server 只在不属于本书的测试文件上通过（本书的版本（03-hello-server/task01_hello_test.go）无法取回：你这份副本不是用 git 克隆的）。",
		notYet.In(lang.Chinese), "the reason in the reader's language too")

	res = &check.Result{Lab: l.Name, Total: len(l.Tasks), Status: check.BuildFailed}
	_, err = Build(r, l, res, "")
	assert.ErrorContains(t, err, "does not compile yet")

	_, err = Build(r, l, nil, "")
	assert.Error(t, err)
}

func TestCompareShowsTheDiffAndTheNotes(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("03"))
	l := testkit.Lab(t, r, "03-hello-server")
	ref, err := os.ReadFile(filepath.Join(l.SolutionDir, "server.go"))
	require.NoError(t, err)
	mine := strings.Replace(string(ref), "\tvar delay time.Duration", "\t// my own comment\n\tvar delay time.Duration", 1)
	require.NotEqual(t, string(ref), mine, "the reference changed: pick another line to edit")
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "server.go"), []byte(mine), 0o644))

	c, err := Build(r, l, result(l, len(l.Tasks)), "")
	require.NoError(t, err)
	require.Len(t, c.Files, 1)
	f := c.Files[0]
	assert.Equal(t, "labs/03-hello-server/server.go", f.Yours)
	assert.Equal(t, "solutions/03-hello-server/server.go", f.Reference)
	assert.Contains(t, f.Diff, "--- yours/server.go\n+++ reference/server.go\n")
	assert.Contains(t, f.Diff, "\n-\t// my own comment\n")
	assert.Equal(t, 1, f.Removed)
	assert.Equal(t, 0, f.Added)
	assert.Equal(t, "solutions/03-hello-server/NOTES.md", c.NotesFile)
	assert.Contains(t, c.Notes, "# Notes on the reference")

	var out strings.Builder
	WriteText(&out, c, TextOptions{Style: style.Style{}, Width: 80})
	assert.Contains(t, out.String(), "03-hello-server · A hello server · your code next to the book's reference")
	assert.Contains(t, out.String(), "server.go: labs/03-hello-server/server.go (-) next to\nsolutions/03-hello-server/server.go (+): 1 line removed, 0 lines added")
	assert.Contains(t, out.String(), "Notes on the reference", "the notes are rendered")
	assert.NotContains(t, out.String(), "\x1b[", "no colour without a terminal")

	// The reference itself, copied: nothing differs.
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "server.go"), ref, 0o644))
	c, err = Build(r, l, result(l, len(l.Tasks)), "")
	require.NoError(t, err)
	assert.True(t, c.Files[0].Same())
	out.Reset()
	WriteText(&out, c, TextOptions{Style: style.Style{}, Width: 80})
	assert.Contains(t, out.String(), "server.go: the same as the reference, byte for byte.")
}

// Every line compare writes around the notes fits the width, in English
// and in Chinese, with the longest lab name and the command as a student
// runs it from a lab's folder; the command stays whole on one line, since
// a command broken over two lines runs as two.
func TestCompareFitsTheWidth(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("03"))
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		lab := testkit.Lab(t, r, "03-hello-server").In(l)
		lab.Name = "11-reliable-stream"
		_, err := Build(r, lab, result(lab, 3), l.String())
		var notYet *NotYet
		require.True(t, errors.As(err, &notYet))
		ref, err := os.ReadFile(filepath.Join(lab.SolutionDir, "server.go"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(lab.Dir, "server.go"), append([]byte("// Mine.\n"), ref...), 0o644))
		c, err := Build(r, lab, result(lab, len(lab.Tasks)), l.String())
		require.NoError(t, err)
		c.Notes = "" // the notes are mdterm's, proved there
		c.Title = "A UDP echo service that survives a lossy network"
		c.Files[0].Diff = "" // the code is shown as it is

		for _, width := range []int{0, 80, 60} {
			for _, cmd := range []string{"netbook", "go run ../../../cmd/netbook"} {
				check, again := cmd+" check 11", cmd+" compare 11"
				var out strings.Builder
				WriteNotYet(&out, notYet, style.Style{}, check, l, width)
				WriteElsewhere(&out, lab.Name, time.Date(2026, 12, 28, 12, 0, 0, 0, time.Local), style.Style{}, again, l, width)
				WriteText(&out, c, TextOptions{Width: width, Next: cmd, Lang: l})
				fits(t, out.String(), width, check, again)
			}
		}
	}
}

// fits fails the test for each line of text wider than width columns (80
// when 0), and for each command of cmds not whole on one line.
func fits(t *testing.T, text string, width int, cmds ...string) {
	t.Helper()
	if width == 0 {
		width = 80
	}
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, style.Cols(line), width, "%q fits %d columns", line, width)
	}
	for _, c := range cmds {
		assert.Contains(t, text, c, "the command stays whole, on one line")
	}
}
