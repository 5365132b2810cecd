package interp

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// modern is modernLoops for the body of main, with go/types told of fmt,
// and of time imported as t.
func modern(t *testing.T, body string) string {
	t.Helper()
	ex, _, err := Symbols(".")
	require.NoError(t, err)
	src := "package main\n\nimport \"fmt\"\nimport t \"time\"\n\nfunc main() {\n" + body + "\n}\n"
	out, _ := modernProgram("x.go", src, newSymImporter(ex))
	assert.Equal(t, strings.Count(src, "\n"), strings.Count(out, "\n"), "every line keeps its number")
	return strings.TrimSuffix(strings.TrimPrefix(out, "package main\n\nimport \"fmt\"\nimport t \"time\"\n\nfunc main() {\n"), "\n}\n")
}

func TestModernLoops(t *testing.T) {
	for src, want := range map[string]string{
		"for i := range 3 { fmt.Println(i) }":                 "for _nbi1, _nbn1 := int(0), int(3); _nbi1 < _nbn1; _nbi1++ { i := _nbi1; _ = i; fmt.Println(i) }",
		"var n int64 = 2\nfor range n {}":                     "var n int64 = 2\nfor _nbi1, _nbn1 := int64(0), int64(n); _nbi1 < _nbn1; _nbi1++ {}",
		"var i uint8\nfor i = range 3 {}\n_ = i":              "var i uint8\nfor _nbi1, _nbn1 := uint8(0), uint8(3); _nbi1 < _nbn1; _nbi1++ { i = _nbi1;}\n_ = i",
		"var d t.Duration = 2\nfor range d {}":                "var d t.Duration = 2\nfor _nbi1, _nbn1 := t.Duration(0), t.Duration(d); _nbi1 < _nbn1; _nbi1++ {}",
		"for i := range 3 {\n\ti := 2\n\t_ = i\n}":            "for _nbi1, _nbn1 := int(0), int(3); _nbi1 < _nbn1; _nbi1++ { i := _nbi1; _ = i; {\n\ti := 2\n\t_ = i\n}}",
		"for k, v := range []int{1} { go fmt.Println(k, v) }": "for k, v := range []int{1} { k, v := k, v; go fmt.Println(k, v) }",
		"for _, v := range []int{1} { _ = &v }":               "for _, v := range []int{1} { v := v; _ = &v }",
		"for i := 0; i < 3; i++ {\n\tif i == 1 {\n\t\tcontinue\n\t}\n\tdefer func() { fmt.Println(i) }()\n}":                          "for i := 0; i < 3; i++ { _nbp1 := &i; i := i;\n\tif i == 1 {\n\t\t{ *_nbp1 = i; continue }\n\t}\n\tdefer func() { fmt.Println(i) }()\n; *_nbp1 = i; }",
		"L:\n\tfor i := 0; i < 3; i++ {\n\t\tfor j := 0; j < 3; j++ {\n\t\t\tcontinue L\n\t\t}\n\t\t_ = func() int { return i }\n\t}": "L:\n\tfor i := 0; i < 3; i++ { _nbp1 := &i; i := i;\n\t\tfor j := 0; j < 3; j++ {\n\t\t\t{ *_nbp1 = i; continue L }\n\t\t}\n\t\t_ = func() int { return i }\n\t; *_nbp1 = i; }",
	} {
		assert.Equal(t, want, modern(t, src), src)
	}
	for src, why := range map[string]string{
		"for k, v := range []int{1} { fmt.Println(k, v) }":                                                                  "nothing keeps the variables past their iteration",
		"for i := 0; i < 3; i++ { fmt.Println(i) }":                                                                         "nothing refers to i past its iteration",
		"for i := 0; i < 3; i++ {\n\t_ = func() int { return i }\n\tif true {\n\t\ti := 5\n\t\t_ = i\n\t\tcontinue\n\t}\n}": "a continue where i is another variable",
		"for i := range\n3 {}": "a header over two lines",
	} {
		out := modern(t, src)
		assert.Equal(t, src, out, why)
	}
}

