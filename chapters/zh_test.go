package chapters_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/netbook/netbook/runner/book"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// loadZh parses the Chinese edition, chapters/zh/.
func loadZh(t *testing.T) *book.Book {
	t.Helper()
	b, err := book.Load(os.DirFS("zh"))
	require.NoError(t, err)
	return b
}

// The Chinese edition is the same book: a chapter for each English one,
// with the same front matter fields, the same headings in the same order
// (so anchors and cross-links map one to one) and the same code blocks,
// byte for byte (the snippets are proved once, in English).
func TestChineseEditionMatchesTheEnglish(t *testing.T) {
	en, zh := load(t), loadZh(t)
	for _, c := range en.Chapters {
		z, err := zh.Find(c.Slug)
		if !assert.NoError(t, err, "chapters/zh/%s.md is missing: every chapter has a Chinese edition", c.Slug) {
			continue
		}
		name := "zh/" + z.Name
		assert.Equal(t, c.Lab, z.Lab, "%s: lab differs from the English chapter's", name)
		assert.Equal(t, c.Mirrors, z.Mirrors, "%s: mirrors differs from the English chapter's", name)
		assert.NotEmpty(t, z.Summary, "%s: the front matter needs a summary", name)

		var enLevels, zhLevels []int
		for _, h := range c.Headings {
			enLevels = append(enLevels, h.Level)
		}
		for _, h := range z.Headings {
			zhLevels = append(zhLevels, h.Level)
		}
		assert.Equal(t, enLevels, zhLevels, "%s: the headings' levels and order must be the English chapter's", name)

		for i, b := range c.Blocks {
			if i >= len(z.Blocks) {
				t.Errorf("%s: the code block of %s:%d (```%s) is missing, and every one after it", name, c.Name, b.Line, b.Info)
				break
			}
			y := z.Blocks[i]
			if y.Info != b.Info || y.Code != b.Code {
				t.Errorf("%s:%d: this code block differs from %s:%d; a Chinese chapter's code is the English chapter's, byte for byte\nEnglish: ```%s\n%s\nChinese: ```%s\n%s",
					name, y.Line, c.Name, b.Line, b.Info, b.Code, y.Info, y.Code)
				break // one difference shifts every block after it
			}
		}
		if len(z.Blocks) > len(c.Blocks) {
			t.Errorf("%s:%d: a code block that the English chapter does not have", name, z.Blocks[len(c.Blocks)].Line)
		}
	}
	for _, z := range zh.Chapters {
		if _, err := en.Find(z.Slug); err != nil {
			t.Errorf("zh/%s has no English chapter %s.md", z.Name, z.Slug)
		}
	}
}

// Links in a Chinese chapter resolve from chapters/zh/.
func TestChineseLinksResolve(t *testing.T) {
	for _, c := range loadZh(t).Chapters {
		if c.Lab != "" {
			linked := false
			for _, l := range c.Links {
				linked = linked || strings.TrimSuffix(l.Dest, "/") == "../../labs/"+c.Lab
			}
			assert.True(t, linked, "zh/%s: link to its lab in the text: [实验 %s](../../labs/%s/)", c.Name, c.Lab, c.Lab)
		}
		for _, l := range c.Links {
			dest, _, _ := strings.Cut(l.Dest, "#")
			if !l.Relative() || dest == "" {
				continue
			}
			_, err := os.Stat(filepath.Join("zh", filepath.FromSlash(dest)))
			assert.NoError(t, err, "zh/%s:%d: the link %s does not resolve", c.Name, l.Line, l.Dest)
		}
	}
}

// glossaryRow is one term of docs/glossary.md.
type glossaryRow struct {
	en, zh []string // the alternatives, "send buffer / receive buffer"
	line   int
}

// readGlossary reads the table of docs/glossary.md.
func readGlossary(t *testing.T) []glossaryRow {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "docs", "glossary.md"))
	require.NoError(t, err)
	defer f.Close()
	var rows []glossaryRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) < 2 || strings.HasPrefix(strings.TrimSpace(cells[0]), "---") || strings.TrimSpace(cells[0]) == "English" {
			continue
		}
		rows = append(rows, glossaryRow{en: split(cells[0]), zh: split(cells[1]), line: n})
	}
	require.NotEmpty(t, rows, "docs/glossary.md has no table")
	return rows
}

func split(cell string) []string {
	var out []string
	for _, s := range strings.Split(cell, "/") {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// unchecked are the glossary's English words that are also everyday words
// in the chapters' prose (a code block, an address block; a ping, the
// command; chapter 6's broadcast "listener", a program), so that their
// presence says nothing about the Chinese term.
var unchecked = []string{"block", "blocking", "host", "ping", "accept", "listen", "broadcast", "message",
	"lab", "task", "hint", "snippet", "skeleton", "server", "client", "connection", "address", "port",
	"packet", "protocol", "queue", "buffer", "thread", "channel", "lock", "encode", "decode", "request",
	"response", "header", "body", "dial", "socket", "reliable", "heartbeat", "timeout", "segment",
	"listener"}

// The Chinese chapters use the glossary's words: where an English chapter's
// prose uses a term of the glossary, its Chinese chapter uses the term's
// Chinese word. Words too common to mean the term every time are left out
// (unchecked).
func TestChineseChaptersUseTheGlossary(t *testing.T) {
	rows := readGlossary(t)
	en, zh := load(t), loadZh(t)
	for _, c := range en.Chapters {
		z, err := zh.Find(c.Slug)
		if err != nil {
			continue // reported by TestChineseEditionMatchesTheEnglish
		}
		enProse := strings.ToLower(prose(c.Body))
		zhProse := prose(z.Body)
		for _, r := range rows {
			if len(r.en) != len(r.zh) {
				continue
			}
			for i, term := range r.en {
				if term == "" || slices.Contains(unchecked, strings.ToLower(term)) {
					continue
				}
				word := regexp.MustCompile(`\b` + regexp.QuoteMeta(strings.ToLower(term)) + `(s|es)?\b`)
				if word.MatchString(enProse) && !strings.Contains(zhProse, r.zh[i]) {
					t.Errorf("zh/%s.md: the English chapter speaks of %q; the Chinese one never says %s (docs/glossary.md:%d)", c.Slug, term, r.zh[i], r.line)
				}
			}
		}
	}
}

// prose is the text of a chapter's Markdown without its code: no code
// blocks, no code spans.
func prose(md []byte) string {
	doc := goldmark.New().Parser().Parse(text.NewReader(md))
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.CodeSpan:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(n.Segment.Value(md))
			b.WriteByte(' ')
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
