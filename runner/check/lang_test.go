package check

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
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

// trustCases are results whose notes on whose tests ran give every kind of
// reason: a Go test replaced, testdata read from the student's folder (one
// file, two), the book's copies not to be had (no git, a shallow clone),
// test files left out.
func trustCases() []*Result {
	session := "03-hello-server/testdata/crlf.session"
	return []*Result{
		{Lab: "03-hello-server", TestsModified: []string{"03-hello-server/task01_hello_test.go"},
			Unverified: &Reason{Yours: []string{session}},
			LeftOut: []shipped.Left{
				{File: "main_test.go", Why: shipped.Why{Kind: shipped.DeclaresTestMain}},
				{File: "mine_test.go", Why: shipped.Why{Kind: shipped.DeclaresTask, Name: "TestTask9Mine"}},
				{File: "zz_test.go", Why: shipped.Why{Kind: shipped.NotInBook}},
			}},
		{Lab: "03-hello-server", Unverified: &Reason{Yours: []string{session, "03-hello-server/testdata/exit.session"}}},
		{Lab: "03-hello-server", Unverified: &Reason{Unrecoverable: &shipped.UnrecoverableError{
			Files: []string{"03-hello-server/task01_hello_test.go", "nettest/nettest.go"}, Why: shipped.Why{Kind: shipped.NotAClone}}}},
		{Lab: "03-hello-server", Unverified: &Reason{Unrecoverable: &shipped.UnrecoverableError{
			Files: []string{"03-hello-server/task01_hello_test.go"}, Why: shipped.Why{Kind: shipped.NotInHistory, Name: "03-hello-server/task01_hello_test.go"}}}},
		{Lab: "03-hello-server", Unverified: &Reason{Unrecoverable: &shipped.UnrecoverableError{
			Files: []string{"03-hello-server/task01_hello_test.go"}, Why: shipped.Why{Kind: shipped.GitFailed, Name: "fatal: not a valid object name"}}}},
	}
}

// englishRun is three English words in a row: a sentence, not a name.
var englishRun = regexp.MustCompile(`[A-Za-z']+ [A-Za-z']+ [A-Za-z']+`)

// The notes on whose tests ran say their reasons in the reader's language:
// in Chinese, nothing English but the names of files, tests and commands
// (and what git itself said); in English, the words they always had.
func TestTrustNotesInTheReadersLanguage(t *testing.T) {
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		var buf strings.Builder
		for _, res := range trustCases() {
			writeTrust(&buf, TrustNotes(res, l), style.Style{}, 80)
		}
		name := "trust.txt"
		if l == lang.Chinese {
			name = "trust.zh.txt"
			for _, res := range trustCases() {
				for _, n := range TrustNotes(res, l) {
					text := strings.ReplaceAll(n.Text, "fatal: not a valid object name", "") // git's own words
					assert.NotRegexp(t, englishRun, text, "an English sentence in a Chinese note")
				}
			}
		}
		golden.Check(t, filepath.Join("testdata", "expected", name), buf.String())
	}
}

// netbook's own words at the head of a failure's message (why a task
// timed out, or never ran) are in the reader's language; the test's words
// after them stay as the test wrote them.
func TestMessageInTheReadersLanguage(t *testing.T) {
	for _, m := range []*lang.Message{lang.CheckTimedOutWhy, lang.CheckNeverRan} {
		f := &Failure{Message: lang.English.Sprintf(m) + "\npanic: boom\n"}
		assert.Equal(t, lang.Chinese.Sprintf(m)+"\npanic: boom", f.MessageIn(lang.Chinese))
		assert.Equal(t, lang.English.Sprintf(m)+"\npanic: boom", f.MessageIn(lang.English))
	}
	f := &Failure{Message: "got 3, want 4\n"}
	assert.Equal(t, "got 3, want 4", f.MessageIn(lang.Chinese), "the test's words as it wrote them")
	assert.Equal(t, "这个任务根本没有运行：在它之前的某个测试让整个测试程序停了下来（见它上面的消息）。",
		lang.Chinese.Sprintf(lang.CheckNeverRan))
}

// collect's lines about a test's failing cases are in the reader's
// language; the test's own lines, and the cases' names, stay as they are.
func TestCaseLinesInTheReadersLanguage(t *testing.T) {
	fail := func(name, out string) *gotest.Test {
		return &gotest.Test{Name: "TestTask1Parse/" + name, Status: gotest.Fail, Output: out}
	}
	test := &gotest.Test{Name: "TestTask1Parse", Status: gotest.Fail, Subtests: []*gotest.Test{
		fail("empty", "    parse_test.go:10: got 1, want 0\n"),
		fail("one_\"quoted\"", "    parse_test.go:10: got 1, want 0\n"),
		fail("three", "    parse_test.go:10: got 1, want 0\n"),
		fail("silent", ""),
		{Name: "TestTask1Parse/passes", Status: gotest.Pass},
	}}
	msg, _ := collect(test, "")
	assert.Equal(t, `case "empty":
parse_test.go:10: got 1, want 0
cases "one \"quoted\"" and "three" failed the same way.
case "silent": failed`, msg, "the English, as check has always written it")
	f := &Failure{Message: msg}
	assert.Equal(t, `用例 "empty"：
parse_test.go:10: got 1, want 0
用例 "one \"quoted\""、"three" 也以同样的方式失败。
用例 "silent"：失败`, f.MessageIn(lang.Chinese))
	assert.Equal(t, msg, f.MessageIn(lang.English))

	one := &Failure{Message: `case "a":` + "\n" + `x_test.go:1: case "b": is the test's own line` + "\n" + `case "c" failed the same way.`}
	assert.Equal(t, `用例 "a"：`+"\n"+`x_test.go:1: case "b": is the test's own line`+"\n"+`用例 "c" 也以同样的方式失败。`, one.MessageIn(lang.Chinese))
}
