package compare

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/labs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// TestEveryLabHasNotes holds the book to its promise: every lab with a
// reference has notes on it, which start with a title, say something, and
// whose relative links resolve. Each translation (NOTES.LANG.md) is held to
// the same rules in its language, and to the English notes: the same
// number of sections, the same code blocks byte for byte, a title of its
// own, and links to the chapters of its own edition where the book has one.
func TestEveryLabHasNotes(t *testing.T) {
	r := testkit.Tree(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	chapters := filepath.Join(r.Dir, "chapters")
	for _, l := range all {
		if _, err := os.Stat(l.SolutionDir); err != nil {
			continue
		}
		src, path, err := Notes(l, "")
		require.NoError(t, err)
		if !assert.NotEmpty(t, path, "lab %s has no notes on its reference: write %s", l.Name, filepath.Join("solutions", l.Name, NotesFile)) {
			continue
		}
		en, problems := readNotes(path, "en", src)
		report(t, r.Dir, path, problems)
		for _, code := range Languages(l) {
			if code == "en" {
				continue
			}
			path := filepath.Join(l.SolutionDir, "NOTES."+code+".md")
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			tr, problems := readNotes(path, code, src)
			report(t, r.Dir, path, append(problems, translationProblems(en, tr, chapters, code)...))
		}
	}
}

// A translation that breaks each rule is told so, in words that say what to
// do; one that keeps them all passes.
func TestTranslatedNotesRules(t *testing.T) {
	dir := t.TempDir()
	chapters := filepath.Join(dir, "chapters")
	solution := filepath.Join(dir, "solutions", "01-x")
	for _, name := range []string{"01-x.md", "zh/01-x.md", "02-y.md"} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(chapters, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(chapters, name), []byte("# x\n"), 0o644))
	}
	require.NoError(t, os.MkdirAll(solution, 0o755))
	code := "```go\nconn.Close()\n```\n"
	en := "# Notes on the reference: x\n\nSee [the chapter](../../chapters/01-x.md) and [the next](../../chapters/02-y.md#top).\n\n" +
		"## One\n\n" + strings.Repeat("word ", 200) + "\n\n" + code + "\n## Two\n\nMore.\n"
	zh := "# 参考答案说明：x\n\n见[第 1 章](../../chapters/zh/01-x.md)和[下一章](../../chapters/02-y.md#top)。\n\n" +
		"## 一\n\n" + strings.Repeat("字", 400) + "\n\n" + code + "\n## 二\n\n还有。\n"
	enNotes, problems := readNotes(filepath.Join(solution, NotesFile), "en", []byte(en))
	require.Empty(t, problems)
	path := filepath.Join(solution, "NOTES.zh.md")
	check := func(src string) []string {
		tr, problems := readNotes(path, "zh", []byte(src))
		return append(problems, translationProblems(enNotes, tr, chapters, "zh")...)
	}
	assert.Empty(t, check(zh), "a faithful translation; chapter 2 has no Chinese edition, so its English link stands")

	for _, c := range []struct {
		name, src, want string
	}{
		{"title left in English", strings.Replace(zh, "参考答案说明：x", "Notes on the reference: x", 1), `the title is the English one, "Notes on the reference: x": translate it`},
		{"no title", strings.Replace(zh, "# 参考答案说明：x\n\n", "", 1), "starts with a level-1 heading"},
		{"a section left out", strings.Replace(zh, "## 二\n\n", "", 1), "has 1 sections (## headings), the English notes 2"},
		{"a section split in two", strings.Replace(zh, "还有。", "还有。\n\n## 三\n\n更多。", 1), "has 3 sections (## headings), the English notes 2"},
		{"code translated", strings.Replace(zh, "conn.Close()", "conn.Close() // 关闭", 1), "code block 1 differs from the English notes': code stays as it is, byte for byte"},
		{"code block's info string dropped", strings.Replace(zh, "```go", "```", 1), "code block 1 differs"},
		{"code block left out", strings.Replace(zh, code, "", 1), "has 0 code blocks, the English notes 1"},
		{"link to the English chapter", strings.Replace(zh, "chapters/zh/01-x.md", "chapters/01-x.md", 1), "links to the English chapter ../../chapters/01-x.md: link to ../../chapters/zh/01-x.md"},
		{"link left as it was in the lab folder", strings.Replace(zh, "../../chapters/zh/01-x.md", "../chapters/zh/01-x.md", 1), "links to ../chapters/zh/01-x.md, which does not exist"},
		{"too short", strings.Replace(zh, strings.Repeat("字", 400), "字", 1), "characters (want 300 to 3000)"},
		{"too long", strings.Replace(zh, strings.Repeat("字", 400), strings.Repeat("字", 3000), 1), "characters (want 300 to 3000)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := check(c.src)
			if assert.Len(t, got, 1, "one problem, the one broken") {
				assert.Contains(t, got[0], c.want)
			}
		})
	}
}

// Chinese is counted in characters: Han characters one each, and each run
// of other letters and digits one, punctuation none.
func TestNoteLength(t *testing.T) {
	for _, c := range []struct {
		src, code string
		n         int
		unit      string
	}{
		{"Your code passes the same tests.", "en", 6, "words"},
		{"Your code passes.", "", 3, "words"},
		{"你的代码通过了同样的测试。", "zh", 12, "characters"},
		{"`Serve` 只负责接受连接：对话里的字节，它一个也不读、不写。", "zh", 22, "characters"},
		{"先 5 ms，之后翻倍（`net/http`）", "zh", 8, "characters"},
		{"繁體", "zh-TW", 2, "characters"},
	} {
		n, unit := noteLength(c.src, c.code)
		assert.Equal(t, c.n, n, "%s", c.src)
		assert.Equal(t, c.unit, unit, "%s", c.src)
	}
}

