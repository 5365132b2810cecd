package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/linewatch"
	"github.com/netbook/netbook/runner/style"

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

// TestWatchSaysALabWasDoneElsewhere: lab 01 done in another copy of the
// book (netbook progress --import) and its files here the skeleton. watch
// shows its tasks failing and says why, in check's words; the progress
// counts it done, as the dashboard does.
func TestWatchSaysALabWasDoneElsewhere(t *testing.T) {
	workTree(t)
	file := filepath.Join(t.TempDir(), "progress.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"format": "netbook-progress", "version": 1, "exported": "2026-03-02T12:00:00Z",
  "labs": {"01-addresses": {"done": "2026-03-02T12:00:00Z", "files": {"addresses.go": "50ff760a0a2863518221fe892bf9189befab49b1"}}}}`), 0o644))
	code, out, errOut := netbook(t, "progress", "--import", file)
	require.Equal(t, 0, code, out+errOut)
	code, out, _ = netbook(t)
	require.Equal(t, 0, code)
	assert.Regexp(t, `01-addresses\s+done 2 Mar 2026 \(files elsewhere\)`, out)

	keysR, keysW, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stdin
	os.Stdin = keysR
	t.Cleanup(func() { os.Stdin = old; keysR.Close(); keysW.Close() })
	t.Setenv("COLUMNS", "80")
	screen := &linewatch.Text{}
	var errs strings.Builder
	done := make(chan int, 1)
	go func() { done <- run([]string{"watch", "01", "--lang", "zh"}, screen, &errs) }()
	screen.ExpectString(t, watchWait, "任务 1 失败（TestTask1ParseEndpoint）")
	screen.ExpectString(t, watchWait, "q 退出\n") // the screen's last line
	text := screen.String()
	assert.Contains(t, strings.Join(strings.Fields(text), ""), "你在2026年3月2日完成了实验01-addresses，但当时的文件不在你这份副本里：这里的文件还是骨架代码。", text)
	assert.Regexp(t, `\] 已完成 1/\d+ 个实验`, text, "the lab counts as done, as the dashboard says")
	for line := range strings.Lines(text) {
		assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
	}
	_, err = io.WriteString(keysW, "q\n")
	require.NoError(t, err)
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errs.String())
	case <-time.After(time.Minute):
		t.Fatal("q did not end netbook watch")
	}
}
