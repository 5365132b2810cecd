package interp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/replproto"
)

func TestCheckNetAllowsLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		op, network, addr string
		ok                bool
	}{
		{"listen", "tcp", "127.0.0.1:0", true},
		{"listen", "udp", "[::1]:0", true},
		{"listen", "tcp", "localhost:0", true},
		{"dial", "tcp", "127.0.0.2:80", true},
		{"dial", "tcp", ":8080", true},
		{"listen", "tcp", ":0", false},
		{"listen", "tcp", "0.0.0.0:0", false},
		{"dial", "tcp", "10.0.0.1:80", false},
		{"dial", "tcp", "example.com:80", false},
		{"dial", "unix", "/tmp/x.sock", false},
		{"dial", "ip4:icmp", "127.0.0.1", false},
	} {
		err := checkNet(tc.op, tc.network, tc.addr)
		if tc.ok {
			assert.NoError(t, err, "%s %s %s", tc.op, tc.network, tc.addr)
		} else {
			assert.ErrorIs(t, err, ErrNotLoopback, "%s %s %s", tc.op, tc.network, tc.addr)
		}
	}
}

func TestJailKeepsNamesInsideItsDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	j, err := newJail(dir)
	require.NoError(t, err)
	for _, name := range []string{"a.txt", "sub/b.txt", dir, filepath.Join(dir, "x"), "sub/../c"} {
		assert.NoError(t, j.check("open", name), name)
	}
	for _, name := range []string{"../x", "/etc/passwd", "sub/../../x", filepath.Dir(dir)} {
		err := j.check("open", name)
		assert.ErrorIs(t, err, ErrOutside, name)
		var pe *os.PathError
		assert.True(t, errors.As(err, &pe), "a *PathError, as os returns")
	}
}

func TestCheckSourceNamesThePackageAndWhy(t *testing.T) {
	_, has, err := Symbols(t.TempDir())
	require.NoError(t, err)
	for _, tc := range []struct{ src, want string }{
		{"package main\nimport \"os/exec\"\nfunc main() { exec.Command(\"x\") }\n", `x.go:2:8: import "os/exec" is not allowed in netbook's interpreter: snippets cannot start other programs`},
		{"package main\nimport \"syscall\"\nfunc main() {}\n", `import "syscall" is not allowed`},
		{"package main\nimport \"unsafe\"\nfunc main() {}\n", `import "unsafe" is not allowed`},
		{"package main\nimport \"iter\"\nfunc main() {}\n", `"iter" is newer or unknown`},
		{"package main\nimport \"golang.org/x/text/encoding\"\nfunc main() {}\n", "no other modules"},
		{"package main\nimport \"os\"\nfunc main() { os.Chdir(\"/\") }\n", "x.go:3:15: os.Chdir is not available in netbook's interpreter"},
		{"package main\nimport h \"net/http\"\nfunc main() { _ = h.Dir(\"/\") }\n", "h.Dir is not available"},
	} {
		err := CheckSource("x.go", tc.src, has)
		assert.ErrorContains(t, err, tc.want)
	}
	assert.NoError(t, CheckSource("x.go", "package main\nimport (\"net\"; \"os\"; \"fmt\")\nfunc main() { fmt.Println(os.Args, net.IPv4len) }\n", has))
	assert.NoError(t, CheckSource("x.go", "not go at all", has), "syntax errors are the interpreter's to report")
}

func TestSymbolsLeaveOutTheDenied(t *testing.T) {
	ex, has, err := Symbols(t.TempDir())
	require.NoError(t, err)
	for p := range Denied {
		assert.False(t, has(p), p)
	}
	for name := range DeniedSymbols {
		dot := strings.LastIndex(name, ".")
		p, sym := name[:dot], name[dot+1:]
		m := ex[p+"/"+filepath.Base(p)]
		require.NotNil(t, m, p)
		_, ok := m[sym]
		assert.False(t, ok, name)
	}
	_, ok := ex[selfKey]
	assert.False(t, ok, "yaegi's own table would hand out the unfiltered symbols")
	for _, p := range []string{"net", "bufio", "fmt", "os", "encoding/json", "net/http", "time", "context", "sync"} {
		assert.True(t, has(p), p)
	}
}

// repl plays input to Serve a line at a time, as netbook repl does (an
// input that stops early is sent again with its next line), and returns
// what the session printed and each input's status.
func repl(t *testing.T, input string) (string, string, []replproto.Status) {
	t.Helper()
	return replLines(t, input, false)
}

// replLines is repl, with each request's First set, as netbook repl sets
// it when its input is a pipe, when piped is true.
func replLines(t *testing.T, input string, piped bool) (string, string, []replproto.Status) {
	t.Helper()
	return replUntil(t, input, piped, nil)
}