// parsedNotes is what the rules look at in one file of notes.
type parsedNotes struct {
	title    string
	sections int      // level-2 headings
	code     []string // code blocks: the fence's info string, then the text
	links    []string // relative link destinations, as written
	dir      string   // the file's folder
}

// readNotes parses the notes in src (the file at path, in language code)
// and checks them on their own: a title, a length, relative links that
// resolve from the file's folder.
func readNotes(path, code string, src []byte) (parsedNotes, []string) {
	var problems []string
	doc := book.Markdown().Parser().Parse(text.NewReader(src))
	p := parsedNotes{dir: filepath.Dir(path)}
	if h, ok := doc.FirstChild().(*ast.Heading); ok && h.Level == 1 {
		p.title = strings.TrimSpace(string(h.Lines().Value(src)))
	}
	if p.title == "" {
		problems = append(problems, "starts with a level-1 heading (# Notes on the reference: ...)")
	}
	n, unit := noteLength(string(src), code)
	lo, hi := 150, 1500
	if unit != "words" {
		lo, hi = 2*lo, 2*hi
	}
	if n <= lo || n >= hi {
		problems = append(problems, fmt.Sprintf("has %d %s (want %d to %d): notes are a few short sections, a page or two", n, unit, lo, hi))
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 2 {
				p.sections++
			}
		case *ast.FencedCodeBlock:
			info := ""
			if n.Info != nil {
				info = string(n.Info.Segment.Value(src))
			}
			p.code = append(p.code, "```"+info+"\n"+string(n.Lines().Value(src)))
		case *ast.CodeBlock:
			p.code = append(p.code, "(indented)\n"+string(n.Lines().Value(src)))
		case *ast.Link:
			dest := string(n.Destination)
			if strings.Contains(dest, "://") || strings.HasPrefix(dest, "#") {
				break
			}
			p.links = append(p.links, dest)
			file, _, _ := strings.Cut(dest, "#")
			if _, err := os.Stat(filepath.Join(p.dir, filepath.FromSlash(file))); err != nil {
				problems = append(problems, fmt.Sprintf("links to %s, which does not exist", dest))
			}
		}
		return ast.WalkContinue, nil
	})
	return p, problems
}

// noteLength measures notes in language code. Chinese is written without
// spaces, so it is counted in characters: each Han character counts one,
// and so does each run of other letters and digits (a name in code, a
// number). A translation from English runs to about 1.6 such characters
// per English word (1.61 to 1.67 in labs 01 to 04), so the bounds for
// Chinese are the English ones doubled: room for a wordier translation,
// none for a stub or a second chapter.
func noteLength(src, code string) (int, string) {
	if code != "zh" && !strings.HasPrefix(code, "zh-") {
		return len(strings.Fields(src)), "words"
	}
	han := 0
	for _, r := range src {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	other := strings.FieldsFunc(src, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.Is(unicode.Han, r) || (r > unicode.MaxASCII && unicode.IsPunct(r))
	})
	return han + len(other), "characters"
}

// translationProblems compares a translation's notes, in language code, to
// the English ones; chapters is the folder of the English chapters, whose
// editions sit in chapters/LANG/.
func translationProblems(en, tr parsedNotes, chapters, code string) []string {
	var out []string
	if tr.title != "" && tr.title == en.title {
		out = append(out, fmt.Sprintf("the title is the English one, %q: translate it", en.title))
	}
	if tr.sections != en.sections {
		out = append(out, fmt.Sprintf("has %d sections (## headings), the English notes %d: translate each section, no more, no fewer", tr.sections, en.sections))
	}
	if len(tr.code) != len(en.code) {
		out = append(out, fmt.Sprintf("has %d code blocks, the English notes %d: code stays as it is, byte for byte", len(tr.code), len(en.code)))
	} else {
		for i := range en.code {
			if tr.code[i] != en.code[i] {
				out = append(out, fmt.Sprintf("code block %d differs from the English notes': code stays as it is, byte for byte\nwant:\n%s\ngot:\n%s", i+1, en.code[i], tr.code[i]))
			}
		}
	}
	// A link to an English chapter that has an edition in the notes'
	// language still resolves, so only this rule catches it.
	for _, dest := range tr.links {
		file, _, _ := strings.Cut(dest, "#")
		file = filepath.Join(tr.dir, filepath.FromSlash(file))
		if filepath.Dir(file) != chapters {
			continue
		}
		if _, err := os.Stat(filepath.Join(chapters, code, filepath.Base(file))); err == nil {
			out = append(out, fmt.Sprintf("links to the English chapter %s: link to ../../chapters/%s/%s", dest, code, filepath.Base(file)))
		}
	}
	return out
}

// report fails t with each problem of the notes at path.
func report(t *testing.T, root, path string, problems []string) {
	t.Helper()
	rel, _ := filepath.Rel(root, path)
	for _, p := range problems {
		t.Errorf("%s: %s", filepath.ToSlash(rel), p)
	}
}
