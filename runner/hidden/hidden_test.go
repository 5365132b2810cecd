package hidden

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/netbook/netbook/runner/labs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestLoad(t *testing.T) {
	root := t.TempDir()
	l := &labs.Lab{Name: "01-demo", Dir: filepath.Join(root, "labs", "01-demo"), Meta: labs.Meta{Points: map[int]int{1: 4}}}
	write(t, filepath.Join(l.Dir, "demo_test.go"), "package demo\n")
	dir := filepath.Join(root, "hidden")
	require.NoError(t, os.Mkdir(dir, 0o755))

	h, err := Load(dir, l)
	require.NoError(t, err)
	assert.Nil(t, h, "no folder for the lab: no hidden tests")
	assert.Nil(t, h.Overlay())
	assert.Nil(t, h.Env())
	assert.Equal(t, 4, h.Worth(l, 1), "a nil set leaves the brief's points")

	write(t, filepath.Join(dir, "01-demo", "extra_test.go"), "package demo\n")
	write(t, filepath.Join(dir, "01-demo", "points.yaml"), "# hidden points\n3: 2\n")
	write(t, filepath.Join(dir, "01-demo", "testdata", "x.txt"), "data\n")
	h, err = Load(dir, l)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{filepath.Join(l.Dir, "extra_test.go"): filepath.Join(dir, "01-demo", "extra_test.go")}, h.Overlay())
	assert.Equal(t, []string{"NETBOOK_HIDDEN=" + filepath.Join(dir, "01-demo")}, h.Env())
	assert.Equal(t, 2, h.Worth(l, 3))
	assert.Equal(t, 4, h.Worth(l, 1))
	assert.Equal(t, 1, h.Worth(l, 2))
	assert.Equal(t, 2, h.Lines[3])
	assert.True(t, h.Hidden(labs.Task{File: "extra_test.go"}))
	assert.False(t, h.Hidden(labs.Task{File: "demo_test.go"}))

	write(t, filepath.Join(dir, "01-demo", "demo_test.go"), "package demo\n")
	_, err = Load(dir, l)
	assert.ErrorContains(t, err, "has a file of that name")
	require.NoError(t, os.Remove(filepath.Join(dir, "01-demo", "demo_test.go")))

	write(t, filepath.Join(dir, "01-demo", "helper.go"), "package demo\n")
	_, err = Load(dir, l)
	assert.ErrorContains(t, err, "hidden tests are _test.go files")
}

// Hidden tasks are numbered on from the lab's last, and points.yaml gives
// points to them only, 1 or more: grade refuses anything else rather than
// score a lab wrong.
func TestProblems(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "01-demo")
	h := &Tests{Dir: dir, Files: map[string]string{"/book/labs/01-demo/zz_test.go": filepath.Join(dir, "zz_test.go")}}
	book := []labs.Task{{Number: 1, Test: "TestTask1A", File: "demo_test.go", Line: 5}, {Number: 2, Test: "TestTask2B", File: "demo_test.go", Line: 9}}
	lab := func(hidden ...labs.Task) *labs.Lab {
		return &labs.Lab{Name: "01-demo", Tasks: append(slices.Clone(book), hidden...)}
	}
	three := labs.Task{Number: 3, Test: "TestTask3C", File: "zz_test.go", Line: 6}
	four := labs.Task{Number: 4, Test: "TestTask4D", File: "zz_test.go", Line: 12}
	var none *Tests
	assert.Empty(t, none.Problems(lab()))
	assert.Empty(t, h.Problems(lab(three, four)))

	again := labs.Task{Number: 2, Test: "TestTask2Again", File: "zz_test.go", Line: 6}
	assert.Equal(t, []string{filepath.Join(dir, "zz_test.go") + ":6: TestTask2Again is out of sequence: lab 01-demo has tasks 1 to 2, so its hidden tasks are numbered 3, 4... with no gaps or repeats"},
		h.Problems(&labs.Lab{Name: "01-demo", Tasks: []labs.Task{book[0], again, book[1]}}), "a hidden task that repeats a book's number")
	assert.Len(t, h.Problems(lab(four)), 1, "a gap")

	h.Points, h.Lines = map[int]int{1: 5, 3: 0, 4: 2, 9: 1}, map[int]int{1: 1, 3: 2, 4: 3, 9: 4}
	pf := filepath.Join(dir, PointsFile)
	assert.Equal(t, []string{
		pf + ":1: points for task 1, which is not a hidden task: points.yaml gives points to hidden tasks only",
		pf + ":2: task 3 is worth 0 points; give it 1 or more (a task not listed is worth 1)",
		pf + ":4: points for task 9, which is not a hidden task: points.yaml gives points to hidden tasks only",
	}, h.Problems(lab(three, four)))
}

