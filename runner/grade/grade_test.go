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
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/style"
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
	assert.Equal(t, "broken/labs/01-sums/sums.go", broken.BuildErrors[0].File, "a compile error names the student's file in the submission")
	assert.Contains(t, broken.BuildErrors[0].Message, "undefined: total")

	hangs := rep.Find("hangs", "01-sums")
	assert.Equal(t, []gotest.Status{gotest.Pass, gotest.TimedOut, gotest.NotRun}, statuses(hangs))

	tampered := rep.Find("tampered", "01-sums")
	assert.Equal(t, []string{"01-sums/sums_test.go"}, tampered.TestsModified, "the edited test is named, as check names it, and not used")
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
		"table.txt":  func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, 80) },
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
	require.NoError(t, WriteTable(&buf, rep, 80))
	assert.Contains(t, buf.String(), "not graded")

	_, err = Run(ctx, fx.book, nil, Options{Labs: []string{"7"}})
	assert.ErrorContains(t, err, `no lab "7"`)
}

// Hidden tests that cannot be graded as they are (a task that repeats one
// of the book's numbers, points for a book's task, a file that does not
// compile with the skeleton) leave the lab not graded for every student,
// with the reason naming the instructor's file: never 0 points for "code
// that does not compile" that is not the student's, nor points that are
// not what the instructor meant.
func TestHiddenTestsNotReady(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	t.Parallel()
	fx := newFixture(t)
	hiddenTest := filepath.Join(fx.hidden, "01-sums", "zz_hidden_test.go")
	src, err := os.ReadFile(hiddenTest)
	require.NoError(t, err)
	solved := Submission{Student: "solved", Dir: filepath.Join(fx.class, "solved")}
	untouched := Submission{Student: "untouched", Dir: filepath.Join(fx.class, "untouched")}
	for _, tc := range []struct {
		name, test, points string
		wants              []string
	}{
		{"a repeated task number", strings.ReplaceAll(string(src), "TestTask4", "TestTask3"), "3: 3\n",
			[]string{"zz_hidden_test.go:6: TestTask3MeanOfNothing is out of sequence", "netbook verify 01 --hidden DIR"}},
		{"points for a book's task", string(src), "4: 3\n2: 9\n",
			[]string{filepath.Join(fx.hidden, "01-sums", "points.yaml") + ":2: points for task 2, which is not a hidden task"}},
		{"does not compile", string(src) + "\nfunc TestTask5Broken(t *testing.T) { meanOf() }\n", "4: 3\n",
			[]string{"the hidden tests do not compile with the book's skeleton", hiddenTest + ":12:", "undefined: meanOf"}},
		{"another package", strings.Replace(string(src), "package sums", "package summing", 1), "4: 3\n",
			[]string{"the hidden tests do not compile with the book's skeleton", "found packages sums (sums.go) and summing (zz_hidden_test.go)"}},
		// What the lab is worth without them still shows (not 0/0).
		{"points that do not read", string(src), "4: four\n",
			[]string{"the hidden tests of lab 01-sums cannot be read (netbook verify 01 --hidden DIR checks them): " +
				filepath.Join(fx.hidden, "01-sums", "points.yaml") + ":1: task 4's points are a whole number, got \"four\""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hidden := t.TempDir()
			dir := filepath.Join(hidden, "01-sums")
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "zz_hidden_test.go"), []byte(tc.test), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "points.yaml"), []byte(tc.points), 0o644))
			wants := slices.Clone(tc.wants)
			for i := range wants {
				wants[i] = strings.ReplaceAll(wants[i], fx.hidden, hidden)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			rep, err := Run(ctx, fx.book, []Submission{solved, untouched}, Options{Labs: []string{"01"}, Hidden: hidden, Timeout: timeout})
			require.NoError(t, err)
			require.Len(t, rep.Records, 2)
			for _, rec := range rep.Records {
				assert.Equal(t, Error, rec.Status, "%s: %s", rec.Student, rec.Problem)
				assert.Equal(t, 0, rec.Points)
				assert.NotZero(t, rec.MaxPoints)
				assert.Empty(t, rec.BuildErrors, "the student's code is not to blame")
				for _, w := range wants {
					assert.Contains(t, rec.Problem, w)
				}
			}
		})
	}
}

