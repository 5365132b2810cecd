// Package fakego puts a stand-in for the go command on a test's PATH: a
// shell script that starts a child of its own (as the go command starts
// its compilers) and waits. A test of code that runs go can then stop that
// code (cancel its context) once the child runs, and check that the child
// did not outlive the call.
package fakego

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// script holds the FIFO open for writing in the shell and, inherited, in
// its child (a sleep that ignores SIGINT, as a background job of a
// non-interactive shell does): the FIFO reads end of file only once every
// process that holds it has exited.
const script = `#!/bin/sh
exec 3>"$NETBOOK_FAKEGO_FIFO"
sleep 1000 &
echo "started $GOTMPDIR" >&3
exec 3>&-
wait
`

// A Go is the stand-in, installed on PATH for the rest of the test.
type Go struct {
	t      *testing.T
	opened chan *os.File
	fifo   *os.File
	r      *bufio.Reader
}

// Install puts the stand-in first on PATH for the rest of t. Every go
// command the code under test runs is the stand-in, so a test should make
// it run exactly one.
func Install(t *testing.T) *Go {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in go command is a shell script")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("NETBOOK_FAKEGO_FIFO", fifo)
	g := &Go{t: t}
	opened := make(chan *os.File, 1)
	go func() {
		// Opening a FIFO to read waits for its writer: the stand-in.
		f, err := os.Open(fifo)
		if err != nil {
			t.Error(err)
			close(opened)
			return
		}
		opened <- f
	}()
	t.Cleanup(func() {
		// Unblock the open, should the stand-in never have run.
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		if g.fifo != nil {
			g.fifo.Close()
		} else if f := <-opened; f != nil {
			f.Close()
		}
	})
	g.opened = opened
	return g
}

// Started waits (at most a minute) until the stand-in has started its
// child, and returns the GOTMPDIR the stand-in was given ("" for none):
// where the go command would keep its work directory.
func (g *Go) Started() (gotmpdir string) {
	g.t.Helper()
	select {
	case f := <-g.opened:
		if f == nil {
			g.t.Fatal("the stand-in go command's FIFO could not be opened")
		}
		g.fifo, g.r = f, bufio.NewReader(f)
	case <-time.After(time.Minute):
		g.t.Fatal("the code under test did not run the go command within a minute")
	}
	g.fifo.SetReadDeadline(time.Now().Add(time.Minute))
	line, err := g.r.ReadString('\n')
	dir, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "started ")
	if err != nil || !ok {
		g.t.Fatalf("the stand-in go command did not start its child: %q, %v", line, err)
	}
	return dir
}

// Interrupt calls call (code that runs the go command once) with a context
// it cancels as soon as the stand-in has started its child, as Ctrl-C
// would; it waits at most a minute for call to return, fails the test
// unless the child is gone by then (see Gone), and returns the GOTMPDIR
// the stand-in was given ("" for none) and call's error.
func (g *Go) Interrupt(call func(ctx context.Context) error) (gotmpdir string, err error) {
	g.t.Helper()
	ctx, cancel := context.WithCancel(g.t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	gotmpdir = g.Started()
	cancel()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		g.t.Fatal("the call did not return within a minute of its context's end")
	}
	g.Gone()
	return gotmpdir, err
}

// Gone fails the test unless, within 30 seconds, every process the
// stand-in started has exited (call it after the code under test has
// returned).
func (g *Go) Gone() {
	g.t.Helper()
	g.fifo.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := g.r.ReadString('\n'); err == nil || os.IsTimeout(err) {
		g.t.Fatalf("the go command's child still runs after the call returned (%v): a compiler would outlive Ctrl-C", err)
	}
}
