package labs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/labs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// A lab's translations keep the English code, as the chapters' do: each
// code block of README.LANG.md, and each hint level of several lines (the
// nearly-the-code level), is the English one, byte for byte, except the
// comments of shell commands, which a reader reads as prose
// (go run ./cmd/netbook bench 02    # 通过之后：...).
func TestTranslatedLabsKeepTheCode(t *testing.T) {
	r := testkit.Tree(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		for _, code := range []string{"zh"} {
			for _, p := range translatedCodeProblems(t, l, code) {
				t.Error(p)
			}
		}
	}
}

// Each way a translation can change the code is told so; a faithful one,
// with a translated shell comment, passes.
func TestTranslatedCodeRules(t *testing.T) {
	en := "# Demo\n\n```sh\ngo test ./labs/01-demo   # the tests\n```\n\n```go\nconn.Close()\n```\n"
	zh := "# 演示\n\n```sh\ngo test ./labs/01-demo   # 测试\n```\n\n```go\nconn.Close()\n```\n"
	assert.Empty(t, codeDiffers("README.zh.md", blocks([]byte(en)), blocks([]byte(zh))))
	for _, c := range []struct{ name, zh, want string }{
		{"a Go comment translated", strings.Replace(zh, "conn.Close()", "conn.Close() // 关闭", 1), "code block 2 differs from the English"},
		{"a command changed", strings.Replace(zh, "go test ./labs/01-demo", "go test ./labs/01-demo -v", 1), "code block 1 differs from the English"},
		{"a block left out", strings.Replace(zh, "```go\nconn.Close()\n```\n", "", 1), "has 1 code blocks, the English 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := codeDiffers("README.zh.md", blocks([]byte(en)), blocks([]byte(c.zh)))
			if assert.Len(t, got, 1) {
				assert.Contains(t, got[0], c.want)
			}
		})
	}
}

// A hint's code level is kept byte for byte; a one-line level is prose.
func TestTranslatedHintRules(t *testing.T) {
	code := "ln, err := net.Listen(\"tcp\", addr) // a listener\n...\n"
	assert.Empty(t, hintDiffers("hints.zh.yaml: task 1, level 3", code, code))
	assert.Empty(t, hintDiffers("hints.zh.yaml: task 1, level 1", "Listen first.", "先监听。"))
	got := hintDiffers("hints.zh.yaml: task 1, level 3", code, strings.Replace(code, "a listener", "监听器", 1))
	if assert.Len(t, got, 1) {
		assert.Contains(t, got[0], "hints.zh.yaml: task 1, level 3 is code, and differs from the English")
	}
}

// translatedCodeProblems compares the code of lab l's translation into
// code with its English.
func translatedCodeProblems(t *testing.T, l *labs.Lab, code string) []string {
	var problems []string
	rel := func(name string) string { return filepath.Join("labs", l.Name, name) }
	if tr, err := os.ReadFile(filepath.Join(l.Dir, "README."+code+".md")); err == nil {
		en, err := os.ReadFile(filepath.Join(l.Dir, "README.md"))
		require.NoError(t, err)
		problems = append(problems, codeDiffers(rel("README."+code+".md"), blocks(en), blocks(tr))...)
	}
	tr, err := os.ReadFile(filepath.Join(l.Dir, "hints."+code+".yaml"))
	if err != nil {
		return problems
	}
	en, err := os.ReadFile(filepath.Join(l.Dir, "hints.yaml"))
	require.NoError(t, err)
	enHints, _, err := labs.ParseHints("hints.yaml", en)
	require.NoError(t, err)
	trHints, _, err := labs.ParseHints("hints."+code+".yaml", tr)
	require.NoError(t, err)
	for task, levels := range trHints {
		for i, hint := range levels {
			if i >= len(enHints[task]) {
				problems = append(problems, fmt.Sprintf("%s: task %d has hint level %d, which the English hints do not have", rel("hints."+code+".yaml"), task, i+1))
				continue
			}
			where := fmt.Sprintf("%s: task %d, level %d", rel("hints."+code+".yaml"), task, i+1)
			problems = append(problems, hintDiffers(where, enHints[task][i], hint)...)
		}
	}
	return problems
}

// hintDiffers compares a translated hint level with its English: a level
// of several lines (written as a YAML block, |) is the nearly-the-code
// level, kept byte for byte; any other keeps its fenced code blocks.
func hintDiffers(where, en, tr string) []string {
	if strings.Contains(strings.TrimSpace(en), "\n") {
		if en != tr {
			return []string{fmt.Sprintf("%s is code, and differs from the English: code stays as it is, byte for byte\nEnglish:\n%s\nTranslation:\n%s", where, en, tr)}
		}
		return nil
	}
	return codeDiffers(where, blocks([]byte(en)), blocks([]byte(tr)))
}

// codeBlock is a fenced code block: its info string and its text.
type codeBlock struct{ info, code string }

// blocks returns the fenced code blocks of the Markdown src.
func blocks(src []byte) []codeBlock {
	var out []codeBlock
	doc := book.Markdown().Parser().Parse(text.NewReader(src))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if f, ok := n.(*ast.FencedCodeBlock); ok && entering {
			var b strings.Builder
			for i := 0; i < f.Lines().Len(); i++ {
				seg := f.Lines().At(i)
				b.Write(seg.Value(src))
			}
			info := ""
			if f.Info != nil {
				info = string(f.Info.Segment.Value(src))
			}
			out = append(out, codeBlock{info, b.String()})
		}
		return ast.WalkContinue, nil
	})
	return out
}

// shellComment is a comment after a shell command: blanks, #, the rest.
var shellComment = regexp.MustCompile(`(?m)[ \t]+#.*$`)

// codeDiffers says which of the translation's code blocks tr differ from
// the English en, in the file (and place) where.
func codeDiffers(where string, en, tr []codeBlock) []string {
	if len(en) != len(tr) {
		return []string{fmt.Sprintf("%s has %d code blocks, the English %d: a translation keeps every code block", where, len(tr), len(en))}
	}
	var problems []string
	for i := range en {
		a, b := en[i], tr[i]
		if slices.Contains([]string{"sh", "shell", "bash", "console"}, a.info) {
			a.code, b.code = shellComment.ReplaceAllString(a.code, ""), shellComment.ReplaceAllString(b.code, "")
		}
		if a != b {
			problems = append(problems, fmt.Sprintf("%s: code block %d differs from the English: code stays as it is, byte for byte (a shell command's comment may be translated)\nEnglish: ```%s\n%s\nTranslation: ```%s\n%s",
				where, i+1, en[i].info, en[i].code, tr[i].info, tr[i].code))
		}
	}
	return problems
}
