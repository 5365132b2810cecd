package check

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lab01 is lab 01-addresses as it was when the fixtures were recorded with
// go test -json (the fixtures name /work/main as the work tree).
func lab01() *labs.Lab {
	l := &labs.Lab{Name: "01-addresses", Number: 1, Dir: "/work/main/labs/01-addresses"}
	l.Title = "Addresses and ports"
	for i, name := range []string{"ParseEndpoint", "FormatEndpoint", "Classify", "LookupPort", "LoopbackAddrs", "ListenLoopback"} {
		l.Tasks = append(l.Tasks, labs.Task{Number: i + 1, Test: "TestTask" + string(rune('1'+i)) + name, Title: "Task about " + name, File: "addresses_test.go"})
	}
	return l
}

func fold(t *testing.T, fixture string) *Result {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", fixture))
	require.NoError(t, err)
	defer f.Close()
	rep, err := gotest.Parse(f)
	require.NoError(t, err)
	return Fold(lab01(), rep)
}

func TestFoldSkeleton(t *testing.T) {
	res := fold(t, "skeleton.json")
	assert.Equal(t, Failed, res.Status)
	assert.Equal(t, 0, res.Passed)
	assert.Equal(t, 6, res.Total)
	require.NotNil(t, res.Failure)
	assert.Equal(t, 1, res.Failure.Task)
	assert.Contains(t, res.Failure.Message, "TODO: implement ParseEndpoint (task 1)")
	assert.Contains(t, res.Failure.Message, `ParseEndpoint("127.0.0.1:9999") returned an error`)
	assert.NotContains(t, res.Failure.Message, "Error Trace", "file traces are noise for a student")
	assert.NotContains(t, res.Failure.Message, "--- FAIL")
}

// A test binary that ends well before any test starts (os.Exit(0) in the
// student's init) points at the student's code, not at the test file.
func TestFoldNoTestRan(t *testing.T) {
	rep := &gotest.Report{Packages: []*gotest.Package{{ImportPath: "labs/01-addresses", Status: gotest.Pass}}}
	res := Fold(lab01(), rep)
	assert.Equal(t, Failed, res.Status)
	require.NotNil(t, res.Failure)
	assert.Contains(t, res.Failure.Message, "the test binary ended before any test started")
	assert.Contains(t, res.Failure.Message, "os.Exit")
	assert.NotContains(t, res.Failure.Message, "is the test still in")
}

func TestFoldPanic(t *testing.T) {
	res := fold(t, "panic.json")
	assert.Equal(t, 2, res.Passed, "tasks 1 and 2 pass")
	require.NotNil(t, res.Failure)
	assert.Equal(t, 3, res.Failure.Task)
	assert.Equal(t, gotest.Fail, res.Failure.Status)
	assert.Contains(t, res.Failure.Message, "panic: TODO: IPv6")
	assert.Contains(t, res.Failure.Message, "at labs/01-addresses/addresses.go:", "point at the student's line, not the stack")
	assert.NotContains(t, res.Failure.Message, "goroutine ")
	for _, task := range res.Tasks[3:] {
		assert.Equal(t, gotest.NotRun, task.Status, "a panic stops the test binary: task %d never ran", task.Number)
	}
}

func TestFoldBuildFailure(t *testing.T) {
	res := fold(t, "build.json")
	assert.Equal(t, BuildFailed, res.Status)
	require.Len(t, res.BuildErrors, 1)
	assert.Equal(t, "labs/01-addresses/extra.go:3:24: too many return values\n\thave (number)\n\twant ()", res.BuildErrors[0].String())
	assert.Nil(t, res.Failure, "a compile error is not a failing task")
}

func TestFoldPass(t *testing.T) {
	res := fold(t, "pass.json")
	assert.Equal(t, Passed, res.Status)
	assert.Equal(t, 6, res.Passed)
	assert.Nil(t, res.Failure)
}

func TestFoldTimeout(t *testing.T) {
	l := &labs.Lab{Name: "x", Dir: "/x", Tasks: []labs.Task{{Number: 1, Test: "TestTask1Pass"}, {Number: 2, Test: "TestTask2Fail"}, {Number: 3, Test: "TestTask3Panic"}, {Number: 4, Test: "TestTask4Never"}}}
	f, err := os.Open("../gotest/testdata/timeout.json")
	require.NoError(t, err)
	defer f.Close()
	rep, err := gotest.Parse(f)
	require.NoError(t, err)
	res := Fold(l, rep)
	assert.Equal(t, gotest.TimedOut, res.Tasks[3].Status, "the hung test is reported as timed out, by name")
	assert.Equal(t, 2, res.Failure.Task, "the first task that did not pass is explained")
}

// Go runs a lab's tests in the order of their files: when a task whose
// test comes first in the files hangs (lab 11's task 6 did, in
// conn_test.go, before its files were named in task order), the tasks
// with smaller numbers never run. The task that hung is
// explained, not task 1, which has nothing to say.
func TestFoldTimeoutBeforeEarlierTasks(t *testing.T) {
	rep := &gotest.Report{Packages: []*gotest.Package{{ImportPath: "labs/11-reliable-stream", Status: gotest.Fail, TimedOut: true, Tests: []*gotest.Test{
		{Name: "TestTask2Conn", Status: gotest.TimedOut, Output: "panic: test timed out after 2m0s\n"},
	}}}}
	l := &labs.Lab{Name: "11-reliable-stream", Dir: "/x", Tasks: []labs.Task{{Number: 1, Test: "TestTask1Segments"}, {Number: 2, Test: "TestTask2Conn"}, {Number: 3, Test: "TestTask3Stream"}}}
	res := Fold(l, rep)
	assert.Equal(t, gotest.NotRun, res.Tasks[0].Status)
	assert.Equal(t, gotest.TimedOut, res.Tasks[1].Status)
	require.NotNil(t, res.Failure)
	assert.Equal(t, 2, res.Failure.Task, "the task that hung is explained, not task 1, which never ran")
	assert.Contains(t, res.Failure.Message, "did not finish before the time limit")
}

