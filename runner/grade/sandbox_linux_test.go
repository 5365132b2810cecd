package grade

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mallory's Add answers only if grade's sandbox holds around it: no
// network but loopback, the book and its solutions out of reach, and a
// temp dir of its own to write in.
const mallory = `package sums

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
)

func Add(a, b int) (int, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return 0, err
	}
	for _, i := range ifs {
		if i.Name != "lo" {
			return 0, fmt.Errorf("the network interface %s is in reach", i.Name)
		}
	}
	if os.WriteFile("escaped.txt", []byte("x"), 0o644) == nil {
		return 0, errors.New("wrote into the book")
	}
	if _, err := os.ReadFile("../../solutions/01-sums/sums.go"); err == nil {
		return 0, errors.New("read the reference solution")
	}
	if err := os.WriteFile(filepath.Join(os.TempDir(), "mine.txt"), []byte("x"), 0o644); err != nil {
		return 0, err
	}
	return a + b, nil
}

func Sum(xs []int) (int, error) { return 0, errors.New("no") }

func Mean(xs []int) (float64, error) { return 0, errors.New("no") }
`

// A student's code runs in netbook's sandbox (go test -exec): it reaches
// loopback only, cannot write into the instructor's tree or read the
// reference solutions, and writes in a temp dir of its own.
func TestStudentCodeIsFenced(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test for a student")
	}
	if r := sandbox.Probe(); r.Missing != "" {
		if os.Getenv("NETBOOK_CI") != "" {
			t.Fatalf("CI needs every layer of the sandbox: %s", r.Missing)
		}
		t.Skipf("this machine lacks layers of the sandbox: %s", r.Missing)
	}
	t.Parallel()
	fx := newFixture(t)
	dir := filepath.Join(t.TempDir(), "mallory")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sums.go"), []byte(mallory), 0o644))
	rep, err := Run(t.Context(), fx.book, []Submission{{Student: "mallory", Dir: dir}}, Options{Timeout: timeout})
	require.NoError(t, err)
	rec := rep.Find("mallory", "01-sums")
	require.NotNil(t, rec)
	require.NotEmpty(t, rec.Tasks)
	assert.Equal(t, gotest.Pass, rec.Tasks[0].Status, "task 1: %s %s", rec.Tasks[0].Message, rec.Problem)
	assert.NoFileExists(t, filepath.Join(fx.book.Dir, "labs", "01-sums", "escaped.txt"))
}

// A lab's test may use t.TempDir, which Go 1.26 makes under GOTMPDIR
// when it is set, as it is for the go command grade runs: the sandbox
// lets the test binary write there too (lab 04's task 11, Download, failed
// for every student, its reference included, with "TempDir: mkdir ...:
// permission denied").
func TestTestsTempDirIsWritable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test for a student")
	}
	if r := sandbox.Probe(); r.Missing != "" {
		t.Skipf("this machine lacks layers of the sandbox: %s", r.Missing)
	}
	t.Parallel()
	fx := newFixture(t)
	hidden := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(hidden, "01-sums"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(hidden, "01-sums", "zz_tempdir_test.go"), []byte(`package sums

import (
	"os"
	"path/filepath"
	"testing"
)

// Write a file in the test's own temp dir.
func TestTask4TempDir(t *testing.T) {
	if err := os.WriteFile(filepath.Join(t.TempDir(), "saved.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}
`), 0o644))
	rep, err := Run(t.Context(), fx.book, []Submission{{Student: "solved", Dir: filepath.Join(fx.class, "solved")}},
		Options{Labs: []string{"01"}, Hidden: hidden, Timeout: timeout})
	require.NoError(t, err)
	rec := rep.Find("solved", "01-sums")
	require.NotNil(t, rec)
	require.Len(t, rec.Tasks, 4)
	assert.Equal(t, gotest.Pass, rec.Tasks[3].Status, "task 4: %s %s", rec.Tasks[3].Message, rec.Problem)
}
