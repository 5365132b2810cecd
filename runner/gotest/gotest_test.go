package gotest

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/expected from the current output")

// TestParseGolden folds recorded go test -json streams and compares the
// reports with testdata/expected. Run with -update after a deliberate change.
func TestParseGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			f, err := os.Open(in)
			require.NoError(t, err)
			defer f.Close()
			rep, err := Parse(f)
			require.NoError(t, err)
			got, err := json.MarshalIndent(rep, "", "  ")
			require.NoError(t, err)
			golden := filepath.Join("testdata", "expected", filepath.Base(in))
			if *update {
				require.NoError(t, os.WriteFile(golden, append(got, '\n'), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./runner/gotest -update to create it")
			assert.JSONEq(t, string(want), string(got))
		})
	}
}

func TestParseStatuses(t *testing.T) {
	load := func(name string) *Package {
		f, err := os.Open(filepath.Join("testdata", name))
		require.NoError(t, err)
		defer f.Close()
		rep, err := Parse(f)
		require.NoError(t, err)
		require.Len(t, rep.Packages, 1)
		return rep.Packages[0]
	}

	p := load("panic.json")
	assert.Equal(t, Fail, p.Status)
	assert.Equal(t, Pass, p.Find("TestTask1Pass").Status)
	assert.Equal(t, Fail, p.Find("TestTask2Fail").Status)
	require.Len(t, p.Find("TestTask2Fail").Subtests, 1)
	assert.Equal(t, Fail, p.Find("TestTask3Panic").Status)
	assert.Contains(t, p.Find("TestTask3Panic").Output, "panic: TODO: implement F")
	assert.Nil(t, p.Find("TestTask4Never"), "a test after a panic never starts")

	p = load("timeout.json")
	assert.True(t, p.TimedOut)
	assert.Equal(t, TimedOut, p.Find("TestTask4Never").Status)

	p = load("build.json")
	assert.Equal(t, BuildFailed, p.Status)
	require.Len(t, p.BuildErrors, 1)
	assert.Equal(t, Diagnostic{File: "labs/lab/b.go", Line: 2, Col: 12, Message: "undefined: undefined"}, p.BuildErrors[0])

	p = load("vet.json")
	assert.Equal(t, BuildFailed, p.Status)
	require.Len(t, p.BuildErrors, 1)
	assert.True(t, p.BuildErrors[0].Vet)

	p = load("cached.json")
	assert.True(t, p.Cached)
}

func TestParseKeepsPlainText(t *testing.T) {
	rep, err := Parse(strings.NewReader("no Go files in /x\n"))
	require.NoError(t, err)
	assert.Empty(t, rep.Packages)
	assert.Equal(t, "no Go files in /x\n", rep.Stderr)
}

// TestRun runs the real go test on a throwaway module.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := t.TempDir()
	write := func(name, src string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("m.go", "package m\n\nfunc Two() int { return 2 }\n")
	write("m_test.go", "package m\n\nimport \"testing\"\n\n"+
		"func TestTwo(t *testing.T) {\n\tif Two() != 2 {\n\t\tt.Fatal(\"bad\")\n\t}\n}\n\n"+
		"func TestThree(t *testing.T) { t.Fatal(\"Two() = 2, want 3\") }\n")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, Options{Dir: dir, Packages: []string{"."}, Count: 1, Env: []string{"GOWORK=off", "GOFLAGS=-mod=mod"}})
	require.NoError(t, err)
	require.Len(t, rep.Packages, 1)
	p := rep.Packages[0]
	assert.Equal(t, Fail, p.Status)
	assert.Equal(t, Pass, p.Find("TestTwo").Status)
	assert.Equal(t, Fail, p.Find("TestThree").Status)
	assert.Contains(t, p.Find("TestThree").Output, "Two() = 2, want 3")
}