// Run refuses, before anything runs, a --hidden folder that is not there
// or that names no lab, and a class where nothing can be graded.
func TestRunRefuses(t *testing.T) {
	fx := newFixture(t)
	empty := filepath.Join(t.TempDir(), "eve")
	require.NoError(t, os.Mkdir(empty, 0o755))
	misspelled := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(misspelled, "01-summs"), 0o755))
	solved := Submission{Student: "solved", Dir: filepath.Join(fx.class, "solved")}
	for _, tc := range []struct {
		name  string
		subs  []Submission
		o     Options
		wants []string
	}{
		{"hidden folder missing", []Submission{solved}, Options{Labs: []string{"01"}, Hidden: filepath.Join(misspelled, "does-not-exist")},
			[]string{"hidden tests: unable to read the folder", "does-not-exist"}},
		{"hidden folder missing, every lab", []Submission{solved}, Options{Hidden: filepath.Join(misspelled, "does-not-exist")},
			[]string{"hidden tests: unable to read the folder"}},
		{"hidden lab misspelled", []Submission{solved}, Options{Labs: []string{"01"}, Hidden: misspelled},
			[]string{"01-summs is named as no lab", "did you mean 01-sums?"}},
		{"an empty submission alone", []Submission{{Student: "eve", Dir: empty}}, Options{},
			[]string{"nothing to grade", empty, "has no lab's files"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Run(context.Background(), fx.book, tc.subs, tc.o)
			require.Error(t, err)
			assert.Nil(t, rep)
			for _, w := range tc.wants {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

// A submission with no lab in it, graded without --lab beside one that
// has, is a row: every lab the others have, missing.
func TestEmptySubmissionIsARow(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test for a student")
	}
	t.Parallel()
	fx := newFixture(t)
	empty := filepath.Join(t.TempDir(), "eve")
	require.NoError(t, os.Mkdir(empty, 0o755))
	subs := []Submission{{Student: "eve", Dir: empty}, {Student: "solved", Dir: filepath.Join(fx.class, "solved")}}
	rep, err := Run(context.Background(), fx.book, subs, Options{Timeout: timeout})
	require.NoError(t, err)
	assert.Equal(t, []string{"eve", "solved"}, rep.Students())
	eve := rep.Find("eve", "01-sums")
	require.NotNil(t, eve, "the empty submission has a record")
	assert.Equal(t, Missing, eve.Status)
	assert.Len(t, eve.Tasks, 3)

	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, rep))
	assert.Contains(t, buf.String(), "\neve,0,0\n")
	buf.Reset()
	require.NoError(t, WriteTable(&buf, rep, 80))
	assert.Contains(t, buf.String(), "eve · 01-sums: the submission has no files for this lab")
	assert.Contains(t, buf.String(), "2 students, 1 lab graded")
}

// tidyPaths names the temp copy of a student's file by its place in the
// book, in the absolute form and in the relative one the go command uses
// when it is shorter; studentPaths then names it in the submission.
func TestPathsOfCompileErrors(t *testing.T) {
	root := filepath.Join(string(filepath.Separator), "x", "book")
	lab := &labs.Lab{Name: "01-sums", Dir: filepath.Join(root, "labs", "01-sums")}
	tmp := filepath.Join(string(filepath.Separator), "x", "netbook-grade-7", "job-2", "labs", "01-sums", "sums.go")
	rel := filepath.Join("..", "netbook-grade-7", "job-2", "labs", "01-sums", "sums.go")
	// A book cloned into the temp dir's parent as "netbook": the go command
	// shortens every path that starts with the book's root, as text, to
	// ".", so /tmp/netbook-grade-7/... comes out as .-grade-7/...
	nearRoot := filepath.Join(string(filepath.Separator), "x", "netbook")
	for _, tc := range []struct {
		name, root, file string
	}{
		{"absolute", root, tmp},
		{"relative to the book", root, rel},
		{"beside a book whose name it starts with", nearRoot, "." + strings.TrimPrefix(tmp, nearRoot)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lab := &labs.Lab{Name: "01-sums", Dir: filepath.Join(tc.root, "labs", "01-sums")}
			overlay := map[string]string{filepath.Join(lab.Dir, "sums.go"): tmp, filepath.Join(lab.Dir, "gone_test.go"): ""}
			rep := &gotest.Report{Packages: []*gotest.Package{{
				BuildErrors: []gotest.Diagnostic{{File: tc.file, Line: 34, Col: 21, Message: "undefined: errorz"}},
				BuildOutput: tc.file + ":34:21: undefined: errorz\n",
			}}}
			tidyPaths(rep, repo.Root{Dir: tc.root}, overlay)
			p := rep.Packages[0]
			assert.Equal(t, "labs/01-sums/sums.go", p.BuildErrors[0].File)
			assert.NotContains(t, p.BuildOutput, "netbook-grade")
		})
	}

	j := &job{lab: &bookLab{lab: lab}, files: map[string][]byte{"sums.go": nil}}
	for _, tc := range []struct {
		from, want string
	}{
		{".", "carol/sums.go:34:21: undefined: errorz; labs/01-sums/sums_test.go:3"},
		{"01-sums", "carol/01-sums/sums.go:34:21: undefined: errorz; labs/01-sums/sums_test.go:3"},
		{"labs/01-sums", "carol/labs/01-sums/sums.go:34:21: undefined: errorz; labs/01-sums/sums_test.go:3"},
	} {
		mine := j.studentPaths(repo.Root{Dir: root}, &Record{Student: "carol", From: tc.from})
		assert.Equal(t, tc.want, mine.Replace("labs/01-sums/sums.go:34:21: undefined: errorz; labs/01-sums/sums_test.go:3"),
			"a student's file is named in the submission, the book's own in the book")
	}
}

