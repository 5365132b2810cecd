package workbook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every hint of the book, English and Chinese, fits a screen 40, 60, 80
// and 120 columns wide: its prose is wrapped to the width (with its
// indent), a command it names stays on one line, and a hint of several
// lines (code) is as written.
func TestEveryHintFitsTheScreen(t *testing.T) {
	files, err := filepath.Glob("../../labs/*/hints*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	hints, cmds := 0, 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		require.NoError(t, err)
		tasks, _, err := labs.ParseHints(file, src)
		require.NoError(t, err)
		for task, levels := range tasks {
			for level, text := range levels {
				hints++
				named := commands(text)
				cmds += len(named)
				for _, cols := range []int{40, 60, 80, 120} {
					got := style.Indent(wrapProse(text, cols), hintIndent)
					if strings.Contains(strings.TrimRight(text, "\n"), "\n") {
						assert.Equal(t, style.Indent(text, hintIndent), got, "%s task %d level %d: code is as written", file, task, level+1)
						continue
					}
					// Chinese breaks between characters, with no space.
					assert.Equal(t, strings.Join(strings.Fields(text), ""), strings.Join(strings.Fields(got), ""),
						"%s task %d level %d at %d columns: every character, in order", file, task, level+1, cols)
					for _, line := range strings.Split(strings.TrimRight(got, "\n"), "\n") {
						if style.Cols(line) > cols {
							// Only a word or a command wider than the screen
							// may pass it, alone on its line.
							alone := !strings.Contains(strings.TrimSpace(line), " ")
							for _, c := range named {
								alone = alone || strings.TrimSpace(line) == c
							}
							assert.True(t, alone, "%s task %d level %d: %q is wider than %d columns", file, task, level+1, line, cols)
						}
					}
					for _, c := range named {
						assert.Contains(t, got, c, "%s task %d level %d at %d columns: %q is on one line", file, task, level+1, cols, c)
					}
				}
			}
		}
	}
	t.Logf("%d hints, %d commands in their prose, at 40, 60, 80 and 120 columns", hints, cmds)
	assert.Positive(t, cmds, "the book's hints name commands: the test looks at some")
}

// commands finds a go command in a hint's prose as far as its arguments
// go, whatever follows it.
func TestHintCommands(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Run go test -run Task8 ./labs/03-hello-server shows it alone; most failures", []string{"go test -run Task8 ./labs/03-hello-server"}},
		{"go test -run Task8 ./labs/03-hello-server 只运行这一个任务；", []string{"go test -run Task8 ./labs/03-hello-server"}},
		{"Run it with go test -race too.", []string{"go test -race"}},
		{"用 go test -race 跑一跑。", []string{"go test -race"}},
		{"NETSIM_SEED=7 go test -run '^TestTask5$' ./labs/11-reliable-stream, then", []string{"NETSIM_SEED=7 go test -run '^TestTask5$' ./labs/11-reliable-stream"}},
		{"go test ./labs/08-framing -run='^$' -fuzz=FuzzLineReader.", []string{"go test ./labs/08-framing -run='^$' -fuzz=FuzzLineReader"}},
		{"Hand it to handle in a goroutine (go handle(conn)) and go back.", nil},
		{"go test shows it", []string{"go test"}},
	} {
		assert.Equal(t, tc.want, commands(tc.text), tc.text)
	}
	// At 40 columns the command is whole on a line of its own.
	got := wrapProse("Most failures here are a task's detail: go test -run Task8 ./labs/03-hello-server shows it alone.", 40)
	assert.Contains(t, got, "\ngo test -run Task8 ./labs/03-hello-server\n", got)
}
