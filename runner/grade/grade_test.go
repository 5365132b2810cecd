package grade

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite testdata/expected from the current output")

// fixture is testdata/class.txtar written out: a small book with one lab
// (01-sums: three tasks, task 3 worth 2 points), a class and a hidden test
// (task 4, worth 3).
type fixture struct {
	book   repo.Root
	class  string
	hidden string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "class.txtar"))
	require.NoError(t, err)
	dir := t.TempDir()
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, f.Data, 0o644))
	}
	fx := fixture{book: repo.Root{Dir: filepath.Join(dir, "book")}, class: filepath.Join(dir, "class"), hidden: filepath.Join(dir, "hidden")}
	all, err := labs.LoadAll(fx.book)
	require.NoError(t, err)
	require.NoError(t, labs.WriteSums(fx.book, all))
	return fx
}

// timeout is the fixture's time limit for a lab's tests: the hanging
// student is stopped there; every other run takes a fraction of it, even
// on a loaded machine.
const timeout = 5 * time.Second

func grade(t *testing.T, fx fixture, o Options) *Report {
	t.Helper()
	subs, err := Class(fx.class, nil)
	require.NoError(t, err)
	o.Timeout = timeout
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := Run(ctx, fx.book, subs, o)
	require.NoError(t, err)
	return rep
}

// TestGradeAClass grades the fixture class: an untouched skeleton scores
// 0, a solution full marks, a wrong solution the tasks it gets right, code
// that does not compile 0 with its errors, code that hangs the tasks that
// finished before the time limit, and edited tests the book's tests'
// score. Nothing is written into the class's folders.
func TestGradeAClass(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test for each student")
	}
	t.Parallel()
	fx := newFixture(t)
	before := treeHash(t, fx.class)
	rep := grade(t, fx, Options{Labs: []string{"01"}})
	assert.Equal(t, before, treeHash(t, fx.class), "grade must not write into a submission")

	require.Equal(t, []LabInfo{{Name: "01-sums", Title: "Sums", Tasks: 3, MaxPoints: 4}}, rep.Labs)
	want := map[string]struct {
		status Status
		points int
	}{
		"untouched": {Fail, 0},
		"solved":    {Pass, 4},
		"wrong":     {Partial, 2},
		"broken":    {BuildFail, 0},
		"hangs":     {Timeout, 1},
		"tampered":  {Partial, 1},
	}
	require.Len(t, rep.Records, len(want))
	for _, rec := range rep.Records {
		w := want[rec.Student]
		assert.Equal(t, w.status, rec.Status, "%s: %s", rec.Student, rec.Problem)
		assert.Equal(t, w.points, rec.Points, "%s's points", rec.Student)
		assert.Equal(t, 4, rec.MaxPoints)
	}
	broken := rep.Find("broken", "01-sums")
	require.NotEmpty(t, broken.BuildErrors)
	assert.Equal(t, "labs/01-sums/sums.go", broken.BuildErrors[0].File, "a compile error names the student's file by its place in the lab")
	assert.Contains(t, broken.BuildErrors[0].Message, "undefined: total")

	hangs := rep.Find("hangs", "01-sums")
	assert.Equal(t, []gotest.Status{gotest.Pass, gotest.TimedOut, gotest.NotRun}, statuses(hangs))

	tampered := rep.Find("tampered", "01-sums")
	assert.Equal(t, []string{"sums_test.go"}, tampered.TestsModified, "the edited test is named, and not used")
	assert.Equal(t, []string{"mine_test.go"}, tampered.Extra)

	wrong := rep.Find("wrong", "01-sums")
	assert.Equal(t, "01-sums", wrong.From)
	assert.Contains(t, wrong.Tasks[2].Message, "Mean([1 2]) = 1, <nil>; want 1.5, nil", "each task that failed says why")
	assert.Equal(t, ".", rep.Find("solved", "01-sums").From, "a lab's files alone are found by their package")
	assert.Equal(t, "labs/01-sums", rep.Find("untouched", "01-sums").From)
}