// ParseKeep keeps a bounded part of each test's output and says how much
// it left out, so that a test that prints without end costs no memory.
func TestParseKeep(t *testing.T) {
	var in strings.Builder
	line := func(test, out string) {
		b, _ := json.Marshal(map[string]string{"Action": "output", "Package": "p", "Test": test, "Output": out})
		in.Write(append(b, '\n'))
	}
	in.WriteString(`{"Action":"run","Package":"p","Test":"TestTask1Loud"}` + "\n")
	for range 1000 {
		line("TestTask1Loud", strings.Repeat("x", 99)+"\n")
	}
	line("TestTask1Loud", "panic: test timed out after 1s\n")
	in.WriteString(`{"Action":"run","Package":"p","Test":"TestTask2Quiet"}` + "\n")
	line("TestTask2Quiet", "short\n")
	in.WriteString(`{"Action":"pass","Package":"p","Test":"TestTask2Quiet"}` + "\n")
	in.WriteString(`{"Action":"fail","Package":"p"}` + "\n")

	rep, err := ParseKeep(strings.NewReader(in.String()), 1000)
	require.NoError(t, err)
	p := rep.Packages[0]
	loud, quiet := p.Find("TestTask1Loud"), p.Find("TestTask2Quiet")
	assert.True(t, strings.HasPrefix(loud.Output, strings.Repeat("x", 99)+"\n"), "the first lines are kept")
	assert.True(t, strings.HasSuffix(loud.Output, "panic: test timed out after 1s\n"), "and the last, where the verdict is: %q", loud.Output)
	assert.Less(t, len(loud.Output), 1100, "about 1000 bytes are kept, and a line that says how many were not")
	// 500 bytes of head (5 lines) and 431 of tail (4 lines and the
	// panic's 31 bytes) out of 100031.
	assert.Contains(t, loud.Output, "\n... (99100 bytes of output left out here)\n")
	assert.Equal(t, int64(99100), LeftOut(loud.Output))
	assert.Equal(t, 5+1+4+1, strings.Count(loud.Output, "\n"), "whole lines: %q", loud.Output)
	assert.True(t, p.TimedOut, "a line left out still counts")
	assert.Equal(t, TimedOut, loud.Status)
	assert.Equal(t, "short\n", quiet.Output)
	assert.Zero(t, LeftOut(quiet.Output))
}

// generator is go test -json's stream for a test that prints lines
// without end (n of them, numbered), then fails with t.Error: made as it
// is read, so that no gigabytes sit on disk or in memory. Every step
// bytes it calls check.
type generator struct {
	n, i    int
	buf     []byte
	read    int64
	step    int64
	check   func()
	printed int64 // bytes of output in the events so far
}

func (g *generator) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		var out string
		switch {
		case g.i == 0:
			g.buf = []byte(`{"Action":"run","Package":"p","Test":"TestTask1Loud"}` + "\n")
			g.i++
			continue
		case g.i <= g.n:
			out = fmt.Sprintf("print %d of a loop that never ends %s\n", g.i, strings.Repeat(".", 1000))
		case g.i == g.n+1:
			out = "    loud_test.go:12: Serve did not return\n"
		case g.i == g.n+2:
			out = "--- FAIL: TestTask1Loud (1.00s)\n"
		case g.i == g.n+3:
			g.buf = []byte(`{"Action":"fail","Package":"p","Test":"TestTask1Loud"}` + "\n" + `{"Action":"fail","Package":"p"}` + "\n")
			g.i++
			continue
		default:
			return 0, io.EOF
		}
		g.i++
		g.printed += int64(len(out))
		b, _ := json.Marshal(map[string]string{"Action": "output", "Package": "p", "Test": "TestTask1Loud", "Output": out})
		g.buf = append(b, '\n')
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	if g.read/g.step != (g.read+int64(n))/g.step {
		g.check()
	}
	g.read += int64(n)
	return n, nil
}

