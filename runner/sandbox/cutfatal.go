package sandbox

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// CutFatal returns a writer that passes everything on to w as it comes
// until a line FatalLimit recognizes: it passes that line, and drops the
// Go runtime's stack dumps that follow it, which tell a student nothing
// that the sentence of Explain does not. (A program's own output is never
// held back longer than it takes to see that a line cannot be the runtime's
// fatal error.) For the REPL, whose interpreter writes straight to the
// terminal; a snippet's collected output goes through TrimFatal.
//
// The writer has a method Flush() error, which passes on a line held back
// so far: the REPL calls it as an evaluation ends, when what the program
// wrote last ("fat", with no newline) is all there will be.
func CutFatal(w io.Writer) io.Writer { return &fatalCut{w: w} }

type fatalCut struct {
	mu   sync.Mutex
	w    io.Writer
	line []byte // the start of the current line, while it could be a fatal error's
	cut  bool
}

func (f *fatalCut) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(p)
	for len(p) > 0 && !f.cut {
		chunk := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			chunk = p[:i+1]
		}
		p = p[len(chunk):]
		f.line = append(f.line, chunk...)
		complete := f.line[len(f.line)-1] == '\n'
		switch {
		case FatalLimit(string(f.line)):
			f.cut = true
			if !complete {
				f.line = append(f.line, '\n')
			}
		case !complete && mayBeFatal(f.line):
			continue // wait for more of the line
		}
		_, err := f.w.Write(f.line)
		f.line = f.line[:0]
		if err != nil {
			return n - len(p), err
		}
	}
	return n, nil
}

// Flush passes on the start of a line held back because it might have
// been a fatal error's.
func (f *fatalCut) Flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cut || len(f.line) == 0 {
		return nil
	}
	_, err := f.w.Write(f.line)
	f.line = f.line[:0]
	return err
}

// mayBeFatal reports whether partial, the start of a line, may still grow
// into a line that FatalLimit recognizes.
func mayBeFatal(partial []byte) bool {
	for _, f := range fatal {
		if strings.HasPrefix(f.line, string(partial)) {
			return true
		}
	}
	return false
}