// A table of cases that fail alike (lab 07's task 2 fails the same way
// straight, cut into pieces and joined) names each case and prints the
// message once, not three times with nothing to tell them apart.
func TestFoldSubtestsFailingAlike(t *testing.T) {
	msg := "    chat_test.go:67: waiting for Chat to print the peer's line: nothing was printed within 2s\n"
	rep := &gotest.Report{Packages: []*gotest.Package{{ImportPath: "labs/07-duplex-chat", Status: gotest.Fail, Tests: []*gotest.Test{
		{Name: "TestTask1Send", Status: gotest.Pass},
		{Name: "TestTask2Receive", Status: gotest.Fail, Subtests: []*gotest.Test{
			{Name: "TestTask2Receive/straight", Status: gotest.Fail, Output: msg},
			{Name: "TestTask2Receive/cut_into_1-byte_pieces", Status: gotest.Fail, Output: msg},
			{Name: "TestTask2Receive/ok_case", Status: gotest.Pass, Output: "    chat_test.go:1: fine\n"},
			{Name: "TestTask2Receive/joined_into_one_piece", Status: gotest.Fail, Output: msg},
			{Name: "TestTask2Receive/with_a_CR", Status: gotest.Fail, Output: "    chat_test.go:70: printed \"a\\r\\n\"\n"},
		}},
	}}}}
	l := &labs.Lab{Name: "07-duplex-chat", Dir: "/x", Tasks: []labs.Task{{Number: 1, Test: "TestTask1Send"}, {Number: 2, Test: "TestTask2Receive"}}}
	res := Fold(l, rep)
	require.NotNil(t, res.Failure)
	assert.Equal(t, `case "straight":
chat_test.go:67: waiting for Chat to print the peer's line: nothing was printed within 2s
cases "cut into 1-byte pieces" and "joined into one piece" failed the same way.
case "with a CR":
chat_test.go:70: printed "a\r\n"`, res.Failure.Message)
}

// TestWriteText compares the terminal report with golden files.
func TestWriteText(t *testing.T) {
	for _, fixture := range []string{"skeleton.json", "panic.json", "build.json", "pass.json"} {
		t.Run(fixture, func(t *testing.T) {
			res := fold(t, fixture)
			var buf bytes.Buffer
			WriteText(&buf, res, style.Style{}, Advice{
				Edit:  []string{"labs/01-addresses/addresses.go"},
				Again: "netbook check 01",
				Hint:  "netbook hint 01",
				Next:  "lab 02-first-connection",
			})
			golden.Check(t, filepath.Join("testdata", "expected", strings.TrimSuffix(fixture, ".json")+".txt"), buf.String())
		})
	}
}

// Findings print one per line with the fix beneath, as go vet does: no
// blank line after each fix, and one blank line before what follows.
func TestWriteTextFindings(t *testing.T) {
	res := fold(t, "skeleton.json")
	res.Findings = []analysis.Finding{
		{File: "addresses.go", Line: 3, Message: "a write with no deadline", Fix: "set one"},
		{File: "addresses.go", Line: 9, Message: "one Read is not one message", Fix: "use bufio"},
	}
	var buf bytes.Buffer
	WriteText(&buf, res, style.Style{}, Advice{Edit: []string{"labs/01-addresses/addresses.go"}, Again: "netbook check 01"})
	assert.Contains(t, buf.String(), "Advice on your code (it does not change the result):\n"+
		"  labs/01-addresses/addresses.go:3: a write with no deadline\n    → set one\n"+
		"  labs/01-addresses/addresses.go:9: one Read is not one message\n    → use bufio\n"+
		"\nEdit labs/01-addresses/addresses.go")
}

func TestResultJSON(t *testing.T) {
	res := fold(t, "panic.json")
	data, err := json.Marshal(res)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, "fail", back["status"])
	assert.EqualValues(t, 2, back["passed"])
	assert.Len(t, back["tasks"], 6)
}

// Tasks runs only the tasks asked for: the result has theirs alone and
// passes when they do, which is what a grading step of one task needs.
func TestRunOnlySomeTasks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	r := testkit.Pristine(t, testkit.Only("01"))
	l := testkit.Lab(t, r, "01-addresses")
	ctx := context.Background()

	res, err := Run(ctx, r, l, Options{Tasks: []int{2, 1}})
	require.NoError(t, err)
	assert.Equal(t, Failed, res.Status, "the skeleton fails")
	assert.Equal(t, 2, res.Total)
	require.Len(t, res.Tasks, 2)
	assert.Equal(t, []int{1, 2}, []int{res.Tasks[0].Number, res.Tasks[1].Number}, "in the lab's order")

	solution, err := l.SolutionFiles()
	require.NoError(t, err)
	res, err = Run(ctx, r, l, Options{Tasks: []int{2}, Overlay: solution})
	require.NoError(t, err)
	assert.Equal(t, Passed, res.Status, "task 2 passes on the solution: %+v", res)
	assert.Equal(t, 1, res.Passed)

	_, err = Run(ctx, r, l, Options{Tasks: []int{99}})
	assert.ErrorContains(t, err, "has no task 99")
}

// TestWriteTextFirstDone: the first time a lab passes, the report points
// to the reference; the golden pass.txt, without Compare, does not.
func TestWriteTextFirstDone(t *testing.T) {
	res := fold(t, "pass.json")
	var buf bytes.Buffer
	WriteText(&buf, res, style.Style{}, Advice{Compare: "netbook compare 01", Next: "lab 02-first-connection"})
	assert.Contains(t, buf.String(), "Done! See how the book's reference solution does it, next to yours:\n  netbook compare 01\nNext: lab 02-first-connection\n")
}

// A check of some tasks (--task) counts the tasks it ran, and says so:
// "all 1 tasks pass" or "0 of 1 tasks" would read as the lab's count.
func TestWriteTextOnlySomeTasks(t *testing.T) {
	res := &Result{Lab: "02-first-connection", Title: "A first connection", Status: Passed, Passed: 1, Total: 1,
		Tasks: []TaskResult{{Number: 2, Title: "Keep reading", Status: gotest.Pass}}}
	for _, tc := range []struct {
		l    lang.Lang
		want string
	}{
		{lang.English, "02-first-connection · A first connection · --task 2: 1 of 1 pass\n"},
		{lang.Chinese, "02-first-connection · A first connection · --task 2：通过 1/1 个\n"},
	} {
		var buf bytes.Buffer
		WriteText(&buf, res, style.Style{}, Advice{Only: "2", Again: "netbook check 02 --task 2", Lang: tc.l})
		assert.Contains(t, buf.String(), tc.want)
		assert.NotContains(t, buf.String(), "all 1 tasks")
	}
	res.Status, res.Passed, res.Tasks[0].Status = Failed, 0, gotest.Fail
	var buf bytes.Buffer
	WriteText(&buf, res, style.Style{}, Advice{Only: "2", Again: "netbook check 02 --task 2"})
	assert.Contains(t, buf.String(), "· --task 2: 0 of 1 pass\n")
}

