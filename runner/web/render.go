package web

import (
	"bytes"
	"fmt"
	"html/template"
	"path"
	"strings"
	"unicode"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
)

// chromaStyle names the chroma styles of the two themes; their CSS is
// generated from chroma at start (see themeCSS), so the pages carry
// classes only, never inline styles.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// Heading is one heading of a rendered page, with the anchor the page
// gives it.
type Heading struct {
	Level int
	Text  string
	ID    string
}

// Page is a chapter rendered to HTML: the second renderer of the parse
// that runner/mdterm draws on a terminal (book.Chapter.Doc).
type Page struct {
	HTML     template.HTML
	Headings []Heading
}

// renderChapter renders chapter c's tree to HTML: headings get anchors,
// code is highlighted with chroma's classes, each runnable snippet is
// wrapped in the controls that run it in the page (its words in l), and
// links go to the pages of edition l (def is the server's: see href).
func renderChapter(c *book.Chapter, l, def lang.Lang) (*Page, error) {
	// c.Name is the chapter's path in the chapters' folder.
	k := links{file: path.Join("chapters", c.Name), lang: l, def: def}
	cr := &codeRenderer{chapter: c, lang: l, links: k, ids: map[string]int{}}
	var buf bytes.Buffer
	if err := newMarkdown(cr).Renderer().Render(&buf, c.Body, c.Doc); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", c.Name, err)
	}
	return &Page{HTML: template.HTML(buf.String()), Headings: cr.headings}, nil
}

// renderMarkdown renders Markdown that is not a chapter (a lab's brief,
// the notes on a reference) the same way, without snippet controls; k
// says which file it is, for its links. Headings start at level shift+1
// at the least, so that they sit under the page's own h1.
func renderMarkdown(src []byte, shift int, k links) (template.HTML, error) {
	doc := book.Markdown().Parser().Parse(text.NewReader(src))
	cr := &codeRenderer{ids: map[string]int{}, shift: shift, links: k}
	var buf bytes.Buffer
	if err := newMarkdown(cr).Renderer().Render(&buf, src, doc); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// newMarkdown is the book's goldmark configuration with the web book's
// renderers: chroma highlighting by class, and cr's headings and snippets.
func newMarkdown(cr *codeRenderer) goldmark.Markdown {
	md := book.Markdown()
	hl := highlighting.NewHTMLRenderer(
		highlighting.WithStyle(lightStyle),
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
	)
	// The highlighter's function for fenced code is kept and called from
	// cr, which wraps runnable snippets in their controls.
	hl.RegisterFuncs(registerFunc(func(k ast.NodeKind, f renderer.NodeRendererFunc) {
		if k == ast.KindFencedCodeBlock {
			cr.highlight = f
		}
	}))
	// goldmark's own function for links is kept for the links that stay
	// as written (see codeRenderer.link). book.Markdown sets no HTML
	// options, so a renderer with the defaults is the one it would use.
	html.NewRenderer().RegisterFuncs(registerFunc(func(k ast.NodeKind, f renderer.NodeRendererFunc) {
		if k == ast.KindLink {
			cr.plainLink = f
		}
	}))
	md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(cr, 100)))
	return md
}

type registerFunc func(ast.NodeKind, renderer.NodeRendererFunc)

func (f registerFunc) Register(k ast.NodeKind, fn renderer.NodeRendererFunc) { f(k, fn) }

// codeRenderer renders headings with anchors, fenced code and links, for
// one render: it counts the go blocks to know which snippet each one is.
type codeRenderer struct {
	chapter   *book.Chapter // nil outside a chapter
	lang      lang.Lang
	shift     int
	links     links // the file rendered, which its links are relative to
	highlight renderer.NodeRendererFunc
	plainLink renderer.NodeRendererFunc // goldmark's
	gos       int                       // go blocks seen
	ids       map[string]int
	headings  []Heading
}

func (cr *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, cr.heading)
	reg.Register(ast.KindFencedCodeBlock, cr.fenced)
	reg.Register(ast.KindLink, cr.link)
}

