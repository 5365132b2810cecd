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

// capped holds no more than its keep, counted after every write, whatever
// the sizes of the pieces: lines, a piece longer than the whole keep
// (cut at a character's start), empty ones.
func TestCappedStaysWithinKeep(t *testing.T) {
	for _, keep := range []int{1, 10, 1000, 4096} {
		c := &capped{keep: keep}
		var total int64
		for i := range 20_000 {
			s := strings.Repeat("é", i%300) + "\n"
			if i%1000 == 999 {
				s = strings.Repeat("汉", 3000) // 9000 bytes, more than any keep here
			}
			c.write(s)
			total += int64(len(s))
			require.LessOrEqual(t, c.head.Len(), keep/2, "keep %d: head", keep)
			require.LessOrEqual(t, c.tailLen, keep-keep/2, "keep %d: tail", keep)
			live := len(c.tail) - c.start
			require.LessOrEqual(t, len(c.tail), 2*live+2, "keep %d: pieces dropped do not pile up", keep)
		}
		out := c.String()
		assert.True(t, utf8.ValidString(out), "keep %d: no character cut in two", keep)
		assert.Equal(t, total, int64(c.head.Len()+c.tailLen)+LeftOut(out), "keep %d: every byte kept or counted", keep)
	}
	var all capped
	all.write("a\n")
	all.write("b")
	assert.Equal(t, "a\nb", all.String(), "keep 0 keeps everything as written")
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
