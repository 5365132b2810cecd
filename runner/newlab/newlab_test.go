package newlab

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/classroom"
	"github.com/netbook/netbook/runner/compare"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/style"
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

// A --package that cannot be a package's name is refused for what it is,
// not with advice to give --package.
func TestPlanPackageNames(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only())
	for pkg, want := range map[string]string{
		"type":   `--package "type" cannot be the lab's package name: it is a Go keyword`,
		"udp-bc": `--package "udp-bc" cannot be the lab's package name: it is not a Go identifier`,
		"1x":     `--package "1x" cannot be the lab's package name: it is not a Go identifier`,
		"Udp":    `--package "Udp" cannot be the lab's package name: it has upper-case letters`,
	} {
		_, err := Plan(r, "12-udp-broadcast", Options{Package: pkg})
		if assert.ErrorContains(t, err, want, pkg) {
			assert.NotContains(t, err.Error(), "give one with --package", "--package was given")
		}
	}
	_, err := Plan(r, "12-go", Options{})
	assert.ErrorContains(t, err, `"go" (from the lab's name) cannot be the lab's package name: it is a Go keyword; give one with --package`)
	l, err := Plan(r, "12-go", Options{Package: "golang"})
	require.NoError(t, err)
	assert.Equal(t, "golang", l.Package)
}

// The name new-lab's errors suggest takes the next free number: one that
// Plan accepts in this book, whatever labs it has.
func TestPlanSuggestsTheNextFreeNumber(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("01"))
	assert.Equal(t, "02", Next(r))
	_, err := Plan(r, "udp-broadcast", Options{})
	assert.ErrorContains(t, err, "such as 02-udp-broadcast")
	_, err = Plan(r, "01-again", Options{})
	assert.ErrorContains(t, err, "lab 01 exists (01-addresses): give the new one another number, such as 02")

	tree := testkit.Tree(t)
	_, err = Plan(tree, "x", Options{})
	require.ErrorContains(t, err, "such as "+Example(tree))
	_, err = Plan(tree, Example(tree), Options{})
	assert.NoError(t, err, "the suggested name is free in this book")
}

// The documents give one example of new-lab, new-lab --help's, and the
// verify that follows it names its number. (That the example is free in
// the book as shipped, README.md and docs/instructors.md say by hand: a
// test in the tree would fail as soon as an author took the number.)
func TestDocumentedExamplesAgree(t *testing.T) {
	tree := testkit.Tree(t)
	example := regexp.MustCompile(`new-lab (\d\d-[a-z0-9-]+)(?:[^\n]*\n(?:netbook|go run ./cmd/netbook) verify (\d+))?`)
	var want string
	for _, doc := range []string{"cmd/netbook/testdata/help/new-lab.txt", "README.md", "CONTRIBUTING.md", "docs/instructors.md"} {
		data, err := os.ReadFile(filepath.Join(tree.Dir, filepath.FromSlash(doc)))
		require.NoError(t, err)
		for _, m := range example.FindAllStringSubmatch(string(data), -1) {
			if want == "" {
				want = m[1]
			}
			assert.Equal(t, want, m[1], "%s: new-lab's example is new-lab --help's", doc)
			if m[2] != "" {
				assert.Equal(t, m[1][:2], m[2], "%s: new-lab %s is followed by verify %s", doc, m[1], m[2])
			}
		}
	}
	assert.NotEmpty(t, want)
	assert.NotEqual(t, "11-udp-broadcast", want, "the book has a lab 11, 11-reliable-stream")
}

// new-lab adds its lab's task to the book's Classroom workflow, which go
// test ./runner/classroom keeps current, and says so; in a tree without
// the workflow it writes none.
func TestCreateRewritesTheClassroomWorkflow(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("01"))
	path := filepath.Join(r.Dir, filepath.FromSlash(classroom.BookFile))
	before, err := os.ReadFile(filepath.Join(testkit.Tree(t).Dir, filepath.FromSlash(classroom.BookFile)))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, before, 0o644))

	l, err := Plan(r, "12-udp-broadcast", Options{Title: "UDP broadcast"})
	require.NoError(t, err)
	require.NoError(t, Create(r, l))
	assert.Equal(t, classroom.BookFile, l.Workflow)
	assert.NoError(t, l.WorkflowErr)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(classroom.Book(all)), string(got), "the workflow is the book's for every lab, the new one too")
	assert.Contains(t, string(got), "id: lab12-task1")

	var out strings.Builder
	l.WriteCreated(&out, "netbook", 2)
	assert.Contains(t, out.String(), "and its task in "+classroom.BookFile)
	next := l.NextSteps("netbook", 2)
	assert.Contains(t, next, "Optional: a Chinese edition, chapters/zh/12-udp-broadcast.md")
	assert.Contains(t, next, "netbook classroom --out "+classroom.BookFile)

	bare := testkit.Pristine(t, testkit.Only("01"))
	l, err = Plan(bare, "12-udp-broadcast", Options{})
	require.NoError(t, err)
	require.NoError(t, Create(bare, l))
	assert.Empty(t, l.Workflow)
	assert.NoError(t, l.WorkflowErr)
	assert.NoFileExists(t, filepath.Join(bare.Dir, filepath.FromSlash(classroom.BookFile)))
}

