package chapters_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

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

// translated are the chapters the book ships in Chinese: each keeps its
// Chinese edition. A chapter written since (netbook new-lab writes one)
// may have one or not, as CONTRIBUTING.md says: a chapter without one is
// read in English, and nothing fails. Add a chapter here once its Chinese
// edition is written.
var translated = []string{
	"00-start-here",
	"01-networks-and-ports",
	"02-sockets-in-go",
	"03-tcp-server",
	"04-tcp-client",
	"05-many-clients",
	"06-udp",
	"07-two-way-chat",
	"08-framing",
	"09-chat-room",
	"10-robust-servers",
	"11-reliable-transport",
}

// The Chinese edition is the same book: a chapter for each English one
// the book ships translated, each Chinese chapter with the same front
// matter fields, the same headings in the same order (so anchors and
// cross-links map one to one) and the same code blocks, byte for byte
// (the snippets are proved once, in English).
func TestChineseEditionMatchesTheEnglish(t *testing.T) {
	for _, p := range chineseEditionProblems(load(t), loadZh(t), translated) {
		t.Error(p)
	}
}

// A chapter that is not among the translated ones, such as the stub that
// netbook new-lab writes, needs no Chinese edition; one that is does, and
// a Chinese chapter, translated or not, still matches its English one.
func TestChineseEditionIsOptionalForANewChapter(t *testing.T) {
	chapter := func(title, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsummary: " + title + ".\n---\n\n# " + title + "\n\n" + body)}
	}
	code := "```go\npackage main\n\nfunc main() {}\n```\n"
	en, err := book.Load(fstest.MapFS{
		"00-start.md": chapter("Start", code),
		"01-new.md":   chapter("New", code),
	})
	require.NoError(t, err)
	zh, err := book.Load(fstest.MapFS{"00-start.md": chapter("开始", code)})
	require.NoError(t, err)

	assert.Empty(t, chineseEditionProblems(en, zh, []string{"00-start"}), "01-new is not translated yet, and need not be")
	assert.Equal(t, []string{"chapters/zh/01-new.md is missing: the book ships 01-new in Chinese (translated, chapters/zh_test.go)"},
		chineseEditionProblems(en, zh, []string{"00-start", "01-new"}))
	assert.Equal(t, []string{"translated lists 02-gone, which has no English chapter"},
		chineseEditionProblems(en, zh, []string{"00-start", "02-gone"}))

	zh, err = book.Load(fstest.MapFS{
		"00-start.md": chapter("开始", code),
		"01-new.md":   chapter("新", "```go\npackage main\n```\n"),
	})
	require.NoError(t, err)
	problems := chineseEditionProblems(en, zh, []string{"00-start"})
	require.Len(t, problems, 1, "a Chinese chapter is checked whether or not it is listed")
	assert.Contains(t, problems[0], "zh/01-new.md:8: this code block differs from 01-new.md:8")
}

// chineseEditionProblems compares the Chinese edition zh with the English
// en: every chapter of required has its Chinese edition, and every Chinese
// chapter matches its English one.
func chineseEditionProblems(en, zh *book.Book, required []string) []string {
	var problems []string
	for _, slug := range required {
		if _, err := en.Find(slug); err != nil {
			problems = append(problems, fmt.Sprintf("translated lists %s, which has no English chapter", slug))
		} else if _, err := zh.Find(slug); err != nil {
			problems = append(problems, fmt.Sprintf("chapters/zh/%s.md is missing: the book ships %s in Chinese (translated, chapters/zh_test.go)", slug, slug))
		}
	}
	for _, c := range en.Chapters {
		z, err := zh.Find(c.Slug)
		if err != nil {
			continue // not translated: it is read in English
		}
		name := "zh/" + z.Name
		if c.Lab != z.Lab {
			problems = append(problems, fmt.Sprintf("%s: lab %q differs from the English chapter's, %q", name, z.Lab, c.Lab))
		}
		if !slices.Equal(c.Mirrors, z.Mirrors) {
			problems = append(problems, fmt.Sprintf("%s: mirrors %q differs from the English chapter's, %q", name, z.Mirrors, c.Mirrors))
		}
		if z.Summary == "" {
			problems = append(problems, fmt.Sprintf("%s: the front matter needs a summary", name))
		}

		var enLevels, zhLevels []int
		for _, h := range c.Headings {
			enLevels = append(enLevels, h.Level)
		}
		for _, h := range z.Headings {
			zhLevels = append(zhLevels, h.Level)
		}
		if !slices.Equal(enLevels, zhLevels) {
			problems = append(problems, fmt.Sprintf("%s: the headings' levels and order must be the English chapter's: %v, not %v", name, enLevels, zhLevels))
		}

		for i, b := range c.Blocks {
			if i >= len(z.Blocks) {
				problems = append(problems, fmt.Sprintf("%s: the code block of %s:%d (```%s) is missing, and every one after it", name, c.Name, b.Line, b.Info))
				break
			}
			y := z.Blocks[i]
			if y.Info != b.Info || y.Code != b.Code {
				problems = append(problems, fmt.Sprintf("%s:%d: this code block differs from %s:%d; a Chinese chapter's code is the English chapter's, byte for byte\nEnglish: ```%s\n%s\nChinese: ```%s\n%s",
					name, y.Line, c.Name, b.Line, b.Info, b.Code, y.Info, y.Code))
				break // one difference shifts every block after it
			}
		}
		if len(z.Blocks) > len(c.Blocks) {
			problems = append(problems, fmt.Sprintf("%s:%d: a code block that the English chapter does not have", name, z.Blocks[len(c.Blocks)].Line))
		}
	}
	for _, z := range zh.Chapters {
		if _, err := en.Find(z.Slug); err != nil {
			problems = append(problems, fmt.Sprintf("zh/%s has no English chapter %s.md", z.Name, z.Slug))
		}
	}
	return problems
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
			continue // not translated, or reported by TestChineseEditionMatchesTheEnglish
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
