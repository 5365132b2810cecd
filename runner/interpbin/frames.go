package interpbin

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/netbook/netbook/runner/replproto"
)

// panicFrame is the line the interpreter (yaegi v0.16.1) writes to its
// standard error for each function a panic unwinds:
// "c02s1.go:6:2: panic: main.f(...)" for a snippet, "2:7: panic: main.f(...)"
// in the REPL. Its position is not where the panic happened but the
// function's first statement (without its debugger, yaegi does not keep
// the statement it is running), so it would send a student to the wrong
// line. The runtime's "panic: VALUE" line that follows is kept.
var panicFrame = regexp.MustCompile(`^(?:\S*\.go:)?\d+:\d+: panic: [^\s(]*\(\.\.\.\)\r?\n?$`)

// IsPanicFrame reports whether line, one line of the interpreter's output,
// is one of the lines it writes as a panic unwinds (see panicFrame).
func IsPanicFrame(line string) bool { return panicFrame.MatchString(line) }

// DropPanicFrames returns the output without the interpreter's panic
// frame lines.
func DropPanicFrames(out string) string {
	if !strings.Contains(out, ": panic: ") {
		return out
	}
	lines := strings.SplitAfter(out, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if !IsPanicFrame(l) {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "")
}

// framesCut passes the REPL interpreter's standard error on without its
// panic frame lines. While an evaluation runs it holds back the start of
// a line only while it may still be one; flush, as the evaluation ends,
// passes on what it holds, and between evaluations (busy false) nothing is
// held: the frame lines come while an evaluation panics. The Go runtime's
// report of a goroutine's panic that the interpreter panicked with again
// ("panic: boom [recovered, repanicked]", and a stack with GOTRACEBACK
// above none) reads as the REPL reports a panic: "panic: boom", and the
// goroutine's line with no stack.
type framesCut struct {
	mu   sync.Mutex
	w    io.Writer
	line []byte // the start of the current line, while it could be a frame
	mid  bool   // the current line began in an earlier write and was passed on
	busy bool   // an evaluation runs
	// dump: the Go runtime is reporting a goroutine's panic with its
	// stack, which is cut; header: its goroutine's line has been shown.
	dump, header bool
}

// repanicked is the Go runtime's line for a panic that the interpreter
// recovered in a goroutine and panicked with again, which ends the
// program: "panic: boom [recovered, repanicked]" (a go statement that
// runner/interp could not guard: one whose arguments call or receive, or
// pass a value the guard cannot hand over).
var repanicked = regexp.MustCompile(`^panic: (.*) \[recovered, repanicked\]\r?\n$`)

// goroutineLine is the first line of a goroutine's stack in the runtime's
// dump: "goroutine 23 [running]:".
var goroutineLine = regexp.MustCompile(`^(goroutine \d+ \[running\]):\r?\n$`)

// mayBePanic reports whether partial, the start of a line, may grow into
// the runtime's "panic: ..." line, which the runtime writes in parts: held
// back while an evaluation runs, as a frame's start is (and see isPanic).
func mayBePanic(partial []byte) bool {
	const word = "panic: "
	if len(partial) <= len(word) {
		return strings.HasPrefix(word, string(partial))
	}
	return len(partial) <= 1024 && strings.HasPrefix(string(partial), word)
}

// isPanic reports whether partial, the start of a line, starts as the
// runtime's "panic: ..." line: held back between evaluations too, since a
// goroutine's panic may come then (a program's own line so begun is rare;
// a line begun "p" or "pan" passes at once).
func isPanic(partial []byte) bool {
	return len(partial) <= 1024 && bytes.HasPrefix(partial, []byte("panic: "))
}

// goPanicLine is the runtime's line for a repanicked panic, as a panic
// reads in Go: "panic: VALUE" in the Go runtime's words.
func goPanicLine(line []byte) []byte {
	m := repanicked.FindSubmatch(line)
	return []byte("panic: " + replproto.GoPanic(string(m[1])) + "\n")
}

// cutPanicFrames is w without the REPL interpreter's panic frame lines.
func cutPanicFrames(w io.Writer) *framesCut { return &framesCut{w: w} }

// start says that an evaluation starts.
func (f *framesCut) start() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.busy = true
}

// flush says that the evaluation has ended: a line held back as a
// possible frame ("12:3", written with no newline) is passed on, and so
// is what w holds back, if it can flush.
func (f *framesCut) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.busy = false
	if len(f.line) > 0 && !f.dump {
		f.w.Write(f.line)
		f.line = f.line[:0]
		f.mid = true
	}
	if fl, ok := f.w.(interface{ Flush() error }); ok {
		fl.Flush()
	}
}

// mayBeFrame reports whether partial, the start of a line, may still grow
// into a panic frame line as the REPL's interpreter writes them, whose
// position has no file name ("2:7: panic: main.f(...)").
func mayBeFrame(partial []byte) bool {
	if len(partial) > 1024 {
		return false
	}
	s := string(partial)
	pos, rest, ok := strings.Cut(s, ": ")
	if !ok {
		return strings.Trim(s, "0123456789:") == ""
	}
	if l, c, ok := strings.Cut(pos, ":"); !ok || !digits(l) || !digits(c) {
		return false
	}
	const word = "panic: "
	if len(rest) <= len(word) {
		return strings.HasPrefix(word, rest)
	}
	fn, ok := strings.CutPrefix(rest, word)
	if !ok {
		return false
	}
	if j := strings.IndexByte(fn, '('); j >= 0 {
		return strings.HasPrefix("(...)\r", fn[j:])
	}
	return !strings.ContainsAny(fn, " \t")
}

func digits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

func (f *framesCut) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		chunk := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			chunk = p[:i+1]
		}
		p = p[len(chunk):]
		complete := chunk[len(chunk)-1] == '\n'
		if f.mid {
			// The rest of a line already shown in part: not a frame.
			if _, err := f.w.Write(chunk); err != nil {
				return n - len(p), err
			}
			f.mid = !complete
			continue
		}
		if f.dump {
			// The stack of a panic that ends the interpreter: the
			// goroutine's line stays, as the REPL reports a panic.
			f.line = append(f.line, chunk...)
			if !complete {
				continue
			}
			if m := goroutineLine.FindSubmatch(f.line); m != nil && !f.header {
				f.header = true
				if _, err := fmt.Fprintf(f.w, "%s: no stack trace in the REPL\n", m[1]); err != nil {
					return n - len(p), err
				}
			}
			f.line = f.line[:0]
			continue
		}
		f.line = append(f.line, chunk...)
		switch {
		case complete && IsPanicFrame(string(f.line)):
			f.line = f.line[:0]
			continue
		case complete && repanicked.Match(f.line):
			f.line, f.dump = goPanicLine(f.line), true
		case !complete && f.busy && (mayBeFrame(f.line) || mayBePanic(f.line)), !complete && isPanic(f.line):
			continue // wait for more of the line
		}
		_, err := f.w.Write(f.line)
		f.line = f.line[:0]
		f.mid = !complete
		if err != nil {
			return n - len(p), err
		}
	}
	return n, nil
}
