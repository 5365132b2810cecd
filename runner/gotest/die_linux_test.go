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
// The test binary reads its own parent-death signal.
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

func TestPdeathsig(t *testing.T) {
	var sig int32
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_GET_PDEATHSIG, uintptr(unsafe.Pointer(&sig)), 0); e != 0 {
		t.Fatal(e)
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