// A test whose code prints far more than is kept costs the memory kept,
// not the memory printed: 16 MiB of prints in the stream, 128 KiB kept,
// and the live heap, looked at after a collection every MiB read, never
// grows by more than 4 MiB (about 200 KiB in practice). The test's t.Error, after the prints, is
// kept, and what was left out is counted to the byte.
func TestParseKeepBoundsMemory(t *testing.T) {
	const keep = 128 << 10
	var before, now runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	g := &generator{n: 17_000, step: 1 << 20, check: func() {
		runtime.GC()
		runtime.ReadMemStats(&now)
		peak = max(peak, now.HeapAlloc)
	}}
	rep, err := ParseKeep(g, keep)
	require.NoError(t, err)
	require.Greater(t, g.printed, int64(16<<20), "the stream carried more than 16 MiB of prints")
	require.Greater(t, peak, uint64(0), "the heap was looked at")
	grown := int64(peak) - int64(before.HeapAlloc)
	t.Logf("the heap grew by %d bytes at most", grown)
	assert.Less(t, grown, int64(4<<20), "the heap grew by %d bytes while %d bytes were printed", grown, g.printed)

	out := rep.Packages[0].Find("TestTask1Loud").Output
	assert.True(t, strings.HasPrefix(out, "print 1 of a loop"), "the first prints are kept")
	assert.Contains(t, out, "    loud_test.go:12: Serve did not return\n", "the message after the prints is kept")
	assert.LessOrEqual(t, len(out), keep+100)
	kept := int64(len(out) - len(fmt.Sprintf(leftOut, LeftOut(out))))
	assert.Equal(t, g.printed, kept+LeftOut(out), "what was left out and what was kept add up to what was printed")
}

// capped holds no more than its keep, and a crash's lines no more than
// its pinKeep, counted after every write, whatever the sizes of the
// pieces: lines, a piece longer than the whole keep (cut at a
// character's start), empty ones, crashes' dumps (a time-out's, one whose
// stacks are longer than blockKeep, one cut short).
func TestCappedStaysWithinKeep(t *testing.T) {
	deep := []string{"panic: runtime error: stack overflow\n", "\n", "goroutine 7 [running]:\n"}
	for range 400 {
		deep = append(deep, "p.recurse(0x1)\n", "\t/p/deep.go:3 +0x1d\n")
	}
	for _, keep := range []int{1, 10, 1000, 4096, 64 << 10} {
		c := &capped{keep: keep}
		var total int64
		write := func(s string) {
			c.write(s)
			total += int64(len(s))
			live := len(c.tail) - c.start
			// Checked by hand, then said by require: testify's calls,
			// a million of them, would take most of the test's time.
			if c.head.Len() > keep/2 || c.tailLen > keep-keep/2 || c.pinnedLen-c.raceLen > c.pinKeep() ||
				c.raceLen > c.raceKeep() || c.crash.blockLen > blockKeep || len(c.tail) > 2*live+2 {
				require.LessOrEqual(t, c.head.Len(), keep/2, "keep %d: head", keep)
				require.LessOrEqual(t, c.tailLen, keep-keep/2, "keep %d: tail", keep)
				require.LessOrEqual(t, c.pinnedLen-c.raceLen, c.pinKeep(), "keep %d: a crash's lines", keep)
				require.LessOrEqual(t, c.raceLen, c.raceKeep(), "keep %d: races' reports", keep)
				require.LessOrEqual(t, c.crash.blockLen, blockKeep, "keep %d: a stack", keep)
				require.LessOrEqual(t, len(c.tail), 2*live+2, "keep %d: pieces dropped do not pile up", keep)
			}
		}
		for i := range 20_000 {
			s := strings.Repeat("é", i%300) + "\n"
			if i%1000 == 999 {
				s = strings.Repeat("汉", 3000) // 9000 bytes, more than any keep here
			}
			write(s)
			switch i % 5000 {
			case 1000:
				for _, s := range timeOutDump("TestX", 300) {
					write(s)
				}
			case 2000:
				for _, s := range deep {
					write(s)
				}
			case 3000:
				for _, s := range timeOutDump("TestX", 300)[:40] {
					write(s)
				}
			case 3500, 3600, 4000:
				for _, s := range raceReport(i) {
					write(s)
				}
			case 3700:
				// A report that never closes, and lines of "=" alone.
				for _, s := range raceReport(i)[:10] {
					write(s)
				}
				for range 100 {
					write(raceFence)
					write("not a race\n")
				}
			}
		}
		c.close()
		out := c.String()
		assert.True(t, utf8.ValidString(out), "keep %d: no character cut in two", keep)
		assert.Equal(t, total, int64(c.head.Len()+c.pinnedLen+c.tailLen)+LeftOut(out), "keep %d: every byte kept or counted", keep)
	}
	var all capped
	all.write("a\n")
	all.write("b")
	assert.Equal(t, "a\nb", all.String(), "keep 0 keeps everything as written")
}

