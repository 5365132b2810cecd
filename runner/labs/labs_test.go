package labs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netbook/netbook/runner/repo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// workTree writes a minimal work tree with one lab and returns its root.
func workTree(t *testing.T) repo.Root {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.work":                    "go 1.22\n\nuse ./labs\n",
		"labs/go.mod":                "module example.com/labs\n\ngo 1.22\n",
		"labs/shared/shared.go":      "package shared\n",
		"labs/01-demo/README.md":     "---\ntitle: Demo\nchapter: 01-demo\nfiles: [demo.go]\nhints: [\"look closer\"]\n---\n# Demo\n",
		"labs/01-demo/demo.go":       "package demo\n\n// Two returns 2.\nfunc Two() int {\n\t// TODO: return 2\n\treturn 0\n}\n",
		"labs/01-demo/given.go":      "package demo\n",
		"labs/01-demo/README.zh.md":  "---\ntitle: 演示\nchapter: 01-demo\nfiles: [demo.go]\n---\n# 演示\n",
		"labs/01-demo/hints.yaml":    "1:\n  - look closer\n",
		"labs/01-demo/hints.zh.yaml": "1:\n  - 再仔细看看\n",
		"labs/01-demo/tasks.zh.yaml": "1: 编译通过。\n2: 让 Two 返回二。\n",
		"labs/01-demo/demo_test.go": "package demo\n\nimport \"testing\"\n\n" +
			"// Make Two return two.\n// More words here.\nfunc TestTask2Two(t *testing.T) {\n\tif Two() != 2 {\n\t\tt.Fatal(\"Two() != 2\")\n\t}\n}\n\n" +
			"// Compile.\nfunc TestTask1Compiles(t *testing.T) {}\n\nfunc TestHelper(t *testing.T) {}\n",
		"labs/02-other/README.md":   "---\ntitle: Other\nchapter: 02-other\n---\n",
		"solutions/01-demo/demo.go": "package demo\n\nfunc Two() int { return 2 }\n",
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return repo.Root{Dir: dir}
}

func TestLoad(t *testing.T) {
	r := workTree(t)
	all, err := LoadAll(r)
	require.NoError(t, err)
	require.Len(t, all, 2)
	l := all[0]
	assert.Equal(t, "01-demo", l.Name)
	assert.Equal(t, 1, l.Number)
	assert.Equal(t, "Demo", l.Title)
	assert.Equal(t, []string{"demo.go"}, l.Files)
	assert.Equal(t, "# Demo\n", string(l.Brief))
	require.Len(t, l.Tasks, 2, "TestHelper is not a task")
	assert.Equal(t, Task{Number: 1, Test: "TestTask1Compiles", Title: "Compile.", File: "demo_test.go", Line: 14}, l.Tasks[0])
	assert.Equal(t, "Make Two return two.", l.Tasks[1].Title, "the title is the doc comment's first line")
	assert.Equal(t, "TestTask2Two", l.TaskFor("TestTask2Two/sub").Test)
	assert.Nil(t, l.TaskFor("TestHelper"))

	sol, err := l.SolutionFiles()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{filepath.Join(l.Dir, "demo.go"): filepath.Join(r.Dir, "solutions", "01-demo", "demo.go")}, sol)
	_, err = all[1].SolutionFiles()
	assert.ErrorContains(t, err, "no reference solution")
}

func TestLoadRejectsUnknownFields(t *testing.T) {
	r := workTree(t)
	readme := filepath.Join(r.Lab("02-other"), "README.md")
	require.NoError(t, os.WriteFile(readme, []byte("---\ntitle: x\nhint: [a]\n---\n"), 0o644))
	_, err := Load(r, "02-other")
	assert.ErrorContains(t, err, "README.md:3: field hint not found")
}

func TestFind(t *testing.T) {
	all, err := LoadAll(workTree(t))
	require.NoError(t, err)
	for _, arg := range []string{"1", "01", "01-demo", "demo", "labs/01-demo/", "./labs/01-demo"} {
		l, err := Find(all, arg)
		require.NoError(t, err, arg)
		assert.Equal(t, "01-demo", l.Name, arg)
	}
	_, err = Find(all, "9")
	assert.ErrorContains(t, err, "try one of 01-demo, 02-other")
}

func TestHashes(t *testing.T) {
	r := workTree(t)
	l, err := Load(r, "01-demo")
	require.NoError(t, err)
	h1, err := l.Hash()
	require.NoError(t, err)

	// The brief and other labs do not change the hash.
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "README.md"), []byte("---\ntitle: New\n---\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(r.Lab("02-other"), "x.go"), []byte("package x\n"), 0o644))
	h2, _ := l.Hash()
	assert.Equal(t, h1, h2)

	// A given file changes the hash.
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "given.go"), []byte("package demo\n\nvar X = 1\n"), 0o644))
	h3, _ := l.Hash()
	assert.NotEqual(t, h1, h3)

	// Shared code in the labs module changes it too.
	require.NoError(t, os.WriteFile(filepath.Join(r.Labs(), "shared", "shared.go"), []byte("package shared\n\nvar Y = 2\n"), 0o644))
	h4, _ := l.Hash()
	assert.NotEqual(t, h3, h4)

	// So does the student's file.
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "demo.go"), []byte("package demo\n\nfunc Two() int { return 2 }\n"), 0o644))
	h5, _ := l.Hash()
	assert.NotEqual(t, h4, h5)
}

