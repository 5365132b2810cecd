package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/hidden"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The book's own labs pass the authoring checks.
func TestBookAuthoring(t *testing.T) {
	r := testkit.Shipped(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		rep := &Report{}
		checkAuthoring(r, l, nil, nil, rep)
		for _, p := range rep.Problems {
			t.Error(p)
		}
	}
}

// Each authoring problem names its file and line.
func TestAuthoringProblems(t *testing.T) {
	dir := t.TempDir()
	write := writer(t, dir)
	write("go.work", "go 1.22\n\nuse ./labs\n")
	write("labs/go.mod", "module example.com/labs\n\ngo 1.22\n")
	write("labs/01-two/README.md", "---\ntitle: Two\nchapter: 01-two\nfiles: [two.go]\npoints:\n  1: 0\n  9: 2\n---\n# Two\n\n## Tasks\n\n1. **Two**\n   returns two.\n2. **Three**\n3. **Four**\n\n```\n1. not a task\n```\n\n## Run the tests\n\n1. go test\n")
	write("labs/01-two/two.go", "package two\n\n// Two returns 2.\nfunc Two() int {\n\treturn 0\n}\n\n"+
		"// Three returns 3.\nfunc Three() int {\n\t// TODO: return 3.\n\treturn 0\n}\n\n"+
		"// Given is the same in the solution.\nfunc Given() int { return 1 }\n\n"+
		"// Four returns 4.\nfunc Four() (int, error) { return 0, errors.New(\"not yet (task 3)\") }\n")
	write("labs/01-two/two_test.go", "package two\n\nimport \"testing\"\n\n// Two.\nfunc TestTask1Two(t *testing.T) {}\n\n// Three.\nfunc TestTask2Three(t *testing.T) {}\n")
	write("solutions/01-two/two.go", "package two\n\nfunc Two() int { return 2 }\n\nfunc Three() int { return 3 }\n\nfunc Given() int { return 1 }\n\nfunc Four() (int, error) { return 4, nil }\n")
	write("labs/01-two/hints.yaml", "# hints\n1:\n  - a nudge\n2:\n  - another nudge\n7:\n  - for no task\n")
	write("hidden/01-two/zz_test.go", "package two\n\nimport \"testing\"\n\n// More.\nfunc TestTask3More(t *testing.T) {}\n")
	write("hidden/01-two/points.yaml", "3: 2\n1: 5\n")
	r := repo.Root{Dir: dir}
	l, err := labs.Load(r, "01-two")
	require.NoError(t, err)
	h, err := hidden.Load(filepath.Join(dir, "hidden"), l)
	require.NoError(t, err)
	l, err = l.Through(h.Overlay())
	require.NoError(t, err)

	rep := &Report{}
	checkAuthoring(r, l, h.Overlay(), h, rep)
	all := strings.Join(rep.Problems, "\n")
	for _, want := range []string{
		"labs/01-two/two.go:4: Two is the student's to write but does not say what to write",
		"labs/01-two/README.md:11: the brief lists 3 tasks under its Tasks heading and the tests have 2",
		"labs/01-two/README.md:6: task 1 is worth 0 points",
		"labs/01-two/README.md:7: points for task 9, which is not one of the lab's own tasks (1 to 2)",
		filepath.Join(dir, "hidden", "01-two", "points.yaml") + ":2: points for task 1, which is not a hidden task: points.yaml gives points to hidden tasks only",
		`labs/01-two/hints.yaml:6: lab 01-two has no task 7`,
	} {
		assert.Contains(t, all, want)
	}
	assert.Len(t, rep.Problems, 6, "Three has a TODO, Four names its task, Given is given, hidden task 3 may have points:\n%s", all)
}