// timeOutDump is what the test binary prints when its time runs out
// while test runs: the panic, the running test's name, the alarm's stack
// and the main goroutine's, junk stacks of goroutines the test left
// blocked, the test's own (waiting in hang.go:9) after the first half of
// them, and a last line, as test2json gives them: a line at a time.
func timeOutDump(test string, junk int) []string {
	out := []string{"panic: test timed out after 2m0s\n", "\trunning tests:\n", "\t\t" + test + " (2m0s)\n", "\n",
		"goroutine 5 [running]:\n", "testing.(*M).startAlarm.func1()\n", "\t/usr/local/go/src/testing/testing.go:2802 +0x354\n",
		"created by time.goFunc\n", "\t/usr/local/go/src/time/sleep.go:215 +0x2d\n", "\n",
		"goroutine 1 [chan receive]:\n", "testing.(*T).Run(0x3ba73fa9c248, {0x588d0f?, 0x0?}, 0x596610)\n",
		"\t/usr/local/go/src/testing/testing.go:2109 +0x4e5\n", "testing.tRunner(0x3ba73fa9c248, 0x3ba73faddc58)\n",
		"\t/usr/local/go/src/testing/testing.go:2036 +0xea\n", "main.main()\n", "\t_testmain.go:48 +0x9b\n"}
	for i := range junk {
		if i == junk/2 {
			out = append(out, "\n", "goroutine 19 [select (no cases)]:\n", "p.Spin(...)\n", "\t/p/hang.go:9 +0x57\n",
				"p."+test+"(0x3ba73fa9c488)\n", "\t/p/hang_test.go:13 +0x76\n",
				"testing.tRunner(0x3ba73fa9c488, 0x596610)\n", "\t/usr/local/go/src/testing/testing.go:2036 +0xea\n",
				"created by testing.(*T).Run in goroutine 1\n", "\t/usr/local/go/src/testing/testing.go:2101 +0x4c5\n")
		}
		out = append(out, "\n", fmt.Sprintf("goroutine %d [select (no cases)]:\n", 100+i), "p."+test+".func1()\n",
			"\t/p/hang_test.go:10 +0xf\n", "created by p."+test+" in goroutine 19\n", "\t/p/hang_test.go:10 +0x28\n")
	}
	return append(out, "last line\n")
}

// A test that times out after printing more than is kept, with a dump of
// its goroutines longer than the tail (here 200 KiB of prints and a
// 250 KiB dump, 64 KiB kept), keeps the panic's lines, the running
// test's name and the stack of the test's own goroutine, wherever they
// were, in their order and within a bound, each gap said; the stacks of
// other goroutines are left out as the prints are. Lines the code prints
// that read like a panic (many, before it) do not take the real one's
// place.
func TestParseKeepKeepsACrashsVerdictAndTheTestsStack(t *testing.T) {
	for _, prompt := range []string{"", "> "} {
		t.Run(fmt.Sprintf("after %q", prompt), func(t *testing.T) { keepsACrash(t, prompt) })
	}
}