// The Go toolchain prints this program's output (go run); the interpreter
// (yaegi v0.16.1) alone panicked at the first loop ("nil type"), and its
// closures and goroutines saw the last value of a loop's variable.
// loopProgram's goroutines, and those of the tests below, wait for the
// loop that starts them to end: yaegi v0.16.1 races with itself (under
// -race) when a goroutine's func literal returns while its creator makes
// the next one (getFunc writes the frame's slot under a lock and reads it
// without). Waiting also makes each goroutine read its variable after the
// loop has moved on, where a shared variable would show.
const loopProgram = `package main

import (
	"fmt"
	"sort"
	"sync"
)

type port uint16

func main() {
	for i := range 3 {
		fmt.Print(i, " ")
	}
	var p port = 2
	for q := range p {
		fmt.Print(q+8080, " ")
	}
	for range 2 {
		fmt.Print(".")
	}
	var last int
	for last = range 4 {
	}
	fmt.Println(last)
	var fns []func() int
	for i := 0; i < 3; i++ {
		fns = append(fns, func() int { return i })
	}
	var ptrs []*string
	for _, s := range []string{"a", "b"} {
		ptrs = append(ptrs, &s)
	}
	for n := range 2 {
		fns = append(fns, func() int { return n * 10 })
	}
	for _, f := range fns {
		fmt.Print(f(), " ")
	}
	fmt.Println(*ptrs[0], *ptrs[1])
	var mu sync.Mutex
	var wg sync.WaitGroup
	var got []string
	start := make(chan struct{})
	for _, c := range []string{"conn1", "conn2", "conn3"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			mu.Lock()
			got = append(got, c)
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	sort.Strings(got)
	fmt.Println(got)
	fns = nil
outer:
	for i := 0; i < 4; i++ {
		if i == 1 {
			continue
		}
		for j := 0; j < 3; j++ {
			if j == 2 {
				continue outer
			}
			fns = append(fns, func() int { return i*10 + j })
		}
	}
	for i := 0; i < 8; i++ {
		fns = append(fns, func() int { return i })
		i += 2
	}
	for i := range 3 {
		i *= 5
		fns = append(fns, func() int { return i })
	}
	for _, f := range fns {
		fmt.Print(f(), " ")
	}
	fmt.Println()
}
`

const loopOutput = "0 1 2 8080 8081 ..3\n0 1 2 0 10 a b\n[conn1 conn2 conn3]\n0 1 20 21 30 31 2 5 8 0 5 10 \n"

func runProgram(t *testing.T, src string) (int, string, string) {
	t.Helper()
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("main.go", []byte(src), 0o644))
	var out, errOut lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Run("main.go", nil, strings.NewReader(""), &out, &errOut) }()
	select {
	case code := <-done:
		return code, out.String(), errOut.String()
	case <-time.After(time.Minute):
		t.Fatal("the program did not end")
	}
	return 0, "", ""
}

func TestRunLoopsAsGo122(t *testing.T) {
	code, out, errOut := runProgram(t, loopProgram)
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, loopOutput, out)
}