// A lab whose files in the book's tree are not the ones labs/book.sum
// records (an author changed a test and did not run verify
// --update-sums) is graded with the recorded ones, and the table says so:
// never a silent grade on tests the instructor did not mean. The
// student's files, which an instructor's tree may hold solved, do not
// count.
func TestStaleBookIsNoted(t *testing.T) {
	l := &labs.Lab{Name: "01-sums", Meta: labs.Meta{Files: []string{"sums.go"}}}
	assert.Empty(t, staleNote(l, &shipped.View{Restored: []string{"01-sums/sums.go"}}))
	note := staleNote(l, &shipped.View{
		Restored: []string{"01-sums/sums.go", "01-sums/sums_test.go", "nettest/nettest.go"},
		Hidden:   []shipped.Left{{File: "zz_new_test.go", Why: shipped.Why{Kind: shipped.NotInBook}}},
	})
	assert.Equal(t, "graded with the files labs/book.sum records, not this tree's: sums_test.go, nettest/nettest.go differ from it, "+
		"and zz_new_test.go is not in it (after changing a lab, netbook verify --update-sums records it)", note)

	rep := &Report{
		Labs:    []LabInfo{{Name: "01-sums", MaxPoints: 1, Note: note}},
		Records: []*Record{{Student: "bob", Lab: "01-sums", Status: Pass, Points: 1, MaxPoints: 1}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, rep, 80))
	assert.Contains(t, buf.String(), "Notes:\n  01-sums: graded with the files labs/book.sum records")
}

// A lab that nobody's record could be graded for, for one reason (the
// instructor's hidden test does not compile), is one note in the table,
// not the same note for every student of the class.
func TestUngradedLabIsOneNote(t *testing.T) {
	why := "the hidden tests do not compile with the book's skeleton: zz_hidden_test.go:3: undefined: x"
	rec := func(student string, st Status, problem string) *Record {
		return &Record{Student: student, Lab: "01-sums", Status: st, MaxPoints: 4, Problem: problem}
	}
	rep := &Report{
		Labs:    []LabInfo{{Name: "01-sums", MaxPoints: 4}},
		Records: []*Record{rec("ann", Error, why), rec("bob", Error, why), rec("cy", Missing, "the submission has no files for this lab"), rec("dee", Error, why)},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, rep, 200))
	assert.Equal(t, 1, strings.Count(buf.String(), "undefined: x"), buf.String())
	assert.Contains(t, buf.String(), "  01-sums: not graded for anyone: "+why+"\n")
	assert.Contains(t, buf.String(), "cy · 01-sums: the submission has no files for this lab", "a missing submission keeps its note")
	assert.Contains(t, buf.String(), "4 students, 0 of 1 lab graded;", "a lab graded for nobody is not counted as graded")

	rep.Records[1].Problem = "another reason"
	buf.Reset()
	require.NoError(t, WriteTable(&buf, rep, 200))
	assert.Equal(t, 2, strings.Count(buf.String(), "undefined: x"), "reasons that differ are each student's:\n%s", buf.String())
	assert.NotContains(t, buf.String(), "not graded for anyone")
	assert.Contains(t, buf.String(), "4 students, 0 of 1 lab graded;", "nobody's record of the lab was graded")

	rep.Records[1].Status, rep.Records[1].Problem = Pass, ""
	buf.Reset()
	require.NoError(t, WriteTable(&buf, rep, 200))
	assert.Contains(t, buf.String(), "4 students, 1 lab graded;", "bob's was")
}

// The table's columns line up by display width: a student's folder may
// be named in Chinese, two columns a character.
func TestTableAlignsChineseNames(t *testing.T) {
	rep := &Report{Labs: []LabInfo{{Name: "01-sums", MaxPoints: 4}, {Name: "02-more", MaxPoints: 3}}}
	for _, s := range []string{"lee", "张伟", "欧阳娜娜"} {
		rep.Records = append(rep.Records,
			&Record{Student: s, Lab: "01-sums", Status: Pass, Points: 4, MaxPoints: 4},
			&Record{Student: s, Lab: "02-more", Status: Missing, MaxPoints: 3})
	}
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, rep, 80))
	lines := strings.Split(buf.String(), "\n")
	assert.Equal(t, []string{
		"student   01-sums  02-more      total",
		"lee       4/4      0/3 missing  4/7",
		"张伟      4/4      0/3 missing  4/7",
		"欧阳娜娜  4/4      0/3 missing  4/7",
	}, lines[:4])
}

// A cell a spreadsheet would run as a formula is quoted.
func TestCSVGuardsFormulas(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"alice", "alice"},
		{"=cmd", "'=cmd"},
		{"+1", "'+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=x", "'\t=x"},
		{"\r=x", "'\r=x"},
		{"a=b", "a=b"},
		{"", ""},
	} {
		assert.Equal(t, tc.want, cell(tc.in), "%q", tc.in)
	}
	rep := &Report{
		Labs:    []LabInfo{{Name: "01-sums", MaxPoints: 4}},
		Records: []*Record{{Student: "=cmd|' /C calc'!A0", Lab: "01-sums", Points: 4, MaxPoints: 4}, {Student: "bob", Lab: "01-sums", Points: 1, MaxPoints: 4}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, rep))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"student", "01-sums", "total"}, {"'=cmd|' /C calc'!A0", "4", "4"}, {"bob", "1", "1"}}, rows)
}