// keepsACrash is TestParseKeepKeepsACrashsVerdictAndTheTestsStack, the
// code's last print being prompt, a line it left unfinished (given
// apart, as test2json may give it).
func keepsACrash(t *testing.T, prompt string) {
	const keep = 64 << 10
	var in strings.Builder
	var printed int64
	line := func(out string) {
		b, _ := json.Marshal(map[string]string{"Action": "output", "Package": "p", "Test": "TestTask1Hang", "Output": out})
		in.Write(append(b, '\n'))
		printed += int64(len(out))
	}
	in.WriteString(`{"Action":"run","Package":"p","Test":"TestTask1Hang"}` + "\n")
	line("=== RUN   TestTask1Hang\n")
	for i := range 2000 {
		line(fmt.Sprintf("print %d %s\n", i, strings.Repeat("x", 90)))
		if i%2 == 1 {
			line("panic: recovered in the handler, said by the code\n")
		}
	}
	if prompt != "" {
		line(prompt)
	}
	dump := timeOutDump("TestTask1Hang", 2000)
	for _, out := range dump {
		line(out)
	}
	in.WriteString(`{"Action":"fail","Package":"p"}` + "\n")

	rep, err := ParseKeep(strings.NewReader(in.String()), keep)
	require.NoError(t, err)
	p := rep.Packages[0]
	assert.True(t, p.TimedOut)
	out := p.Find("TestTask1Hang").Output
	require.Greater(t, printed, int64(400<<10))
	require.LessOrEqual(t, len(out), keep+(16<<10)+1000, "the keep, the crash's lines and the lines that say what was left out")

	verdict := strings.Join(dump[:4], "")
	own := strings.Join(dump[slices.Index(dump, "goroutine 19 [select (no cases)]:\n"):][:10], "")
	alarm := strings.Join(dump[4:10], "")
	for _, want := range []string{"=== RUN   TestTask1Hang\nprint 0 x", verdict, alarm, own, "last line\n"} {
		assert.Equal(t, 1, strings.Count(out, want), "kept once: %q", want)
	}
	i, j, k := strings.Index(out, verdict), strings.Index(out, own), strings.Index(out, "last line\n")
	assert.True(t, 0 < i && i < j && j < k, "in their order: %d %d %d", i, j, k)
	assert.NotContains(t, out, "main.main()", "the main goroutine's stack is not a test's")
	assert.Less(t, strings.Count(out, ".func1()"), 500, "the other stacks are left out as the prints are")
	gap := leftOutLine.FindStringIndex(out)
	require.NotNil(t, gap)
	assert.NotContains(t, out[gap[0]:i], "said by the code", "the code's lines that read like a panic are not kept as one")
	kept := int64(len(out))
	for _, m := range leftOutLine.FindAllString(out, -1) {
		kept -= int64(len(m) + 1)
	}
	assert.Equal(t, printed, kept+LeftOut(out), "what was left out, in every gap, and what was kept add up to what was printed")
	assert.GreaterOrEqual(t, len(leftOutLine.FindAllString(out, -1)), 2, "a line says each gap")

	// Kept whole, the same output has no gap.
	all, err := ParseKeep(strings.NewReader(in.String()), 0)
	require.NoError(t, err)
	assert.Equal(t, printed, int64(len(all.Packages[0].Find("TestTask1Hang").Output)))
}

