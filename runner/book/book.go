package book

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/netbook/netbook/runner/frontmatter"
	"github.com/netbook/netbook/runner/lang"
	nbstyle "github.com/netbook/netbook/runner/style"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Meta is a chapter's front matter.
type Meta struct {
	Title   string   `yaml:"title"`
	Summary string   `yaml:"summary"`
	Mirrors []string `yaml:"mirrors"`
	Lab     string   `yaml:"lab"`
}

// Chapter is one parsed chapter file.
type Chapter struct {
	Meta
	Number   int    // from the file name: 0 for 00-start-here.md
	Slug     string // the file name without .md: "00-start-here"
	Name     string // the file's path inside the book's file system
	Body     []byte // the Markdown after the front matter
	BodyLine int    // the line of the file where Body starts
	Headings []Heading
	Links    []Link
	Blocks   []Block // every fenced code block, Go or not, in order
	Snippets []*Snippet

	// Doc is Body parsed by Markdown(): the tree every renderer walks
	// (its segments index Body). Renderers read it and never change it.
	Doc ast.Node

	// Lang is the language the chapter is written in: English, or the
	// book's language when the chapter has a translation (see LoadIn).
	Lang lang.Lang
}

// Block is a fenced code block, as it stands in the chapter.
type Block struct {
	Info string // the info string: "go title=server.go", "output", "sh", ""
	Code string
	Line int // the line of the opening fence
}

// Heading is a section heading of a chapter.
type Heading struct {
	Level int
	Text  string
	Line  int
}

// Link is a link in a chapter's body.
type Link struct {
	Dest string
	Line int
}

// Relative reports whether the link points inside the repository (not a
// URL, not an anchor on the same page).
func (l Link) Relative() bool {
	return !strings.Contains(l.Dest, "://") && !strings.HasPrefix(l.Dest, "#") &&
		!strings.HasPrefix(l.Dest, "mailto:")
}

// Book is every chapter, in order.
type Book struct {
	Chapters []*Chapter
	// Lang is the language the book is read in (LoadIn): its chapters are
	// in it where they have a translation, and the runner's words around
	// them (WriteList, WriteHead, WriteTail) are.
	Lang lang.Lang
}

var chapterName = regexp.MustCompile(`^(\d\d)-[a-z0-9-]+\.md$`)

// Load parses every NN-slug.md at the top of fsys: the English book.
func Load(fsys fs.FS) (*Book, error) {
	b, err := loadDir(fsys, ".")
	if b != nil {
		b.Lang = lang.English
	}
	return b, err
}

// Folder is the folder of the chapters written in language l, relative to
// the chapters' own folder: "." for English, "zh" for Chinese.
func Folder(l lang.Lang) string {
	if l.IsEnglish() {
		return "."
	}
	return l.String()
}

// LoadIn parses the book in language l from fsys, the chapters' folder
// (chapters/ of the work tree, or the copy embedded in the binary): for
// each English chapter, its translation in Folder(l) (chapters/zh/) when
// there is one, else the English chapter itself, so that a missing
// translation shows the English and never fails. A translation that does
// not parse is passed over the same way (go test ./chapters reports it).
// English is Load.
func LoadIn(fsys fs.FS, l lang.Lang) (*Book, error) {
	en, err := Load(fsys)
	if err != nil || l.IsEnglish() {
		return en, err
	}
	b := &Book{Lang: l}
	tr, _ := loadDir(fsys, Folder(l))
	for _, c := range en.Chapters {
		if tr != nil {
			if t, err := tr.Find(c.Slug); err == nil {
				t.Lang = l
				c = t
			}
		}
		b.Chapters = append(b.Chapters, c)
	}
	return b, nil
}

// loadDir parses every NN-slug.md in the folder dir of fsys; a chapter's
// Name is its path in fsys.
func loadDir(fsys fs.FS, dir string) (*Book, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("unable to list chapters: %w", err)
	}
	b := &Book{}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !chapterName.MatchString(e.Name()) {
			continue
		}
		name := path.Join(dir, e.Name())
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c, err := Parse(name, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.Lang = lang.English
		b.Chapters = append(b.Chapters, c)
	}
	sort.Slice(b.Chapters, func(i, j int) bool { return b.Chapters[i].Number < b.Chapters[j].Number })
	for i := 1; i < len(b.Chapters); i++ {
		if b.Chapters[i].Number == b.Chapters[i-1].Number {
			errs = append(errs, fmt.Errorf("%s: chapter number %02d is also used by %s",
				b.Chapters[i].Name, b.Chapters[i].Number, b.Chapters[i-1].Name))
		}
	}
	return b, errors.Join(errs...)
}

