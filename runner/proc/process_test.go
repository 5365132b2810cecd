//go:build unix

package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sh starts a shell script as a child process and stops it when the test
// ends.
func sh(t *testing.T, script string, o Options) *Process {
	t.Helper()
	p, err := Start(t.Context(), "sh", []string{"-c", script}, o)
	require.NoError(t, err)
	t.Cleanup(func() { p.Stop(0) })
	return p
}

var ready = regexp.MustCompile(`^ready (\d+)$`)

func TestMatchThenStopWithSIGINT(t *testing.T) {
	var tee bytes.Buffer
	p := sh(t, `trap 'echo bye; exit 0' INT; echo starting; echo "ready $$"; while :; do sleep 0.05; done`,
		Options{Match: ready, Stdout: &tee})
	m, err := p.Match(t.Context(), 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(p.Pid()), m[1])
	assert.False(t, p.Exited())

	killed, err := p.Stop(30 * time.Second) // far more than a shell needs to run its trap, even on a busy machine
	assert.False(t, killed, "the script exits on SIGINT by itself")
	assert.NoError(t, err)
	assert.Equal(t, 0, p.ExitCode())
	assert.Equal(t, "starting\nready "+m[1]+"\nbye\n", p.Output())
	assert.Equal(t, p.Output(), tee.String(), "every line is copied to Stdout")

	again, err := p.Match(t.Context(), time.Second)
	require.NoError(t, err, "a second Match gets the same line")
	assert.Equal(t, m, again)
}

func TestStopKillsWhatIgnoresSIGINT(t *testing.T) {
	p := sh(t, `trap '' INT; echo "ready $$"; while :; do sleep 0.05; done`, Options{Match: ready})
	_, err := p.Match(t.Context(), 10*time.Second)
	require.NoError(t, err)
	// Stop kills the group once its grace has passed; without the kill the
	// script would run for ever, so a generous bound tells the two apart.
	type stopped struct {
		killed bool
		err    error
	}
	done := make(chan stopped, 1)
	go func() {
		killed, err := p.Stop(200 * time.Millisecond)
		done <- stopped{killed, err}
	}()
	var res stopped
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Stop(200ms) did not return within 30s: it should kill a process that ignores SIGINT once the grace has passed")
	}
	assert.True(t, res.killed)
	assert.Error(t, res.err)
	assert.Equal(t, -1, p.ExitCode(), "killed by a signal")
}

func TestTheWholeGroupStops(t *testing.T) {
	p := sh(t, `sleep 30 & echo "ready $!"; wait`, Options{Match: ready})
	m, err := p.Match(t.Context(), 10*time.Second)
	require.NoError(t, err)
	child, _ := strconv.Atoi(m[1])
	p.Stop(2 * time.Second)
	// The kernel gives no signal that another process has ended: poll, with
	// a bound far above the few milliseconds a killed process takes.
	const bound = 30 * time.Second
	deadline := time.Now().Add(bound)
	for alive(child) {
		require.True(t, time.Now().Before(deadline), "the grandchild %d is still running %v after Stop", child, bound)
		time.Sleep(10 * time.Millisecond)
	}
}

// alive reports whether the process pid runs: it exists and is not a
// zombie waiting for a parent (in a container, PID 1 may never reap it).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(after, "Z")
}

func TestMatchWhenTheChildExitsFirst(t *testing.T) {
	p := sh(t, `echo oops >&2; exit 3`, Options{Match: ready})
	_, err := p.Match(t.Context(), 10*time.Second)
	require.ErrorIs(t, err, ErrExited)
	<-p.Done()
	assert.Equal(t, 3, p.ExitCode())
	assert.Equal(t, "oops\n", p.ErrOutput())
	assert.Equal(t, "", p.Output())

	// A line printed just before exiting still counts.
	p = sh(t, `echo "ready 1"; exit 0`, Options{Match: ready})
	<-p.Done()
	m, err := p.Match(t.Context(), time.Second)
	require.NoError(t, err)
	assert.Equal(t, "1", m[1])
}

func TestMatchGivesUp(t *testing.T) {
	p := sh(t, `sleep 30`, Options{Match: ready})
	_, err := p.Match(t.Context(), 50*time.Millisecond)
	assert.ErrorContains(t, err, "within 50ms")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = p.Match(ctx, time.Minute)
	assert.True(t, errors.Is(err, context.Canceled))
}