// Ended tells a test binary that ran to its end (the testing package's
// verdict is its last line, whatever go test adds after it) from one that
// crashed, was killed or ended itself, also when it printed a verdict of
// its own before that.
func TestParseEnded(t *testing.T) {
	ev := func(out string) string {
		b, _ := json.Marshal(map[string]string{"Action": "output", "Package": "p", "Output": out})
		return string(b) + "\n"
	}
	for _, tc := range []struct {
		name  string
		lines []string
		want  bool
	}{
		{"a task failed", []string{ev("FAIL\n"), ev("FAIL\tp\t0.01s\n")}, true},
		{"every task passed", []string{ev("PASS\n"), ev("ok  \tp\t0.01s\n")}, true},
		{"a crash", []string{ev("panic: boom\n"), ev("\n"), ev("goroutine 1 [running]:\n"), ev("FAIL\tp\t0.01s\n")}, false},
		{"a verdict, then a crash", []string{ev("FAIL\n"), ev("panic: boom\n"), ev("FAIL\tp\t0.01s\n")}, false},
		{"killed", []string{ev("*** Test killed: ran too long (1m1s).\n"), ev("FAIL\tp\t61.0s\n")}, false},
	} {
		rep, err := Parse(strings.NewReader(strings.Join(tc.lines, "") + `{"Action":"fail","Package":"p"}` + "\n"))
		require.NoError(t, err)
		require.Len(t, rep.Packages, 1)
		assert.Equal(t, tc.want, rep.Packages[0].Ended, tc.name)
	}
}

// The go command, run in a module's folder, writes a file beside it whose
// name starts with the folder's (book and book-x) as Shortened says.
func TestShortenedIsWhatTheGoCommandWrites(t *testing.T) {
	tmp := t.TempDir()
	dir, beside := filepath.Join(tmp, "book"), filepath.Join(tmp, "book-x")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "p"), 0o755))
	require.NoError(t, os.MkdirAll(beside, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module book\n\ngo 1.21\n"), 0o644))
	bad := filepath.Join(beside, "p.go")
	require.NoError(t, os.WriteFile(bad, []byte("package p\n\nvar x = undefinedName\n"), 0o644))
	ov, err := WriteOverlay(tmp, map[string]string{filepath.Join(dir, "p", "p.go"): bad})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-overlay", ov, "./p")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the build must fail: %s", out)
	assert.Contains(t, string(out), Shortened(dir, bad)+":3:9", "what the go command wrote")

	assert.Equal(t, "", Shortened(dir, filepath.Join(dir, "p", "p.go")), "a file inside dir")
	assert.Equal(t, "", Shortened(dir, filepath.Join(tmp, "other", "p.go")), "a file elsewhere")
}

// raceReport is a data race's report as the race detector writes it (lab
// 09's, from a real run), as test2json gives it: a line at a time; n
// tells one report from another.
func raceReport(n int) []string {
	return []string{"==================\n", "WARNING: DATA RACE\n",
		fmt.Sprintf("Read at 0x00c000%06d by goroutine 15:\n", n),
		"  runtime.mapIterStart()\n", "      /usr/local/go/src/runtime/map.go:156 +0x0\n",
		"  github.com/netbook/netbook/labs/09-chat-room.(*room).sendAll()\n", "      /p/labs/09-chat-room/server.go:208 +0xe5\n",
		"  github.com/netbook/netbook/labs/09-chat-room.Serve.func1()\n", "      /p/labs/09-chat-room/server.go:62 +0x46\n",
		"\n", fmt.Sprintf("Previous write at 0x00c000%06d by goroutine 33:\n", n),
		"  runtime.mapassign_fast64()\n", "      /usr/local/go/src/internal/runtime/maps/runtime_fast64.go:196 +0x0\n",
		"  github.com/netbook/netbook/labs/09-chat-room.(*room).join()\n", "      /p/labs/09-chat-room/server.go:171 +0x3f1\n",
		"\n", "Goroutine 15 (running) created at:\n", "  sync.(*WaitGroup).Go()\n", "      /usr/local/go/src/sync/waitgroup.go:238 +0x72\n",
		"\n", "Goroutine 33 (running) created at:\n", "  sync.(*WaitGroup).Go()\n", "      /usr/local/go/src/sync/waitgroup.go:238 +0x72\n",
		"==================\n"}
}