// Errors and panics still name the student's lines.
func TestRunLoopsKeepTheirLines(t *testing.T) {
	code, _, errOut := runProgram(t, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := range 3 {\n\t\tfmt.Println(i)\n\t}\n\tvar s string = 1\n\tfmt.Println(s)\n}\n")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "main.go:9:")
	code, out, errOut := runProgram(t, "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := range 3 {\n\t\tfmt.Println(i)\n\t\ta := []int{}\n\t\t_ = a[i]\n\t}\n}\n")
	assert.Equal(t, ExitPanic, code)
	assert.Equal(t, "0\n", out)
	stderr := regexp.MustCompile(`(?m)^main\.go:\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut, "")
	assert.Equal(t, "panic: runtime error: index out of range\n\ngoroutine 1 [running]:\n\t(no stack trace: the interpreter keeps none)\n", stderr)
}

// A goroutine's panic in a rewritten loop is named by its go statement's
// line.
func TestRunLoopGoroutinePanicNamesItsLine(t *testing.T) {
	defer func(e func(int)) { exit = e }(exit)
	exited := make(chan int, 1)
	exit = func(code int) {
		exited <- code
		select {}
	}
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("main.go", []byte("package main\n\nimport \"time\"\n\nfunc main() {\n\tstart := make(chan bool)\n\tfor i := range 3 {\n\t\tgo func() {\n\t\t\t<-start\n\t\t\tif i == 2 {\n\t\t\t\tpanic(i)\n\t\t\t}\n\t\t}()\n\t}\n\tclose(start)\n\ttime.Sleep(time.Minute)\n}\n"), 0o644))
	var out, errOut lockedBuffer
	go func() { Run("main.go", nil, strings.NewReader(""), &out, &errOut) }()
	select {
	case code := <-exited:
		assert.Equal(t, ExitPanic, code)
	case <-time.After(time.Minute):
		t.Fatal("the goroutine's panic did not end the program")
	}
	assert.Regexp(t, `^panic: 2\n\ngoroutine \d+ \[running\]:\n\t\(no stack trace: the interpreter keeps none\)\ncreated by the go statement\n\tmain.go:8\n$`, errOut.String())
}

func TestREPLLoopsAsGo122(t *testing.T) {
	out, errOut, _ := repl(t, "for i := range 3 { fmt.Print(i, \" \") }\n"+
		"n := 2\n"+
		"for range n { fmt.Print(\".\") }\n"+
		"type port uint16\n"+
		"var p port = 2\n"+
		"for q := range p { fmt.Print(q+8080, \" \") }\n"+
		"func two() int { return 2 }\n"+
		"for i := range two() { fmt.Print(i) }\n"+
		"var fns []func() int\n"+
		"for i := 0; i < 3; i++ {\n"+
		"\tif i == 1 {\n"+
		"\t\tcontinue\n"+
		"\t}\n"+
		"\tfns = append(fns, func() int { return i })\n"+
		"}\n"+
		"for _, f := range fns { fmt.Print(f(), \" \") }\n"+
		"import \"sync\"\n"+
		// One input: a goroutine that reads the session's variables
		// while the next input runs races with it in the interpreter
		// (yaegi v0.16.1; see TestREPLGoStatementStartsNoRace).
		"func() { var wg sync.WaitGroup; got := make([]string, 2); start := make(chan bool); for k, c := range []string{\"a\", \"b\"} { wg.Add(1); go func() { defer wg.Done(); <-start; got[k] = c }() }; close(start); wg.Wait(); fmt.Println(got) }()\n")
	assert.Empty(t, errOut)
	assert.Equal(t, "0 1 2 ..8080 8081 010 2 [a b]\n", out)
}

// An error or a panic in a rewritten loop names the input's lines.
func TestREPLLoopErrorNamesItsLine(t *testing.T) {
	out, errOut, _ := replLines(t, "x := []int{7}\n"+
		"for i := range 3 {\n\tfmt.Println(x[i])\n}\n"+
		"for i := range 2 {\n\tfmt.Println(i)\n\tvar s string = i\n\t_ = s\n}\n", true)
	assert.Equal(t, "7\n", out)
	// The interpreter's frame lines, which netbook cuts (runner/interpbin).
	errOut = regexp.MustCompile(`(?m)^\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut, "")
	assert.Equal(t, "lines 2-4: panic: runtime error: index out of range\n"+
		"goroutine 1 [running]: no stack trace in the REPL\n"+
		"line 7: cannot use type int as type string in assignment\n", errOut)
}
