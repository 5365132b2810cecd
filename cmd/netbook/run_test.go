package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/interpbin"
	"github.com/netbook/netbook/runner/sandbox"
)

// snippetTree is a work tree with two fixture chapters, 90 (snippets that
// run) and 91 (snippets that misbehave), and the interpreter's sources, so
// that netbook run can build (or reuse) the interpreter there.
func snippetTree(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs("../..")
	require.NoError(t, err)
	root := workTree(t)
	for _, dir := range interpbin.Sources { // what the interpreter is built from
		if _, err := os.Stat(filepath.Join(root, dir)); err != nil {
			copyTree(t, filepath.Join(src, dir), filepath.Join(root, dir))
		}
	}
	for from, to := range map[string]string{
		"runner/snippets/testdata/good/01-good.md": "chapters/90-run-fixture.md",
		"runner/snippets/testdata/bad/01-bad.md":   "chapters/91-run-trouble.md",
	} {
		data, err := os.ReadFile(filepath.Join(src, from))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(root, to), data, 0o644))
	}
	return root
}

func TestRunListsAndRunsSnippets(t *testing.T) {
	snippetTree(t)
	code, out, errOut := netbook(t, "run", "90")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Chapter 90, Snippets that run both ways · 8 runnable snippets")
	assert.Regexp(t, `90:1\s+\[hello\.go\] fmt\.Println\("hello from", 1\+2\)`, out, "the first line of main is shown")
	assert.Contains(t, out, "  A pair over loopback\n    90:3   [server of echo]", "snippets are listed under their sections")
	assert.Contains(t, out, "90:3   [server of echo]")
	assert.Contains(t, out, "90:4   [client of echo]")
	assert.Contains(t, out, "90:5   [client of echo]", "a second client of the same server")
	assert.Contains(t, out, "90:8   [Go toolchain]")
	assert.NotContains(t, out, "90:2 ", "a fragment is not listed")
	assert.Contains(t, out, "run 90:1")

	code, out, errOut = netbook(t, "run", "90:1")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "hello from 3\n", out)
	assert.Contains(t, errOut, "Running 90:1 (chapters/90-run-fixture.md:9) with the interpreter")
	assert.Contains(t, errOut, "the output matches the chapter")

	// The Chinese edition's snippets are where its file has them.
	code, out, errOut = netbook(t, "run", "2:1", "--lang", "zh")
	require.Equal(t, 0, code, out+errOut)
	assert.Regexp(t, `运行 02:1（chapters/zh/02-sockets-in-go\.md:\d+），用解释器`, errOut, "run speaks the page's language as it runs")
	assert.Contains(t, errOut, "02:1 运行正常")

	code, out, errOut = netbook(t, "run", "90:4")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "Running server 90:3 and client 90:4 together")
	assert.Regexp(t, `server \| listening on 127\.0\.0\.1:\d+\n`, out)
	assert.Contains(t, out, "server | got ping\n")
	assert.Contains(t, out, "client | echo: ping\n")

	code, out, errOut = netbook(t, "run", "90:8")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "1\n", out)
	// Wrapped at 80 columns, as the runner's own lines are.
	assert.Contains(t, errOut, "with the Go toolchain (it is\nmarked toolchain)\n")

	code, out, errOut = netbook(t, "run", "--all", "90")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "8 of 8 snippets ran and printed what the chapter says.", "the server of two clients counts once")

	code, _, errOut = netbook(t, "run", "90:2")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "snippet 90:2 is a fragment")
	code, _, errOut = netbook(t, "run", "90:42")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `chapter 90 has no snippet "42"`)
	code, _, errOut = netbook(t, "run")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "name a chapter")
	code, out, errOut = netbook(t, "run", "--sandbox-report", "90:1")
	assert.Equal(t, 2, code, "--sandbox-report with a snippet: neither is silently dropped")
	assert.Empty(t, out)
	assert.Contains(t, unwrapped(errOut), "--sandbox-report only reports on the sandbox and runs nothing: leave out 90:1")
	for _, timeout := range []string{"0", "-1s"} { // not the default in disguise
		code, out, errOut = netbook(t, "run", "90:1", "--timeout", timeout)
		assert.Equal(t, 2, code, "--timeout %s: %s", timeout, out)
		assert.Contains(t, errOut, "--timeout must be more than 0, such as 30s")
	}
}