// link renders a link to a path of the work tree as a link to the page
// that shows it (see links.route), and one to a path no page shows as its
// text alone, with the path as its title: a dead link helps no one, and
// the text (often the package's name, as code) still reads. Every other
// link is goldmark's. The tree is shared with runner/mdterm, so the
// node's destination is read, never changed.
func (cr *codeRenderer) link(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	lk := n.(*ast.Link)
	to, repoPath, ok := cr.links.route(string(lk.Destination))
	esc := template.HTMLEscapeString
	switch {
	case !ok:
		return cr.plainLink(w, src, n, entering)
	case to == "" && entering:
		fmt.Fprintf(w, `<span class="repo-path" title="%s">`, esc(repoPath))
	case to == "":
		w.WriteString("</span>")
	case entering:
		fmt.Fprintf(w, `<a href="%s"`, esc(to))
		if lk.Title != nil {
			fmt.Fprintf(w, ` title="%s"`, esc(string(lk.Title)))
		}
		w.WriteString(">")
	default:
		w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func (cr *codeRenderer) heading(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	h := n.(*ast.Heading)
	level := min(h.Level+cr.shift, 6)
	if !entering {
		fmt.Fprintf(w, "</h%d>\n", level)
		return ast.WalkContinue, nil
	}
	txt := strings.TrimSpace(book.NodeText(h, src))
	id := cr.anchor(txt)
	cr.headings = append(cr.headings, Heading{Level: level, Text: txt, ID: id})
	fmt.Fprintf(w, `<h%d id="%s"><a class="anchor" href="#%s" aria-hidden="true" tabindex="-1">#</a>`, level, id, id)
	return ast.WalkContinue, nil
}

// anchor is a heading's id, made as GitHub makes it, so that a link to a
// section works both there and here: lower case, spaces become hyphens,
// and everything but letters and digits of any script, marks, hyphens and
// underscores is dropped ("net.Dial and net.Listen" is
// "netdial-and-netlisten"; "一对多：广播和组播" is "一对多广播和组播").
// A second heading with the same id gets "-1" after it, a third "-2".
func (cr *codeRenderer) anchor(txt string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(txt)) {
		switch {
		case unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Pc) || r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	for base, n := id, cr.ids[id]; n > 0; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
		if cr.ids[id] == 0 {
			cr.ids[base] = n + 1
			break
		}
	}
	cr.ids[id]++
	return id
}

func (cr *codeRenderer) fenced(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering { // the highlighter writes everything on the way in
		return ast.WalkContinue, nil
	}
	fb := n.(*ast.FencedCodeBlock)
	var s *book.Snippet
	if info := fb.Info; info != nil && cr.chapter != nil {
		words := strings.Fields(string(info.Segment.Value(src)))
		if len(words) > 0 && words[0] == "go" {
			cr.gos++
			if cr.gos <= len(cr.chapter.Snippets) {
				s = cr.chapter.Snippets[cr.gos-1]
			}
		}
	}
	if s == nil || !s.Runnable() {
		if s != nil && s.Title != "" {
			fmt.Fprintf(w, "<div class=\"code-title\">%s</div>\n", template.HTMLEscapeString(s.Title))
		}
		return cr.highlight(w, src, n, true)
	}
	return ast.WalkSkipChildren, writeSnippet(w, cr.lang, s, func() error {
		_, err := cr.highlight(w, src, n, true)
		return err
	})
}

// writeSnippet writes a runnable snippet: its highlighted code (code
// writes it), an edit box, the buttons that run, stop and reset it, and
// where its output goes. app.js drives them.
func writeSnippet(w util.BufWriter, l lang.Lang, s *book.Snippet, code func() error) error {
	id := s.ID()
	esc := template.HTMLEscapeString
	fmt.Fprintf(w, `<div class="snippet" data-snippet="%s">`+"\n", esc(id))
	if s.Title != "" {
		fmt.Fprintf(w, "<div class=\"code-title\">%s</div>\n", esc(s.Title))
	}
	fmt.Fprintf(w, `<div class="snippet-view">`)
	if err := code(); err != nil {
		return err
	}
	fmt.Fprintf(w, "</div>\n")
	name := l.Sprintf(lang.WebSnippet, id)
	fmt.Fprintf(w, `<textarea class="snippet-edit" hidden spellcheck="false" aria-label="%s" rows="%d">%s</textarea>`+"\n",
		esc(l.Sprintf(lang.WebEdit)+": "+name), min(strings.Count(s.Code, "\n")+1, 30), esc(s.Code))
	fmt.Fprintf(w, `<div class="snippet-bar" role="toolbar" aria-label="%s">`, esc(name))
	button := func(action string, msg *lang.Message, hidden bool) {
		h := ""
		if hidden {
			h = " hidden"
		}
		text := l.Sprintf(msg)
		fmt.Fprintf(w, `<button type="button" data-action="%s" aria-label="%s"%s>%s</button>`,
			action, esc(text+": "+name), h, esc(text))
	}
	button("run", lang.WebRun, false)
	button("edit", lang.WebEdit, false)
	button("reset", lang.WebReset, true)
	button("stop", lang.WebStop, true)
	fmt.Fprintf(w, `<span class="snippet-status" role="status"></span></div>`+"\n")
	fmt.Fprintf(w, `<pre class="snippet-out" hidden aria-live="polite" aria-label="%s" data-label="%s" tabindex="0"></pre>`+"\n", esc(l.Sprintf(lang.WebOutput)+": "+name), esc(l.Sprintf(lang.WebOutput)))
	fmt.Fprintf(w, "</div>\n")
	return nil
}