// replUntil is replLines that, with its input played, waits for wait to
// close before it ends the session: for what a goroutine does later.
func replUntil(t *testing.T, input string, piped bool, wait <-chan struct{}) (string, string, []replproto.Status) {
	t.Helper()
	t.Chdir(t.TempDir())
	reqR, reqW := io.Pipe()
	resR, resW := io.Pipe()
	var out, errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- Serve(reqR, resW, &out, &errOut)
		resW.Close()
	}()
	var statuses []replproto.Status
	played := make(chan struct{})
	go func() {
		defer close(played)
		defer reqW.Close()
		enc, dec := json.NewEncoder(reqW), json.NewDecoder(resR)
		src, first := "", 0
		for n, line := range strings.Split(strings.TrimSuffix(input, "\n"), "\n") {
			if src == "" && piped {
				first = n + 1
			}
			src += line + "\n"
			var r replproto.Result
			if enc.Encode(replproto.Request{Src: src, Line: line, First: first}) != nil || dec.Decode(&r) != nil {
				return
			}
			statuses = append(statuses, r.Status)
			if r.Status != replproto.Incomplete {
				src = ""
			}
		}
		if wait != nil {
			select {
			case <-wait:
			case <-time.After(30 * time.Second):
			}
		}
	}()
	select {
	case <-played:
	case <-time.After(30 * time.Second):
		t.Fatal("the REPL did not finish its input")
	}
	select {
	case code := <-done:
		require.Equal(t, 0, code)
	case <-time.After(30 * time.Second):
		t.Fatal("the REPL did not end with its input")
	}
	return out.String(), errOut.String(), statuses
}

func TestREPLFromAPipe(t *testing.T) {
	input := `ln, _ := net.Listen("tcp", "127.0.0.1:0")` + "\n" +
		`go func() { c, _ := ln.Accept(); fmt.Fprintln(c, "hello"); c.Close() }()` + "\n" +
		`c, _ := net.Dial("tcp", ln.Addr().String()); bufio.NewReader(c).ReadString('\n')` + "\n" +
		"1 + 2\n" +
		"x := 5\n" +
		"func triple(n int) int {\n" +
		"\treturn 3 * n\n" +
		"}\n" +
		"triple(x)\n" +
		"import \"os/exec\"\n" +
		"b, _ := json.Marshal(map[string]int{\"a\": 1})\n" +
		"string(b)\n" +
		"time.Duration(1500) * time.Millisecond\n" +
		"time.Sleep(time.Millisecond)\n" +
		"net.Dial(\"tcp\", \"127.0.0.1:1\")\n"
	out, errOut, statuses := repl(t, input)
	assert.Equal(t, "\"hello\\n\" <nil>\n3\n15\n\"{\\\"a\\\":1}\"\n1.5s\n<nil> dial tcp 127.0.0.1:1: connect: connection refused\n", out,
		"the banner's lines work, values are echoed (every result of a call), assignments and calls without results are not")
	assert.Contains(t, errOut, `import "os/exec" is not allowed in netbook's interpreter`)
	assert.Equal(t, []replproto.Status{replproto.OK, replproto.OK, replproto.OK, replproto.OK, replproto.OK, replproto.Incomplete, replproto.Incomplete, replproto.OK, replproto.OK, replproto.Failed, replproto.OK, replproto.OK, replproto.OK, replproto.OK, replproto.OK}, statuses)
}

func TestREPLDoesNotEchoWhatAWriterWroteAsUsual(t *testing.T) {
	input := "x := 1+2\n" +
		"fmt.Println(x)\n" +
		"fmt.Printf(\"%d\\n\", 7)\n" +
		"import \"strconv\"\n" +
		"strconv.Atoi(\"42\")\n" +
		`ln, _ := net.Listen("tcp", "127.0.0.1:0")` + "\n" +
		`c, _ := net.Dial("tcp", ln.Addr().String()); c.Close()` + "\n" +
		`fmt.Fprintln(c, "hi")` + "\n"
	out, errOut, _ := repl(t, input)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 5, "out: %q", out)
	assert.Equal(t, []string{"3", "7", "42 <nil>", "<nil>"}, lines[:4],
		"fmt.Println's and fmt.Printf's (n, nil) are not echoed; strconv.Atoi's (int, error) and c.Close's nil still are")
	assert.Regexp(t, `^0 write tcp .*use of closed network connection$`, lines[4], "a writer's error is echoed")
}

func TestREPLReportsErrorsAndGoesOn(t *testing.T) {
	out, errOut, statuses := repl(t, "undefinedThing\nvar m map[string]int\nm[\"a\"] = 1\n\"still here\"\n")
	assert.Equal(t, []replproto.Status{replproto.Failed, replproto.OK, replproto.Failed, replproto.OK}, statuses)
	assert.Contains(t, errOut, "undefined: undefinedThing")
	assert.Contains(t, errOut, "panic: assignment to entry in nil map")
	assert.Equal(t, "\"still here\"\n", out)
}

// Importing again what the session has (the preamble's fmt, an earlier
// line's strings) is nothing to do, as a Go file may name it once more in
// a REPL's eyes; yaegi alone says "fmt/_.go redeclared in this block". A
// group keeps what is new, a name of its own is new, and every line keeps
// its number.
func TestREPLTakesAnImportItHasAlready(t *testing.T) {
	out, errOut, statuses := replLines(t, "import \"fmt\"\nfmt.Println(1)\nimport \"strings\"\n"+
		"import (\n\t\"strings\"\n\t\"sort\"\n)\nsort.Strings(nil)\nimport f \"fmt\"\nf.Println(strings.ToUpper(\"x\"))\nimport \"fmt\"\nundefinedThing\n", true)
	incomplete := replproto.Incomplete // the group's first three lines
	assert.Equal(t, []replproto.Status{replproto.OK, replproto.OK, replproto.OK, incomplete, incomplete, incomplete,
		replproto.OK, replproto.OK, replproto.OK, replproto.OK, replproto.OK, replproto.Failed}, statuses)
	assert.Equal(t, "1\nX\n", out)
	assert.NotContains(t, errOut, "redeclared")
	assert.Contains(t, errOut, "line 12: undefined: undefinedThing")
}