// A student's output in a task's message (an ANSI colour, a NUL, a byte
// that is not UTF-8, the end of a CDATA section) leaves the JUnit XML one
// that parses.
func TestJUnitKeepsStudentOutputWellFormed(t *testing.T) {
	msg := "\x1b[31mred\x1b[0m\x00\x07\xff ]]> sums_test.go:12: Add(1, 2) = 0, want 3"
	rep := &Report{
		Labs: []LabInfo{{Name: "01-sums", MaxPoints: 1}},
		Records: []*Record{
			{Student: "bob", Lab: "01-sums", Status: Fail, MaxPoints: 1, Tasks: []Task{{Number: 1, Title: "Add.", Status: gotest.Fail, MaxPoints: 1, Message: msg}}},
			{Student: "eve", Lab: "01-sums", Status: Error, MaxPoints: 1, Problem: "crashed: \x1b[1m\x00", Tasks: []Task{{Number: 1, Title: "Add.", Status: gotest.NotRun, MaxPoints: 1}}},
		},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteJUnit(&buf, rep))
	var suites junitSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &suites), "the XML parses:\n%s", buf.String())
	require.Len(t, suites.Suites, 2)
	got := suites.Suites[0].Cases[0].Failure.Text
	assert.Equal(t, "\uFFFD[31mred\uFFFD[0m\uFFFD\uFFFD\uFFFD ]]> sums_test.go:12: Add(1, 2) = 0, want 3", got)
	assert.Equal(t, "crashed: \uFFFD[1m\uFFFD", suites.Suites[1].Cases[0].Error.Text)
}

// The notes the table shows on a student's code (a suspect run, a copy of
// the reference, a test file the student changed) reach a dashboard that
// reads only the JUnit XML.
func TestJUnitCarriesTheNotes(t *testing.T) {
	rep := &Report{
		Labs: []LabInfo{{Name: "01-sums", MaxPoints: 1}},
		Records: []*Record{{Student: "mallory", Lab: "01-sums", Status: Pass, Points: 1, MaxPoints: 1,
			Suspect: []string{"sums.go:3: imports os/exec"}, Reference: []string{"sums.go"}, TestsModified: []string{"01-sums/sums_test.go"},
			Tasks: []Task{{Number: 1, Title: "Add.", Status: gotest.Pass, Points: 1, MaxPoints: 1}}}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteJUnit(&buf, rep))
	var suites junitSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &suites), "the XML parses:\n%s", buf.String())
	s := suites.Suites[0]
	assert.Contains(t, s.Properties, junitProperty{"suspect", "sums.go:3: imports os/exec"})
	assert.Contains(t, s.Properties, junitProperty{"reference", "sums.go"})
	assert.Contains(t, s.SystemErr, "mallory · 01-sums: read the code before you trust these points: sums.go:3: imports os/exec")
	assert.Contains(t, s.SystemErr, "sums.go is the book's reference solution")
	assert.Contains(t, s.Properties, junitProperty{"testsModified", "01-sums/sums_test.go"})
	assert.Contains(t, s.SystemErr, "mallory · 01-sums: differs from the book in sums_test.go; graded with the book's")
}

// The table counts in words that agree with the count, and its notes
// wrap to the terminal; a table wider than the terminal says what reads
// better.
func TestTableLayout(t *testing.T) {
	long := "undefined: total, and a message long enough that it cannot fit on one line of a narrow terminal"
	one := &Report{
		Labs: []LabInfo{{Name: "01-sums", Tasks: 1, MaxPoints: 1, Hidden: 1}},
		Records: []*Record{{Student: "alice", Lab: "01-sums", Status: BuildFail, MaxPoints: 1,
			BuildErrors: []gotest.Diagnostic{{File: "alice/sums.go", Line: 6, Col: 9, Message: long}}}},
	}
	var wide Report
	for i := range 12 {
		name := fmt.Sprintf("%02d-a-lab-with-a-long-name", i+1)
		wide.Labs = append(wide.Labs, LabInfo{Name: name, Tasks: 2, MaxPoints: 2})
		wide.Records = append(wide.Records, &Record{Student: "bob", Lab: name, Status: Pass, Points: 2, MaxPoints: 2})
	}
	for _, tc := range []struct {
		name    string
		rep     *Report
		width   int
		wants   []string
		notWant []string
	}{
		{"one of each", one, 80, []string{"\n1 student, 1 lab graded;", "\n1 of the tasks is a hidden test.\n"}, []string{"1 students", "1 labs", "The table is"}},
		{"notes wrap", one, 60, []string{"  alice · 01-sums: does not compile: alice/sums.go:6:9:\n    undefined: total,"}, nil},
		{"too wide", &wide, 100, []string{"\nThe table is 338 columns wide, more than the terminal's 100: --csv FILE", "--json"}, nil},
		{"wide enough", &wide, 400, nil, []string{"The table is"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteTable(&buf, tc.rep, tc.width))
			out := buf.String()
			for _, w := range tc.wants {
				assert.Contains(t, out, w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, out, w)
			}
			if tc.rep != &wide {
				for _, line := range strings.Split(out, "\n") {
					assert.LessOrEqual(t, style.Cols(line), tc.width-1, "%q", line)
				}
			}
		})
	}
}