// A translation that does not read is shown in English without a word to
// the student, so verify names each problem with its file and line.
func TestTranslationProblems(t *testing.T) {
	dir := t.TempDir()
	write := writer(t, dir)
	write("labs/01-two/README.md", "---\ntitle: Two\nchapter: 01-two\nfiles: [two.go]\n---\n# Two\n")
	write("labs/01-two/two_test.go", "package two\n\nimport \"testing\"\n\n// Two.\nfunc TestTask1Two(t *testing.T) {}\n\n// Three.\nfunc TestTask2Three(t *testing.T) {}\n")
	write("labs/01-two/hints.yaml", "1:\n  - a nudge\n  - an approach\n2:\n  - another nudge\n")
	r := repo.Root{Dir: dir}
	l, err := labs.Load(r, "01-two")
	require.NoError(t, err)

	// Complete, or partial (a task left out is shown in English): no problem.
	write("labs/01-two/README.zh.md", "---\ntitle: 二\n---\n# 二\n\n[第 1 章](../../labs/01-two/)\n")
	write("labs/01-two/hints.zh.yaml", "1:\n  - 提示\n  - 思路\n")
	write("labs/01-two/tasks.zh.yaml", "1: 二。\n2: 三。\n")
	assert.Empty(t, checkTranslations(r, l))

	write("labs/01-two/README.zh.md", "---\ntitle: 二\nfile: [two.go]\n---\n# 二\n\n[第 1 章](../../chapters/zh/01-two.md)\n")
	write("labs/01-two/hints.zh.yaml", "1:\n  - 提示\n2:\n  - 提示\n  - \" \"\n7: [没有这个任务]\n")
	write("labs/01-two/tasks.zh.yaml", "1: 二。\n3: 没有这个任务。\n2: \"\"\n")
	assert.Equal(t, []string{
		"labs/01-two/README.zh.md:3: field file not found in type labs.Meta (the brief is shown in English)",
		"labs/01-two/hints.zh.yaml:1: task 1 has 1 level and hints.yaml gives it 2: translate each level, no more",
		"labs/01-two/hints.zh.yaml:3: task 2 has 2 levels and hints.yaml gives it 1: translate each level, no more",
		"labs/01-two/hints.zh.yaml:6: lab 01-two has no task 7",
		"labs/01-two/tasks.zh.yaml:2: lab 01-two has no task 3",
		"labs/01-two/tasks.zh.yaml:3: task 2's title is empty",
	}, checkTranslations(r, l))

	write("labs/01-two/README.zh.md", "---\ntitle: 二\n---\n# 二\n\n[第 1 章](../../chapters/zh/01-two.md)\n")
	write("labs/01-two/hints.zh.yaml", "1:\n  - 提示\n 2: [\n")
	write("labs/01-two/tasks.zh.yaml", "- 二\n")
	assert.Equal(t, []string{
		"labs/01-two/README.zh.md links to ../../chapters/zh/01-two.md, which does not exist",
		"labs/01-two/hints.zh.yaml: line 2: did not find expected key (the hints are shown in English)",
		"labs/01-two/tasks.zh.yaml:1: the titles are a map from task numbers to titles (the tasks' titles are shown in English)",
	}, checkTranslations(r, l))
}

// verify --hidden proves an instructor's hidden tests like the lab's own:
// each must fail on the skeleton and pass on the solution, numbered on
// from the lab's tasks, and they find their own files through
// NETBOOK_HIDDEN.
func TestHiddenTestsAreProved(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := t.TempDir()
	write := writer(t, dir)
	write("go.work", "go 1.22\n\nuse ./labs\n")
	write("labs/go.mod", "module example.com/labs\n\ngo 1.22\n")
	write("labs/01-two/README.md", "---\ntitle: Two\nchapter: 01-two\nfiles: [two.go]\n---\n# Two\n")
	write("labs/01-two/hints.yaml", "1:\n  - return 2\n")
	write("labs/01-two/two.go", "package two\n\n// Two returns 2.\nfunc Two() int {\n\t// TODO: return 2.\n\treturn 0\n}\n")
	write("labs/01-two/two_test.go", "package two\n\nimport \"testing\"\n\n// Two.\nfunc TestTask1Two(t *testing.T) {\n\tif Two() != 2 {\n\t\tt.Fatal(\"want 2\")\n\t}\n}\n")
	write("solutions/01-two/two.go", "package two\n\n// Two returns 2.\nfunc Two() int { return 2 }\n")
	write("hidden/01-two/zz_hidden_test.go", "package two\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n\t\"testing\"\n)\n\n"+
		"// Two, as the hidden data says.\nfunc TestTask2FromData(t *testing.T) {\n\tdata, err := os.ReadFile(filepath.Join(os.Getenv(\"NETBOOK_HIDDEN\"), \"testdata\", \"want.txt\"))\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\tif string(data) != string(rune('0'+Two())) {\n\t\tt.Fatalf(\"Two() = %d, want %s\", Two(), data)\n\t}\n}\n\n"+
		"// Passes whatever the code does.\nfunc TestTask3Nothing(t *testing.T) {}\n")
	write("hidden/01-two/testdata/want.txt", "2")
	r := repo.Root{Dir: dir}
	l, err := labs.Load(r, "01-two")
	require.NoError(t, err)
	require.NoError(t, labs.WriteSums(r, []*labs.Lab{l}))
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)

	ctx := context.Background()
	rep := Lab(ctx, r, l, Options{Sums: sums, Hidden: filepath.Join(dir, "hidden")})
	require.Len(t, rep.Tasks, 3, "the hidden tasks join the lab's: %v", rep.Problems)
	assert.True(t, rep.Tasks[1].SkeletonFailed && rep.Tasks[1].SolutionPassed, "hidden task 2 is proved: %v", rep.Problems)
	assert.Equal(t, []string{"TestTask3Nothing passes on the skeleton: it cannot tell an unfinished lab from a finished one"}, rep.Problems)

	rep = Lab(ctx, r, l, Options{Sums: sums})
	assert.Len(t, rep.Tasks, 1, "without --hidden, the lab is its own")
	assert.Empty(t, rep.Problems)

	// Hidden tests that do not compile are named as what does not, in a
	// folder beside the book whose name starts with the book's (the go
	// command writes dir-hidden/... as .-hidden/...), with the line.
	beside := dir + "-hidden"
	write("../"+filepath.Base(beside)+"/01-two/zz_hidden_test.go", "package two\n\nimport \"testing\"\n\n// Two.\nfunc TestTask2Two(t *testing.T) {\n\tTwo(1)\n}\n")
	rep = Lab(ctx, r, l, Options{Sums: sums, Hidden: beside})
	require.Len(t, rep.Problems, 1)
	assert.Contains(t, rep.Problems[0], "the skeleton does not compile with the hidden tests in "+filepath.Join(beside, "01-two")+";")
	assert.Contains(t, rep.Problems[0], "\n"+filepath.Join("..", filepath.Base(beside), "01-two", "zz_hidden_test.go")+":7:")
	assert.NotContains(t, rep.Problems[0], "a student must start from code that builds")
}

