package proc

import (
	"bytes"
	"io"
	"sync"
)

// maxLine is how long a line may grow before it is passed on without its
// end, so that a child that never prints a newline cannot make netbook
// hold its output back without end.
const maxLine = 64 << 10

// lines is one output stream of a child: it keeps the first bytes, copies
// whole lines to a writer, and calls onLine for each. With a limit, bytes
// past it are dropped and full is called once.
type lines struct {
	mu      sync.Mutex
	kept    bytes.Buffer
	keep    int
	partial []byte
	tee     io.Writer
	onLine  func(string)
	limit   int // 0: none
	total   int
	full    func()
	cut     bool
}

func newLines(tee io.Writer, keep int, onLine func(string)) *lines {
	return &lines{tee: tee, keep: keep, onLine: onLine}
}

// Write never fails, so the child never sees a broken pipe because of
// netbook's bookkeeping.
func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(p)
	if l.limit > 0 && l.total+len(p) > l.limit {
		p = p[:max(l.limit-l.total, 0)]
		if !l.cut {
			l.cut = true
			l.full()
		}
	}
	l.total += len(p)
	if room := l.keep - l.kept.Len(); room > 0 {
		l.kept.Write(p[:min(room, len(p))])
	}
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.emit(l.partial[:i+1])
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > maxLine {
		l.emit(l.partial)
		l.partial = nil
	}
	return n, nil
}

// isCut reports whether output passed the limit.
func (l *lines) isCut() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cut
}

func (l *lines) emit(line []byte) {
	if l.tee != nil {
		l.tee.Write(line)
	}
	if l.onLine != nil {
		l.onLine(string(bytes.TrimRight(line, "\r\n")))
	}
}

// flush passes on an unfinished last line.
func (l *lines) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.partial) > 0 {
		l.emit(l.partial)
		l.partial = nil
	}
}

// String is what was kept.
func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.kept.String()
}