// A student's code that prints a passing run of every task and ends the
// test binary with status 0 before the book's tests run fakes its points:
// nothing outside the process can tell its lines from the testing
// package's. grade names what the code does, in the record and in the
// table's notes, for the instructor to read; and since the run never
// reached the test grade adds after the book's (its name drawn for the
// run, so that the forgery cannot print it), with no test failing, the
// lab is not graded: no points, and a problem that says why.
func TestForgedRunIsFlagged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	t.Parallel()
	fx := newFixture(t)
	dir := filepath.Join(t.TempDir(), "forger")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sums.go"), []byte(`package sums

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

func init() {
	if !strings.HasSuffix(os.Args[0], ".test") {
		return
	}
	for _, name := range []string{"TestTask1Add", "TestTask2Sum", "TestTask3Mean"} {
		fmt.Printf("\x16=== RUN   %s\n\x16--- PASS: %s (0.00s)\n", name, name)
	}
	fmt.Printf("\x16PASS\n")
	os.Exit(0)
}

func Add(a, b int) (int, error)       { return 0, errors.New("no") }
func Sum(xs []int) (int, error)       { return 0, errors.New("no") }
func Mean(xs []int) (float64, error) { return 0, errors.New("no") }
`), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := Run(ctx, fx.book, []Submission{{Student: "forger", Dir: dir}}, Options{Labs: []string{"01"}, Timeout: timeout})
	require.NoError(t, err)
	rec := rep.Find("forger", "01-sums")
	require.NotNil(t, rec)
	assert.Equal(t, []string{
		"sums.go:11: uses os.Args",
		"sums.go:15: has the test framework's words \"=== RUN\" in a string",
		"sums.go:17: has the test framework's words \"\\x16\" in a string",
		"sums.go:18: uses os.Exit",
	}, rec.Suspect)
	assert.Equal(t, Error, rec.Status)
	assert.Zero(t, rec.Points)
	for _, task := range rec.Tasks {
		assert.Equal(t, gotest.Pass, task.Status, "the record keeps what the run said")
		assert.Zero(t, task.Points, "task %d", task.Number)
	}
	assert.Contains(t, rec.Problem, "not graded: the test binary ended by itself, with no test failing, before netbook's own last test could run")
	var table bytes.Buffer
	require.NoError(t, WriteTable(&table, rep, 200))
	assert.Contains(t, table.String(), "forger · 01-sums: read the code before you trust these points: sums.go:11: uses os.Args")
	assert.Contains(t, table.String(), "0/4 not graded")
}

// The test grade adds after the book's has a name of its own in each run,
// and passes; a run that reached it, or that a test failed, ended as the
// testing package ends one.
func TestClosingTest(t *testing.T) {
	a, src := closingTest("hello")
	b, _ := closingTest("hello")
	assert.NotEqual(t, a, b)
	assert.Regexp(t, `^Test[A-Z][0-9a-f]{14}$`, a)
	assert.Contains(t, string(src), "package hello\n")
	assert.Contains(t, string(src), "func "+a+"(t *testing.T) {}")
	pass := func(name string) *gotest.Test { return &gotest.Test{Name: name, Status: gotest.Pass} }
	fail := &gotest.Test{Name: "TestTask2Sum", Status: gotest.Fail}
	for _, tc := range []struct {
		name  string
		p     *gotest.Package
		early bool
	}{
		{"whole run", &gotest.Package{Status: gotest.Pass, Tests: []*gotest.Test{pass("TestTask1Add"), pass(a)}}, false},
		{"a task failed", &gotest.Package{Status: gotest.Fail, Tests: []*gotest.Test{pass("TestTask1Add"), fail}}, false},
		{"ended after passes", &gotest.Package{Status: gotest.Pass, Tests: []*gotest.Test{pass("TestTask1Add")}}, true},
		{"did not compile", &gotest.Package{Status: gotest.BuildFailed}, false},
	} {
		assert.Equal(t, tc.early, endedEarly(tc.p, a), tc.name)
	}
	assert.False(t, endedEarly(&gotest.Package{Status: gotest.Pass}, ""), "no closing test was added")
}

// A forgery need not end the test binary with status 0, nor name what
// suspect looks for: it prints tasks' passing lines, built at run time,
// and then crashes, before a real test runs (crasher) or while a task it
// closes with its lines is running (midway). A real run fails on the
// testing package's verdict, or crashes in a task, which is left
// unfinished: the record says that this run did neither, and the points
// stand, as for any suspect code.
func TestForgedRunThatCrashesIsFlagged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	t.Parallel()
	fx := newFixture(t)
	forgers := map[string]string{
		"crasher": `package sums