// A panic shows the value panicked with, as a compiled program does, not
// the reflect.Value the interpreter recovers ("panic: <int Value>").
func TestREPLShowsWhatAPanicCarries(t *testing.T) {
	_, errOut, statuses := repl(t, "panic(42)\n"+
		"panic(fmt.Errorf(\"bad %d\", 1))\n"+
		"panic(\"boom\")\n"+
		"var err error = json.Unmarshal([]byte(\"x\"), new(int))\n"+
		"panic(err)\n")
	assert.Equal(t, []replproto.Status{replproto.Failed, replproto.Failed, replproto.Failed, replproto.OK, replproto.Failed}, statuses)
	assert.Contains(t, errOut, "panic: 42\n")
	assert.Contains(t, errOut, "panic: bad 1\n")
	assert.Contains(t, errOut, "panic: boom\n")
	assert.Contains(t, errOut, "panic: invalid character 'x' looking for beginning of value\n")
	assert.NotContains(t, errOut, " Value>")
}

// A definition that uses an undefined name says so, as the compiler
// would, not "constant definition loop" (the interpreter's words), and
// leaves nothing half-made behind: the name is undefined, not "incomplete
// type", on the next line too. A name the input declares itself (a
// parameter) is not taken for one.
func TestREPLNamesAnUndefinedName(t *testing.T) {
	out, errOut, statuses := repl(t, "y := foo\n"+
		"fmt.Println(foo)\n"+
		"var q = 1 + bar\n"+
		"y := 1\n"+
		"f := func(a int) int { return a + y }\n"+
		"f(2)\n")
	assert.Equal(t, []replproto.Status{replproto.Failed, replproto.Failed, replproto.Failed, replproto.OK, replproto.OK, replproto.OK}, statuses)
	assert.Equal(t, "undefined: foo\nundefined: foo\nundefined: bar\n", errOut)
	assert.Equal(t, "3\n", out)
}