// TestRunStopsMisbehavingSnippets: a loop without end, a panic in a
// goroutine, an import of os/exec and a flood of output each end with a
// message that says what happened and what to do.
func TestRunStopsMisbehavingSnippets(t *testing.T) {
	snippetTree(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"run", "--timeout", "1s", "91:1"}, []string{"stopped 91:1 after 1s: it was still running", "--timeout 30s"}},
		{[]string{"run", "--timeout", "1s", "91:2"}, []string{"stopped 91:2 after 1s", "waiting in Accept"}},
		// A limit that passes before the program starts is a limit all the
		// same, not "context deadline exceeded".
		{[]string{"run", "--timeout", "1ns", "91:1"}, []string{"stopped 91:1 after 1ns: it was still running", "--timeout 30s"}},
		{[]string{"run", "--timeout", "1ns", "90:4"}, []string{`the server, snippet 90:3, did not print "listening on ADDR" within 1ns, the time limit. Give it longer with --timeout 30s`}},
		{[]string{"run", "91:3"}, []string{"panic: boom in a goroutine", "91:3 panicked (exit status 2)"}},
		// The interpreter's frame lines, whose positions are the function's
		// first line and not the panic's, are gone; the toolchain's stack
		// trace names the chapter's lines.
		{[]string{"run", "91:10"}, []string{"start\npanic: runtime error: index out of range\n\ngoroutine 1 [running]:\n\t(no stack trace: the interpreter keeps none)\n",
			"91:10 panicked (exit status 2). The interpreter cannot tell on which line", "run 91:10 --toolchain"}},
		{[]string{"run", "91:10", "--toolchain"}, []string{"panic: runtime error: index out of range [3] with length 1",
			"main.at(...)\n\tchapters/91-run-trouble.md:121\n", "\tchapters/91-run-trouble.md:126 +0x"}},
		{[]string{"run", "91:4"}, []string{`chapters/91-run-trouble.md:49:8: import "os/exec" is not allowed in netbook's interpreter: snippets cannot start other programs`,
			"the interpreter refused 91:4", "run 91:4 --toolchain"}},
		{[]string{"run", "91:5"}, []string{"stopped 91:5: it printed more than 1024 KiB", "[output cut at 1024 KiB]"}},
	} {
		code, out, errOut := netbook(t, tc.args...)
		assert.Equal(t, 1, code, "%v", tc.args)
		for _, w := range tc.want {
			// The snippet's output as it printed it, or netbook's own
			// error, which is wrapped.
			assert.Contains(t, out+errOut+"\n"+unwrapped(errOut), w, "%v", tc.args)
		}
		assert.NotContains(t, out+errOut, "context deadline exceeded", "%v", tc.args)
		assert.NotContains(t, out+errOut, ": panic: main.", "%v: the interpreter's frame lines", tc.args)
	}
}

// TestRunExplainsInChinese: with --lang zh, how a run ended and what to
// try are said in Chinese, the commands as they are typed.
func TestRunExplainsInChinese(t *testing.T) {
	snippetTree(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"run", "--lang", "zh", "--timeout", "1s", "91:1"}, []string{"91:1运行了1s还没有结束", "想多给它一些时间，就加上--timeout30s"}},
		{[]string{"run", "--lang", "zh", "91:3"}, []string{"91:3发生了panic（退出状态2）", "run91:3--toolchain"}},
		{[]string{"run", "--lang", "zh", "91:4"}, []string{"解释器不肯运行91:4", "换Go工具链试试：gorun./cmd/netbookrun91:4--toolchain"}},
		{[]string{"run", "--lang", "zh", "91:5"}, []string{"91:5被停下了：它打印了超过1024KiB的内容"}},
	} {
		code, _, errOut := netbook(t, tc.args...)
		assert.Equal(t, 1, code, "%v", tc.args)
		// Wrapped by display width: a line may break between two Chinese
		// characters, where no space was.
		joined := strings.Join(strings.Fields(errOut), "")
		for _, w := range tc.want {
			assert.Contains(t, joined, w, "%v", tc.args)
		}
		assert.NotContains(t, errOut, "panicked", "%v", tc.args)
		assert.NotContains(t, errOut, "stopped", "%v", tc.args)
	}
}

// TestPipedStdinPassesOnlyInput: a snippet gets netbook's standard input
// when it holds something to read (a pipe, a file with lines), and none
// for /dev/null or an empty file, so that netbook run < /dev/null still
// compares its output with the chapter's (a run with input of the
// student's is not compared as a chapter bug).
func TestPipedStdinPassesOnlyInput(t *testing.T) {
	stdin := os.Stdin
	t.Cleanup(func() { os.Stdin = stdin })
	open := func(name string) *os.File {
		f, err := os.Open(name)
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		return f
	}
	dir := t.TempDir()
	empty, lines := filepath.Join(dir, "empty"), filepath.Join(dir, "lines")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	require.NoError(t, os.WriteFile(lines, []byte("login alice\n"), 0o644))
	r, w, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { r.Close(); w.Close() })

	for _, tc := range []struct {
		name  string
		stdin *os.File
		input bool
	}{
		{"/dev/null", open(os.DevNull), false},
		{"an empty file", open(empty), false},
		{"a file with lines", open(lines), true},
		{"a pipe", r, true},
	} {
		os.Stdin = tc.stdin
		assert.Equal(t, tc.input, pipedStdin() != nil, tc.name)
	}
}

// TestSandboxReport: --sandbox-report gives a run's limits and a REPL
// session's, and warns of a word of NETBOOK_SANDBOX_OFF that names no
// layer instead of ignoring it in silence.
func TestSandboxReport(t *testing.T) {
	workTree(t)
	t.Setenv(sandbox.EnvOff, " Netwrok ,")
	code, out, errOut := netbook(t, "run", "--sandbox-report")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, unwrapped(errOut), `netbook: warning: NETBOOK_SANDBOX_OFF= Netwrok ,: netbook ignores "netwrok", which names no layer of the sandbox; it takes network, files and limits, separated by commas (NETBOOK_SANDBOX_OFF=network,limits)`)
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine:", sandbox.Probe().Limits)
	}
	assert.Contains(t, unwrapped(out), "resources: a run: memory 512 MiB, CPU time 2m0s, file size 64 MiB, 1024 open files, 256 threads; a REPL session: the same but CPU time 10m0s for the whole session")

	t.Setenv(sandbox.EnvOff, "")
	_, _, errOut = netbook(t, "run", "--sandbox-report")
	assert.NotContains(t, errOut, "warning")
}
