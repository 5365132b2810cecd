package mdterm

import (
	"strconv"
	"strings"
)

// style is how a piece of text is shown in colour mode. Plain mode ignores
// it, so nothing may depend on a style to be understood.
type style struct {
	bold, italic, underline, dim, strike bool
	fg                                   int // an SGR foreground colour (31-37, 90-97), or 0
}

// The palette: the 16 basic colours, which every terminal theme maps to
// something readable on its own background.
const (
	fgGreen   = 32
	fgYellow  = 33
	fgMagenta = 35
	fgCyan    = 36
)

func (s style) sgr() string {
	var codes []string
	add := func(on bool, code int) {
		if on {
			codes = append(codes, strconv.Itoa(code))
		}
	}
	add(s.bold, 1)
	add(s.dim, 2)
	add(s.italic, 3)
	add(s.underline, 4)
	add(s.strike, 9)
	add(s.fg != 0, s.fg)
	if len(codes) == 0 {
		return ""
	}
	return "\x1b[" + strings.Join(codes, ";") + "m"
}

// seg is a run of text in one style; it holds no newline.
type seg struct {
	text string
	st   style
}

// line is one output line.
type line struct {
	segs []seg
	code bool // a code line: printed exactly, trailing spaces included
}

func addSeg(segs []seg, text string, st style) []seg {
	if text == "" {
		return segs
	}
	if n := len(segs); n > 0 && segs[n-1].st == st {
		segs[n-1].text += text
		return segs
	}
	return append(segs, seg{text, st})
}

func (l line) width() int {
	n := 0
	for _, s := range l.segs {
		n += Width(s.text)
	}
	return n
}

// prefixed returns l with p in front.
func (l line) prefixed(p ...seg) line {
	segs := append(append([]seg(nil), p...), l.segs...)
	return line{segs: segs, code: l.code}
}

// trimRight drops trailing spaces.
func (l line) trimRight() line {
	segs := append([]seg(nil), l.segs...)
	for len(segs) > 0 {
		last := &segs[len(segs)-1]
		last.text = strings.TrimRight(last.text, " ")
		if last.text != "" {
			break
		}
		segs = segs[:len(segs)-1]
	}
	return line{segs: segs, code: l.code}
}

// write appends l and a newline to b, with escape codes when color is set.
func (l line) write(b *strings.Builder, color bool) {
	if !l.code {
		l = l.trimRight()
	}
	var cur style
	for _, s := range l.segs {
		if color && s.st != cur {
			if cur != (style{}) {
				b.WriteString("\x1b[0m")
			}
			b.WriteString(s.st.sgr())
			cur = s.st
		}
		b.WriteString(s.text)
	}
	if color && cur != (style{}) {
		b.WriteString("\x1b[0m")
	}
	b.WriteByte('\n')
}