// A changed testdata file cannot be replaced by the book's copy for the
// run (go test -overlay only reaches the compiler; the tests open the
// student's copy): a lab that passes that way is Unverified, and the
// result says which file and how to put the book's back. A changed Go
// test is still replaced, and named in TestsModified.
func TestRunChangedTestdata(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	r := testkit.Clone(t, testkit.Only("03"))
	l := testkit.Lab(t, r, "03-hello-server")
	solution, err := l.SolutionFiles()
	require.NoError(t, err)
	ctx := context.Background()

	// A one-client-at-a-time server fails the interleaved session; a
	// student who copies an easier session over it must not pass for it.
	session := filepath.Join(l.Dir, "testdata", "interleaved.session")
	easy, err := os.ReadFile(filepath.Join(l.Dir, "testdata", "one-client.session"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(session, easy, 0o644))

	res, err := Run(ctx, r, l, Options{Overlay: solution})
	require.NoError(t, err)
	assert.Equal(t, Unverified, res.Status, "a pass on a changed session is not the book's: %+v", res)
	assert.Equal(t, []string{"03-hello-server/testdata/interleaved.session"}, res.Unverified.Yours)
	assert.Contains(t, res.Unverified.String(), "git checkout -- labs/03-hello-server/testdata/interleaved.session")
	assert.Empty(t, res.TestsModified, "the session was not replaced, so it is not listed as replaced")

	require.NoError(t, os.Remove(session))
	res, err = Run(ctx, r, l, Options{Overlay: solution})
	require.NoError(t, err)
	assert.Equal(t, Unverified, res.Status, "a deleted session is not the book's either: %+v", res)

	var text bytes.Buffer
	WriteText(&text, res, style.Style{}, Advice{})
	assert.Contains(t, text.String(), "interleaved.session")
}

// On an 80-column terminal, or in a pipe, a long task title wraps under
// itself and the "Edit ..." advice of a lab of several files wraps too:
// no line of the report's own is wider than the screen.
func TestWriteTextFitsTheWidth(t *testing.T) {
	long := "Lines as nc and telnet send them: \"\\r\\n\" ends a line too, and an empty line is an empty name."
	res := &Result{Lab: "04-http-client", Title: "An HTTP client by hand", Status: Failed, Total: 2, Passed: 1,
		Tasks: []TaskResult{
			{Number: 1, Title: "Build the request bytes.", Status: gotest.Pass},
			{Number: 10, Title: long, Status: gotest.Fail},
		},
		Failure: &Failure{Task: 10, Test: "TestTask10", Status: gotest.Fail, Message: "short"},
		// The notes on whose tests ran are the report's own lines too.
		TestsModified: []string{"04-http-client/rawhttp_test.go"},
		LeftOut:       []shipped.Left{{File: "mine_test.go", Why: shipped.Why{Kind: shipped.DeclaresTask, Name: "TestTask3Mine"}}},
	}
	adv := Advice{
		Edit:  []string{"labs/04-http-client/request.go", "labs/04-http-client/response.go", "labs/04-http-client/client.go"},
		Again: "netbook check 04",
		Hint:  "netbook hint 04",
	}
	for _, width := range []int{0, 80, 60} {
		var buf strings.Builder
		adv.Width = width
		WriteText(&buf, res, style.Style{}, adv)
		out := buf.String()
		limit := width
		if limit == 0 {
			limit = DefaultWidth
		}
		for line := range strings.Lines(out) {
			assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), limit, "width %d: %q", width, line)
		}
		assert.Contains(t, out, "  ✗ 10  Lines as nc", "the mark and number start the task's first line")
		assert.Contains(t, strings.Join(strings.Fields(out), " "), long, "the whole title, wrapped")
		assert.Contains(t, out, "then run:\n  netbook check 04\n", "the command keeps a line of its own")
		assert.Contains(t, strings.Join(strings.Fields(out), " "),
			"Your copy of rawhttp_test.go differs from the book's; these results use the book's tests.", "the whole note, wrapped")
	}
}

// A note that gives a command to copy is wrapped around the command, never
// inside it: a command broken over two lines runs as two.
func TestWriteTextKeepsTheCommandOfANoteWhole(t *testing.T) {
	cmd := "git checkout -- labs/02-first-connection/testdata/welcome.session labs/02-first-connection/testdata/one-after-another.session"
	res := &Result{Lab: "02-first-connection", Title: "A first connection", Status: Failed, Total: 1,
		Tasks:      []TaskResult{{Number: 1, Title: "Connect.", Status: gotest.Fail}},
		Unverified: &Reason{Yours: []string{"02-first-connection/testdata/welcome.session", "02-first-connection/testdata/one-after-another.session"}},
	}
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		var buf strings.Builder
		WriteText(&buf, res, style.Style{}, Advice{Width: 80, Lang: l})
		out := buf.String()
		assert.Contains(t, out, "\n"+cmd, "%s: the command on a line of its own, whole:\n%s", l, out)
		for line := range strings.Lines(out) {
			if !strings.Contains(line, cmd) {
				assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%s: %q", l, line)
			}
		}
	}
	// Inside the lab's folder, the command names the files from there
	// (workbook's Advice.Path says a path from where the student is).
	var buf strings.Builder
	WriteText(&buf, res, style.Style{}, Advice{Width: 80, Path: func(p string) string {
		return strings.TrimPrefix(p, "labs/02-first-connection/")
	}})
	assert.Contains(t, buf.String(), "\ngit checkout -- testdata/welcome.session testdata/one-after-another.session")
	assert.NotContains(t, buf.String(), "labs/02-first-connection/testdata")
}

