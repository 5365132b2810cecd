// Package replproto is how netbook repl talks to its interpreter: netbook
// reads and edits the lines, keeps the time limit and Ctrl-C, and restarts
// the interpreter when an evaluation will not stop; the interpreter
// (cmd/netbook-interp repl, runner/interp.ServeREPL) evaluates.
//
// netbook writes one [Request] per input, a line of JSON, to the
// interpreter's standard input; the interpreter answers each with one
// [Result], a line of JSON, on the file [ResultsEnv] names. What the
// evaluated code prints, and the values and errors the REPL echoes, go to
// the interpreter's standard output and error, which are netbook's own (the
// terminal). netbook stops an evaluation with SIGINT, and kills the
// interpreter when that does not work.
//
// The package is apart from runner/interp so that netbook, which must not
// import the interpreter, and the interpreter share one definition.
package replproto

import (
	"fmt"
	"regexp"
	"strings"
)

// Request is one input: Src is the whole input so far (the lines of a
// function, say), Line its last line, and Quiet asks for no echo (a
// definition replayed into a new interpreter). First is the number of
// Src's first line in netbook's input when that is not a terminal (a pipe,
// a file), so that an error names its line ("line 7: undefined: x"); 0 on
// a terminal, where the error follows the line typed.
type Request struct {
	Src   string `json:"src"`
	Line  string `json:"line"`
	Quiet bool   `json:"quiet,omitempty"`
	First int    `json:"first,omitempty"`
}

// LineLabel is how an error names the input it is about: "line 7: ", the
// line at (1 for Src's first) of an input that starts at line first, or,
// with at 0, the input's line or lines ("lines 7-9: "); "" when first is
// 0 (a terminal).
func LineLabel(first int, src string, at int) string {
	if first <= 0 {
		return ""
	}
	n := strings.Count(strings.TrimRight(src, "\n"), "\n") + 1
	switch {
	case at > 0 && at <= n:
		return fmt.Sprintf("line %d: ", first+at-1)
	case n == 1:
		return fmt.Sprintf("line %d: ", first)
	}
	return fmt.Sprintf("lines %d-%d: ", first, first+n-1)
}

// Status is how an evaluation ended.
type Status string

// The statuses of an evaluation. The interpreter prints values and errors
// itself; netbook needs to know whether to read another line (Incomplete),
// whether the input may be replayed (OK), and whether an interruption
// worked (Interrupted).
const (
	OK          Status = "ok"          // it ran; its value, if any, was echoed
	Failed      Status = "failed"      // it did not compile, was refused or panicked; the error was printed
	Incomplete  Status = "incomplete"  // it stops early: send it again with the next line
	Interrupted Status = "interrupted" // SIGINT stopped it (a goroutine it started may run on)
)

// Result is the interpreter's answer to a Request.
type Result struct {
	Status Status `json:"status"`
}

// ResultsEnv names the environment variable that tells the interpreter
// which open file takes its Results: a file descriptor on Unix, a handle on
// Windows.
const ResultsEnv = "NETBOOK_REPL_RESULTS"

// reflectPanics are the interpreter's words (the reflect package's, which
// it runs interpreted code with) for what the Go runtime says otherwise.
var reflectPanics = []struct{ prefix, suffix, goWords string }{
	{"reflect: call of reflect.Value.", " on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: Method on nil interface value", "", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: slice index out of range", "", "runtime error: index out of range"},
	{"reflect: array index out of range", "", "runtime error: index out of range"},
	{"reflect: string index out of range", "", "runtime error: index out of range"},
	{"reflect.Value.Slice: slice index out of bounds", "", "runtime error: slice bounds out of range"},
	{"reflect.Value.Slice3: slice index out of bounds", "", "runtime error: slice bounds out of range"},
}

// GoPanic is a panic's message in the Go runtime's words: the
// interpreter's reflect errors as the runtime says them, without the
// interpreter's position ("1:28: interface conversion: ..."), which is not
// the panic's. The REPL's interpreter and netbook (for a panic the Go
// runtime reports itself) both use it.
func GoPanic(msg string) string {
	for _, r := range reflectPanics {
		if strings.HasPrefix(msg, r.prefix) && strings.HasSuffix(msg, r.suffix) {
			return r.goWords
		}
	}
	if m := panicPos.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return msg
}

// panicPos is the interpreter's position before a runtime error.
var panicPos = regexp.MustCompile(`^(?:\S*\.go:)?\d+:\d+: ((?:interface conversion|runtime error).*)$`)