// Find returns the chapter named by arg: its number ("2" or "02"), its slug
// ("02-sockets-in-go"), the slug without the number ("sockets-in-go") or its
// file name.
func (b *Book) Find(arg string) (*Chapter, error) {
	// A path may be written with Windows' backslashes: chapters\03-tcp-server.md.
	key := strings.TrimSuffix(path.Base(strings.ReplaceAll(strings.TrimSpace(arg), `\`, "/")), ".md")
	if n, err := strconv.Atoi(key); err == nil {
		for _, c := range b.Chapters {
			if c.Number == n {
				return c, nil
			}
		}
	}
	for _, c := range b.Chapters {
		if c.Slug == key || c.Slug[3:] == key {
			return c, nil
		}
	}
	var names []string
	for _, c := range b.Chapters {
		names = append(names, c.Slug)
	}
	return nil, fmt.Errorf("no chapter %q: try a number (0-%d) or one of %s", arg,
		len(b.Chapters)-1, strings.Join(names, ", "))
}

// ByLab returns the chapter whose front matter links to the lab, or nil.
func (b *Book) ByLab(lab string) *Chapter {
	for _, c := range b.Chapters {
		if c.Lab == lab {
			return c
		}
	}
	return nil
}

// Parse parses one chapter file. name is its file name, NN-slug.md.
func Parse(name string, src []byte) (*Chapter, error) {
	base := path.Base(name)
	m := chapterName.FindStringSubmatch(base)
	if m == nil {
		return nil, fmt.Errorf("%s:1: a chapter file is named NN-slug.md (two digits, a dash, lower-case words)", name)
	}
	c := &Chapter{Name: name, Slug: strings.TrimSuffix(base, ".md")}
	c.Number, _ = strconv.Atoi(m[1])
	body, bodyLine, err := frontmatter.Decode(name, src, &c.Meta)
	if err != nil {
		return nil, err
	}
	c.Body, c.BodyLine = body, bodyLine
	if strings.TrimSpace(c.Title) == "" {
		return nil, fmt.Errorf("%s:1: front matter needs a title", name)
	}
	if err := c.walk(); err != nil {
		return nil, err
	}
	return c, nil
}

// Markdown is the goldmark configuration chapters are parsed with:
// CommonMark with GitHub's tables and strikethrough, as GitHub shows the
// chapters. A renderer that needs goldmark (HTML) starts from it, so that
// every renderer sees the same tree.
func Markdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
}

// lineOf returns the file line of a byte offset into Body.
func (c *Chapter) lineOf(offset int) int {
	return c.BodyLine + bytes.Count(c.Body[:offset], []byte("\n"))
}

func (c *Chapter) walk() error {
	doc := Markdown().Parser().Parse(text.NewReader(c.Body))
	c.Doc = doc
	var errs []error
	var last *Snippet // the snippet an output block may follow
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		err := ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.Heading:
				c.Headings = append(c.Headings, Heading{Level: n.Level, Text: NodeText(n, c.Body), Line: c.lineOfNode(n)})
			case *ast.Link:
				c.Links = append(c.Links, Link{Dest: string(n.Destination), Line: c.lineOfNode(n)})
			case *ast.FencedCodeBlock:
				s, err := c.codeBlock(n, last)
				if err != nil {
					errs = append(errs, err)
				}
				last = s
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
		if err != nil {
			return err
		}
		if _, ok := n.(*ast.FencedCodeBlock); !ok {
			last = nil
		}
	}
	return errors.Join(errs...)
}

// codeBlock records a Go snippet, or attaches an output block to prev.
func (c *Chapter) codeBlock(n *ast.FencedCodeBlock, prev *Snippet) (*Snippet, error) {
	var info string
	if n.Info != nil {
		info = string(n.Info.Segment.Value(c.Body))
	}
	line := c.fenceLine(n)
	var code strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(c.Body))
	}
	c.Blocks = append(c.Blocks, Block{Info: info, Code: code.String(), Line: line})
	words := strings.Fields(info)
	switch {
	case len(words) > 0 && words[0] == "output":
		if prev == nil {
			return nil, fmt.Errorf("%s:%d: an output block must come right after the go snippet it belongs to", c.Name, line)
		}
		out := code.String()
		prev.Output, prev.OutputLine = &out, line
		return nil, nil
	case len(words) > 0 && words[0] == "go":
		s := &Snippet{Index: len(c.Snippets) + 1, Chapter: c, Info: info, Code: code.String(), Line: line}
		if err := s.parseInfo(words[1:]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", c.Name, line, err)
		}
		c.Snippets = append(c.Snippets, s)
		return s, nil
	}
	return nil, nil
}

func (c *Chapter) fenceLine(n *ast.FencedCodeBlock) int {
	if n.Info != nil {
		return c.lineOf(n.Info.Segment.Start)
	}
	if n.Lines().Len() > 0 {
		return c.lineOf(n.Lines().At(0).Start) - 1
	}
	return c.BodyLine
}

func (c *Chapter) lineOfNode(n ast.Node) int {
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return c.lineOf(p.Lines().At(0).Start)
		}
	}
	return c.BodyLine
}

// NodeText is the text under n, as a heading or a link shows it: soft line
// breaks become spaces, except between two CJK characters, which a line
// break in the source does not part (as the terminal renderer wraps). Every
// renderer names headings with it.
func NodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	soft := false // a soft line break waits for the next text
	add := func(v []byte) {
		if len(v) == 0 {
			return
		}
		if soft {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRune(v)
			if !nbstyle.Wide(last) || !nbstyle.Wide(next) {
				b.WriteByte(' ')
			}
			soft = false
		}
		b.Write(v)
	}
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch t := n.(type) {
			case *ast.Text:
				add(t.Segment.Value(src))
				if t.SoftLineBreak() {
					soft = true
				}
			case *ast.String:
				add(t.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