import (
	"errors"
	"fmt"
	"strings"
)

func init() {
	run, pass := strings.Repeat("=", 3)+" RUN   ", strings.Repeat("-", 3)+" PA"+"SS: "
	for _, name := range []string{"TestTask1Add", "TestTask2Sum", "TestTask3Mean"} {
		fmt.Printf("%s%s\n%s%s (0.00s)\n", run, name, pass, name)
	}
	var done map[string]bool
	done["all"] = true
}

func Add(a, b int) (int, error)       { return 0, errors.New("no") }
func Sum(xs []int) (int, error)       { return 0, errors.New("no") }
func Mean(xs []int) (float64, error) { return 0, errors.New("no") }
`,
		"midway": `package sums

import (
	"errors"
	"fmt"
	"strings"
)

func Add(a, b int) (int, error) { return 0, errors.New("no") }

func Sum(xs []int) (int, error) {
	go func() {
		mark := string(rune(22))
		run, pass := mark+strings.Repeat("=", 3)+" RUN   ", mark+strings.Repeat("-", 3)+" PA"+"SS: "
		fmt.Printf("%sTestTask2Sum (0.00s)\n%sTestTask3Mean\n%sTestTask3Mean (0.00s)\n", pass, run, pass)
		var done map[string]bool
		done["all"] = true
	}()
	select {}
}

func Mean(xs []int) (float64, error) { return 0, errors.New("no") }
`,
	}
	// Honest mistakes crash the binary too, in the last task: flagged,
	// they would send the instructor to read every panicking submission.
	solved := `package sums

func Add(a, b int) (int, error) { return a + b, nil }

func Sum(xs []int) (int, error) {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s, nil
}
`
	honest := map[string]string{
		"panics": solved + `
func Mean(xs []int) (float64, error) {
	s, _ := Sum(xs)
	return float64(s) / float64(len(xs[:0:0][:len(xs)])), nil
}
`,
		"panicsaside": solved + `
