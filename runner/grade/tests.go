package grade

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// testRun is one go test of one lab with one set of a student's files.
type testRun struct {
	Root    string        // where go runs: the book's root
	Package string        // "./labs/03-hello-server"
	Overlay string        // the overlay file, absolute
	Run     string        // go test -run, when not ""
	Timeout time.Duration // go test -timeout: the tests' own time
	Limit   time.Duration // the whole run's, building included
	Race    bool
	Env     []string // added to the pared-down environment
	Keep    int      // bytes of each test's output to keep
	TempDir string   // the go command's temp files (GOTMPDIR), removed by the caller
	Read    []string // what the test binary may read, besides itself and system files (the sandbox)
	// Seq, when not nil, reads the events as they stream by.
	Seq *sequence
}

// sandboxLimits bound each test binary a grade runs: a student's code talks to
// loopback only, writes only in its own temp dir, and has the snippets'
// limits (sandbox.Default), with more open files for the labs' tests of
// many clients, and CPU time for the whole run on every core.
func sandboxLimits(limit time.Duration) sandbox.Limits {
	l := sandbox.Default
	l.OpenFiles = 4096
	l.CPU = max(l.CPU, 2*limit)
	return l
}

// started, when a test sets it, is told each go command's pid and gets
// its output to pass on, to see what is running.
var started func(pid int, out io.Reader) io.Reader

// errLimit is runTests's error when the whole run passed its Limit.
var errLimit = errors.New("the run passed its time limit")

// runTests runs go test -json for one lab with a student's files and folds
// its output. It is the only place where grade starts a student's code, so
// that a sandbox (a network namespace, resource limits) can be put around
// it here (proc's Options.Setup). The go command runs through runner/proc,
// in a process group of its own, with the environment childEnv gives; when
// ctx is done or Limit passes, the whole group (go, the test binary and
// anything the student's code started) is killed, and the report holds
// what arrived until then, with errLimit or ctx's error.
func runTests(ctx context.Context, t testRun) (*gotest.Report, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, t.Limit, errLimit)
	defer cancel()
	args := []string{"test", "-json", "-overlay", t.Overlay, "-timeout", t.Timeout.String()}
	if t.Race {
		args = append(args, "-race")
	}
	if t.Run != "" {
		args = append(args, "-run", t.Run)
	}
	args = append(args, t.Package)
	env := append(childEnv(os.Environ()), "GOTMPDIR="+t.TempDir, "GORACE=atexit_sleep_ms=0")
	// Each test binary runs through netbook's sandbox (go test -exec), in
	// a temp dir of its own, TMPDIR. It may write in the whole of
	// t.TempDir: the test binary inherits GOTMPDIR, where Go 1.26's
	// t.TempDir makes its directories (lab 04's tests use it). That is
	// the go command's work for this run alone, removed after it.
	run := filepath.Join(t.TempDir, "run")
	if err := os.Mkdir(run, 0o755); err != nil {
		return nil, err
	}
	if xprog, sbEnv, ok := sandbox.ExecFlag(sandbox.Options{Dir: t.TempDir, Read: t.Read, Limits: sandboxLimits(t.Limit)}); ok {
		args = append(args, "-exec", xprog)
		env = append(env, sbEnv, "TMPDIR="+run)
	}
	// The JSON events stream through a pipe into the parser, which keeps
	// a bounded part of each test's output; proc keeps only what it needs
	// of the stream for itself. The standard error is capped.
	pr, pw := io.Pipe()
	stderr := &capped{max: 64 << 10}
	p, err := proc.Start(ctx, "go", args, proc.Options{
		Dir:    t.Root,
		Env:    append(env, t.Env...),
		Stdout: pw,
		Stderr: stderr,
		Keep:   4 << 10,
	})
	if err != nil {
		return nil, fmt.Errorf("unable to run go test (is Go installed and on PATH?): %w", err)
	}
	go func() {
		p.Wait()
		pw.Close()
	}()
	var stdout io.Reader = pr
	if t.Seq != nil {
		stdout = io.TeeReader(stdout, t.Seq)
	}
	if started != nil {
		stdout = started(p.Pid(), pr)
	}
	rep, perr := gotest.ParseKeep(stdout, t.Keep)
	pr.Close()          // after a parse error, the rest is not wanted
	_, werr := p.Wait() // proc kills whatever the student's code left in the group
	if rep == nil {
		rep = &gotest.Report{}
	}
	rep.Stderr = stderr.String()
	switch {
	case ctx.Err() != nil:
		return rep, context.Cause(ctx)
	case perr != nil:
		return rep, perr
	}
	var exit *exec.ExitError
	if werr != nil && !errors.As(werr, &exit) {
		return rep, fmt.Errorf("go test: %w", werr)
	}
	return rep, nil
}

// childEnv keeps what the go command and a lab's tests need from env: the
// Go toolchain's settings, where things are, the locale. Everything else
// (an instructor's tokens and keys) stays out of a student's code's reach.
func childEnv(env []string) []string {
	keep := []string{"PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TEMP", "TMP", "LANG", "TZ", "NO_COLOR",
		"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "SYSTEMROOT", "SYSTEMDRIVE", "USERPROFILE", "LOCALAPPDATA", "APPDATA",
		"PROGRAMDATA", "COMSPEC", "PATHEXT", "WINDIR"}
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "GO") && k != "GOTMPDIR" && k != "GORACE",
			strings.HasPrefix(k, "CGO_"), strings.HasPrefix(k, "LC_"),
			stringsContainsFold(keep, k):
			out = append(out, kv)
		}
	}
	return out
}

func stringsContainsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}

// capped keeps the first max bytes written to it (proc copies the
// standard error to it a line at a time), and says how much it left out.
type capped struct {
	max  int
	b    strings.Builder
	lost int
}

func (c *capped) Write(p []byte) (int, error) {
	n := min(max(c.max-c.b.Len(), 0), len(p))
	c.b.Write(p[:n])
	c.lost += len(p) - n
	return len(p), nil
}

func (c *capped) String() string {
	if c.lost > 0 {
		return c.b.String() + "\n... (" + strconv.Itoa(c.lost) + " more " + style.Plural(c.lost, "byte", "bytes") + " left out)\n"
	}
	return c.b.String()
}
