package web

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/workbook"
)

// The status fragment shows what a check found: each task, the first
// failure's message, the analyzers' advice and compile errors, all
// escaped (they quote the student's code).
func TestStatusFragment(t *testing.T) {
	p := &workbook.Lab{Lab: &labs.Lab{Name: "03-hello-server", Tasks: []labs.Task{
		{Number: 1, Test: "TestTask1Welcome", Title: "Welcome each client."},
		{Number: 2, Test: "TestTask2Hello", Title: "Say hello."},
	}}, Status: workbook.InProgress, Passed: 1, Total: 2, Known: true}
	res := &check.Result{Lab: "03-hello-server", Status: check.Failed, Passed: 1, Total: 2,
		Tasks: []check.TaskResult{
			{Number: 1, Title: "Welcome each client.", Status: gotest.Pass},
			{Number: 2, Title: "Say hello.", Status: gotest.Fail},
		},
		Failure:  &check.Failure{Task: 2, Test: "TestTask2Hello", Status: gotest.Fail, Message: `got "<b>hi</b>", want "Hello, Ada!"`},
		Findings: []analysis.Finding{{File: "server.go", Line: 12, Message: "one Read is not one message", Fix: "read lines with bufio.Scanner"}},
	}
	s := New(Options{})
	render := func(v *statusView) string {
		var b bytes.Buffer
		require.NoError(t, templates.ExecuteTemplate(&b, "status", v))
		return b.String()
	}
	out := render(s.statusOf(p, res, lang.English, 3, false))
	for _, want := range []string{
		`data-seq="3" data-state="fail"`,
		`data-badge="1/2"`,
		`data-task="1" data-status="pass"`,
		`data-task="2" data-status="fail"`,
		"1 of 2 tasks",
		"Task 2 failed (TestTask2Hello)",
		`got &#34;&lt;b&gt;hi&lt;/b&gt;&#34;`,
		"<code>server.go:12</code> one Read is not one message",
		"read lines with bufio.Scanner",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "<b>hi</b>", "the message is escaped")

	res = &check.Result{Lab: "03-hello-server", Status: check.BuildFailed, Total: 2,
		Tasks: []check.TaskResult{
			{Number: 1, Title: "Welcome each client.", Status: gotest.BuildFailed},
			{Number: 2, Title: "Say hello.", Status: gotest.BuildFailed},
		},
		BuildErrors: []gotest.Diagnostic{{File: "server.go", Line: 3, Col: 2, Message: "undefined: x"}}}
	out = render(s.statusOf(p, res, lang.Chinese, 4, false))
	assert.Contains(t, out, "server.go:3:2: undefined: x")
	assert.Contains(t, out, lang.Chinese.Sprintf(lang.WatchNoCompile))
	// "The code does not compile:" and then what the compiler said, not
	// the tasks, none of which ran: the error is what to fix first.
	assert.Regexp(t, `(?s)<p class="summary s-buildfail">[^<]*</p>\s*<pre class="out build">server.go:3:2: undefined: x\n</pre>\s*<ol class="tasks">`, out)

	out = render(s.statusOf(p, nil, lang.English, 0, true))
	assert.Contains(t, out, `data-state="running"`)
	assert.Contains(t, out, "Running the tests")
	assert.Contains(t, out, "not checked yet", "tasks not checked are said to be")
}

// The server checks a lab once for the pages of every edition, in the
// edition of whichever page asked first: a page in Chinese shows the
// Chinese task titles (tasks.zh.yaml) whatever edition the check ran in.
func TestStatusFragmentTitlesInThePagesEdition(t *testing.T) {
	zh := &workbook.Lab{Lab: &labs.Lab{Name: "03-hello-server", Tasks: []labs.Task{
		{Number: 1, Test: "TestTask1Welcome", Title: "每个客户端一连上就欢迎它。"},
	}}, Status: workbook.InProgress, Total: 1, Known: true}
	res := &check.Result{Lab: "03-hello-server", Status: check.Failed, Total: 1,
		Tasks: []check.TaskResult{{Number: 1, Title: "Welcome each client.", Status: gotest.Fail}}}
	var b bytes.Buffer
	require.NoError(t, templates.ExecuteTemplate(&b, "status", New(Options{}).statusOf(zh, res, lang.Chinese, 1, false)))
	assert.Contains(t, b.String(), "每个客户端一连上就欢迎它。")
	assert.NotContains(t, b.String(), "Welcome each client.", "a Chinese page shows no English task title")
}

// A check of a lab whose test files the student changed runs the book's
// tests; the page says so, as netbook check does, so that a student who
// edited a test knows why the edit changed nothing.
func TestStatusFragmentSaysWhoseTests(t *testing.T) {
	p := &workbook.Lab{Lab: &labs.Lab{Name: "04-http-client", Tasks: []labs.Task{
		{Number: 1, Test: "TestTask1BuildRequest", Title: "Build the request."},
	}}, Status: workbook.InProgress, Total: 1, Known: true}
	res := &check.Result{Lab: "04-http-client", Status: check.Failed, Total: 1,
		Tasks:         []check.TaskResult{{Number: 1, Status: gotest.Fail}},
		TestsModified: []string{"04-http-client/rawhttp_test.go"},
		OwnTests:      []string{"mine_test.go"}}
	s := New(Options{})
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		var b bytes.Buffer
		require.NoError(t, templates.ExecuteTemplate(&b, "status", s.statusOf(p, res, l, 1, false)))
		out := html.UnescapeString(b.String())
		assert.Contains(t, out, l.Sprintf(lang.TrustModified, "rawhttp_test.go"))
		assert.Contains(t, out, strings.TrimSuffix(l.Sprintf(lang.TrustOwnTests, "mine_test.go"), "\n"))
	}
}
