package gotest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test binaries of a run die with go test (Pdeathsig): killed with
// netbook, go test would otherwise leave a test stuck in a loop running.
// The test binary reads its own parent-death signal, on its main thread:
// the signal is a thread's, and a test run on another thread read 0 (1 run
// in 25 under load).
func TestRunTestBinaryDiesWithGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := t.TempDir()
	write := func(name, src string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("m_test.go", `package m

import (
	"syscall"
	"testing"
	"unsafe"
)

// The parent-death signal is the main thread's (threads made later have
// none): init runs on the main thread, a test may not.
var sig int32
var errno syscall.Errno

func init() {
	_, _, errno = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_GET_PDEATHSIG, uintptr(unsafe.Pointer(&sig)), 0)
}

func TestPdeathsig(t *testing.T) {
	if errno != 0 {
		t.Fatal(errno)
	}
	if syscall.Signal(sig) != syscall.SIGKILL {
		t.Fatalf("parent-death signal %d, want SIGKILL", sig)
	}
}
`)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, Options{Dir: dir, Packages: []string{"."}, Count: 1, Env: []string{"GOWORK=off", "GOFLAGS=-mod=mod"}})
	require.NoError(t, err)
	require.Len(t, rep.Packages, 1)
	p := rep.Packages[0]
	assert.Equal(t, Pass, p.Find("TestPdeathsig").Status, p.Find("TestPdeathsig").Output+rep.Stderr)
}