// A data race's report, written in the middle of megabytes of prints, is
// kept whole and once, in its place between the head and the tail, the
// gaps said, as a crash's lines are; so are the next reports while there
// is room (raceKeep), each whole, and lines of "=" the code prints alone
// are prints. A crash after the reports (a time-out) keeps its lines too,
// and keeps the reports.
func TestParseKeepKeepsARaceReport(t *testing.T) {
	for _, crash := range []bool{false, true} {
		t.Run(fmt.Sprintf("crash %v", crash), func(t *testing.T) {
			var in strings.Builder
			var printed int64
			line := func(out string) {
				b, _ := json.Marshal(map[string]string{"Action": "output", "Package": "p", "Test": "TestTask11Robust", "Output": out})
				in.Write(append(b, '\n'))
				printed += int64(len(out))
			}
			prints := func(n int) {
				for i := range n {
					line(fmt.Sprintf("print %d %s\n", i, strings.Repeat("x", 90)))
					if i%100 == 0 {
						line(raceFence) // the code's own line of "="
					}
				}
			}
			in.WriteString(`{"Action":"run","Package":"p","Test":"TestTask11Robust"}` + "\n")
			line("=== RUN   TestTask11Robust\n")
			prints(20_000)
			var reports [][]string
			for i := range 40 {
				reports = append(reports, raceReport(i))
				for _, s := range reports[i] {
					line(s)
				}
				prints(50)
			}
			prints(20_000)
			if crash {
				for _, s := range timeOutDump("TestTask11Robust", 2000) {
					line(s)
				}
			} else {
				line("    testing.go:1712: race detected during execution of test\n")
			}
			in.WriteString(`{"Action":"fail","Package":"p","Test":"TestTask11Robust"}` + "\n")

			rep, err := ParseKeep(strings.NewReader(in.String()), DefaultKeep)
			require.NoError(t, err)
			out := rep.Packages[0].Find("TestTask11Robust").Output
			require.Greater(t, printed, int64(3<<20))
			require.LessOrEqual(t, len(out), DefaultKeep+DefaultKeep/8+DefaultKeep/16+4000, "the keep, a crash's lines, the races' and the gaps' lines")

			first := strings.Join(reports[0], "")
			assert.Equal(t, 1, strings.Count(out, first), "the first report is kept, whole and once")
			head := strings.Index(out, "print 0 x")
			at := strings.Index(out, first)
			assert.True(t, head >= 0 && head < at && at < strings.LastIndex(out, "print 19999 x"), "in its place, between the head and the tail")
			whole := 0
			for i, r := range reports {
				whole += strings.Count(out, strings.Join(r, ""))
				if i < 10 {
					assert.Contains(t, out, strings.Join(r, ""), "report %d: there is room for it", i)
				}
			}
			assert.Equal(t, strings.Count(out, "WARNING: DATA RACE\n"), whole, "the reports kept are kept whole")
			if crash {
				assert.Contains(t, out, "panic: test timed out after 2m0s\n\trunning tests:\n\t\tTestTask11Robust (2m0s)\n")
				assert.Contains(t, out, "goroutine 19 [select (no cases)]:\n")
				assert.Less(t, strings.Index(out, first), strings.Index(out, "panic: test timed out"))
			} else {
				assert.True(t, strings.HasSuffix(out, "    testing.go:1712: race detected during execution of test\n"))
			}
			assert.Less(t, strings.Count(out, raceFence), 2*whole+2*(DefaultKeep/9000)+50, "the code's lines of \"=\" are left out as prints are")
			kept := int64(len(out))
			for _, m := range leftOutLine.FindAllString(out, -1) {
				kept -= int64(len(m) + 1)
			}
			assert.Equal(t, printed, kept+LeftOut(out), "what was left out and what was kept add up to what was printed")
		})
	}
}
