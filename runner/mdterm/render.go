package mdterm

import (
	"fmt"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Options says how to render.
type Options struct {
	// Width is the number of columns prose, tables and rules are fitted
	// to (at least 20 are used). Code lines are never wrapped.
	Width int
	// Color turns on ANSI styles. Without it the output is plain text: no
	// escape codes and no Markdown markers.
	Color bool
	// Base is the document's folder as the reader names it ("chapters"):
	// a relative link is shown joined to it (../labs/03-x/ shows as
	// labs/03-x/). Empty shows relative links as they are written.
	Base string
	// Label, when set, names the fenced code block that is the i-th
	// (from 0) of the document, for the rule above it: name at its left
	// ("server.go", "output"), note at its right ("netbook run 3:2").
	// When nil, the first word of the info string names it, except "text".
	Label func(i int, info string) (name, note string)
	// Command is how the reader runs netbook, for the commands Chapter
	// shows ("go run ./cmd/netbook run 3:2"); "netbook" when empty.
	Command string
}

// The styles of each kind of text.
var (
	headingStyle = style{bold: true, fg: fgMagenta}
	codeStyle    = style{fg: fgCyan}
	ruleStyle    = style{dim: true}
	urlStyle     = style{dim: true}
	calloutStyle = style{fg: fgYellow}
)

// Render renders doc, parsed from src, as terminal text: one line per
// output line, each ending in a newline.
func Render(doc ast.Node, src []byte, o Options) string {
	if o.Width < 20 {
		o.Width = 20
	}
	r := &renderer{src: src, o: o}
	var b strings.Builder
	for _, l := range r.children(doc, o.Width, false) {
		l.write(&b, o.Color)
	}
	return b.String()
}

type renderer struct {
	src    []byte
	o      Options
	fenced int // fenced code blocks rendered so far
}

// children renders n's child blocks one after another, a blank line
// between them unless tight.
func (r *renderer) children(n ast.Node, width int, tight bool) []line {
	var out []line
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		ls := r.block(c, width)
		if len(ls) == 0 {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, line{})
		}
		out = append(out, ls...)
	}
	return out
}

func (r *renderer) block(n ast.Node, width int) []line {
	switch n := n.(type) {
	case *ast.Heading:
		return r.heading(n, width)
	case *ast.Paragraph, *ast.TextBlock:
		return wrap(r.inline(n, style{}, nil), width)
	case *ast.ThematicBreak:
		return []line{rule(width)}
	case *ast.FencedCodeBlock:
		info := ""
		if n.Info != nil {
			info = string(n.Info.Segment.Value(r.src))
		}
		i := r.fenced
		r.fenced++
		name, note := r.label(i, info)
		return r.code(name, note, info, n.Lines(), width)
	case *ast.CodeBlock:
		return r.code("", "", "", n.Lines(), width)
	case *ast.HTMLBlock:
		return r.html(n)
	case *ast.Blockquote:
		return r.quote(n, width)
	case *ast.List:
		return r.list(n, width)
	case *east.Table:
		return r.table(n, width)
	}
	return r.children(n, width, false)
}

func rule(width int) line {
	return line{segs: []seg{{strings.Repeat("─", width), ruleStyle}}}
}

// heading: bold and coloured; a level-1 heading is underlined with ═, a
// level-2 one with ─, so that plain text still shows the outline.
func (r *renderer) heading(n *ast.Heading, width int) []line {
	st := style{bold: true}
	if n.Level <= 2 {
		st = headingStyle
	}
	ls := wrap(r.inline(n, st, nil), width)
	under := map[int]string{1: "═", 2: "─"}[n.Level]
	if under != "" {
		w := 0
		for _, l := range ls {
			w = max(w, l.width())
		}
		ls = append(ls, line{segs: []seg{{strings.Repeat(under, min(w, width)), ruleStyle}}})
	}
	return ls
}

func (r *renderer) quote(n *ast.Blockquote, width int) []line {
	border := ruleStyle
	if p := n.FirstChild(); p != nil {
		if e, ok := p.FirstChild().(*ast.Emphasis); ok && e.Level == 2 {
			border = calloutStyle
		}
	}
	inner := r.children(n, width-2, false)
	out := make([]line, len(inner))
	for i, l := range inner {
		if len(l.segs) == 0 {
			out[i] = line{segs: []seg{{"│", border}}}
		} else {
			out[i] = l.prefixed(seg{"│ ", border})
		}
	}
	return out
}

var bullets = []string{"•", "◦", "▪"}