// A failure longer than the report shows ends with the command that prints
// all of it, one that works from the work tree's root: the labs are a
// module of their own.
func TestWriteTextLongFailureSaysHowToSeeAll(t *testing.T) {
	res := &Result{Lab: "07-duplex-chat", Title: "Two-way chat", Status: Failed, Total: 2, Passed: 1,
		Tasks:   []TaskResult{{Number: 1, Status: gotest.Pass}, {Number: 2, Status: gotest.Fail}},
		Failure: &Failure{Task: 2, Test: "TestTask2/peer_leaves", Status: gotest.Fail, Message: strings.Repeat("a line\n", 50)},
	}
	var buf strings.Builder
	WriteText(&buf, res, style.Style{}, Advice{Again: "netbook check 07"})
	assert.Contains(t, buf.String(), "  ... (10 more lines: cd labs && go test -run '^TestTask2$' ./07-duplex-chat\n  prints all of it)",
		"the note wrapped to 80 columns, the command whole")
}

// The go command reads more than netbook's arguments: GOFLAGS (from the
// environment, or go env -w) and the work tree's go.work. A student who
// maps the skeleton to the reference with GOFLAGS=-overlay=..., or edits
// go.work (which labs/book.sum does not cover), must not change what a
// check compiles.
func TestRunIgnoresGOFLAGSAndTheTreesGoWork(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	r := testkit.Pristine(t, testkit.Only("01"))
	l := testkit.Lab(t, r, "01-addresses")
	solution, err := l.SolutionFiles()
	require.NoError(t, err)
	ctx := context.Background()

	ov, err := gotest.WriteOverlay(t.TempDir(), solution)
	require.NoError(t, err)
	t.Setenv("GOFLAGS", "-overlay="+ov)
	res, err := Run(ctx, r, l, Options{Tasks: []int{1}})
	require.NoError(t, err)
	assert.Equal(t, Failed, res.Status, "the skeleton passed through an -overlay in GOFLAGS: %+v", res)

	env := filepath.Join(t.TempDir(), "env")
	require.NoError(t, os.WriteFile(env, []byte("GOFLAGS=-overlay="+ov+"\n"), 0o644))
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOENV", env)
	res, err = Run(ctx, r, l, Options{Tasks: []int{1}})
	require.NoError(t, err)
	assert.Equal(t, Failed, res.Status, "the skeleton passed through an -overlay set with go env -w: %+v", res)

	work := filepath.Join(r.Dir, "go.work")
	require.NoError(t, os.WriteFile(work, []byte("go 1.26.0\n\nuse (\n\t.\n\t./labs\n\t./elsewhere\n)\n"), 0o644))
	res, err = Run(ctx, r, l, Options{Tasks: []int{1}, Overlay: solution})
	require.NoError(t, err, "the tree's go.work is not the book's and is not read")
	assert.Equal(t, Passed, res.Status, "%+v", res)
}

// When the code does not compile, nothing ran, the student's own tests
// neither: the note says they are compiled with the book's, not that they
// ran.
func TestTrustNotesOwnTestsThatDidNotCompile(t *testing.T) {
	res := &Result{Lab: "03-hello-server", Status: BuildFailed, OwnTests: []string{"mine_test.go"}}
	for l, want := range map[lang.Lang]string{
		lang.English: "Your own tests in mine_test.go are compiled with the book's; they do not count toward the tasks.",
		lang.Chinese: "你自己在 mine_test.go 里写的测试和本书的测试一起编译；它们不计入任务。",
	} {
		assert.Equal(t, []TrustNote{{Text: want}}, TrustNotes(res, l))
	}
	res.Status = Failed
	assert.Equal(t, []TrustNote{{Text: "Your own tests in mine_test.go ran too; they do not count toward the tasks."}}, TrustNotes(res, lang.English))
}

// A compile error in one of the book's test files means the student's code
// no longer declares what the tests call: the report says so, and to change
// the code, not the test. An error in the student's code, or in a test file
// of their own, gets no such note.
func TestWriteTextBuildErrorInTheBooksTests(t *testing.T) {
	undefined := gotest.Diagnostic{File: "labs/04-http-client/rawhttp_test.go", Line: 79, Col: 15, Message: "undefined: ParseURL"}
	mine := gotest.Diagnostic{File: "labs/04-http-client/mine_test.go", Line: 3, Col: 2, Message: "undefined: helper"}
	code := gotest.Diagnostic{File: "labs/04-http-client/request.go", Line: 5, Col: 1, Message: "syntax error"}
	for _, c := range []struct {
		errs []gotest.Diagnostic
		own  []string
		want string
	}{
		{errs: []gotest.Diagnostic{undefined}, want: "rawhttp_test.go"},
		{errs: []gotest.Diagnostic{mine, undefined}, own: []string{"mine_test.go"}, want: "rawhttp_test.go"},
		{errs: []gotest.Diagnostic{mine}, own: []string{"mine_test.go"}},
		{errs: []gotest.Diagnostic{code}},
	} {
		res := &Result{Lab: "04-http-client", Title: "An HTTP client by hand", Status: BuildFailed, BuildErrors: c.errs, OwnTests: c.own}
		assert.Equal(t, c.want, BookTestError(res), "%v", c.errs)
		for _, l := range []lang.Lang{lang.English, lang.Chinese} {
			var buf bytes.Buffer
			WriteText(&buf, res, style.Style{}, Advice{Again: "netbook check 04", Lang: l})
			out := buf.String()
			note := map[lang.Lang]string{lang.English: "change your code, not the test", lang.Chinese: "该改的是你的代码，不是测试"}[l]
			if c.want == "" {
				assert.NotContains(t, strings.ReplaceAll(out, "\n", " "), note, "%v", c.errs)
				continue
			}
			assert.Contains(t, out, "\n"+c.want+" ", "%s: the note names the test file", l)
			assert.Contains(t, strings.ReplaceAll(out, "\n", " "), note, "%s", l)
			for line := range strings.Lines(out) {
				assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), DefaultWidth, "%s: %q", l, line)
			}
		}
	}
	res := &Result{Lab: "04-http-client", Status: Failed, BuildErrors: []gotest.Diagnostic{undefined}}
	assert.Empty(t, BookTestError(res), "only a build that failed")
}

