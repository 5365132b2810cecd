//go:build unix

package gotest

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/fakego"
)

// A run cancelled while the tests run (Ctrl-C, a killed terminal under
// netbook watch) stops go test gently enough for it to remove its temp
// dir: nothing is left in GOTMPDIR.
func TestRunCancelledLeavesNoTempDir(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	mod := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module slow\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(mod, "slow_test.go"), []byte(`package slow

import (
	"os"
	"os/signal"
	"testing"
)

// TestWaits opens the fifo (which waits for the reader), then waits for
// the interrupt that stops the run, and ends the binary as Ctrl-C would.
func TestWaits(t *testing.T) {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	f, err := os.OpenFile(os.Getenv("SLOW_FIFO"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	<-stop
	os.Exit(1)
}
`), 0o644))
	fifo := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	tmp := t.TempDir()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Options{Dir: mod, Packages: []string{"."}, Env: []string{"GOTMPDIR=" + tmp, "SLOW_FIFO=" + fifo}})
		done <- err
	}()
	// Opening the fifo for reading returns once the test has opened it:
	// the test binary is running, from go test's temp dir.
	opened := make(chan error, 1)
	go func() {
		f, err := os.Open(fifo)
		if err == nil {
			f.Close()
		}
		opened <- err
	}()
	select {
	case err := <-opened:
		require.NoError(t, err)
	case err := <-done:
		t.Fatalf("go test ended before the test ran: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("the test binary did not start within 2 minutes")
	}
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	require.NotEmpty(t, entries, "go test builds in GOTMPDIR")

	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(time.Minute):
		t.Fatal("Run did not return within a minute of its context ending")
	}
	entries, err = os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries, "the go command removed its temp dir before it exited")
}

// A run cancelled while go test still builds (a cold cache: the first
// check of a fresh clone) stops the go command at once, and it leaves its
// work directory (go-build...) behind: so go works in a temp dir of
// netbook's, which the run removes, and none of its children outlive it.
func TestRunCancelledWhileBuildingLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	work, err := fakego.Install(t).Interrupt(func(ctx context.Context) error {
		_, err := Run(ctx, Options{Dir: dir, Packages: []string{"."}})
		return err
	})
	assert.ErrorIs(t, err, context.Canceled)
	require.NotEmpty(t, work, "go test runs with GOTMPDIR set")
	rel, err := filepath.Rel(tmp, work)
	require.NoError(t, err)
	assert.Regexp(t, `^netbook-test-[^/]+$`, filepath.ToSlash(rel), "GOTMPDIR is a temp dir of netbook's, swept should netbook be killed")
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries, "the run removed its temp dir")
}
