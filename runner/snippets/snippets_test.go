package snippets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/fakego"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/interp"
	"github.com/netbook/netbook/runner/interpbin"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCtx bounds a whole test.
func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// interpreter builds the interpreter binary once (the first build of a
// cold cache takes a minute or two) and returns its engine.
func interpreter(t *testing.T) *Interp {
	t.Helper()
	bin, err := interpbin.Ensure(testCtx(t, 10*time.Minute), "../..", &testLog{t: t})
	require.NoError(t, err)
	return &Interp{Path: bin}
}

type testLog struct{ t *testing.T }

func (l *testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func fixture(t *testing.T, dir string) *book.Chapter {
	t.Helper()
	b, err := book.Load(os.DirFS(dir))
	require.NoError(t, err)
	require.Len(t, b.Chapters, 1)
	return b.Chapters[0]
}

func TestGoodSnippetsRunTheSameBothWays(t *testing.T) {
	ctx := testCtx(t, 5*time.Minute)
	c := fixture(t, "testdata/good")
	built, err := Build(ctx, "../..", c.Snippets)
	require.NoError(t, err)
	t.Cleanup(func() { built.Close() })
	for _, err := range CheckBoth(ctx, built, interpreter(t), c) {
		t.Error(err)
	}
}

func TestPairRunsServerThenClient(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	c := fixture(t, "testdata/good")
	in := interpreter(t)
	server, client := c.Snippets[2], c.Snippets[3]
	require.Equal(t, client, Pair(server))
	require.Equal(t, server, Pair(client))
	var stream testkit.Buffer
	srvOut, res, err := RunPair(ctx, in, server, client, Options{Stream: &stream})
	require.NoError(t, err)
	require.NoError(t, res.Err, res.Output)
	assert.Equal(t, "echo: ping\n", res.Output)
	assert.Regexp(t, `^listening on 127\.0\.0\.1:\d+\ngot ping\n$`, srvOut)
	assert.Contains(t, stream.String(), "server | got ping\n")
	assert.Contains(t, stream.String(), "client | echo: ping\n")
}

// A server with two clients runs once for each, and is listed once: the
// chapter has one server, not two.
func TestServerOfTwoClientsListedOnce(t *testing.T) {
	ctx := testCtx(t, 2*time.Minute)
	c := fixture(t, "testdata/good")
	server := c.Snippets[2]
	require.Equal(t, "echo", server.Server)
	clients := 0
	for _, s := range c.Snippets {
		if s.Client == "echo" {
			clients++
		}
	}
	require.Equal(t, 2, clients, "the fixture's server has two clients")
	listed := 0
	for _, o := range RunChapter(ctx, interpreter(t), c, time.Minute) {
		require.NoError(t, o.Err, "%s printed:\n%s", o.Snippet.ID(), o.Output)
		if o.Snippet == server {
			listed++
		}
	}
	assert.Equal(t, 1, listed, "the server is listed once")
}

// TestMisbehavingSnippetsAreStopped runs snippets that loop, block, panic,
// import os/exec, flood their output, print differently under the two
// engines, contradict their output block, recurse without end and do not
// compile: each is stopped or refused with a message, and the runner goes
// on to the next.
//
// Only the two snippets that never end meet the time limit, a short one.
// The others run under a limit of a minute, since what the test waits for
// there is a signal (a panic, the output cap, a stack overflow, which takes
// yaegi about a second to reach when the machine is idle) and a loaded
// machine must not turn it into "stopped after 2s".
func TestMisbehavingSnippetsAreStopped(t *testing.T) {
	ctx := testCtx(t, 5*time.Minute)
	c := fixture(t, "testdata/bad")
	in := interpreter(t)
	endless, rest := *c, *c
	endless.Snippets, rest.Snippets = c.Snippets[:2], c.Snippets[2:]
	outs := RunChapter(ctx, in, &endless, 2*time.Second)
	outs = append(outs, RunChapter(ctx, in, &rest, time.Minute)...)
	require.Len(t, outs, len(c.Snippets), "every snippet has an outcome: the runner went on after each failure")
	errOf := func(i int) string {
		t.Helper()
		require.Error(t, outs[i].Err, "snippet %d printed:\n%s", i+1, outs[i].Output)
		return outs[i].Err.Error()
	}
	assert.Contains(t, errOf(0), "stopped after 2s: the program was still running")
	assert.Contains(t, errOf(0), "chapters/01-bad.md:7: snippet 01:1 failed with the interpreter")
	assert.Contains(t, errOf(1), "stopped after 2s")
	assert.Contains(t, errOf(1), "waiting on 127.0.0.1:")
	assert.Contains(t, errOf(2), "exit status 2")
	assert.Contains(t, errOf(2), "panic: boom in a goroutine")
	assert.Contains(t, errOf(3), `import "os/exec" is not allowed in netbook's interpreter: snippets cannot start other programs`)
	assert.Regexp(t, `chapters/01-bad\.md:\d+:\d+: import "os/exec"`, errOf(3), "the position is the chapter's")
	assert.Contains(t, errOf(4), "stopped: it printed more than 1024 KiB")
	assert.Contains(t, outs[4].Output, "[output cut at 1024 KiB]")
	assert.LessOrEqual(t, len(outs[4].Output), OutputCap+100)
	require.NoError(t, outs[5].Err)
	assert.Equal(t, "int64\n", outs[5].Output, "yaegi names a defined type by its underlying type")
	assert.ErrorContains(t, SameOutput(c.Snippets[5], "main.celsius\n", outs[5].Output), "prints differently under the Go toolchain and the interpreter")
	require.NoError(t, outs[6].Err)
	assert.ErrorContains(t, Compare(c.Snippets[6], outs[6].Output), "but its output block says")
	assert.Contains(t, errOf(7), "stack overflow")
	assert.Contains(t, errOf(7), "the program's stack grew past 64 MiB, a stack overflow, and it was stopped: does a function call itself without end?")
	assert.NotContains(t, outs[7].Output, "runtime stack:", "the runtime's stack dump is cut")
	assert.Contains(t, errOf(8), "undefined: undefined")
	assert.Contains(t, errOf(9), "exit status 2")
	assert.Equal(t, "start\npanic: runtime error: index out of range\n\n"+
		"goroutine 1 [running]:\n\t(no stack trace: the interpreter keeps none)\n", outs[9].Output,
		"no interpreter frame lines (\"c01s10.go:5:2: panic: main.at(...)\"): their positions are not the panic's; "+
			"the runtime's words, not the reflect package's the interpreter runs it with")
}

func TestRunStreamsAndTimesOut(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	c := fixture(t, "testdata/bad")
	in := interpreter(t)
	var stream testkit.Buffer
	start := time.Now()
	res := Run(ctx, in, c.Snippets[1], Options{Timeout: 500 * time.Millisecond, Stream: &stream})
	assert.True(t, res.TimedOut)
	assert.Equal(t, -1, res.ExitCode)
	// Killing the group ends the run at once; the bound is far above that
	// (the limit plus cmd.WaitDelay), so that only a run that waits for
	// something else crosses it.
	elapsed := time.Since(start)
	assert.Less(t, elapsed, 30*time.Second, "a run with a limit of 500ms returned after %v (the bound is 30s)", elapsed)
	assert.Contains(t, stream.String(), "waiting on 127.0.0.1:")
}

func TestNormalize(t *testing.T) {
	assert.Equal(t, "took DURATION at 127.0.0.1:PORT, 0xADDR\n", Normalize("took 1.5ms at 127.0.0.1:4321, 0xc000123456\n"))
	assert.Equal(t, "c02s1 in 2 steps\n", Normalize("c02s1 in 2 steps\n"))
}

func TestPrefixWriter(t *testing.T) {
	var b strings.Builder
	w := prefixed(&b, "> ")
	w.Write([]byte("a\nb"))
	w.Write([]byte("c\n\nd"))
	assert.Equal(t, "> a\n> bc\n> \n> d", b.String())
	assert.Nil(t, prefixed(nil, "x"))
}

// TestPrefixedLinesDoNotMix has a server and a client write whole lines
// at once through one locked writer, as RunPair does: every line must come
// out whole, its prefix and its text together.
func TestPrefixedLinesDoNotMix(t *testing.T) {
	var b testkit.Buffer
	shared := &lockedWriter{w: &b}
	var wg sync.WaitGroup
	for _, who := range []string{"server", "client"} {
		w := prefixed(shared, who+" | ")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5000 {
				w.Write([]byte(who + " line\n"))
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 10000)
	for _, l := range lines {
		if l != "server | server line" && l != "client | client line" {
			t.Fatalf("a line came out mixed with another: %q", l)
		}
	}
}

func TestExitRefusedIsTheInterpreters(t *testing.T) {
	assert.Equal(t, interp.ExitRefused, ExitRefused)
}

// TestBuildStoppedLeavesNothing stops a build of the snippets (Ctrl-C, a
// closed terminal) while the go command runs: no process it started may
// outlive the build, its temp dir goes at once, and the error says the
// build was stopped rather than "go build failed" with nothing after it.
func TestBuildStoppedLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	c := fixture(t, "testdata/good")
	_, err := fakego.Install(t).Interrupt(func(ctx context.Context) error {
		b, err := Build(ctx, "../..", c.Snippets)
		if b != nil {
			b.Close()
		}
		return err
	})
	require.ErrorIs(t, err, context.Canceled)
	left, err := os.ReadDir(tmp)
	require.NoError(t, err)
	for _, e := range left {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
}

// TestOwnExitIsNotARefusal: a program that exits with status 3 itself
// (os.Exit(3)) failed, and netbook run says so; only the interpreter's
// own refusal, which has the same status, sends the student to
// --toolchain.
func TestOwnExitIsNotARefusal(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	c := fixture(t, "testdata/exit")
	in := interpreter(t)
	explain := func(s *book.Snippet) (Result, error) {
		res := Run(ctx, in, s, Options{Timeout: time.Minute})
		return res, Explain(io.Discard, style.Style{}, "netbook", s, res, 0, time.Minute, false)
	}

	res, err := explain(c.Snippets[0])
	require.Equal(t, ExitRefused, res.ExitCode, res.Output)
	assert.Equal(t, "bye\n", res.Output)
	require.Error(t, err)
	assert.Equal(t, "01:1 failed: exit status 3", err.Error())

	res, err = explain(c.Snippets[1])
	require.Equal(t, ExitRefused, res.ExitCode, res.Output)
	assert.Contains(t, res.Output, `import "os/exec" is not allowed`)
	require.Error(t, err)
	assert.Equal(t, "the interpreter refused 01:2 (see above); try it with the Go toolchain: netbook run 01:2 --toolchain", err.Error())
}

// netbook run --all wraps what it says about a failed snippet to the
// terminal's width (80 columns when piped), as the rest of the runner
// does, but never what the snippet printed, which it quotes indented.
func TestWriteOutcomeWrapsItsSentences(t *testing.T) {
	c := fixture(t, "testdata/good")
	printed := "    " + strings.Repeat("x", 90)
	out := Outcome{Snippet: c.Snippets[0], Err: errors.New("chapters/03-tcp-server.md:540: snippet 03:4 failed with the interpreter (the Go toolchain where a snippet is marked toolchain): stopped after 50ms: the program was still running\n" + printed)}
	var b strings.Builder
	assert.False(t, WriteOutcome(&b, style.Style{}, out, 80))
	text := b.String()
	assert.Contains(t, text, "\n      "+printed+"\n", "what the snippet printed is quoted whole")
	assert.Contains(t, text, FirstLine(c.Snippets[0]), "the failed snippet is named by its first line, as a passing one is")
	for line := range strings.Lines(text) {
		if !strings.Contains(line, printed) {
			assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
		}
	}
	b.Reset()
	WriteOutcome(&b, style.Style{}, out, 0)
	assert.Contains(t, b.String(), "toolchain): stopped after 50ms", "width 0 (the web book) leaves the lines whole")
}

// What netbook run advises after a snippet fails depends on where it ran:
// a terminal has --timeout and --toolchain; the web book's page has
// neither, so it names the command to type in a terminal; and for the
// student's edit on the page, which no command runs, it names none.
func TestAdviceFitsWhereTheSnippetRan(t *testing.T) {
	c := fixture(t, "testdata/good")
	s := c.Snippets[0]
	timedOut := Result{TimedOut: true}
	panicked := Result{ExitCode: 2, Output: "panic: boom\n"}
	for _, tc := range []struct {
		name         string
		io           Stdio
		res          Result
		want, wantNo string
	}{
		{"terminal, timed out", Stdio{}, timedOut, "Give it longer with --timeout 30s", "in a terminal"},
		{"page, timed out", Stdio{Page: true}, timedOut, "Give it longer in a terminal, nb run 01:1 --timeout 30s", "with --timeout"},
		{"page, edited, timed out", Stdio{Page: true, Edited: true}, timedOut, "a server waiting in Accept).", "--timeout"},
		{"terminal, panicked", Stdio{}, panicked, "stack trace shows it: nb run 01:1 --toolchain", "in a terminal"},
		{"page, panicked", Stdio{Page: true}, panicked, "stack trace shows it: in a terminal, nb run 01:1 --toolchain", ""},
		{"page, edited, panicked", Stdio{Page: true, Edited: true}, panicked, "your edit of 01:1 panicked", "--toolchain"},
		// In the reader's language, the command as it is typed.
		{"terminal, timed out, zh", Stdio{Lang: lang.Chinese}, timedOut, "01:1 运行了 1s 还没有结束", "Give it"},
		{"page, timed out, zh", Stdio{Page: true, Lang: lang.Chinese}, timedOut, "想多给它一些时间：在终端里运行 nb run 01:1 --timeout 30s", "in a terminal"},
		{"terminal, panicked, zh", Stdio{Lang: lang.Chinese}, panicked, "01:1 发生了 panic（退出状态 2）。解释器说不出是哪一行，Go 工具链的栈跟踪能说出来：nb run 01:1 --toolchain", "panicked"},
		{"page, edited, panicked, zh", Stdio{Page: true, Edited: true, Lang: lang.Chinese}, panicked, "你改过的 01:1 发生了 panic", "--toolchain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.io.Cmd = "nb"
			err := explain(io.Discard, tc.io, s, tc.res, 0, time.Second, false, false)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			if tc.wantNo != "" {
				assert.NotContains(t, err.Error(), tc.wantNo)
			}
		})
	}
}

// A run given the student's arguments or standard input (printf 'login
// alice' | netbook run 9:8) prints what that input makes it print, not the
// chapter's output block, which shows a run without them: netbook says so
// and exits 0, rather than calling it a chapter bug. Without input, output
// that differs is still one.
func TestOutputWithTheStudentsInputIsNoChapterBug(t *testing.T) {
	c := fixture(t, "testdata/good")
	s := c.Snippets[0] // its output block: "hello from 3"
	other := Result{Output: "hello from the student's input\n"}
	var log strings.Builder
	err := explain(&log, Stdio{Cmd: "nb"}, s, other, 0, time.Second, false, true)
	assert.NoError(t, err)
	assert.Contains(t, log.String(), "which is a run without your arguments and input")
	assert.NotContains(t, log.String(), "report")

	log.Reset()
	err = explain(&log, Stdio{Cmd: "nb"}, s, other, 0, time.Second, false, false)
	assert.ErrorIs(t, err, ErrDiffers)
	assert.Contains(t, log.String(), "a chapter bug? Please report it.")

	log.Reset()
	err = explain(&log, Stdio{Cmd: "nb"}, s, Result{Output: "hello from 3\n"}, 0, time.Second, false, true)
	assert.NoError(t, err)
	assert.Contains(t, log.String(), "the output matches the chapter", "input that changes nothing still matches")
}

// The student's edit of a snippet on a page is not the chapter's code:
// its errors give its own lines ("line 6:2:"), not the chapter's; the
// chapter's snippet keeps the chapter's. What the interpreter would run
// and the compiler refuses (a variable declared and not used) is refused.
func TestEditedSnippetErrorsNameItsOwnLines(t *testing.T) {
	ctx := testCtx(t, 5*time.Minute)
	c := fixture(t, "testdata/good")
	edit := *c.Snippets[0]
	edit.Code = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(\"hello\")\n}\n"
	var out strings.Builder
	err := RunOne(ctx, interpreter(t), &edit, Options{Stream: &out}, Stdio{Out: io.Discard, Log: io.Discard, Page: true, Edited: true}, false)
	require.Error(t, err)
	assert.Equal(t, "line 6:2: declared and not used: x\n", out.String())

	out.Reset()
	edit.Code = "package main\n\nfunc main() {\n\tx := 1\n}\n"
	err = RunOne(ctx, interpreter(t), &edit, Options{Stream: &out}, Stdio{Out: io.Discard, Log: io.Discard}, false)
	require.Error(t, err)
	assert.Regexp(t, `^chapters/01-good\.md:\d+:2: declared and not used: x\n$`, out.String(), "run as the chapter's, the chapter's lines")
}

func TestSnippetLines(t *testing.T) {
	assert.Equal(t, "line 7:2: undefined: x", snippetLines("c02s1.go:7:2: undefined: x", "c02s1.go"))
	assert.Equal(t, "\tline 12 +0x1d", snippetLines("\t/tmp/x/internal/snippetbuild/c02s1/main.go:12 +0x1d", "c02s1.go"))
	assert.Equal(t, "c02s2.go:7:2: undefined: x", snippetLines("c02s2.go:7:2: undefined: x", "c02s1.go"), "another snippet's file is left")
}

// A goroutine's panic in a snippet reads as Go's: its value, the
// goroutine's line, and the go statement's line where Go writes "created
// by" (the chapter's line, or the edit's own), not the runtime's report
// of the interpreter's "[recovered, repanicked]" reflect.Value ("panic:
// <int Value>") or its frame lines; and its exit status is a panic's.
func TestGoroutinePanicReadsLikeGos(t *testing.T) {
	ctx := testCtx(t, 5*time.Minute)
	c := fixture(t, "testdata/bad")
	s := c.Snippets[2] // go func() { panic("boom in a goroutine") }() on its 9th line
	in := interpreter(t)
	goroutine := func(value, line string) string {
		return `^panic: ` + regexp.QuoteMeta(value) + `\n\ngoroutine \d+ \[running\]:\n\t\(no stack trace: the interpreter keeps none\)\n` +
			`created by the go statement\n\t` + regexp.QuoteMeta(line) + `\n$`
	}
	var out strings.Builder
	err := RunOne(ctx, in, s, Options{Stream: &out, Timeout: time.Minute}, Stdio{Out: io.Discard, Log: io.Discard, Cmd: "nb"}, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "panicked (exit status 2)")
	assert.Regexp(t, goroutine("boom in a goroutine", fmt.Sprintf("chapters/01-bad.md:%d", s.Line+9)), out.String())

	edit := *s
	edit.Code = "package main\n\nimport \"time\"\n\nfunc work(n int) {\n\tpanic(n)\n}\n\nfunc main() {\n\tgo work(42)\n\ttime.Sleep(5 * time.Second)\n}\n"
	out.Reset()
	err = RunOne(ctx, in, &edit, Options{Stream: &out, Timeout: time.Minute}, Stdio{Out: io.Discard, Log: io.Discard, Page: true, Edited: true}, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "your edit of 01:3 panicked (exit status 2)")
	assert.Regexp(t, goroutine("42", "line 10"), out.String(), "a named function's goroutine, the edit's own line")

	// A method's, with an argument that calls: evaluated before the
	// goroutine starts, as in Go.
	edit.Code = "package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\ntype server struct{ name string }\n\n" +
		"var printed = make(chan bool)\n\nfunc (s *server) work(n int) {\n\t<-printed\n\tpanic(fmt.Sprint(s.name, \" \", n))\n}\n\n" +
		"func next() int {\n\tfmt.Println(\"arguments first\")\n\treturn 42\n}\n\n" +
		"func main() {\n\ts := &server{\"s\"}\n\tgo s.work(next())\n\tfmt.Println(\"then the go statement returns\")\n\tclose(printed)\n\ttime.Sleep(5 * time.Second)\n}\n"
	out.Reset()
	err = RunOne(ctx, in, &edit, Options{Stream: &out, Timeout: time.Minute}, Stdio{Out: io.Discard, Log: io.Discard, Page: true, Edited: true}, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "your edit of 01:3 panicked (exit status 2)")
	assert.Regexp(t, `^arguments first\nthen the go statement returns\n`+goroutine("s 42", "line 24")[1:], out.String(), "a method's goroutine")
}
