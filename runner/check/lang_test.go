package check

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/require"
)

// lab01zh is lab01 read in Chinese: its title and tasks' titles as
// README.zh.md and tasks.zh.yaml give them.
func lab01zh() *labs.Lab {
	l := lab01()
	l.Title, l.Lang = "地址与端口", lang.Chinese
	for i := range l.Tasks {
		l.Tasks[i].Title = "关于 " + strings.TrimPrefix(l.Tasks[i].Title, "Task about ") + " 的任务"
	}
	return l
}

// TestWriteTextChinese compares the Chinese report with golden files:
// the runner's words and the tasks' titles in Chinese, the tests' failure
// messages as the tests wrote them (English).
func TestWriteTextChinese(t *testing.T) {
	for _, fixture := range []string{"skeleton.json", "panic.json", "build.json", "pass.json"} {
		t.Run(fixture, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", fixture))
			require.NoError(t, err)
			defer f.Close()
			rep, err := gotest.Parse(f)
			require.NoError(t, err)
			res := Fold(lab01zh(), rep)
			adv := Advice{
				Edit:  []string{"labs/01-addresses/addresses.go"},
				Again: "netbook check 01",
				Hint:  "netbook hint 01",
				Next:  "实验 02-first-connection",
				Lang:  lang.Chinese,
			}
			if res.Status == Passed {
				adv.Compare = "netbook compare 01"
			} else {
				res.TestsModified = []string{"01-addresses/addresses_test.go"}
				res.OwnTests, res.OwnFailed = []string{"mine_test.go"}, []string{"TestMine"}
			}
			var buf bytes.Buffer
			WriteText(&buf, res, style.Style{}, adv)
			golden.Check(t, filepath.Join("testdata", "expected", strings.TrimSuffix(fixture, ".json")+".zh.txt"), buf.String())
		})
	}
}

// The advice's heading is in the reader's language too (the analyzers'
// findings, like the tests' messages, stay in English).
func TestWriteFindingsChinese(t *testing.T) {
	res := &Result{Lab: "07-duplex-chat", Findings: []analysis.Finding{{File: "chat.go", Line: 60, Message: "a write with no deadline"}}}
	var buf bytes.Buffer
	WriteFindings(&buf, res, style.Style{}, lang.Chinese)
	require.Equal(t, "\n对你代码的建议（不影响结果）：\n  labs/07-duplex-chat/chat.go:60: a write with no deadline\n", buf.String())
	res.Status = Passed
	buf.Reset()
	WriteFindings(&buf, res, style.Style{}, lang.Chinese)
	require.Contains(t, buf.String(), "每个任务都通过了")
}
