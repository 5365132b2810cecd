package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

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

// Under a failure's message, the page shows what the student's code
// printed while the test ran, as netbook check does: at most
// check.MaxOutput lines under their heading, escaped, then how many more
// there were and the go test command that shows them all, in the page's
// edition. Code that printed nothing gets no heading.
func TestStatusFragmentShowsWhatTheCodePrinted(t *testing.T) {
	p := &workbook.Lab{Lab: &labs.Lab{Name: "03-hello-server", Tasks: []labs.Task{
		{Number: 1, Test: "TestTask1Welcome", Title: "Welcome each client."},
	}}, Status: workbook.InProgress, Total: 1, Known: true}
	var printed []string
	for i := 1; i <= check.MaxOutput+3; i++ {
		printed = append(printed, fmt.Sprintf("accepted <conn %d> & waiting", i))
	}
	res := func(output string) *check.Result {
		return &check.Result{Lab: "03-hello-server", Status: check.Failed, Total: 1,
			Tasks: []check.TaskResult{{Number: 1, Title: "Welcome each client.", Status: gotest.Fail}},
			Failure: &check.Failure{Task: 1, Test: "TestTask1Welcome/slow_client", Status: gotest.Fail,
				Message: "got no welcome", Output: output}}
	}
	s := New(Options{})
	render := func(r *check.Result, l lang.Lang) string {
		var b bytes.Buffer
		require.NoError(t, templates.ExecuteTemplate(&b, "status", s.statusOf(p, r, l, 1, false)))
		return b.String()
	}
	cmd := check.FullCommand("03-hello-server", "TestTask1Welcome/slow_client")
	require.Equal(t, "cd labs && go test -run '^TestTask1Welcome$' ./03-hello-server", cmd)
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		out := render(res(strings.Join(printed, "\n")+"\n"), l)
		text := html.UnescapeString(out)
		head := strings.TrimRight(l.Sprintf(lang.CheckOutputHead), ":：")
		assert.Contains(t, text, head, l)
		// The message first, then the output, then the line about the rest.
		assert.Regexp(t, `(?s)got no welcome</pre>\s*<p class="out-head">`+regexp.QuoteMeta(head)+`</p>\s*<pre class="out printed">accepted &lt;conn 1&gt; &amp; waiting\n`, out, l)
		assert.Contains(t, text, fmt.Sprintf("accepted <conn %d> & waiting</pre>", check.MaxOutput), "the last line shown")
		assert.NotContains(t, text, fmt.Sprintf("<conn %d>", check.MaxOutput+1), "lines past check.MaxOutput are left out")
		assert.NotContains(t, out, "<conn", "the output is escaped")
		more := l.Sprintf(lang.CheckOutputMore, 3, cmd)
		before, after, _ := strings.Cut(more, cmd)
		assert.Contains(t, text, before+"<code>"+cmd+"</code>"+after, "the count left out and the command, as code")
	}

	// A few lines: all of them, and nothing about more.
	out := html.UnescapeString(render(res("one\ntwo"), lang.English))
	assert.Contains(t, out, `<pre class="out printed">one`+"\ntwo</pre>")
	assert.NotContains(t, out, "more lines left out")
	assert.NotContains(t, out, cmd)

	// Nothing printed (or only blank lines): no heading.
	for _, output := range []string{"", "\n\n  \n"} {
		out = render(res(output), lang.English)
		assert.NotContains(t, out, "out-head", "%q", output)
		assert.NotContains(t, out, lang.English.Sprintf(lang.CheckOutputHead), "%q", output)
	}
}

// What the code printed reaches the page as text it can show: a
// terminal's colours and the line a progress meter rewrote with a
// carriage return as a terminal would show them, and a line a megabyte
// long cut.
func TestFailureOutputPrintable(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	f := &check.Failure{Task: 1, Test: "TestTask1Welcome", Status: gotest.Fail, Message: "m",
		Output: "\n\x1b[31mred\x1b[0m and\tplain\n10%\r50%\r100%\r\n" + long + "\nbell\a"}
	v := failureOf("03-hello-server", f, lang.English)
	lines := strings.Split(v.Output, "\n")
	require.Len(t, lines, 4, "the leading blank line dropped")
	assert.Equal(t, "red and\tplain", lines[0])
	assert.Equal(t, "100%", lines[1])
	assert.Equal(t, strings.Repeat("x", outputMaxLine)+" …", lines[2])
	assert.Equal(t, "bell", lines[3])
	assert.Nil(t, v.More)
}