func TestWaitKillsAtTheLimit(t *testing.T) {
	p := sh(t, `echo hi; exit 0`, Options{Timeout: 10 * time.Second})
	killed, err := p.Wait()
	assert.False(t, killed)
	assert.NoError(t, err)
	assert.Equal(t, "hi\n", p.Output())

	p = sh(t, `sleep 30`, Options{Timeout: 100 * time.Millisecond})
	killed, _ = p.Wait()
	assert.True(t, killed)
	assert.True(t, p.TimedOut())
}

func TestCancellingTheContextKillsTheGroup(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	p, err := Start(ctx, "sh", []string{"-c", `echo "ready $$"; sleep 30`}, Options{Match: ready})
	require.NoError(t, err)
	_, err = p.Match(t.Context(), 10*time.Second)
	require.NoError(t, err)
	cancel()
	killed, err := p.Wait()
	assert.True(t, killed)
	assert.Error(t, err)
	assert.ErrorIs(t, p.Cause(), context.Canceled)
}

func TestMaxOutputStopsAFlood(t *testing.T) {
	var tee bytes.Buffer
	p := sh(t, `while :; do echo 0123456789; done`, Options{MaxOutput: 100, Combined: true, Stdout: &tee})
	killed, _ := p.Wait()
	assert.True(t, killed)
	assert.True(t, p.Cut())
	assert.ErrorIs(t, p.Cause(), ErrOutputLimit)
	assert.Len(t, p.Output(), 100, "what is kept stops at the limit")
	assert.Equal(t, p.Output(), tee.String(), "and so does the copy")
}

func TestParseListening(t *testing.T) {
	for line, want := range map[string][2]string{
		"listening on tcp 127.0.0.1:41234": {"tcp", "127.0.0.1:41234"},
		"listening on udp [::1]:9":         {"udp", "[::1]:9"},
		"listening on 127.0.0.1:80":        {"", "127.0.0.1:80"},
		"server listening on [::1]:80":     {"", "[::1]:80"},
	} {
		network, addr, err := ParseListening(line)
		require.NoError(t, err, line)
		assert.Equal(t, want, [2]string{network, addr}, line)
	}
	_, _, err := ParseListening("ready")
	assert.Error(t, err)
}

func TestOutputIsKeptUpToTheCap(t *testing.T) {
	var tee bytes.Buffer
	p := sh(t, `i=0; while [ $i -lt 100 ]; do echo 0123456789; i=$((i+1)); done; printf tail`,
		Options{Keep: 25, Stdout: &tee, Timeout: 10 * time.Second})
	p.Wait()
	assert.Equal(t, "0123456789\n0123456789\n012", p.Output())
	assert.Equal(t, strings.Repeat("0123456789\n", 100)+"tail", tee.String(), "the copy has every line, and the unfinished last one")
}

// With a Grace, a cancelled context interrupts the group first, so that a
// child can clean up (the go command removes its temp dir) and exit; one
// that ignores SIGINT is still killed once the grace has passed.
func TestGraceInterruptsBeforeKilling(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	p, err := Start(ctx, "sh", []string{"-c", `trap 'echo cleaned up; exit 0' INT; echo "ready $$"; while :; do sleep 0.05; done`},
		Options{Match: ready, Grace: 30 * time.Second}) // far more than a trap needs
	require.NoError(t, err)
	_, err = p.Match(t.Context(), 10*time.Second)
	require.NoError(t, err)
	cancel()
	killed, _ := p.Wait()
	assert.True(t, killed, "its context ended while it ran")
	assert.Equal(t, 0, p.ExitCode(), "it exited by itself, after its trap")
	assert.Contains(t, p.Output(), "cleaned up")

	ctx, cancel = context.WithCancel(t.Context())
	p, err = Start(ctx, "sh", []string{"-c", `trap '' INT; echo "ready $$"; while :; do sleep 0.05; done`},
		Options{Match: ready, Grace: 100 * time.Millisecond})
	require.NoError(t, err)
	_, err = p.Match(t.Context(), 10*time.Second)
	require.NoError(t, err)
	cancel()
	killed, _ = p.Wait()
	assert.True(t, killed)
	assert.Equal(t, -1, p.ExitCode(), "killed by a signal once the grace passed")
}