func (r *renderer) list(n *ast.List, width int) []line {
	depth := 0
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.List); ok {
			depth++
		}
	}
	count := n.ChildCount()
	numW := len(fmt.Sprint(n.Start + count - 1))
	var out []line
	i := 0
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		marker := bullets[min(depth, len(bullets)-1)]
		if n.IsOrdered() {
			marker = fmt.Sprintf("%*d%c", numW, n.Start+i, n.Marker)
		}
		indent := Width(marker) + 1
		content := r.children(item, width-indent, n.IsTight)
		if len(content) == 0 {
			content = []line{{}}
		}
		if i > 0 && !n.IsTight {
			out = append(out, line{})
		}
		pad := strings.Repeat(" ", indent)
		for j, l := range content {
			switch {
			case j == 0:
				out = append(out, l.prefixed(seg{marker + " ", style{}}))
			case len(l.segs) == 0:
				out = append(out, l)
			default:
				out = append(out, l.prefixed(seg{pad, style{}}))
			}
		}
		i++
	}
	return out
}

// html prints a block of raw HTML as it stands, except a comment, which a
// reader never sees.
func (r *renderer) html(n *ast.HTMLBlock) []line {
	if n.HTMLBlockType == ast.HTMLBlockType2 {
		return nil
	}
	var out []line
	add := func(v []byte) {
		text := strings.TrimRight(string(v), "\r\n")
		out = append(out, line{segs: expandTabs(text, nil, nil), code: true})
	}
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		add(seg.Value(r.src))
	}
	if n.HasClosure() {
		closure := n.ClosureLine
		add(closure.Value(r.src))
	}
	return out
}

// inline appends the spans of n's inline children, in style st.
func (r *renderer) inline(n ast.Node, st style, out []span) []span {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(r.src)
			text := string(v)
			if !c.IsRaw() {
				text = unescape(v)
			}
			out = append(out, span{text: text, st: st})
			if c.HardLineBreak() {
				out = append(out, span{hard: true})
			} else if c.SoftLineBreak() {
				out = append(out, span{text: "\n", st: st})
			}
		case *ast.String:
			v := string(c.Value)
			if !c.IsCode() {
				v = unescape(c.Value)
			}
			out = append(out, span{text: v, st: st})
		case *ast.CodeSpan:
			cs := st
			cs.fg = codeStyle.fg
			out = append(out, span{text: r.codeSpan(c), st: cs, code: true})
		case *ast.Emphasis:
			es := st
			if c.Level >= 2 {
				es.bold = true
			} else {
				es.italic = true
			}
			out = r.inline(c, es, out)
		case *east.Strikethrough:
			ss := st
			ss.strike = true
			out = r.inline(c, ss, out)
		case *ast.Link:
			ls := st
			ls.underline = true
			start := len(out)
			out = r.inline(c, ls, out)
			if dest := r.dest(string(c.Destination)); dest != "" && dest != spanText(out[start:]) {
				out = append(out, span{text: " (" + dest + ")", st: urlStyle})
			}
		case *ast.AutoLink:
			ls := st
			ls.underline = true
			out = append(out, span{text: string(c.URL(r.src)), st: ls})
		case *ast.Image:
			alt := spanText(r.inline(c, st, nil))
			out = append(out, span{text: "[image: " + alt + "]", st: st})
			if dest := r.dest(string(c.Destination)); dest != "" {
				out = append(out, span{text: " (" + dest + ")", st: urlStyle})
			}
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				s := c.Segments.At(i)
				out = append(out, span{text: string(s.Value(r.src)), st: st})
			}
		default:
			out = r.inline(c, st, out)
		}
	}
	return out
}

func (r *renderer) codeSpan(c *ast.CodeSpan) string {
	var b strings.Builder
	for t := c.FirstChild(); t != nil; t = t.NextSibling() {
		switch t := t.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(r.src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
	}
	return b.String()
}

// dest is how a link's destination is shown: the URL of an external link,
// the file of a relative one, nothing for an anchor on the same page.
func (r *renderer) dest(d string) string {
	switch {
	case d == "" || strings.HasPrefix(d, "#"):
		return ""
	case strings.Contains(d, "://") || strings.HasPrefix(d, "mailto:"):
		return d
	case r.o.Base == "" || path.IsAbs(d):
		return d
	}
	file, frag, hasFrag := strings.Cut(d, "#")
	joined := path.Join(r.o.Base, file)
	if strings.HasSuffix(file, "/") {
		joined += "/"
	}
	if hasFrag {
		joined += "#" + frag
	}
	return joined
}

func spanText(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.text)
	}
	return b.String()
}

// unescape turns Markdown's backslash escapes and character references
// into the characters they stand for.
func unescape(v []byte) string {
	return string(util.UnescapePunctuations(util.ResolveEntityNames(util.ResolveNumericReferences(v))))
}
