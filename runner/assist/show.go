package assist

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/netbook/netbook/labs/session"
)

// Clipping: how much of one line of text, and of its hex, is shown.
const (
	maxText = 1024
	maxHex  = 64
)

// printer writes the assistant's output a whole line at a time, from any
// goroutine.
type printer struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printer) println(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	io.WriteString(p.w, line+"\n")
}

// prefix starts a line: the time, and the sender in brackets if any.
func prefix(who string) string {
	s := time.Now().Format("15:04:05.000")
	if who != "" {
		s += " [" + who + "]"
	}
	return s
}

// note prints what happened, such as "connected".
func (p *printer) note(who, format string, args ...any) {
	p.println(prefix(who) + " " + fmt.Sprintf(format, args...))
}

// stream shows a read's worth of a TCP stream: each line on its own, and a
// last piece without "\n" marked as such. midLine says whether the read
// before stopped in the middle of a line, and stream returns whether this
// one did: a "\n" that ends such a line is "(just the newline)", the end
// of the pieces above it, and only a "\n" at the start of a line is
// "(an empty line)".
func (p *printer) stream(who string, b []byte, midLine bool) bool {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.show(who, b, " (no newline)")
			return true
		}
		if i == 0 && midLine {
			p.note(who, "(just the newline)")
		} else {
			p.show(who, b[:i], "")
		}
		midLine = false
		b = b[i+1:]
	}
	return midLine
}

// datagram shows one UDP datagram, whole.
func (p *printer) datagram(who string, b []byte) {
	if len(b) == 0 {
		p.note(who, "(an empty datagram)")
		return
	}
	p.show(who, b, "")
}

// show prints one piece of text: as it is when it is printable, else
// quoted with escapes and followed by its bytes in hex.
func (p *printer) show(who string, b []byte, suffix string) {
	more := ""
	if len(b) > maxText {
		more = fmt.Sprintf(" ... (%d bytes in all)", len(b))
		b = b[:maxText]
	}
	if printable(b) {
		text := string(b)
		if text == "" {
			text = "(an empty line)"
		}
		p.note(who, "%s%s%s", text, more, suffix)
		return
	}
	h := b[:min(len(b), maxHex)]
	hex := strings.TrimSpace(fmt.Sprintf("% x", h))
	if len(h) < len(b) {
		hex += " ..."
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	pre := prefix(who)
	fmt.Fprintf(p.w, "%s %s%s%s\n%s   hex %s\n", pre, session.Quote(b), more, suffix, pre, hex)
}

// printable reports whether b is UTF-8 text with nothing a terminal would
// hide or act on: no control characters, not even "\r" or "\t".
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