func TestSums(t *testing.T) {
	r := workTree(t)
	all, err := LoadAll(r)
	require.NoError(t, err)
	demo := all[0]
	sums, err := ReadSums(r)
	require.NoError(t, err)
	assert.Empty(t, sums.Files)
	assert.False(t, sums.Pristine(demo), "no recorded sum: not known to be pristine")

	require.NoError(t, WriteSums(r, all))
	sums, err = ReadSums(r)
	require.NoError(t, err)
	assert.True(t, sums.Pristine(demo))
	var paths []string
	for _, f := range sums.ForLab(demo) {
		paths = append(paths, string(f.Role)+" "+f.Path)
	}
	assert.Equal(t, []string{
		"skeleton 01-demo/demo.go", "book 01-demo/demo_test.go", "book 01-demo/given.go",
		"book go.mod", "book shared/shared.go",
	}, paths, "a lab's files are its folder's and the shared ones, not the briefs or other labs'")
	assert.Empty(t, sums.Changed(demo, ""))

	// A student's work changes the skeleton, not the book.
	require.NoError(t, os.WriteFile(filepath.Join(demo.Dir, "demo.go"), []byte("package demo\n"), 0o644))
	assert.False(t, sums.Pristine(demo), "an edited file is not the skeleton")
	assert.Len(t, sums.Changed(demo, Skeleton), 1)
	assert.Empty(t, sums.Changed(demo, Book))

	// An edited test, a deleted given file and a file of the student's own.
	require.NoError(t, os.WriteFile(filepath.Join(demo.Dir, "demo_test.go"), []byte("package demo\n"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(demo.Dir, "given.go")))
	require.NoError(t, os.WriteFile(filepath.Join(demo.Dir, "mine_test.go"), []byte("package demo\n"), 0o644))
	var changed []string
	for _, f := range sums.Changed(demo, Book) {
		changed = append(changed, f.Path)
	}
	assert.Equal(t, []string{"01-demo/demo_test.go", "01-demo/given.go"}, changed)
	unknown, err := sums.Unknown(demo)
	require.NoError(t, err)
	assert.Equal(t, []string{"01-demo/mine_test.go"}, unknown)

	// Line endings changed by git on Windows are not a change.
	crlf := "package shared\r\n"
	require.NoError(t, os.WriteFile(filepath.Join(r.Labs(), "shared", "shared.go"), []byte(crlf), 0o644))
	assert.True(t, sums.Matches(sums.Files["shared/shared.go"]))

	require.NoError(t, os.WriteFile(filepath.Join(r.Labs(), SumsFile), []byte("01-demo/demo.go\n"), 0o644))
	_, err = ReadSums(r)
	assert.ErrorContains(t, err, "book.sum:1")
}

// BlobID is git's own object id, so that git can give the bytes back.
func TestBlobID(t *testing.T) {
	assert.Equal(t, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", BlobID(nil), "git hash-object /dev/null")
	assert.Equal(t, "ce013625030ba8dba906f756967f9e9ca394464a", BlobID([]byte("hello\n")), "echo hello | git hash-object --stdin")
}

// Through reads the tasks from the files the go command will really see.
func TestThrough(t *testing.T) {
	r := workTree(t)
	l, err := Load(r, "01-demo")
	require.NoError(t, err)
	other := filepath.Join(t.TempDir(), "x_test.go")
	require.NoError(t, os.WriteFile(other, []byte("package demo\n\nimport \"testing\"\n\n// One.\nfunc TestTask1One(t *testing.T) {}\n"), 0o644))
	c, err := l.Through(map[string]string{filepath.Join(l.Dir, "demo_test.go"): other})
	require.NoError(t, err)
	require.Len(t, c.Tasks, 1)
	assert.Equal(t, "TestTask1One", c.Tasks[0].Test)
	assert.Len(t, l.Tasks, 2, "the lab itself is unchanged")

	c, err = l.Through(map[string]string{filepath.Join(l.Dir, "demo_test.go"): ""})
	require.NoError(t, err)
	assert.Empty(t, c.Tasks, "a hidden file has no tasks")
}

// AddSums records a new lab's files and leaves the other lines as they
// were, in the order WriteSums writes them.
func TestAddSums(t *testing.T) {
	r := workTree(t)
	all, err := LoadAll(r)
	require.NoError(t, err)
	require.NoError(t, WriteSums(r, all[:1]))
	before, err := os.ReadFile(filepath.Join(r.Labs(), SumsFile))
	require.NoError(t, err)

	// A student's work in lab 01 stays out of the sums; lab 02 joins them.
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n"), 0o644))
	other := filepath.Join(all[1].Dir, "other.go")
	require.NoError(t, os.WriteFile(other, []byte("package other\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(all[1].Dir, "other_test.go"), []byte("package other\n"), 0o644))
	all[1].Files = []string{"other.go"}
	require.NoError(t, AddSums(r, all[1]))

	sums, err := ReadSums(r)
	require.NoError(t, err)
	assert.Equal(t, Skeleton, sums.Files["02-other/other.go"].Role)
	assert.Equal(t, Book, sums.Files["02-other/other_test.go"].Role)
	assert.False(t, sums.Pristine(all[0]), "lab 01's line is the shipped one, not the student's")

	// Written from scratch, the sums are the same bytes, save lab 01's work.
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n\n// Two returns 2.\nfunc Two() int {\n\t// TODO: return 2\n\treturn 0\n}\n"), 0o644))
	after, err := os.ReadFile(filepath.Join(r.Labs(), SumsFile))
	require.NoError(t, err)
	require.NoError(t, WriteSums(r, all))
	again, err := os.ReadFile(filepath.Join(r.Labs(), SumsFile))
	require.NoError(t, err)
	assert.Equal(t, string(again), string(after))
	assert.NotEqual(t, string(before), string(after))
}

// A task is worth its brief's points, or 1.
func TestWorth(t *testing.T) {
	l := &Lab{Meta: Meta{Points: map[int]int{2: 3}}}
	assert.Equal(t, 1, l.Worth(1))
	assert.Equal(t, 3, l.Worth(2))
}