// What the code printed while a test ran (fmt.Println, log.Printf) comes
// in go test -json's stream mixed with what the test said; only the
// testing package indents its lines and starts them with file:line. The
// message is the test's alone, in its order; the prints go to Output.
func TestFoldSeparatesTheTestsWordsFromTheCodesPrints(t *testing.T) {
	out := "=== RUN   TestTask1ParseEndpoint\n" +
		"accepted 127.0.0.1:5555\n" +
		"2026/12/04 16:01:01 read tcp: use of closed network connection\n" +
		"    addresses_test.go:12: ParseEndpoint(\"x\") returned an error\n" +
		"        want: nil\n" +
		"    in a goroutine, indented by the code\n" +
		"        \tError Trace:\t/work/main/labs/01-addresses/addresses_test.go:20\n" +
		"--- FAIL: TestTask1ParseEndpoint (0.00s)\n"
	rep := &gotest.Report{Packages: []*gotest.Package{{ImportPath: "labs/01-addresses", Status: gotest.Fail, Tests: []*gotest.Test{
		{Name: "TestTask1ParseEndpoint", Status: gotest.Fail, Output: out, Subtests: []*gotest.Test{
			{Name: "TestTask1ParseEndpoint/zone", Status: gotest.Fail, Output: "=== RUN   TestTask1ParseEndpoint/zone\nsub print\n    addresses_test.go:30: zone lost\n"},
		}},
	}}}}
	res := Fold(lab01(), rep)
	require.NotNil(t, res.Failure)
	assert.Equal(t, "addresses_test.go:12: ParseEndpoint(\"x\") returned an error\n    want: nil\n"+
		"case \"zone\":\naddresses_test.go:30: zone lost", res.Failure.Message)
	assert.Equal(t, "accepted 127.0.0.1:5555\n2026/12/04 16:01:01 read tcp: use of closed network connection\n"+
		"    in a goroutine, indented by the code\nsub print", res.Failure.Output)
}

// A panic, its stack and a race report are the test's failure, never the
// code's prints, even though the runtime writes them unindented.
func TestSplitKeepsCrashesAndRacesWithTheTest(t *testing.T) {
	said, printed := split("hello\n==================\nWARNING: DATA RACE\nWrite at 0x00c by goroutine 7:\n==================\n" +
		"after the race\n    testing.go:1617: race detected during execution of test\n" +
		"panic: boom [recovered]\n\tpanic: boom\n\ngoroutine 7 [running]:\nmain.f()\n")
	assert.Equal(t, "hello\nafter the race", printed)
	assert.Contains(t, said, "WARNING: DATA RACE")
	assert.Contains(t, said, "race detected during execution of test")
	assert.Contains(t, said, "panic: boom")
	assert.Contains(t, said, "goroutine 7 [running]:")
}

// A line the code leaves unfinished (a prompt waiting for a line, a
// progress meter's dots) is continued by whatever comes next in the
// stream: a t.Log line, go test's --- FAIL, a panic. Go's test2json
// splits go test's own lines from it, which the testing package marks,
// but not the others: split cuts the line where the test's words start.
func TestSplitCutsALineTheCodeLeftUnfinished(t *testing.T) {
	for _, c := range []struct{ name, out, said, printed string }{
		{"t.Error after a prompt",
			"=== RUN   TestTask2Chat\n> hello\n>     chat_test.go:40: nothing came back\n        want: a line\n--- FAIL: TestTask2Chat (0.00s)\n",
			"    chat_test.go:40: nothing came back\n        want: a line\n", "> hello\n>"},
		{"dots, then t.Error and more dots",
			"...    dots_test.go:9: Dial failed\n..\n",
			"    dots_test.go:9: Dial failed\n", "...\n.."},
		{"go test's line after a prompt",
			"> --- FAIL: TestTask2Chat/sub (0.00s)\n", "", ">"},
		{"the time limit's panic after a prompt",
			"> panic: test timed out after 2m0s\n\trunning tests:\n\t\tTestTask2Chat (2m0s)\n\ngoroutine 5 [running]:\n",
			"panic: test timed out after 2m0s\n\trunning tests:\n\t\tTestTask2Chat (2m0s)\n\ngoroutine 5 [running]:\n", ">"},
		{"a goroutine's panic after a prompt",
			"> panic: boom\n\ngoroutine 7 [running]:\nlab.serve()\n",
			"panic: boom\n\ngoroutine 7 [running]:\nlab.serve()\n", ">"},
		{"a print that says panic is a print",
			"2026/12/04 recovered: panic: boom\nnext\n", "", "2026/12/04 recovered: panic: boom\nnext"},
		{"a test's message that quotes a test line is whole",
			"    chat_test.go:40: got \"    other.go:3: x\"\n", "    chat_test.go:40: got \"    other.go:3: x\"\n", ""},
		{"a message whose second line names a file and line, then a third",
			"    vet_test.go:9: go vet says:\n        server.go:12: unreachable code\n        fix it\n\tdebug\n",
			"    vet_test.go:9: go vet says:\n        server.go:12: unreachable code\n        fix it\n", "\tdebug"},
	} {
		said, printed := split(c.out)
		assert.Equal(t, c.said, said, c.name)
		assert.Equal(t, c.printed, printed, c.name)
	}
}

// A chat client's prompt, left unfinished when the test's time ran out,
// does not hide the time-out: the task timed out, and says where.
func TestFoldTimeOutAfterAPrompt(t *testing.T) {
	var in strings.Builder
	enc := json.NewEncoder(&in)
	for _, out := range []string{"=== RUN   TestTask1ParseEndpoint\n", "> ", "panic: test timed out after 2m0s\n", "\trunning tests:\n",
		"\t\tTestTask1ParseEndpoint (2m0s)\n", "\n", "goroutine 19 [IO wait]:\n",
		"github.com/netbook/netbook/labs/01-addresses.ParseEndpoint({0x5a1f2e, 0x9})\n",
		"\t/work/main/labs/01-addresses/addresses.go:42 +0x57\n"} {
		require.NoError(t, enc.Encode(map[string]string{"Action": "output", "Package": "p", "Test": "TestTask1ParseEndpoint", "Output": out}))
	}
	rep, err := gotest.Parse(strings.NewReader(in.String()))
	require.NoError(t, err)
	res := Fold(lab01(), rep)
	require.NotNil(t, res.Failure)
	assert.Equal(t, gotest.TimedOut, res.Failure.Status)
	assert.Contains(t, res.Failure.Message, "panic: test timed out after 2m0s\n    at labs/01-addresses/addresses.go:42")
	assert.Equal(t, ">", res.Failure.Output)
}