func Mean(xs []int) (float64, error) {
	done := make(chan float64)
	go func() {
		var seen map[int]bool
		seen[len(xs)] = true
		done <- 0
	}()
	return <-done, nil
}
`,
	}
	var subs []Submission
	for student, code := range forgers {
		dir := filepath.Join(t.TempDir(), student)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "sums.go"), []byte(code), 0o644))
		subs = append(subs, Submission{Student: student, Dir: dir})
	}
	for student, code := range honest {
		dir := filepath.Join(t.TempDir(), student)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "sums.go"), []byte(code), 0o644))
		subs = append(subs, Submission{Student: student, Dir: dir})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := Run(ctx, fx.book, subs, Options{Labs: []string{"01"}, Timeout: timeout})
	require.NoError(t, err)
	for student, passed := range map[string][]gotest.Status{
		"crasher": {gotest.Pass, gotest.Pass, gotest.Pass},
		"midway":  {gotest.Fail, gotest.Pass, gotest.Pass},
	} {
		rec := rep.Find(student, "01-sums")
		require.NotNil(t, rec)
		assert.Equal(t, passed, statuses(rec), student)
		want := []string{"tasks read as passed, yet the test binary failed outside every task, before netbook's own last test started " +
			"(a crash, a hang or a kill while no task was running: code that prints test results itself does that, and now and then an honest crash)"}
		if student == "midway" { // its marker from a number is read too
			want = append([]string{"sums.go:13: makes the test framework's marker byte (0x16) from a number"}, want...)
		}
		assert.Equal(t, want, rec.Suspect, student)
	}
	for student, passed := range map[string][]gotest.Status{
		"panics":      {gotest.Pass, gotest.Pass, gotest.Fail},
		"panicsaside": {gotest.Pass, gotest.Pass, gotest.Interrupted},
	} {
		rec := rep.Find(student, "01-sums")
		require.NotNil(t, rec)
		assert.Equal(t, passed, statuses(rec), student)
		assert.Empty(t, rec.Suspect, student)
	}
	var table bytes.Buffer
	require.NoError(t, WriteTable(&table, rep, 200))
	assert.Contains(t, table.String(), "crasher · 01-sums: read the code before you trust these points: tasks read as passed, yet the test binary failed outside every task")
}

// The test grade adds after the tasks is named the moment the last task
// ends, and the code cannot know its name: a run that fails outside every
// task after it started crashed honestly (a goroutine a task left), and
// is not noted; one that stopped before it is a fake's, or an honest
// crash in the instant between the two, and is (the points stand, since
// the order of events cannot tell which).
func TestCrashOutsideTasksBeforeTheClosingTest(t *testing.T) {
	const closing = "TestQ0123456789abcd"
	test := func(name string, s gotest.Status) *gotest.Test { return &gotest.Test{Name: name, Status: s} }
	pass, fail := gotest.Pass, gotest.Fail
	for _, c := range []struct {
		name  string
		p     *gotest.Package
		noted bool
	}{
		{"a fake's lines for every task, then a crash", &gotest.Package{Status: fail, Tests: []*gotest.Test{test("TestTask1Add", pass), test("TestTask2Sum", pass)}}, true},
		{"a fake's lines after a failed task, then a crash", &gotest.Package{Status: fail, Tests: []*gotest.Test{test("TestTask1Add", fail), test("TestTask2Sum", pass)}}, true},
		{"a crash after the closing test", &gotest.Package{Status: fail, Tests: []*gotest.Test{test("TestTask1Add", pass), test(closing, pass)}}, false},
		{"a crash in the closing test", &gotest.Package{Status: fail, Tests: []*gotest.Test{test("TestTask1Add", pass), test(closing, fail)}}, false},
		{"a crash in a task", &gotest.Package{Status: fail, Tests: []*gotest.Test{test("TestTask1Add", pass), test("TestTask2Sum", gotest.Interrupted)}}, false},
		{"a task failed", &gotest.Package{Status: fail, Ended: true, Tests: []*gotest.Test{test("TestTask1Add", fail), test(closing, pass)}}, false},
	} {
		assert.Equal(t, c.noted, beforeClosing(c.p, closing), c.name)
	}
	after := &gotest.Package{Status: fail, Tests: []*gotest.Test{test("TestTask1Add", pass), test(closing, pass)}}
	assert.True(t, beforeClosing(after, ""), "with no closing test added, any crash outside the tasks is noted")
}

// A repository downloaded with GitHub's "Download ZIP" unpacks into a
// folder of its own (alice/netbook-main/labs/...): grade finds the labs
// one level down when the submission's top has none, and names the files
// where they are. Two such folders are not chosen between: the record says
// which they are; an archive still packed is named.
func TestWrappedSubmission(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	src, err := os.ReadFile(filepath.Join(fx.class, "broken", "labs", "01-sums", "sums.go"))
	require.NoError(t, err)
	class := t.TempDir()
	put := func(rel string) {
		p := filepath.Join(class, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, src, 0o644))
	}
	put("alice/netbook-main/labs/01-sums/sums.go")
	put("alice/.git/labs/01-sums/sums.go") // hidden folders are not candidates
	put("bob/01-sums/sums.go")             // the top has labs: nothing is unwrapped
	put("bob/netbook-main/labs/01-sums/sums.go")
	put("dora/netbook-main/labs/01-sums/sums.go")
	put("dora/netbook-old/01-sums/sums.go")
	put("erin/netbook-main.zip") // a learning platform's folder per student, the archive still packed
	subs, err := Class(class, nil)
	require.NoError(t, err)
	rep, err := Run(context.Background(), fx.book, subs, Options{Labs: []string{"01"}, Timeout: timeout})
	require.NoError(t, err)

	alice := rep.Find("alice", "01-sums")
	assert.Equal(t, BuildFail, alice.Status, alice.Problem)
	assert.Equal(t, "netbook-main/labs/01-sums", alice.From)
	require.NotEmpty(t, alice.BuildErrors)
	assert.Equal(t, "alice/netbook-main/labs/01-sums/sums.go", alice.BuildErrors[0].File, "a compile error names the file where it is")
	assert.Equal(t, "01-sums", rep.Find("bob", "01-sums").From)

	dora := rep.Find("dora", "01-sums")
	assert.Equal(t, Missing, dora.Status)
	assert.Contains(t, dora.Problem, "2 folders inside it have labs (netbook-main/ and netbook-old/): grade does not choose between them")

	erin := rep.Find("erin", "01-sums")
	assert.Equal(t, Missing, erin.Status)
	assert.Contains(t, erin.Problem, "it holds netbook-main.zip: unpack it where it is and grade again")

	// Without --lab, a class whose only submission is ambiguous has
	// nothing to grade, and the error says why.
	_, err = Run(context.Background(), fx.book, []Submission{{Student: "dora", Dir: filepath.Join(class, "dora")}}, Options{Timeout: timeout})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "netbook-main/ and netbook-old/")
}

// Lines printed beside a real run, by a goroutine that says every task
// passed again and again, would be the last word on each task: the run's
// events are read as they stream, and a test that starts or ends twice is
// no run of the testing package's. The lab is not graded.
func TestForgedLinesBesideARealRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	t.Parallel()
	fx := newFixture(t)
	dir := filepath.Join(t.TempDir(), "echoer")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sums.go"), []byte(`package sums

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

var printed = make(chan struct{})

func init() {
	mark, _ := strconv.Unquote(`+"`"+`"\x16"`+"`"+`)
	go func() {
		for i := 0; i < 100000; i++ {
			for _, name := range []string{"TestTask1Add", "TestTask2Sum", "TestTask3Mean"} {
				fmt.Print(mark + "--- PA" + "SS: " + name + " (0.00s)\n")
			}
			if i == 0 {
				close(printed)
			}
			time.Sleep(time.Millisecond)
		}
	}()
}

