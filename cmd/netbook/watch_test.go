package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// liveOutput is an io.Writer that a test can wait on while a command runs.
type liveOutput struct {
	mu   sync.Mutex
	b    strings.Builder
	more chan struct{}
}

func (l *liveOutput) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.b.Write(p)
	l.mu.Unlock()
	select {
	case l.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (l *liveOutput) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *liveOutput) waitFor(t *testing.T, want string) {
	t.Helper()
	l.waitForRegexp(t, regexp.QuoteMeta(want))
}

func (l *liveOutput) waitForRegexp(t *testing.T, want string) {
	t.Helper()
	re := regexp.MustCompile(want)
	deadline := time.After(2 * time.Minute)
	for !re.MatchString(l.String()) {
		select {
		case <-l.more:
		case <-deadline:
			t.Fatalf("watch never printed %q; it printed:\n%s", want, l.String())
		}
	}
}

// TestWatchRerunsOnSave runs netbook watch on a temp copy of lab 01, saves
// the reference solution into it as a student would, and sees the screen
// turn from a failing task to a passing lab; then q ends it.
func TestWatchRerunsOnSave(t *testing.T) {
	root := workTree(t)
	keysR, keysW, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stdin
	os.Stdin = keysR
	t.Cleanup(func() { os.Stdin = old; keysR.Close(); keysW.Close() })

	out := &liveOutput{more: make(chan struct{}, 1)}
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() { done <- run([]string{"watch", "01"}, out, &errOut) }()

	out.waitFor(t, "Task 1 failed (TestTask1ParseEndpoint):")
	out.waitFor(t, "Watching labs/01-addresses: save a file to run the tests again")
	out.waitForRegexp(t, `\] 0 of \d+ labs done`)
	assert.NotContains(t, out.String(), "\x1b[", "not a terminal: plain screens, one after another")

	solve(t, root, "01-addresses")
	out.waitFor(t, "This lab passes! Next: lab 02-first-connection")
	out.waitForRegexp(t, `\] 1 of \d+ labs done`)

	_, err = io.WriteString(keysW, "q\n")
	require.NoError(t, err)
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errOut.String())
	case <-time.After(time.Minute):
		t.Fatal("q did not end netbook watch")
	}
}
