package main

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/linewatch"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// watchWait bounds each wait for a screen: a run of go test on a loaded
// machine.
const watchWait = 2 * time.Minute

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

	out := &linewatch.Text{}
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() { done <- run([]string{"watch", "01"}, out, &errOut) }()

	out.ExpectString(t, watchWait, "Task 1 failed (TestTask1ParseEndpoint):")
	out.Expect(t, watchWait, `\] 0 of \d+ labs done`)
	out.ExpectString(t, watchWait, "Watching labs/01-addresses: save a file to run the tests again")
	assert.NotContains(t, out.String(), "\x1b[", "not a terminal: plain screens, one after another")

	solve(t, root, "01-addresses")
	out.ExpectString(t, watchWait, "This lab passes! Next: lab 02-first-connection")
	out.Expect(t, watchWait, `\] 1 of \d+ labs done`)

	_, err = io.WriteString(keysW, "q\n")
	require.NoError(t, err)
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errOut.String())
	case <-time.After(time.Minute):
		t.Fatal("q did not end netbook watch")
	}
}
