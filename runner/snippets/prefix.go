package snippets

import (
	"bytes"
	"io"
	"sync"
)

// prefixWriter starts every line with a prefix: "server | ". Each Write
// reaches w as one Write, prefixes included, so that a server's and a
// client's lines, which come a line at a time, never mix mid-line on a
// shared lockedWriter.
type prefixWriter struct {
	w      io.Writer
	prefix string
	mid    bool // inside a line
}

// prefixed returns w with every line prefixed, or nil when w is nil.
func prefixed(w io.Writer, prefix string) io.Writer {
	if w == nil {
		return nil
	}
	return &prefixWriter{w: w, prefix: prefix}
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	out := make([]byte, 0, len(b)+len(p.prefix))
	for rest := b; len(rest) > 0; {
		if !p.mid {
			out = append(out, p.prefix...)
			p.mid = true
		}
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
			p.mid = false
		}
		out = append(out, line...)
		rest = rest[len(line):]
	}
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// lockedWriter lets a server and its client print to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