// verify in a student's clone, where a skeleton file holds the student's
// work: the report says so and names what proves the book there
// (--as-shipped), not only "run --update-sums on a clean checkout".
func TestSumsNameTheStudentsWork(t *testing.T) {
	_, write, l, sums := oneLabWithSums(t)
	write("labs/01-two/two.go", "package two\n\n// Two returns 2.\nfunc Two() int { return 2 }\n")

	rep := &Report{Lab: l.Name}
	checkSums(l, Options{Sums: sums}, rep)
	require.Len(t, rep.Problems, 1)
	assert.Contains(t, rep.Problems[0], "labs/01-two/two.go is not the skeleton the book shipped")
	assert.Contains(t, rep.Problems[0], "netbook verify --as-shipped")

	rep = &Report{Lab: l.Name}
	checkSums(l, Options{Sums: sums, AsShipped: true}, rep)
	assert.Empty(t, rep.Problems, "as shipped, the student's work is no problem")
}

// An author who removes a file of the lab is told the sums still list it,
// not that it is a student's work, and what to run (with the lab's number).
func TestSumsNameAFileThatIsGone(t *testing.T) {
	dir, _, l, sums := oneLabWithSums(t)
	require.NoError(t, os.Remove(filepath.Join(dir, "labs", "01-two", "two_test.go")))

	rep := &Report{Lab: l.Name}
	checkSums(l, Options{Sums: sums}, rep)
	assert.Equal(t, []string{"labs/book.sum lists 01-two/two_test.go, which is gone: after removing it on purpose, " +
		"run netbook verify 01 --update-sums in a tree that holds no student's work"}, rep.Problems)
}

// oneLabWithSums writes a tree with one lab, 01-two, whose skeleton
// returns 0, and its labs/book.sum, and returns the tree's folder, a writer
// for it, the lab and its sums.
func oneLabWithSums(t *testing.T) (string, func(name, content string), *labs.Lab, *labs.Sums) {
	t.Helper()
	dir := t.TempDir()
	write := writer(t, dir)
	write("labs/go.mod", "module example.com/labs\n\ngo 1.22\n")
	write("labs/01-two/README.md", "---\ntitle: Two\nchapter: 01-two\nfiles: [two.go]\n---\n# Two\n")
	write("labs/01-two/two.go", "package two\n\n// Two returns 2.\nfunc Two() int {\n\t// TODO: return 2.\n\treturn 0\n}\n")
	write("labs/01-two/two_test.go", "package two\n")
	r := repo.Root{Dir: dir}
	l, err := labs.Load(r, "01-two")
	require.NoError(t, err)
	require.NoError(t, labs.WriteSums(r, []*labs.Lab{l}))
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	return dir, write, l, sums
}

// writer returns a function that writes a file of the tree at dir, named
// by its slash-separated path, making its directories.
func writer(t *testing.T, dir string) func(name, content string) {
	return func(name, content string) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
}
