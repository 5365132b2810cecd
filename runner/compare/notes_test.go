package compare

import (
	"os"
	"path/filepath"
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

// TestEveryLabHasNotes holds the book to its promise: every lab with a
// reference has notes on it, which start with a title, say something, and
// whose relative links resolve.
func TestEveryLabHasNotes(t *testing.T) {
	r := testkit.Tree(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		if _, err := os.Stat(l.SolutionDir); err != nil {
			continue
		}
		for _, lang := range append([]string{""}, Languages(l)...) {
			notes, path, err := Notes(l, lang)
			require.NoError(t, err)
			if !assert.NotEmpty(t, path, "lab %s has no notes on its reference: write %s", l.Name, filepath.Join("solutions", l.Name, NotesFile)) {
				continue
			}
			rel, _ := filepath.Rel(r.Dir, path)
			doc := book.Markdown().Parser().Parse(text.NewReader(notes))
			first := doc.FirstChild()
			if h, ok := first.(*ast.Heading); assert.True(t, ok && h.Level == 1, "%s starts with a level-1 heading (# Notes on the reference: ...)", rel) {
				assert.NotEmpty(t, string(h.Lines().Value(notes)))
			}
			words := len(strings.Fields(string(notes)))
			assert.True(t, words > 150 && words < 1500, "%s has %d words: notes are a few short sections, a page or two", rel, words)
			checkLinks(t, rel, filepath.Dir(path), doc, notes)
		}
	}
}

func checkLinks(t *testing.T, name, dir string, doc ast.Node, src []byte) {
	t.Helper()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		link, ok := n.(*ast.Link)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		dest := string(link.Destination)
		if strings.Contains(dest, "://") || strings.HasPrefix(dest, "#") {
			return ast.WalkContinue, nil
		}
		dest, _, _ = strings.Cut(dest, "#")
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(dest)))
		assert.NoError(t, err, "%s links to %s, which does not exist", name, link.Destination)
		return ast.WalkContinue, nil
	})
}