// Piped, each error names the line of the input it is about: the line of
// a multi-line input that the error's position names, or the input's
// lines when it has none.
func TestREPLFromAPipeNamesTheLineOfAnError(t *testing.T) {
	_, errOut, _ := replLines(t, "x := 1\n"+
		"fmt.Println(nope)\n"+
		"func f() int {\n"+
		"\tfmt.Println(x)\n"+
		"\treturn y\n"+
		"}\n"+
		"import \"os/exec\"\n"+
		"import \"os\"\n"+
		"func g() {\n"+
		"\tos.StartProcess(\"x\", nil, nil)\n"+
		"}\n"+
		"panic(\"boom\")\n", true)
	assert.Equal(t, "line 2: undefined: nope\n"+
		"line 5: undefined: y\n"+
		"line 7: import \"os/exec\" is not allowed in netbook's interpreter: snippets cannot start other programs\n"+
		"line 10: os.StartProcess is not available in netbook's interpreter: snippets cannot start other programs\n"+
		"line 12: panic: boom\ngoroutine 1 [running]: no stack trace in the REPL\n", regexp.MustCompile(`(?m)^\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut, ""),
		"(the interpreter's own frame lines, which netbook repl cuts, left out)")
}

// A panic reads as the Go runtime's: its message in Go's words (not the
// reflect package's, which the interpreter runs code with), and the
// goroutine's header where Go prints its stack, which the interpreter
// does not keep.
func TestREPLPanicReadsLikeGos(t *testing.T) {
	_, errOut, _ := replLines(t, "var p *struct{ x int }\n"+
		"p.x\n"+
		"a := []int{1}\n"+
		"k := 3\n"+
		"a[k]\n"+
		"var i interface{} = \"s\"\n"+
		"i.(int)\n"+
		"panic(\"reflect: mine\")\n", true)
	errOut = regexp.MustCompile(`(?m)^\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut, "")
	const trace = "goroutine 1 [running]: no stack trace in the REPL\n"
	assert.Equal(t, "line 2: panic: runtime error: invalid memory address or nil pointer dereference\n"+trace+
		"line 5: panic: runtime error: index out of range\n"+trace+
		"line 7: panic: interface conversion: interface {} is string, not int\n"+trace+
		"line 8: panic: reflect: mine\n"+trace, errOut)
}

func TestPanicTextOfARun(t *testing.T) {
	assert.Equal(t, "panic: boom\n\ngoroutine 1 [running]:\n\t(no stack trace: the interpreter keeps none)\n", panicText("boom", false))
	assert.Equal(t, "panic: runtime error: index out of range\n\n"+noStack, panicText("reflect: slice index out of range", false))
}

// A pointer's dereference on its own ("*p") is echoed, and a nil pointer's
// panics as in Go, where the interpreter would give no value and no panic.
func TestREPLDereferenceOfANilPointerPanics(t *testing.T) {
	out, errOut, statuses := replLines(t, "var p *int\n"+
		"*p\n"+
		"(*p)\n"+
		"x := 4\n"+
		"p = &x\n"+
		"*p\n"+
		"var t *struct{ A int }\n"+
		"*t\n", true)
	assert.Equal(t, []replproto.Status{replproto.OK, replproto.Failed, replproto.Failed, replproto.OK, replproto.OK, replproto.OK, replproto.OK, replproto.Failed}, statuses)
	assert.Equal(t, "4\n", out)
	errOut = regexp.MustCompile(`(?m)^\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut, "")
	const nilPanic = "panic: runtime error: invalid memory address or nil pointer dereference\ngoroutine 1 [running]: no stack trace in the REPL\n"
	assert.Equal(t, "line 2: "+nilPanic+"line 3: "+nilPanic+"line 8: "+nilPanic, errOut)
}

// A goroutine's panic reads as Go's (its value, in Go's words, and its
// goroutine's line), not the runtime's report of the interpreter's
// "[recovered, repanicked]" reflect.Value, and ends the interpreter with
// ExitPanic, as it ends a Go program.
func TestREPLGoroutinePanicReadsLikeGos(t *testing.T) {
	defer func(e func(int)) { exit = e }(exit)
	// Each goroutine waits for the next line (close(ready)), once the go
	// statement's evaluation is over: the interpreter (yaegi v0.16.1)
	// writes back the value of a func literal that has a defer as it
	// returns, which the race detector reports when the evaluation that
	// started it is still running (the same value: harmless). It gets the
	// channel as an argument: reading a variable of the session while the
	// interpreter starts the next line's evaluation is a data race of the
	// interpreter's own (it resizes the session's frame), which a student
	// may meet but a test must not.
	for _, c := range []struct{ input, want string }{
		{"go func(ready chan bool) { <-ready; panic(42) }(ready)\n", "line 2: panic: 42\n"},
		{"x := 1\ngo func(ready chan bool) {\n\t<-ready\n\tpanic(fmt.Errorf(\"bad %d\", x))\n}(ready)\n", "line 3: panic: bad 1\n"},
		{"var p *int\nfunc() { go func(ready chan bool) { <-ready; fmt.Println(*p) }(ready) }()\n", "line 3: panic: runtime error: invalid memory address or nil pointer dereference\n"},
		// A named function's, and a method's: not "<int Value>". The
		// line does not wait for the goroutine: the guard starts it with
		// a go statement of the interpreter's, which makes its frame
		// before the line ends (see TestREPLGoStatementStartsNoRace).
		{"func f(ready chan bool) { <-ready; panic(42) }\ngo f(ready)\n", "line 3: panic: 42\n"},
		{"type T struct{ n int }\nfunc (t *T) serve(ready chan bool, s string) {\n\t<-ready\n\tpanic(fmt.Errorf(\"bad %d %s\", t.n, s))\n}\n" +
			"t := &T{3}\ngo t.serve(ready, \"x\")\n", "line 8: panic: bad 3 x\n"},
		// Arguments that call or receive, a func variable, a method
		// value, a method of a value, a builtin: each evaluated at the
		// go statement.
		{"func f(ready chan bool, n int) { <-ready; panic(n) }\nfunc g() int { return 42 }\ngo f(ready, g())\n", "line 4: panic: 42\n"},
		{"func f(ready chan bool, n int) { <-ready; panic(n) }\nch := make(chan int, 1); ch <- 42\ngo f(ready, <-ch)\n", "line 4: panic: 42\n"},
		{"fn := func(ready chan bool, n int) { <-ready; panic(n) }\ngo fn(ready, 42)\n", "line 3: panic: 42\n"},
		// (A method value stored at the prompt is called through a
		// wrapper that gets its frame by reading the session's, as the
		// next line writes it: a data race of the interpreter's own,
		// unguarded as well; this line waits until the goroutine runs.)
		{"type T struct{ n int }\nfunc (t T) f(ready, started chan bool) { started <- true; <-ready; panic(t.n) }\nm := T{42}\nmf := m.f\nstarted := make(chan bool)\ngo mf(ready, started); <-started\n", "line 7: panic: 42\n"},
		{"type T struct{ n int }\nfunc (t *T) f(ready chan bool) { <-ready; panic(t.n) }\nvar m T\nm.n = 42\ngo m.f(ready)\n", "line 6: panic: 42\n"},
		{"ch := make(chan int)\nclose(ch)\ngo close(ch)\n", "line 4: panic: close of closed channel\n"},
		{"type S struct{ f func(chan bool, int) }\ns := S{func(ready chan bool, n int) { <-ready; panic(n) }}\ngo s.f(ready, 42)\n", "line 4: panic: 42\n"},
	} {
		t.Run(strings.ReplaceAll(c.input, "\n", ";"), func(t *testing.T) {
			input := "ready := make(chan bool)\n" + c.input + "close(ready)\n"
			var code int
			exited := make(chan struct{})
			exit = func(c int) {
				code = c
				close(exited)
				// As os.Exit, it does not return: the goroutine stays
				// blocked here, with nothing of the test's left to touch,
				// until the test binary exits.
				select {}
			}
			_, errOut, _ := replUntil(t, input, true, exited)
			// The interpreter's frame lines, which netbook cuts (runner/interpbin).
			errOut = regexp.MustCompile(`(?m)^\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut, "")
			select {
			case <-exited:
				assert.Equal(t, ExitPanic, code)
			default:
				t.Fatalf("%q: the goroutine's panic did not end the interpreter", input)
			}
			assert.Regexp(t, `^`+regexp.QuoteMeta(c.want)+`goroutine \d+ \[running\]: no stack trace in the REPL\n$`, errOut, input)
			assert.NotContains(t, errOut, "goroutine 1 ", "another goroutine's")
		})
	}
}