// A workflow an instructor edited by hand since netbook classroom wrote
// it is left as it is: new-lab says so, and how to add the new lab's task.
func TestCreateKeepsAWorkflowEditedByHand(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("01"))
	path := filepath.Join(r.Dir, filepath.FromSlash(classroom.BookFile))
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	edited := strings.Replace(string(classroom.Book(all)), "runs-on: ubuntu-latest", "runs-on: self-hosted # our lab machines", 1)
	require.NotEqual(t, string(classroom.Book(all)), edited)
	require.Equal(t, classroom.Edited, classroom.Of([]byte(edited)))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o644))

	l, err := Plan(r, "12-udp-broadcast", Options{Title: "UDP broadcast"})
	require.NoError(t, err)
	require.NoError(t, Create(r, l), "the lab is made all the same")
	assert.Empty(t, l.Workflow)
	assert.ErrorIs(t, l.WorkflowErr, errEditedWorkflow)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, edited, string(got), "the instructor's edits are kept")

	var out strings.Builder
	l.WriteCreated(&out, "netbook", 2)
	assert.Contains(t, out.String(), classroom.BookFile+" is as it was: it was edited by hand")
	assert.Contains(t, out.String(), "netbook classroom --out "+classroom.BookFile+" --force")
}

// What new-lab prints next reads on a terminal 80 columns wide, run as the
// documents run it (go run ./cmd/netbook): the prose wraps, and only a
// command, which must stay whole to be copied, may be wider.
func TestNextStepsFitEightyColumns(t *testing.T) {
	l := &Lab{Name: "12-udp-broadcast-to-many", Number: "12", Chapter: "12-udp-broadcast-to-many", ChapterNumber: 14, Package: "udpbroadcasttomany"}
	next := l.NextSteps("go run ./cmd/netbook", 12)
	for _, line := range strings.Split(next, "\n") {
		if style.Cols(line) < 80 {
			continue
		}
		assert.True(t, strings.HasPrefix(line, "       go run ./cmd/netbook "), "a line of prose wider than 79 columns:\n%s", line)
	}
	for _, want := range []string{"go run ./cmd/netbook verify 12\n", "go run ./cmd/netbook verify 12 --update-sums\n",
		"go run ./cmd/netbook verify 12 --race --count 20\n", "go run ./cmd/netbook classroom --out " + classroom.BookFile + "\n",
		"labs/12-udp-broadcast-to-many/udpbroadcasttomany_test.go", "chapter 14's number follows on."} {
		assert.Contains(t, next, want, "a command or a path is whole, on one line")
	}
}

// A title that YAML would read as something else (a map, a comment, a
// list, a number) is quoted in the front matter, and the lab and its
// chapter read it back as given; a plain title stays plain, as the book
// writes titles.
func TestTitlesYAMLWouldMisread(t *testing.T) {
	for _, title := range []string{"UDP: broadcast", "#1 broadcast", "[draft] broadcast", "- broadcast", "1.0", "广播: UDP", "A plain title"} {
		t.Run(title, func(t *testing.T) {
			r := testkit.Pristine(t, testkit.Only("01"))
			l, err := Plan(r, "12-udp-broadcast", Options{Title: title})
			require.NoError(t, err)
			require.NoError(t, Create(r, l), "new-lab writes the lab")
			lab, err := labs.Load(r, "12-udp-broadcast")
			require.NoError(t, err)
			assert.Equal(t, title, lab.Title)
			b, err := book.Load(os.DirFS(r.Chapters()))
			require.NoError(t, err)
			c, err := b.Find("12")
			require.NoError(t, err)
			assert.Equal(t, title, c.Title)
		})
	}
	assert.Equal(t, "A plain title", yamlString("A plain title"))
	assert.Equal(t, `"UDP: broadcast"`, yamlString("UDP: broadcast"))
}
