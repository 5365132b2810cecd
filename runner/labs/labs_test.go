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
		"go.work":                "go 1.22\n\nuse ./labs\n",
		"labs/go.mod":            "module example.com/labs\n\ngo 1.22\n",
		"labs/shared/shared.go":  "package shared\n",
		"labs/01-demo/README.md": "---\ntitle: Demo\nchapter: 01-demo\nfiles: [demo.go]\nhints: [\"look closer\"]\n---\n# Demo\n",
		"labs/01-demo/demo.go":   "package demo\n\n// Two returns 2.\nfunc Two() int {\n\t// TODO: return 2\n\treturn 0\n}\n",
		"labs/01-demo/given.go":  "package demo\n",
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
	s1, err := l.SkeletonHash()
	require.NoError(t, err)

	// The brief and other labs do not change the hash.
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "README.md"), []byte("---\ntitle: New\n---\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(r.Lab("02-other"), "x.go"), []byte("package x\n"), 0o644))
	h2, _ := l.Hash()
	assert.Equal(t, h1, h2)

	// A given file changes the content hash, not the skeleton's.
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "given.go"), []byte("package demo\n\nvar X = 1\n"), 0o644))
	h3, _ := l.Hash()
	s3, _ := l.SkeletonHash()
	assert.NotEqual(t, h1, h3)
	assert.Equal(t, s1, s3)

	// Shared code in the labs module changes it too.
	require.NoError(t, os.WriteFile(filepath.Join(r.Labs(), "shared", "shared.go"), []byte("package shared\n\nvar Y = 2\n"), 0o644))
	h4, _ := l.Hash()
	assert.NotEqual(t, h3, h4)

	// The student's file changes both.
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "demo.go"), []byte("package demo\n\nfunc Two() int { return 2 }\n"), 0o644))
	h5, _ := l.Hash()
	s5, _ := l.SkeletonHash()
	assert.NotEqual(t, h4, h5)
	assert.NotEqual(t, s1, s5)
}

func TestSums(t *testing.T) {
	r := workTree(t)
	all, err := LoadAll(r)
	require.NoError(t, err)
	all = all[:1]
	sums, err := ReadSums(r)
	require.NoError(t, err)
	assert.Empty(t, sums)
	assert.False(t, all[0].Pristine(sums), "no recorded sum: not known to be pristine")

	require.NoError(t, WriteSums(r, all))
	sums, err = ReadSums(r)
	require.NoError(t, err)
	assert.True(t, all[0].Pristine(sums))

	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n"), 0o644))
	assert.False(t, all[0].Pristine(sums), "an edited file is not the skeleton")

	require.NoError(t, os.WriteFile(filepath.Join(r.Labs(), SumsFile), []byte("01-demo\n"), 0o644))
	_, err = ReadSums(r)
	assert.ErrorContains(t, err, "skeletons.sum:1")
}
