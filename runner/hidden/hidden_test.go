package hidden

import (
	"os"
	"path/filepath"
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
