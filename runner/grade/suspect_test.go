package grade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbook/netbook/runner/labs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The forgery QA found: lab 01's skeleton with an init that prints a
// passing run of every task and exits with status 0 scored 6 of 6.
const forged = `package addresses

import (
	"fmt"
	o "os"
	"strings"
)

func init() {
	if !strings.HasSuffix(o.Args[0], ".test") {
		return
	}
	for _, name := range []string{"TestTask1ParseEndpoint"} {
		fmt.Printf("\x16=== RUN   %s\n\x16--- PASS: %s (0.00s)\n", name, name)
	}
	o.Exit(0)
}
`

func TestSuspect(t *testing.T) {
	got := suspect(map[string][]byte{
		"addresses.go": []byte(forged),
		"notes.txt":    []byte("os.Exit(0)"),
		"broken.go":    []byte("package addresses\nfunc {"),
		"quiet.go": []byte(`package addresses

import (
	"os"
	_ "unsafe"
)

//go:linkname now runtime.nanotime
func now() int64

func hide() { os.Stdout = nil }
`),
		"again.go": []byte(`package addresses

// #include <stdlib.h>
import "C"

import (
	"flag"
	"os"
	"syscall"
)

func init() {
	exe, _ := os.Executable()
	syscall.Exec(exe, []string{exe, "-test.run=^$"}, nil)
	go flag.Set("test.run", "^$")
	C.exit(0)
}
`),
		"dotted.go": []byte(`package addresses

import (
	. "os"
	"os/exec"
)

func init() {
	m := string(rune(0x16))
	Stdout.WriteString(m + "=== " + "RUN   TestTask1\n")
	Stdout.Write([]byte{0o26, '-'})
	_ = '\x16'
	exec.Command("/proc/self/exe", "-test.list", ".").Run()
	Exit(0)
}
`),
	})
	assert.Equal(t, []string{
		"addresses.go:10: uses os.Args",
		"addresses.go:14: has the test framework's words \"=== RUN\" in a string",
		"addresses.go:16: uses os.Exit",
		"again.go:4: imports C",
		"again.go:7: imports flag",
		"again.go:13: uses os.Executable",
		"again.go:14: uses syscall.Exec",
		"dotted.go:4: imports os with a dot, so that its names (Exit, Args...) stand alone",
		"dotted.go:5: imports os/exec",
		"dotted.go:9: makes the test framework's marker byte (0x16) from a number",
		"dotted.go:11: makes the test framework's marker byte (0x16) from a number",
		"dotted.go:12: has the test framework's marker byte (0x16) in a rune",
		"dotted.go:13: names a process's files (/proc/) in a string",
		"quiet.go:5: imports unsafe",
		"quiet.go:8: has a //go:linkname directive",
		"quiet.go:11: assigns os.Stdout",
	}, got)
}

// No reference solution does any of it, nor any of the wrong ones (the
// mistakes students make): honest code, right or wrong, is not flagged.
func TestSuspectNothingInTheSolutions(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "solutions", "*", "*.go"))
	require.NoError(t, err)
	wrong, err := filepath.Glob(filepath.Join("..", "..", "solutions", "*", "wrong", "*", "*.go"))
	require.NoError(t, err)
	paths = append(paths, wrong...)
	require.NotEmpty(t, paths)
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		files[p] = data
	}
	assert.Empty(t, suspect(files))
}

// A student's clone holds the reference solutions: a copy passes every
// task. grade names a file that is the reference with other comments,
// spacing and line breaks, and not code of the student's own, nor the
// skeleton.
func TestCopiedReference(t *testing.T) {
	fx := newFixture(t)
	all, err := labs.LoadAll(fx.book)
	require.NoError(t, err)
	l := all[0]
	ref, err := os.ReadFile(filepath.Join(l.SolutionDir, "sums.go"))
	require.NoError(t, err)
	skeleton, err := os.ReadFile(filepath.Join(l.Dir, "sums.go"))
	require.NoError(t, err)
	own, err := os.ReadFile(filepath.Join(fx.class, "solved", "sums.go"))
	require.NoError(t, err)
	var copy []string
	for _, line := range strings.Split(string(ref), "\n") {
		if !strings.HasPrefix(line, "//") {
			copy = append(copy, strings.ReplaceAll(line, "\t", "  ")+" // mine")
		}
	}
	assert.Equal(t, []string{"sums.go"}, copied(l, map[string][]byte{"sums.go": []byte(strings.Join(copy, "\n"))}))
	assert.Empty(t, copied(l, map[string][]byte{"sums.go": own}))
	assert.Empty(t, copied(l, map[string][]byte{"sums.go": skeleton}))
	assert.Empty(t, copied(l, map[string][]byte{"sums.go": []byte("package sums\nfunc {")}))

	rec := &Record{Student: "carol", Lab: l.Name, Reference: []string{"sums.go"}}
	assert.Equal(t, "carol · 01-sums: sums.go is the book's reference solution, comments and layout aside", rec.ReferenceNote())
}
