package gotest

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	assert.True(t, strings.HasPrefix(loud.Output, strings.Repeat("x", 99)+"\n"))
	assert.Less(t, len(loud.Output), 1100, "only the first 1000 bytes are kept, and a line that says so")
	assert.Contains(t, loud.Output, "99031 more bytes of output left out")
	assert.True(t, p.TimedOut, "a cut line still counts")
	assert.Equal(t, TimedOut, loud.Status)
	assert.Equal(t, "short\n", quiet.Output)
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