// check prints the test's message first, wrapped to the screen (80
// columns in a pipe), then at most MaxOutput lines of what the code
// printed, under a heading, with how many were left out and the command
// that shows everything.
func TestWriteTextPrintsTheMessageFirstThenTheOutput(t *testing.T) {
	var prints []string
	for i := 1; i <= 25; i++ {
		prints = append(prints, fmt.Sprintf("2026/12/04 16:01:01 accept tcp 127.0.0.1:40000: use of closed network connection (%d)", i))
	}
	msg := "task01_hello_test.go:23: waiting for the welcome for client 1: Serve returned while its listener was still open, so nobody is serving this client."
	res := &Result{Lab: "03-hello-server", Title: "Hello server", Status: Failed, Total: 1,
		Tasks:   []TaskResult{{Number: 1, Title: "Say hello.", Status: gotest.Fail}},
		Failure: &Failure{Task: 1, Test: "TestTask1Hello/two_clients", Status: gotest.Fail, Message: msg, Output: strings.Join(prints, "\n")},
	}
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		for _, cols := range []int{0, 40, 60, 80} {
			var buf strings.Builder
			WriteText(&buf, res, style.Style{}, Advice{Width: cols, Lang: l, Again: "netbook check 03"})
			out := buf.String()
			limit := width(cols)
			cmd := "cd labs && go test -run '^TestTask1Hello$' ./03-hello-server"
			for line := range strings.Lines(out) {
				if !strings.Contains(line, cmd) {
					assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), limit, "%s %d: %q", l, cols, line)
				}
			}
			head := l.Sprintf(lang.CheckOutputHead)
			head = head[:len(head)/2] // the heading may be wrapped
			i, j := strings.Index(out, "task01_hello_test.go:23"), strings.Index(out, head)
			require.True(t, i >= 0 && j > i, "%s %d: the message, then the output:\n%s", l, cols, out)
			assert.Contains(t, strings.Join(strings.Fields(out[:j]), " "), msg, "%s %d: the whole message, wrapped", l, cols)
			shown := out[j:]
			assert.Contains(t, shown, "(10)", "%s %d", l, cols)
			assert.NotContains(t, shown, "(11)", "%s %d: at most 10 lines", l, cols)
			assert.Contains(t, shown, cmd, "%s %d: the command, whole", l, cols)
			if l == lang.English && cols == 0 {
				assert.Contains(t, shown, "\n  ... (15 more lines left out:\n  "+cmd+" shows everything)\n")
			}
		}
	}
	// A short output is shown whole, with no note.
	res.Failure.Output = "one line"
	var buf strings.Builder
	WriteText(&buf, res, style.Style{}, Advice{})
	assert.Contains(t, buf.String(), "Your code printed this while the test ran:\n  one line\n")
	assert.NotContains(t, buf.String(), "left out")
	// Colours, a progress meter's carriage returns and a bell would move
	// the terminal's cursor inside the report: they are left out.
	res.Failure.Output = "\x1b[31mred\x1b[0m\n10%\r100%\nbell\a"
	buf.Reset()
	WriteText(&buf, res, style.Style{}, Advice{})
	assert.Contains(t, buf.String(), "Your code printed this while the test ran:\n  red\n  100%\n  bell\n")
	// No output, no heading.
	res.Failure.Output = ""
	buf.Reset()
	WriteText(&buf, res, style.Style{}, Advice{})
	assert.NotContains(t, buf.String(), "Your code printed")
}

