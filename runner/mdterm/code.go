package mdterm

import (
	"go/scanner"
	"go/token"
	"strings"

	"github.com/yuin/goldmark/text"
)

// label names a fenced block for the rule above it.
func (r *renderer) label(i int, info string) (name, note string) {
	if r.o.Label != nil {
		return r.o.Label(i, info)
	}
	lang, _, _ := strings.Cut(strings.TrimSpace(info), " ")
	if lang == "text" {
		return "", ""
	}
	return lang, ""
}

// code renders a code block between two rules, the upper one carrying its
// name and note. Its lines are printed exactly, tabs expanded: never
// wrapped, never indented.
func (r *renderer) code(name, note, info string, lines *text.Segments, width int) []line {
	var src strings.Builder
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		src.Write(s.Value(r.src))
	}
	code := src.String()
	lang, _, _ := strings.Cut(strings.TrimSpace(info), " ")
	var classes []style
	switch lang {
	case "go":
		classes = goStyles(code)
	case "output", "text", "":
	default:
		classes = make([]style, len(code))
		for i := range classes {
			classes[i] = codeStyle
		}
	}
	out := []line{{segs: []seg{{topRule(name, note, width), ruleStyle}}}}
	off := 0
	for _, l := range strings.SplitAfter(code, "\n") {
		if l == "" {
			break
		}
		t := strings.TrimSuffix(l, "\n")
		var cl []style
		if classes != nil {
			cl = classes[off : off+len(t)]
		}
		out = append(out, line{segs: expandTabs(t, cl, nil), code: true})
		off += len(l)
	}
	return append(out, rule(width))
}

// topRule is the rule above a code block: "── name ───── note ──", as wide
// as width; the note goes when both do not fit, and a name wider than the
// width runs past it.
func topRule(name, note string, width int) string {
	left := "──"
	if name != "" {
		left += " " + name + " "
	}
	for _, right := range []string{" " + note + " ──", "──"} {
		if note == "" && right != "──" {
			continue
		}
		if fill := width - Width(left) - Width(right); fill >= 2 {
			return left + strings.Repeat("─", fill) + right
		}
	}
	return strings.TrimSuffix(left, " ")
}

// expandTabs turns text into segments, each tab expanded to the next stop
// of 4 columns; classes, when not nil, gives each byte's style.
func expandTabs(text string, classes []style, segs []seg) []seg {
	col, start := 0, 0
	var st style // the style of text[start:i]
	for i, c := range text {
		var cs style
		if classes != nil {
			cs = classes[i]
		}
		if c == '\t' || cs != st {
			segs = addSeg(segs, text[start:i], st)
			start, st = i, cs
		}
		if c == '\t' {
			n := 4 - col%4
			segs = addSeg(segs, strings.Repeat(" ", n), st)
			col += n
			start = i + 1
			continue
		}
		col += runeWidth(c)
	}
	return addSeg(segs, text[start:], st)
}

// ExpandTabs expands each tab of a line to the next stop of 4 columns, as
// code lines are printed.
func ExpandTabs(s string) string {
	var b strings.Builder
	for _, sg := range expandTabs(s, nil, nil) {
		b.WriteString(sg.text)
	}
	return b.String()
}

// goStyles colours Go code with go/scanner, which reads fragments too:
// keywords, strings, numbers, comments. It returns a style per byte.
func goStyles(code string) []style {
	styles := make([]style, len(code))
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(code))
	var s scanner.Scanner
	s.Init(file, []byte(code), func(token.Position, string) {}, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		var st style
		n := len(lit)
		switch {
		case tok == token.COMMENT:
			st = style{dim: true}
		case tok == token.STRING || tok == token.CHAR:
			st = style{fg: fgGreen}
		case tok == token.INT || tok == token.FLOAT || tok == token.IMAG:
			st = style{fg: fgYellow}
		case tok.IsKeyword():
			st = style{fg: fgMagenta}
			n = len(tok.String())
		default:
			continue
		}
		off := file.Offset(pos)
		for i := off; i < off+n && i < len(styles); i++ {
			styles[i] = st
		}
	}
	return styles
}