// An output netbook kept in part (gotest.DefaultKeep: its first half
// and its last lines, and a line that says how many bytes it left out
// between them) reaches the page as the terminal shows it: gotest's line
// is none of the code's, and the note under the lines says what was not
// kept, in the page's edition.
func TestFailureOutputKeptInPart(t *testing.T) {
	var in strings.Builder
	enc := json.NewEncoder(&in)
	for i := range 3000 {
		require.NoError(t, enc.Encode(map[string]string{"Action": "output", "Package": "p", "Test": "TestTask1Welcome",
			"Output": fmt.Sprintf("line %d %s\n", i, strings.Repeat("x", 1000))}))
	}
	rep, err := gotest.ParseKeep(strings.NewReader(in.String()), gotest.DefaultKeep)
	require.NoError(t, err)
	out := rep.Packages[0].Find("TestTask1Welcome").Output
	cut := gotest.LeftOut(out)
	require.Positive(t, cut)
	f := &check.Failure{Task: 1, Test: "TestTask1Welcome", Status: gotest.Fail, Message: "m", Output: out}
	kept := len(strings.Split(strings.TrimRight(out, "\n"), "\n")) - 1 // gotest's line is not the code's
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		v := failureOf("03-hello-server", f, l)
		assert.NotContains(t, v.Output, "left out here")
		require.NotNil(t, v.More)
		cmd := check.FullCommand("03-hello-server", "TestTask1Welcome")
		assert.Equal(t, l.Sprintf(lang.CheckOutputCut, kept-check.MaxOutput, check.Size(l, cut), cmd), v.More.Before+v.More.Cmd+v.More.After, l)
	}
}

// The page says a failure's message in its own edition, as the terminal
// does (Failure.MessageIn): netbook's reason for a time-out in Chinese on
// a Chinese page, and a note when the test said nothing.
func TestFailureMessageInThePagesEdition(t *testing.T) {
	why := lang.English.Sprintf(lang.CheckTimedOutWhy)
	f := &check.Failure{Task: 2, Test: "TestTask2Hello", Status: gotest.TimedOut, Message: why + "\npanic: test timed out"}
	v := failureOf("03-hello-server", f, lang.Chinese)
	assert.Equal(t, lang.Chinese.Sprintf(lang.CheckTimedOutWhy)+"\npanic: test timed out", v.Message)
	assert.NotContains(t, v.Head, "：", "the heading is a paragraph above the message, without its colon")
	assert.Equal(t, why+"\npanic: test timed out", failureOf("03-hello-server", f, lang.English).Message)

	f = &check.Failure{Task: 2, Test: "TestTask2Hello", Status: gotest.Fail}
	assert.Equal(t, lang.Chinese.Sprintf(lang.FailureNoMessage), failureOf("03-hello-server", f, lang.Chinese).Message)
}

// A lab done in another copy of the book (its progress imported, its
// files here the skeleton) has a "done" badge; the tasks the page shows
// are the skeleton's, which fail, and the page says why, as netbook
// compare does, in the page's edition.
func TestStatusFragmentOfALabDoneElsewhere(t *testing.T) {
	at := time.Date(2026, 12, 4, 22, 0, 0, 0, time.Local)
	p := &workbook.Lab{Lab: &labs.Lab{Name: "01-addresses", Tasks: []labs.Task{{Number: 1, Test: "TestTask1Parse", Title: "Parse."}}},
		Status: workbook.Done, Passed: 1, Total: 1, Known: true, DoneAt: at, Elsewhere: true}
	res := &check.Result{Lab: "01-addresses", Status: check.Failed, Total: 1,
		Tasks:   []check.TaskResult{{Number: 1, Title: "Parse.", Status: gotest.Fail}},
		Failure: &check.Failure{Task: 1, Test: "TestTask1Parse", Status: gotest.Fail, Message: "TODO: implement ParseEndpoint (task 1)"}}
	s := New(Options{})
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		var b bytes.Buffer
		require.NoError(t, templates.ExecuteTemplate(&b, "status", s.statusOf(p, res, l, 1, false)))
		out := html.UnescapeString(b.String())
		assert.Contains(t, out, `data-badge-class="st-done"`)
		assert.Contains(t, out, strings.TrimSuffix(l.Sprintf(lang.CompareElsewhere, "01-addresses", l.Day(at)), "\n"), "why a lab done shows failing tasks")
	}

	// Once the files here pass, there is nothing to explain.
	res = &check.Result{Lab: "01-addresses", Status: check.Passed, Passed: 1, Total: 1,
		Tasks: []check.TaskResult{{Number: 1, Title: "Parse.", Status: gotest.Pass}}}
	var b bytes.Buffer
	require.NoError(t, templates.ExecuteTemplate(&b, "status", s.statusOf(p, res, lang.English, 2, false)))
	assert.NotContains(t, b.String(), "not in this copy of the book")
}