// Add waits for the first round of lines, so that they come while a
// task runs, whatever the machine's speed.
func Add(a, b int) (int, error) { <-printed; return 0, errors.New("no") }
func Sum(xs []int) (int, error)       { return 0, errors.New("no") }
func Mean(xs []int) (float64, error) { return 0, errors.New("no") }
`), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := Run(ctx, fx.book, []Submission{{Student: "echoer", Dir: dir}}, Options{Labs: []string{"01"}, Timeout: timeout})
	require.NoError(t, err)
	rec := rep.Find("echoer", "01-sums")
	require.NotNil(t, rec)
	assert.Empty(t, rec.Suspect, "nothing in its text gives it away")
	assert.Equal(t, Error, rec.Status)
	assert.Zero(t, rec.Points)
	assert.Contains(t, rec.Problem, "not graded: the test run's lines are not what the testing package prints (")
}

// Code that waits in an init function holds the test binary before the
// testing package's own time limit is set: go test kills it a minute past
// the limit, "ran too long". That is a time-out before any task, not a
// panic in one.
func TestKilledBeforeAnyTask(t *testing.T) {
	fx := newFixture(t)
	all, err := labs.LoadAll(fx.book)
	require.NoError(t, err)
	sums, err := labs.ReadSums(fx.book)
	require.NoError(t, err)
	b := prepareLab(t.Context(), fx.book, all[0], sums, "")
	require.NoError(t, b.err)
	t.Cleanup(func() { b.view.Close() })
	rep := &gotest.Report{Packages: []*gotest.Package{{
		ImportPath: "labs/01-sums",
		Status:     gotest.Fail,
		Output:     "SIGQUIT: quit\ngoroutine 1 [sleep]:\n*** Test killed with quit: ran too long (1m5s).\nFAIL\tlabs/01-sums\t65.0s\n",
	}}}
	j := &job{lab: b}
	rec := &Record{Student: "ivan", Lab: "01-sums", MaxPoints: b.info.MaxPoints}
	j.fill(rec, check.Fold(b.lab, rep), rep, nil)
	assert.Equal(t, Timeout, rec.Status)
	assert.Zero(t, rec.Points)
	assert.Contains(t, rec.Problem, "no task started within the time limit, and go test stopped the test binary: does the code wait or loop in an init function")
	for _, task := range rec.Tasks {
		assert.Equal(t, gotest.NotRun, task.Status)
		assert.Equal(t, "never ran: the test binary was stopped at the time limit before any task started", task.Message)
	}
	// The table's note says so too, not that the tasks that finished count.
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, &Report{Records: []*Record{rec}}, 200))
	assert.Contains(t, buf.String(), "ivan · 01-sums: no task started within the time limit")
	assert.NotContains(t, buf.String(), "the tasks that finished count")
}

// What a failing task's code printed reaches the record bounded: at most
// OutputLines lines of at most OutputLineBytes bytes (cut at a
// character's start), without a terminal's escape sequences, and the
// count of the lines left out; the table's note says how many and the
// first.
func TestOutputIsBounded(t *testing.T) {
	var lines []string
	for i := 1; i <= 1000; i++ {
		lines = append(lines, fmt.Sprintf("\x1b[31mline %d\x1b[0m %s", i, strings.Repeat("é", 400)))
	}
	out := limitOutput(strings.Join(lines, "\n") + "\n")
	got := strings.Split(out, "\n")
	require.Len(t, got, OutputLines+1)
	assert.Equal(t, "... (980 more lines)", got[OutputLines])
	for _, l := range got[:OutputLines] {
		assert.True(t, utf8.ValidString(l))
		assert.LessOrEqual(t, len(l), OutputLineBytes+len(" …"))
		assert.NotContains(t, l, "\x1b")
	}
	assert.True(t, strings.HasPrefix(got[0], "line 1 éé"))
	assert.Equal(t, "one line", limitOutput("one line\n"))
	assert.Empty(t, limitOutput("\n"))

	rec := &Record{Student: "ana", Lab: "03-hello-server", Tasks: []Task{
		{Number: 1, Status: gotest.Pass, Output: ""},
		{Number: 2, Status: gotest.Fail, Output: out},
	}}
	assert.Equal(t, "ana · 03-hello-server: task 2's code printed 1000 lines (--json has the first 20), the first: "+style.Clip(got[0], 100), rec.OutputNote())
	// An output the run kept in part (Options.Keep): gotest's line about
	// the bytes left out is none of the code's, and the count is a floor.
	kept := limitOutput(strings.Repeat("print\n", 30) + "... (123456 bytes of output left out here)\n" + strings.Repeat("print\n", 5))
	assert.NotContains(t, kept, "left out here")
	assert.True(t, strings.HasSuffix(kept, "\n... (15 more lines, and 120 KiB more not kept)"), kept)
	rec.Tasks[1].Output = kept
	assert.Equal(t, "ana · 03-hello-server: task 2's code printed more than 35 lines (--json has the first 20), the first: print", rec.OutputNote())
	rec.Tasks[1].Output = "listening on 127.0.0.1:4000"
	assert.Equal(t, "ana · 03-hello-server: task 2's code printed: listening on 127.0.0.1:4000", rec.OutputNote())
	rec.Tasks[1].Output = ""
	assert.Empty(t, rec.OutputNote(), "nothing printed, no note")
}