// A go statement evaluates its function value and its arguments before
// the goroutine starts, as in Go: a side effect of an argument has
// happened when the line goes on, an argument's panic is the line's own
// (the session goes on), and a variable changed afterwards is not seen.
// What the guard's rewrite cannot compile (a named untyped constant for
// an int64, a call with two results as the only argument) runs as typed.
func TestREPLGoStatementEvaluatesFirst(t *testing.T) {
	defer func(e func(int)) { exit = e }(exit)
	exit = func(code int) { t.Errorf("exit(%d)", code) }
	out, errOut, _ := replLines(t, "n := 0\n"+
		"func next() int { n++; return n }\n"+
		"func f(x int, ready chan bool, done chan int) { <-ready; done <- x }\n"+
		"ready, done := make(chan bool), make(chan int)\n"+
		"go f(next(), ready, done); n\n"+
		"close(ready); <-done\n"+
		"x := 7\n"+
		"ready = make(chan bool)\n"+
		"go f(x, ready, done); x = 8; close(ready); <-done\n"+
		"func boom() int { panic(\"in the caller\") }\n"+
		"go f(boom(), ready, done)\n"+
		"func g(a int64, b float64, done chan string) { done <- fmt.Sprint(a, b) }\n"+
		"const c = 5\n"+
		"s := make(chan string)\n"+
		"go g(c, c, s); <-s\n"+
		"func two() (int, chan int) { return 9, done }\n"+
		"func h(x int, done chan int) { done <- x }\n"+
		"go h(two()); <-done\n", true)
	errOut = regexp.MustCompile(`(?m)^\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut, "")
	assert.Equal(t, "line 11: panic: in the caller\ngoroutine 1 [running]: no stack trace in the REPL\n", errOut)
	assert.Equal(t, "1\n1\n7\n\"5 5\"\n9\n", out)
}

// The goroutine that a guarded go statement starts gets its frame before
// the line ends: the next line, which writes the session's frame, runs
// while it does (under the race detector, the guard that started it from
// Go's code raced with it: yaegi v0.16.1 reads the session's frame without
// its lock when Go's code calls an interpreted function).
func TestREPLGoStatementStartsNoRace(t *testing.T) {
	defer func(e func(int)) { exit = e }(exit)
	exit = func(code int) { t.Errorf("exit(%d)", code) }
	out, errOut, _ := repl(t, "func f(ready chan bool, done chan int, n int) { <-ready; done <- n }\n"+
		"type T struct{ n int }\n"+
		"func (t *T) m(ready chan bool, done chan int) { <-ready; done <- t.n }\n"+
		"ready, done := make(chan bool), make(chan int, 3)\n"+
		"go f(ready, done, 1)\n"+
		"t := &T{2}\n"+
		"go t.m(ready, done)\n"+
		"go f(ready, done, len(\"abc\"))\n"+
		"close(ready)\n"+
		"<-done + <-done + <-done\n")
	assert.Empty(t, errOut)
	assert.Equal(t, "6\n", out)
}

// The variables a for, if or switch statement declares at the prompt end
// with it, as in Go (the interpreter alone keeps them in the session), and
// one of the session with the same name is left as it was.
func TestREPLHeaderVariablesEndWithTheirStatement(t *testing.T) {
	out, errOut, _ := replLines(t, "for i := 0; i < 3; i++ { fmt.Print(i) }\n"+
		"i\n"+
		"m := map[string]int{\"a\": 1}\n"+
		"if v, ok := m[\"a\"]; ok { fmt.Println(\" v\", v) }\n"+
		"v\n"+
		"switch w := 2; w { case 2: fmt.Println(\"two\") }\n"+
		"w\n"+
		"L: for j := 0; j < 2; j++ { break L }\n"+
		"j\n"+
		"k := 10\n"+
		"n := 0\n"+
		"for k := 0; k < 3; k++ { n += k }\n"+
		"k + n\n", true)
	assert.Equal(t, "012 v 1\ntwo\n13\n", out)
	assert.Equal(t, "line 2: undefined: i\nline 5: undefined: v\nline 7: undefined: w\nline 9: undefined: j\n", errOut)
}

// A named function's go statement that the guard cannot take (an
// interpreted value for an interface parameter would lose its methods,
// an interface of the interpreter's own cannot be handed over) runs as
// written; the guarded ones pass their arguments as Go would, evaluated
// at the go statement.
func TestREPLGoStatementsRunAsWritten(t *testing.T) {
	defer func(e func(int)) { exit = e }(exit)
	exit = func(code int) { t.Errorf("exit(%d)", code) }
	out, errOut, _ := repl(t, "type I interface{ M() string }\n"+
		"type T struct{ n int }\n"+
		"func (t T) M() string { return fmt.Sprint(\"M\", t.n) }\n"+
		"func (t T) String() string { return \"T!\" }\n"+
		"func w(i I, done chan string) { done <- i.M() }\n"+
		"func s(v fmt.Stringer, done chan string) { done <- v.String() }\n"+
		"func n(a int64, b float64, c string, d []int, e error, done chan string) { done <- fmt.Sprint(a, b, c, d, e) }\n"+
		"done := make(chan string)\n"+
		// Each line waits for its goroutine (see TestREPLGoroutinePanicReadsLikeGos).
		"go w(T{1}, done); <-done\n"+
		"go s(T{2}, done); <-done\n"+
		"go s(time.Second, done); <-done\n"+
		"var k int64 = 5\n"+
		"go n(k, 2, \"c\", nil, nil, done); <-done\n")
	assert.Empty(t, errOut)
	assert.Equal(t, "\"M1\"\n\"T!\"\n\"1s\"\n\"5 2c[] <nil>\"\n", out)
}

// What the interpreter (yaegi v0.16.1) gets wrong at the prompt is
// refused before it runs, with what to write instead: a defer outside any
// function (it would run after every later line), and a var declaration
// whose value names a variable of an earlier line ("variable definition
// loop", and a half-made variable). A defer in a func, a var that names
// none, and := work.
func TestREPLRefusesWhatTheInterpreterGetsWrong(t *testing.T) {
	out, errOut, statuses := replLines(t, "defer fmt.Println(\"deferred\")\n"+
		"1+1\n"+
		"x := 3\n"+
		"var f = func() { x++ }\n"+
		"f := func() { x++ }\n"+
		"f()\n"+
		"x\n"+
		"var g int = x * 2\n"+
		"var h = func(x int) int { return x }\n"+
		"var k = func() int { return 7 }\n"+
		"k()\n"+
		"if x > 0 {\n"+
		"\tdefer fmt.Println(x)\n"+
		"}\n"+
		"func() { defer fmt.Println(\"in a func\") }()\n"+
		"y := 1\n"+
		"var ok = strings.ToUpper(\"s\")\n"+
		"var g int\n"+
		"g = x * 2\n"+
		"g\n", true)
	assert.Equal(t, []replproto.Status{replproto.Failed, replproto.OK, replproto.OK, replproto.Failed, replproto.OK, replproto.OK, replproto.OK,
		replproto.Failed, replproto.Failed, replproto.OK, replproto.OK, replproto.Incomplete, replproto.Incomplete, replproto.Failed, replproto.OK,
		replproto.OK, replproto.Failed, replproto.OK, replproto.OK, replproto.OK}, statuses)
	assert.Equal(t, "2\n4\n7\nin a func\n8\n", out, "nothing deferred ran again; what the refusal says to write works")
	deferred := func(call string) string {
		return "defer needs a function to return from, and a line at the prompt is in none:\n" +
			"the interpreter would run " + call + " now and after each later line.\n" +
			"Call it yourself when you are done, or use defer inside a func.\n"
	}
	loop := func(name, instead string) string {
		return "var " + name + " = ... uses x from an earlier line, which the interpreter cannot do\n" +
			"(it fails with \"variable definition loop\"). Write instead:\n  " + instead + "\n"
	}
	assert.Equal(t, "line 1: "+deferred(`fmt.Println("deferred")`)+
		"line 4: "+loop("f", "f := func() { x++ }")+
		"line 8: "+loop("g", "var g int\n  g = x * 2")+
		"line 9: "+loop("h", "h := func(x int) int { return x }")+
		"line 13: "+deferred("fmt.Println(x)")+
		"line 17: undefined: strings\n", errOut)
}

// A goroutine that recovers its own panic goes on, as in Go.
func TestREPLGoroutineThatRecoversGoesOn(t *testing.T) {
	defer func(e func(int)) { exit = e }(exit)
	exit = func(code int) { t.Errorf("exit(%d)", code) }
	// It waits for the next line, and gets its channels as arguments (see
	// TestREPLGoroutinePanicReadsLikeGos).
	out, errOut, _ := repl(t, "done, ready := make(chan bool), make(chan bool)\n"+
		"go func(done, ready chan bool) { defer close(done); defer func() { fmt.Println(\"recovered\", recover()) }(); <-ready; panic(1) }(done, ready)\n"+
		"close(ready)\n"+
		"_ = <-done\n")
	assert.Empty(t, errOut)
	assert.Equal(t, "recovered 1\n", out)
}

// Each go statement is guarded, at any depth, named by its line: a func
// literal's body starts with the guard; any other call becomes a func
// literal called at once, which takes the function value (a receiver as
// the method value would: a pointer, or a variable's address) and the
// arguments, constants aside, then starts the goroutine, guarded. Lines
// that a call spread over come first, so the lines after it keep their
// numbers; a receiver of a type it cannot tell is left as typed, and so
// is the rest of the input.
func TestGuardGoroutines(t *testing.T) {
	label := func(line int) string { return replproto.LineLabel(7, "a\nb\nc\nd\ne\nf\n", line) }
	types := goTypes{
		pkg: func(name string) bool { return name == "fmt" },
		session: func(name string) (reflect.Value, bool) {
			v, ok := map[string]any{"p": &struct{}{}, "v": struct{}{}, "two": func() (int, int) { return 1, 2 }, "one": func() int { return 1 }}[name]
			return reflect.ValueOf(v), ok
		},
	}
	guard := func(src string) string {
		t.Helper()
		out, ok := guardGoroutines(src, label, types)
		assert.Equal(t, out != src, ok, src)
		assert.Equal(t, strings.Count(src, "\n"), strings.Count(out, "\n"), "every line keeps its number")
		return out
	}
	g := func(line int, call string) string {
		return `go func() { defer _netbookGoPanic("line ` + strconv.Itoa(line) + `: "); ` + call + ` }() }()`
	}
	assert.Equal(t, `go func() { defer _netbookGoPanic("line 7: "); panic(1) }()`, guard("go func() { panic(1) }()"))
	assert.Equal(t, "func f() {\n\tgo func(x int) { defer _netbookGoPanic(\"line 8: \");\n\t\tgo func() { defer _netbookGoPanic(\"line 9: \");}()\n\t}(1)\n"+
		"\tfunc() { _nbgf := f; "+g(11, "_nbgf()")+"\n\tf := func() {}\n}",
		guard("func f() {\n\tgo func(x int) {\n\t\tgo func() {}()\n\t}(1)\n\tgo f()\n\tf := func() {}\n}"))
	for src, want := range map[string]string{
		`go f(c, 1, "x", m[k], &v, -2.5, nil)`: `func() { _nbgf := f; _nbg0 := c; _nbg3 := m[k]; _nbg4 := &v; ` + g(7, `_nbgf(_nbg0, 1, "x", _nbg3, _nbg4, -2.5, nil)`),
		"go f(g(), <-ch)":                      "func() { _nbgf := f; _nbg0 := g(); _nbg1 := <-ch; " + g(7, "_nbgf(_nbg0, _nbg1)"),
		"go f(two())":                          "func() { _nbgf := f; _nbg0, _nbg1 := two(); " + g(7, "_nbgf(_nbg0, _nbg1)"),
		"go f(one())":                          "func() { _nbgf := f; _nbg0 := one(); " + g(7, "_nbgf(_nbg0)"),
		"go f(int64(n))":                       "func() { _nbgf := f; _nbg0 := int64(n); " + g(7, "_nbgf(_nbg0)"),
		"go f(xs...)":                          "func() { _nbgf := f; _nbg0 := xs; " + g(7, "_nbgf(_nbg0...)"),
		"go close(ch)":                         "func() { _nbg0 := ch; " + g(7, "close(_nbg0)"),
		"go println(1)":                        "func() { " + g(7, "println(1)"),
		"go g()(1)":                            "func() { _nbgf := g(); " + g(7, "_nbgf(1)"),
		"go fmt.Println(x)":                    "func() { _nbg0 := x; " + g(7, "fmt.Println(_nbg0)"),
		"go p.serve(c)":                        "func() { _nbgr := p; _nbg0 := c; " + g(7, "_nbgr.serve(_nbg0)"),
		"go v.serve(c)":                        "func() { _nbgr := &v; _nbg0 := c; " + g(7, "_nbgr.serve(_nbg0)"),
		"go a.b().c(1)":                        "func() { _nbgr := a.b(); " + g(7, "_nbgr.c(1)"),
		"go f(func() { go h() })":              "func() { _nbgf := f; _nbg0 := func() { func() { _nbgf := h; " + g(7, "_nbgf()") + " }; " + g(7, "_nbgf(_nbg0)"),
		"go f(a,\n\tb)\nx":                     "func() {\n _nbgf := f; _nbg0 := a; _nbg1 := b; " + g(7, "_nbgf(_nbg0, _nbg1)") + "\nx",
	} {
		assert.Equal(t, want, guard(src), src)
	}
	assert.Equal(t, "go q.serve(c)", guard("go q.serve(c)"), "a receiver of a type it cannot tell")
	assert.Equal(t, "go f(g())", guard("go f(g())"), "a call whose results it cannot count, the only argument")
	assert.Equal(t, "go func() {", guard("go func() {"), "an input that does not parse is left as it is")
}

// A program's go statements are guarded as the REPL's are, each named by
// its position in the file, with the guard's import on the package
// clause's line and the guard after the last: every line keeps its number.
// go/types tells the receivers and the constants.
func TestGuardProgram(t *testing.T) {
	ex, _, err := Symbols(".")
	require.NoError(t, err)
	imp := newSymImporter(ex)
	src := "package main\n\nimport \"time\"\n\nfunc work(n int64) { panic(n) }\n\ntype T struct{}\n\nfunc (T) m() {}\n\nconst two = 2\n\n" +
		"func main() {\n\tgo func() { panic(1) }()\n\tgo work(two)\n\tvar v T\n\tgo v.m()\n\tgo (&v).m()\n\ttime.Sleep(time.Second)\n}\n"
	out, ok := guardProgram("c01s3.go", src, imp)
	require.True(t, ok)
	assert.Equal(t, "package main; import _netbookrepl \"netbookrepl\"\n\nimport \"time\"; "+goGuardFunc+"\n\nfunc work(n int64) { panic(n) }\n\n"+
		"type T struct{}\n\nfunc (T) m() {}\n\nconst two = 2\n\nfunc main() {\n"+
		"\tgo func() { defer _netbookGoPanic(\"c01s3.go:14\"); panic(1) }()\n"+
		"\tfunc() { _nbgf := work; go func() { defer _netbookGoPanic(\"c01s3.go:15\"); _nbgf(two) }() }()\n"+
		"\tvar v T\n"+
		"\tfunc() { _nbgr := &v; go func() { defer _netbookGoPanic(\"c01s3.go:17\"); _nbgr.m() }() }()\n"+
		"\tfunc() { _nbgr := (&v); go func() { defer _netbookGoPanic(\"c01s3.go:18\"); _nbgr.m() }() }()\n"+
		"\ttime.Sleep(time.Second)\n}\n", out)
	out, ok = guardProgram("c01s3.go", "package main\n\nfunc main() {\n\tgo func() {}()\n}\n", imp)
	require.True(t, ok)
	assert.Equal(t, "package main; import _netbookrepl \"netbookrepl\"; "+goGuardFunc+"\n\nfunc main() {\n\tgo func() { defer _netbookGoPanic(\"c01s3.go:4\");}()\n}\n", out,
		"no import: both on the package clause's line")
	_, ok = guardProgram("c01s3.go", "package main\n\nfunc main() {}\n", imp)
	assert.False(t, ok, "nothing to guard: the program runs as it is")
	_, ok = guardProgram("/abs/c01s3.go", src, imp)
	assert.False(t, ok, "a name the interpreter's source file system cannot take")
}

// A go statement's func literal typed over several lines is read to its
// end, as any block is (here to the compiler's error in it: the
// interpreter (yaegi v0.16.1) has a data race of its own when a goroutine
// it runs ends while the evaluation that started it still runs); one that
// is closed and not called is an error at once.
func TestREPLReadsAGoroutineOverSeveralLines(t *testing.T) {
	out, errOut, statuses := repl(t, "go func() {\n"+
		"\tif true {\n"+
		"\t\tnope()\n"+
		"\t}\n"+
		"}()\n"+
		"go func() {\n"+
		"}\n"+
		"defer func() {}\n"+
		"\"still here\"\n")
	assert.Equal(t, []replproto.Status{replproto.Incomplete, replproto.Incomplete, replproto.Incomplete, replproto.Incomplete, replproto.Failed,
		replproto.Incomplete, replproto.Failed, replproto.Failed, replproto.OK}, statuses)
	assert.Equal(t, "\"still here\"\n", out)
	assert.Equal(t, "undefined: nope\nexpression in go must be function call\nexpression in defer must be function call\n", errOut)
}

// A func literal called where it is written runs once, as in Go (the
// interpreter alone runs it twice), and echoes nothing when it has no
// results.
func TestREPLRunsAFuncLiteralOnce(t *testing.T) {
	out, errOut, _ := repl(t, "n := 0\n"+
		"func() { n++ }()\n"+
		"n\n"+
		"func() int { n++; return n }()\n"+
		"x := 1; func() { n += x }(); n\n"+
		"(func() { n++ })()\n"+
		"n\n")
	assert.Empty(t, errOut)
	assert.Equal(t, "1\n2\n3\n4\n", out)
}

// A program's go statement evaluates its function value and arguments
// before the goroutine starts, as in Go, and the goroutine's panic reads
// like Go's, named by the go statement's line. What the guard cannot
// compile (here a call with two results as the only argument) runs as
// written, once.
func TestRunGoStatementEvaluatesFirst(t *testing.T) {
	defer func(e func(int)) { exit = e }(exit)
	exited := make(chan int, 1)
	exit = func(code int) {
		exited <- code
		select {} // as os.Exit, it does not return
	}
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("main.go", []byte(`package main

import (
	"bytes"
	"fmt"
	"time"
)

type server struct{ name string }

var printed = make(chan bool)

func (s *server) work(n int) {
	<-printed
	panic(fmt.Sprint(s.name, " ", n))
}

func next() int {
	fmt.Println("arguments first")
	return 42
}

var results = make(chan int, 1)

func two() (int, chan int) { return 9, results }

func put(n int, c chan int) { c <- n }

func main() {
	b := &bytes.Buffer{}
	done := make(chan bool)
	go func() { b.WriteString("a pointer to Go's type"); close(done) }()
	<-done
	go b.WriteString("!")
	go put(two())
	<-results
	s := &server{"s"}
	go s.work(next())
	fmt.Println("then the go statement returns")
	close(printed)
	time.Sleep(time.Minute)
}
`), 0o644))
	var out, errOut lockedBuffer
	returned := make(chan int, 1)
	go func() { returned <- Run("main.go", nil, strings.NewReader(""), &out, &errOut) }()
	select {
	case code := <-exited:
		assert.Equal(t, ExitPanic, code)
	case code := <-returned:
		t.Fatalf("the program returned %d before its goroutine panicked: %s", code, errOut.String())
	case <-time.After(time.Minute):
		t.Fatal("the goroutine's panic did not end the program")
	}
	assert.Equal(t, "arguments first\nthen the go statement returns\n", out.String())
	// The interpreter's frame lines, which netbook cuts (runner/interpbin).
	stderr := regexp.MustCompile(`(?m)^main\.go:\d+:\d+: panic: .*\(\.\.\.\)\n`).ReplaceAllString(errOut.String(), "")
	assert.Regexp(t, `^panic: s 42\n\ngoroutine \d+ \[running\]:\n\t\(no stack trace: the interpreter keeps none\)\ncreated by the go statement\n\tmain.go:38\n$`, stderr)
}

// lockedBuffer is a bytes.Buffer that goroutines may write while a test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