func TestParsePoints(t *testing.T) {
	p, lines, err := ParsePoints("p.yaml", []byte("11: 2\n12: 3\n"))
	require.NoError(t, err)
	assert.Equal(t, map[int]int{11: 2, 12: 3}, p)
	assert.Equal(t, map[int]int{11: 1, 12: 2}, lines)

	p, _, err = ParsePoints("p.yaml", []byte("# nothing yet\n"))
	require.NoError(t, err)
	assert.Empty(t, p)

	for src, want := range map[string]string{
		"- 1\n":          "p.yaml:1: points are a map",
		"x: 2\n":         `p.yaml:1: "x" is not a task number`,
		"1: 2\n1: 3\n":   "p.yaml:2: task 1 has points twice",
		"1: two\n":       `p.yaml:1: task 1's points are a whole number, got "two"`,
		"1: [2]\n":       "p.yaml:1: task 1's points are a whole number",
		"1: 2\n  - x\n":  "p.yaml",
		"0: 2\n":         `p.yaml:1: "0" is not a task number`,
		"1: 2\n2: -1\n":  "",
		"1: 2.5\n":       "whole number",
		"\"3\": 1\n":     "",
		"3: 1 # ok\n":    "",
		"3: 1\n\n\n4: 1": "",
	} {
		_, _, err := ParsePoints("p.yaml", []byte(src))
		if want == "" {
			assert.NoError(t, err, "%q", src)
			continue
		}
		assert.ErrorContains(t, err, want, "%q", src)
	}
}

// A folder of hidden tests that is not there, or a lab's folder in it
// misnamed, would leave the hidden tests out without a word: Check says
// so, with the name meant.
func TestCheck(t *testing.T) {
	root := t.TempDir()
	all := []*labs.Lab{{Name: "01-addresses"}, {Name: "03-hello-server"}}
	file := filepath.Join(root, "file")
	write(t, file, "not a folder\n")
	for _, tc := range []struct {
		name  string
		dirs  []string // folders to make in the hidden folder
		path  string   // the --hidden given, when not the folder made
		wants []string // what the error says; none: no error
	}{
		{name: "good", dirs: []string{"01-addresses", "03-hello-server", ".git"}},
		{name: "no folder for some labs", dirs: []string{"03-hello-server"}},
		{name: "missing", path: filepath.Join(root, "does-not-exist"), wants: []string{"unable to read the folder", "does-not-exist", "no such file"}},
		{name: "a file", path: file, wants: []string{"unable to read the folder", file}},
		{name: "misspelled", dirs: []string{"01-adresses"}, wants: []string{"01-adresses is named as no lab", "did you mean 01-addresses?"}},
		{name: "misnumbered", dirs: []string{"3-hello-server"}, wants: []string{"3-hello-server is named as no lab", "did you mean 03-hello-server?"}},
		{name: "far from any", dirs: []string{"notes", "01-addresses"}, wants: []string{"notes is named as no lab of the book: each folder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.path
			if dir == "" {
				dir = filepath.Join(root, tc.name)
				require.NoError(t, os.MkdirAll(dir, 0o755))
				for _, d := range tc.dirs {
					require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
				}
				write(t, filepath.Join(dir, "README.md"), "a file is left alone\n")
			}
			err := Check(dir, all)
			if len(tc.wants) == 0 {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.wants {
				assert.ErrorContains(t, err, w)
			}
			if tc.name == "far from any" {
				assert.NotContains(t, err.Error(), "did you mean")
			}
		})
	}

	// A lab's folder given as the folder of hidden tests, or test files at
	// its top: they would be left out without a word.
	lab := filepath.Join(root, "hidden", "03-hello-server")
	write(t, filepath.Join(lab, "zz_hidden_test.go"), "package hello\n")
	require.NoError(t, os.MkdirAll(filepath.Join(lab, "testdata"), 0o755))
	err := Check(lab, all)
	require.Error(t, err)
	assert.ErrorContains(t, err, lab+" is the folder of lab 03-hello-server's hidden tests: name the folder that holds it, "+filepath.Join(root, "hidden")+",")
	require.NoError(t, Check(filepath.Join(root, "hidden"), all))
	loose := filepath.Join(root, "loose")
	write(t, filepath.Join(loose, "zz_hidden_test.go"), "package hello\n")
	assert.ErrorContains(t, Check(loose, all), loose+" holds zz_hidden_test.go at its top, where no lab's tests are read: move it into a folder named as its lab is, "+
		filepath.Join(loose, "NN-slug", "zz_hidden_test.go"))

	l := &labs.Lab{Name: "01-addresses", Dir: filepath.Join(root, "labs", "01-addresses")}
	_, err = Load(filepath.Join(root, "does-not-exist"), l)
	assert.ErrorContains(t, err, "hidden tests:", "Load refuses a folder that is not there, too")
	_, err = Load(file, l)
	assert.ErrorContains(t, err, "is not a folder")
}
