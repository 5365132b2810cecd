package chapters_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/chapters"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/interpbin"
	"github.com/netbook/netbook/runner/snippets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// load parses the chapters of the work tree (the test runs in chapters/).
func load(t *testing.T) *book.Book {
	t.Helper()
	b, err := book.Load(os.DirFS("."))
	require.NoError(t, err)
	require.NotEmpty(t, b.Chapters, "no chapters found")
	return b
}

// TestBookHoldsTogether checks each chapter's metadata and links.
func TestBookHoldsTogether(t *testing.T) {
	b := load(t)
	for i, c := range b.Chapters {
		assert.Equal(t, i, c.Number, "%s: chapters are numbered 0, 1, 2... with no gaps", c.Name)
		assert.NotEmpty(t, c.Summary, "%s: the front matter needs a summary", c.Name)
		if c.Number > 0 && c.Number < 10 {
			assert.NotEmpty(t, c.Mirrors, "%s: say which source-article sections the chapter retells (mirrors:)", c.Name)
		}
		if c.Lab != "" {
			_, err := os.Stat(filepath.Join("..", "labs", c.Lab, "README.md"))
			assert.NoError(t, err, "%s: lab %q does not exist", c.Name, c.Lab)
			linked := false
			for _, l := range c.Links {
				linked = linked || strings.TrimSuffix(l.Dest, "/") == "../labs/"+c.Lab
			}
			assert.True(t, linked, "%s: link to its lab in the text: [lab %s](../labs/%s/)", c.Name, c.Lab, c.Lab)
		}
		for _, l := range c.Links {
			if !l.Relative() {
				continue
			}
			dest, _, _ := strings.Cut(l.Dest, "#")
			if dest == "" {
				continue
			}
			_, err := os.Stat(filepath.FromSlash(dest))
			assert.NoError(t, err, "%s:%d: the link %s does not resolve", c.Name, l.Line, l.Dest)
		}
	}
}

// TestEmbeddedCopy checks the embedded chapters are the work tree's.
func TestEmbeddedCopy(t *testing.T) {
	b, err := book.Load(chapters.FS)
	require.NoError(t, err)
	assert.Len(t, b.Chapters, len(load(t).Chapters))
}

// TestSnippets builds and runs every runnable snippet with the Go toolchain
// and with the interpreter that netbook run uses (snippets marked toolchain
// run with the toolchain only), compares what each run prints with the
// snippet's output block, and the two runs with each other.
func TestSnippets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every snippet")
	}
	b := load(t)
	var all []*book.Snippet
	for _, c := range b.Chapters {
		all = append(all, c.Snippets...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	built, err := snippets.Build(ctx, "..", all)
	require.NoError(t, err)
	t.Cleanup(func() { built.Close() })
	bin, err := interpbin.Ensure(ctx, "..", io.Discard)
	require.NoError(t, err, "the interpreter must build")
	in := &snippets.Interp{Path: bin}
	for _, c := range b.Chapters {
		t.Run(c.Slug, func(t *testing.T) {
			t.Parallel()
			for _, err := range snippets.CheckBoth(ctx, built, in, c) {
				t.Error(err)
			}
		})
	}
}