// check --json gives the code's prints apart, as "output": the message
// has none of them.
func TestResultJSONHasTheOutputApart(t *testing.T) {
	res := &Result{Lab: "03-hello-server", Status: Failed, Failure: &Failure{Task: 1, Test: "TestTask1", Status: gotest.Fail, Message: "the test's words", Output: "a print"}}
	data, err := json.Marshal(res)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"message":"the test's words","output":"a print"`)
	res.Failure.Output = ""
	data, err = json.Marshal(res)
	require.NoError(t, err)
	assert.NotContains(t, string(data), `"output"`, "no prints, no field")
}

// A task that hit the time limit says the two causes in plain words, in
// the reader's language: something waits for ever, or a loop never ends.
func TestTimedOutMessageNamesBothCauses(t *testing.T) {
	rep := &gotest.Report{Packages: []*gotest.Package{{ImportPath: "labs/01-addresses", Status: gotest.Fail, TimedOut: true, Tests: []*gotest.Test{
		{Name: "TestTask1ParseEndpoint", Status: gotest.TimedOut, Output: "spinning\npanic: test timed out after 2m0s\n\trunning tests:\n"},
	}}}}
	res := Fold(lab01(), rep)
	require.NotNil(t, res.Failure)
	assert.Contains(t, res.Failure.Message, "or a loop never ends")
	assert.Equal(t, "spinning", res.Failure.Output)
	var en, zh strings.Builder
	WriteText(&en, res, style.Style{}, Advice{})
	WriteText(&zh, res, style.Style{}, Advice{Lang: lang.Chinese})
	assert.Contains(t, strings.Join(strings.Fields(en.String()), " "), "a lock never released), or a loop never ends.")
	assert.Contains(t, zh.String(), "或者有个循环永远不会结束")
	assert.NotContains(t, zh.String(), "or a loop never ends", "the English is replaced, not repeated")
	assert.Contains(t, zh.String(), "panic: test timed out after 2m0s")
}

// loudStream is go test -json's stream for lab 01's task 1 whose code
// prints lines lines of about 1 KiB each, then fails with a t.Error:
// written as it is read.
func loudStream(lines int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		enc := json.NewEncoder(pw)
		ev := func(action, out string) error {
			return enc.Encode(map[string]string{"Action": action, "Package": "p", "Test": "TestTask1ParseEndpoint", "Output": out})
		}
		err := ev("run", "")
		for i := 1; i <= lines && err == nil; i++ {
			err = ev("output", fmt.Sprintf("loop %d %s\n", i, strings.Repeat("x", 1000)))
		}
		for _, out := range []string{"    addresses_test.go:21: ParseEndpoint never returned\n", "--- FAIL: TestTask1ParseEndpoint (1.00s)\n"} {
			if err == nil {
				err = ev("output", out)
			}
		}
		if err == nil {
			err = ev("fail", "")
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// A task whose code prints far more than check keeps (2.9 MiB of prints,
// gotest.DefaultKeep kept) still gets the test's message, which comes
// after the prints, and the first of its prints, with a line that says how
// much was left out.
func TestFailureOfALoudTaskKeepsItsMessage(t *testing.T) {
	rep, err := gotest.ParseKeep(loudStream(3000), gotest.DefaultKeep)
	require.NoError(t, err)
	res := Fold(lab01(), rep)
	require.NotNil(t, res.Failure)
	assert.Equal(t, "addresses_test.go:21: ParseEndpoint never returned", res.Failure.Message)
	assert.True(t, strings.HasPrefix(res.Failure.Output, "loop 1 x"), "the first prints are kept")
	assert.LessOrEqual(t, len(res.Failure.Output), gotest.DefaultKeep+100)
	assert.Positive(t, gotest.LeftOut(res.Failure.Output))

	var out bytes.Buffer
	WriteText(&out, res, style.Style{}, Advice{Lang: lang.English, Width: 80})
	assert.Contains(t, out.String(), "ParseEndpoint never returned")
	assert.Contains(t, out.String(), "  loop 1\n")
	assert.NotContains(t, out.String(), "bytes of output left out here", "gotest's line is said in check's words")
	assert.Regexp(t, `more lines left out, and \d\.\d MiB more that netbook did not keep:\s+cd labs && go test`, out.String())
	out.Reset()
	WriteText(&out, res, style.Style{}, Advice{Lang: lang.Chinese, Width: 80})
	assert.Regexp(t, `另有 \d\.\d MiB 没有保留`, out.String())
}

// timeoutStream is go test -json's stream for lab 01's task 1 whose code
// prints prints lines of about 100 bytes, then hangs in ParseEndpoint
// (addresses.go:42) until the time limit: the testing package's panic,
// the running test's name and a dump of the test's goroutines, junk of
// them (each a goroutine the test started and left blocked) before and
// after the test's own.
func timeoutStream(prints, junk int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		enc := json.NewEncoder(pw)
		ev := func(action, out string) error {
			return enc.Encode(map[string]string{"Action": action, "Package": "p", "Test": "TestTask1ParseEndpoint", "Output": out})
		}
		var outs []string
		outs = append(outs, "=== RUN   TestTask1ParseEndpoint\n", "    addresses_test.go:20: starting\n")
		for i := 1; i <= prints; i++ {
			outs = append(outs, fmt.Sprintf("print %d %s\n", i, strings.Repeat("x", 90)))
		}
		outs = append(outs, "panic: test timed out after 2m0s\n", "\trunning tests:\n", "\t\tTestTask1ParseEndpoint (2m0s)\n", "\n",
			"goroutine 5 [running]:\n", "testing.(*M).startAlarm.func1()\n", "\t/usr/local/go/src/testing/testing.go:2802 +0x354\n",
			"created by time.goFunc\n", "\t/usr/local/go/src/time/sleep.go:215 +0x2d\n", "\n",
			"goroutine 1 [chan receive]:\n", "testing.(*T).Run(0x3ba73fa9c248, {0x588d0f?, 0x0?}, 0x596610)\n",
			"\t/usr/local/go/src/testing/testing.go:2109 +0x4e5\n", "testing.tRunner(0x3ba73fa9c248, 0x3ba73faddc58)\n",
			"\t/usr/local/go/src/testing/testing.go:2036 +0xea\n", "main.main()\n", "\t_testmain.go:48 +0x9b\n")
		blocked := func(n int) {
			outs = append(outs, "\n", fmt.Sprintf("goroutine %d [select (no cases)]:\n", n),
				"github.com/netbook/netbook/labs/01-addresses.TestTask1ParseEndpoint.func1()\n",
				"\t/work/main/labs/01-addresses/addresses_test.go:10 +0xf\n",
				"created by github.com/netbook/netbook/labs/01-addresses.TestTask1ParseEndpoint in goroutine 19\n",
				"\t/work/main/labs/01-addresses/addresses_test.go:10 +0x28\n")
		}
		for i := range junk / 2 {
			blocked(100 + i)
		}
		outs = append(outs, "\n", "goroutine 19 [IO wait]:\n",
			"github.com/netbook/netbook/labs/01-addresses.ParseEndpoint({0x5a1f2e, 0x9})\n",
			"\t/work/main/labs/01-addresses/addresses.go:42 +0x57\n",
			"github.com/netbook/netbook/labs/01-addresses.TestTask1ParseEndpoint(0x3ba73fa9c488)\n",
			"\t/work/main/labs/01-addresses/addresses_test.go:13 +0x76\n",
			"testing.tRunner(0x3ba73fa9c488, 0x596610)\n", "\t/usr/local/go/src/testing/testing.go:2036 +0xea\n",
			"created by testing.(*T).Run in goroutine 1\n", "\t/usr/local/go/src/testing/testing.go:2101 +0x4c5\n")
		for i := range junk - junk/2 {
			blocked(100 + junk/2 + i)
		}
		err := ev("run", "")
		for _, out := range outs {
			if err == nil {
				err = ev("output", out)
			}
		}
		if err == nil {
			err = enc.Encode(map[string]string{"Action": "fail", "Package": "p"})
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// A task that hit the time limit after its code printed more than check
// keeps, and left a dump bigger than the part kept at the end (2 MiB of
// prints, then the dump of 4,000 goroutines, 1.3 MiB, the test's own in
// the middle), is still said to have timed out, with the panic's line and
// where in the lab's code the test's goroutine waited; the dump is none
// of the code's prints.
func TestFailureOfATimedOutLoudTaskKeepsThePanicAndWhereItHung(t *testing.T) {
	rep, err := gotest.ParseKeep(timeoutStream(20_000, 4000), gotest.DefaultKeep)
	require.NoError(t, err)
	res := Fold(lab01(), rep)
	require.NotNil(t, res.Failure)
	assert.Equal(t, gotest.TimedOut, res.Failure.Status)
	msg := res.Failure.Message
	require.Less(t, len(msg), 1000, "the message is the test's words, not the dump: %.2000s", msg)
	assert.Contains(t, msg, "did not finish before the time limit")
	assert.Contains(t, msg, "addresses_test.go:20: starting")
	assert.Contains(t, msg, "panic: test timed out after 2m0s")
	assert.Contains(t, msg, "at labs/01-addresses/addresses.go:42", "where the test's goroutine waited")
	out := res.Failure.Output
	assert.True(t, strings.HasPrefix(out, "print 1 x"), "the first prints are kept")
	assert.False(t, strings.Contains(out, "goroutine") || strings.Contains(out, "addresses_test.go"),
		"the dump is none of the code's prints: %.300s", out[max(strings.Index(out, "goroutine"), 0):])

	var text bytes.Buffer
	WriteText(&text, res, style.Style{}, Advice{Lang: lang.English, Width: 80})
	assert.Contains(t, text.String(), "panic: test timed out after 2m0s")
	assert.Contains(t, text.String(), "at labs/01-addresses/addresses.go:42")
}

// A test file the student edited is replaced by the book's for the run;
// the report says how to put the book's copy back, with the command whole
// on a line at any width, when git checkout can (the index holds the
// book's copy), and does not offer it once the edit is committed.
func TestRunEditedTestSaysHowToPutItBack(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	r := testkit.Clone(t, testkit.Only("01"))
	l := testkit.Lab(t, r, "01-addresses")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	test := filepath.Join(l.Dir, "addresses_test.go")
	book, err := os.ReadFile(test)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(test, append(book, "\n// mine\n"...), 0o644))

	res, err := Run(ctx, r, l, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"01-addresses/addresses_test.go"}, res.TestsModified)
	assert.Equal(t, res.TestsModified, res.TestsCheckout)
	const cmd = "git checkout -- labs/01-addresses/addresses_test.go"
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		for _, width := range []int{0, 80, 40} {
			var buf strings.Builder
			WriteText(&buf, res, style.Style{}, Advice{Width: width, Lang: l})
			assert.Contains(t, buf.String(), cmd, "%s at %d columns: the command whole, on one line:\n%s", l, width, buf.String())
		}
	}
	var buf strings.Builder
	WriteText(&buf, res, style.Style{}, Advice{})
	assert.Contains(t, buf.String(), "Put the book's copy back with:\n  git checkout -- labs/01-addresses/addresses_test.go\n")
	// Inside the lab's folder, git takes the file's name (workbook's
	// Advice.Path says the path from where the student is).
	buf.Reset()
	WriteText(&buf, res, style.Style{}, Advice{Path: path.Base, Lang: lang.Chinese})
	assert.Contains(t, buf.String(), "：\n  git checkout -- addresses_test.go\n")

	// The command does what it says.
	git := func(args ...string) {
		t.Helper()
		c := exec.CommandContext(ctx, "git", append([]string{"-c", "user.name=t", "-c", "user.email=t@netbook.invalid", "-c", "commit.gpgsign=false"}, args...)...)
		c.Dir = r.Dir
		c.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
		out, err := c.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	git(strings.Fields(cmd)[1:]...)
	got, err := os.ReadFile(test)
	require.NoError(t, err)
	assert.Equal(t, string(book), string(got))

	// Committed, the edit is what git checkout brings back: no command.
	require.NoError(t, os.WriteFile(test, append(book, "\n// mine\n"...), 0o644))
	git("commit", "-q", "--no-verify", "-am", "my test")
	res, err = Run(ctx, r, l, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"01-addresses/addresses_test.go"}, res.TestsModified)
	assert.Empty(t, res.TestsCheckout)
	buf.Reset()
	WriteText(&buf, res, style.Style{}, Advice{})
	assert.Contains(t, strings.Join(strings.Fields(buf.String()), " "), "Your copy of addresses_test.go differs from the book's; these results use the book's tests. ")
	assert.NotContains(t, buf.String(), "git checkout")
}

// A lab done in another copy of the book (netbook progress --import) has
// the skeleton's files here: a check that fails says why under its first
// line, in compare's words, in the reader's language, wrapped.
func TestWriteTextDoneElsewhere(t *testing.T) {
	res := &Result{Lab: "01-addresses", Title: "Addresses and ports", Status: Failed, Total: 2,
		Tasks:   []TaskResult{{Number: 1, Title: "Parse.", Status: gotest.Fail}, {Number: 2, Title: "Format.", Status: gotest.Fail}},
		Failure: &Failure{Task: 1, Test: "TestTask1", Status: gotest.Fail, Message: "TODO"}}
	day := time.Date(2026, 12, 4, 12, 0, 0, 0, time.Local)
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		for _, width := range []int{80, 40} {
			var buf strings.Builder
			WriteText(&buf, res, style.Style{}, Advice{Elsewhere: true, DoneAt: day, Lang: l, Width: width})
			out := buf.String()
			note := ElsewhereNote("01-addresses", day, l).Text
			assert.Contains(t, strings.Join(strings.Fields(out), ""), strings.Join(strings.Fields(note), ""), "%s:\n%s", l, out)
			assert.Less(t, strings.Index(out, "\n\n"), strings.Index(out, l.Day(day)), "under the first line")
			for line := range strings.Lines(out) {
				assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), width, "%q", line)
			}
		}
	}
	var buf strings.Builder
	WriteText(&buf, res, style.Style{}, Advice{})
	assert.NotContains(t, buf.String(), "not in this copy", "said only of a lab done elsewhere")
	res.Status, res.Passed = Passed, 2
	WriteText(&buf, res, style.Style{}, Advice{Elsewhere: true, DoneAt: day})
	assert.NotContains(t, buf.String(), "not in this copy", "a pass needs no excuse")
}