// TestGradeWithHiddenTests adds the instructor's hidden task 4 (3 points)
// and compares every output format with its golden file.
func TestGradeWithHiddenTests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test for each student")
	}
	t.Parallel()
	fx := newFixture(t)
	rep := grade(t, fx, Options{Hidden: fx.hidden, Jobs: 2})
	require.Equal(t, []LabInfo{{Name: "01-sums", Title: "Sums", Tasks: 4, MaxPoints: 7, Hidden: 1}}, rep.Labs)
	points := map[string]int{}
	for _, rec := range rep.Records {
		points[rec.Student] = rec.Points
	}
	assert.Equal(t, map[string]int{"untouched": 0, "solved": 7, "wrong": 5, "broken": 0, "hangs": 1, "tampered": 1}, points,
		"the hidden task counts: the wrong solution gets its 3 points, the skeleton none")
	task4 := rep.Find("solved", "01-sums").Tasks[3]
	assert.True(t, task4.Hidden)
	assert.Equal(t, "The mean of no numbers is an error.", task4.Title)

	for _, rec := range rep.Records {
		rec.Elapsed = 0 // the only thing that changes from run to run
	}
	for name, write := range map[string]func(*bytes.Buffer, *Report) error{
		"table.txt":  func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r) },
		"grade.json": func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) },
		"junit.xml":  func(b *bytes.Buffer, r *Report) error { return WriteJUnit(b, r) },
		"grades.csv": func(b *bytes.Buffer, r *Report) error { return WriteCSV(b, r) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, write(&buf, rep))
			golden(t, name, buf.Bytes())
		})
	}

	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, rep))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err, "the CSV parses")
	assert.Equal(t, []string{"student", "01-sums", "total"}, rows[0])
	assert.Contains(t, rows, []string{"solved", "7", "7"})

	buf.Reset()
	require.NoError(t, WriteJUnit(&buf, rep))
	var suites junitSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &suites), "the XML parses")
	assert.Len(t, suites.Suites, 6)
	assert.Equal(t, 24, suites.Tests)

	buf.Reset()
	require.NoError(t, WriteJSON(&buf, rep))
	var records []map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &records))
	assert.Len(t, records, 6)
}

// golden compares got with testdata/expected/name; -update rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "expected", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./runner/grade -update to create it")
	assert.Equal(t, string(want), string(got))
}

func statuses(rec *Record) []gotest.Status {
	var out []gotest.Status
	for _, t := range rec.Tasks {
		out = append(out, t.Status)
	}
	return out
}

// treeHash fingerprints every file under root, so that a test can prove
// that grade left a submission byte-for-byte as it was.
func treeHash(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		h.Write([]byte(rel + "\x00"))
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		h.Write(data)
		return nil
	})
	require.NoError(t, err)
	return hex.EncodeToString(h.Sum(nil))
}

// Identical files are one test run.
func TestFilesKey(t *testing.T) {
	a := filesKey("01-sums", map[string][]byte{"a.go": []byte("x"), "b.go": []byte("y")})
	assert.Equal(t, a, filesKey("01-sums", map[string][]byte{"b.go": []byte("y"), "a.go": []byte("x")}))
	assert.NotEqual(t, a, filesKey("02-other", map[string][]byte{"a.go": []byte("x"), "b.go": []byte("y")}))
	assert.NotEqual(t, a, filesKey("01-sums", map[string][]byte{"a.go": []byte("xb.go"), "": []byte("y")}))
	assert.NotEqual(t, a, filesKey("01-sums", map[string][]byte{"a.go": []byte("x")}), "a missing file is another set")
}

func TestChildEnvLeavesSecretsOut(t *testing.T) {
	env := childEnv([]string{"PATH=/bin", "HOME=/h", "GOCACHE=/c", "GOFLAGS=-mod=mod", "GITHUB_TOKEN=secret", "AWS_SECRET_ACCESS_KEY=k", "LC_ALL=C", "GOTMPDIR=/elsewhere"})
	assert.Equal(t, []string{"PATH=/bin", "HOME=/h", "GOCACHE=/c", "GOFLAGS=-mod=mod", "LC_ALL=C"}, env)
}

func TestCapped(t *testing.T) {
	c := &capped{max: 5}
	c.Write([]byte("abc"))
	c.Write([]byte("defgh"))
	assert.Equal(t, "abcde\n... (3 more bytes left out)\n", c.String())
	assert.Equal(t, "a\nb\n... (2 more lines)", limitLines("a\nb\nc\nd\n", 2))
	assert.Equal(t, "a\nb", limitLines("a\nb\n", 2))
}

// A submission without the lab's files is "missing", and a lab that
// cannot be graded (a hidden folder that is not one) is "error" for every
// student, with the reason; neither runs anything.
func TestMissingAndUngradable(t *testing.T) {
	fx := newFixture(t)
	empty := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	ctx := context.Background()
	rep, err := Run(ctx, fx.book, []Submission{{Student: "empty", Dir: empty}}, Options{Labs: []string{"01-sums"}})
	require.NoError(t, err)
	rec := rep.Find("empty", "01-sums")
	require.NotNil(t, rec)
	assert.Equal(t, Missing, rec.Status)
	assert.Equal(t, 4, rec.MaxPoints)
	assert.Contains(t, rec.Problem, "no files for this lab")

	bad := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(bad, "01-sums"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "01-sums", "helper.go"), []byte("package sums\n"), 0o644))
	rep, err = Run(ctx, fx.book, []Submission{{Student: "solved", Dir: filepath.Join(fx.class, "solved")}}, Options{Labs: []string{"1"}, Hidden: bad})
	require.NoError(t, err)
	rec = rep.Find("solved", "01-sums")
	assert.Equal(t, Error, rec.Status)
	assert.Contains(t, rec.Problem, "hidden tests are _test.go files")
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, rep))
	assert.Contains(t, buf.String(), "not graded")

	_, err = Run(ctx, fx.book, nil, Options{Labs: []string{"7"}})
	assert.ErrorContains(t, err, `no lab "7"`)
}
