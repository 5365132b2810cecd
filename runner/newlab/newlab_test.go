package newlab

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/compare"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/verify"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A scaffolded lab passes verify at once: its task fails on the skeleton
// with a message for the student and passes on the solution, its wrong
// solution is caught, its chapter links to it and back, and labs/book.sum
// has its lines. A second run refuses to overwrite anything.
func TestScaffoldPassesVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	r := testkit.Pristine(t, testkit.Only("01"))
	l, err := Plan(r, "11-example", Options{Title: "An example"})
	require.NoError(t, err)
	assert.Equal(t, "example", l.Package)
	assert.Equal(t, "11-example", l.Chapter)
	sumsBefore, err := os.ReadFile(filepath.Join(r.Labs(), labs.SumsFile))
	require.NoError(t, err)
	require.NoError(t, Create(r, l))
	for _, f := range l.Files {
		assert.FileExists(t, filepath.Join(r.Dir, filepath.FromSlash(f)))
	}

	lab, err := labs.Load(r, "11-example")
	require.NoError(t, err)
	assert.Equal(t, "An example", lab.Title)
	notes, path, err := compare.Notes(lab, "")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(r.Solution("11-example"), compare.NotesFile), path, "the scaffold has notes on its reference")
	assert.True(t, strings.HasPrefix(string(notes), "# Notes on the reference: An example\n"))
	assert.Contains(t, string(notes), "(../../chapters/11-example.md)")
	if n := len(strings.Fields(string(notes))); n < 150 {
		t.Errorf("the scaffold's notes have %d words; go test ./runner/compare wants at least 150", n)
	}
	require.Len(t, lab.Tasks, 1)
	b, err := book.Load(os.DirFS(r.Chapters()))
	require.NoError(t, err)
	c, err := b.Find("11")
	require.NoError(t, err)
	assert.Equal(t, "11-example", c.Lab)
	for _, link := range c.Links {
		if link.Relative() {
			assert.DirExists(t, filepath.Join(r.Chapters(), filepath.FromSlash(link.Dest)), "the chapter's link %s resolves", link.Dest)
		}
	}
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	assert.True(t, sums.Pristine(lab), "labs/book.sum has the new lab's lines")
	sumsAfter, err := os.ReadFile(filepath.Join(r.Labs(), labs.SumsFile))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(sumsAfter), string(sumsBefore[:strings.Index(string(sumsBefore), "01-addresses")])), "the other lines stay")
	assert.Contains(t, string(sumsAfter), "01-addresses/addresses.go skeleton")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep := verify.Lab(ctx, r, lab, verify.Options{Book: b, Sums: sums})
	assert.Empty(t, rep.Problems, "the scaffold must pass verify")
	require.Len(t, rep.Tasks, 1)
	assert.True(t, rep.Tasks[0].SkeletonFailed && rep.Tasks[0].SolutionPassed)
	require.Len(t, rep.Wrongs, 1)
	assert.True(t, rep.Wrongs[0].Caught, "task 1 catches the wrong solution")

	_, err = Plan(r, "11-example", Options{})
	assert.ErrorContains(t, err, "lab 11 exists")
	_, err = Plan(r, "12-other", Options{Chapter: "11-example"})
	assert.ErrorContains(t, err, "chapter 11 exists")
	l.Files[0] = "labs/11-example/README.md"
	assert.ErrorContains(t, Create(r, l), "never overwrites")
	lab2, err := labs.Load(r, "11-example")
	require.NoError(t, err)
	assert.Equal(t, "An example", lab2.Title, "a refused Create leaves the lab as it was")
}

func TestPlanNames(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only())
	for name, want := range map[string]string{
		"12-udp-broadcast": "udpbroadcast",
		"13-3d":            "lab3d",
	} {
		l, err := Plan(r, name, Options{})
		require.NoError(t, err, name)
		assert.Equal(t, want, l.Package)
	}
	l, err := Plan(r, "12-udp-broadcast", Options{})
	require.NoError(t, err)
	assert.Equal(t, "Udp broadcast", l.Title)
	for name, want := range map[string]string{
		"11":           "is not a lab's name",
		"11-Example":   "is not a lab's name",
		"1-example":    "is not a lab's name",
		"11-go":        "cannot be the lab's package name",
		"11-x--y":      "is not a lab's name",
		"11-example/x": "is not a lab's name",
	} {
		_, err := Plan(r, name, Options{})
		assert.ErrorContains(t, err, want, name)
	}
	_, err = Plan(r, "12-x", Options{Chapter: "chapter"})
	assert.ErrorContains(t, err, "is not a chapter's name")
	_, err = Plan(r, "12-x", Options{Title: "a \"quoted\" title"})
	assert.ErrorContains(t, err, "without double quotes")
	assert.Contains(t, l.NextSteps("netbook", 0), "numbered with no gaps")
	assert.NotContains(t, l.NextSteps("netbook", 12), "numbered with no gaps")
}
