package mdterm_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netbook/netbook/chapters"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/mdterm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var escapes = regexp.MustCompile("\x1b\\[[0-9;]*m")

func stripANSI(s string) string { return escapes.ReplaceAllString(s, "") }

// loadBook returns the chapters of both editions: the English book's and
// the Chinese edition's (chapters/zh/).
func loadBook(t *testing.T) *book.Book {
	t.Helper()
	b, err := book.Load(chapters.FS)
	require.NoError(t, err, "the book's chapters must parse")
	zh, err := book.LoadIn(chapters.FS, lang.Chinese)
	require.NoError(t, err)
	for _, c := range zh.Chapters {
		if c.Lang == lang.Chinese {
			b.Chapters = append(b.Chapters, c)
		}
	}
	return b
}

// TestGolden renders chapters 1, 3 and 9 at 80 and 120 columns, in colour
// and plain, against testdata/. After a deliberate change to the renderer,
// look at the difference and run go test ./runner/mdterm -update.
//
// The chapters are copies, testdata/chapters/, taken when the golden files
// were made: editing a chapter must not break the renderer's tests (the
// tests below check the live chapters). Copy a chapter again to show the
// renderer something new.
func TestGolden(t *testing.T) {
	b, err := book.Load(os.DirFS("testdata/chapters"))
	require.NoError(t, err)
	require.Len(t, b.Chapters, 3)
	for _, c := range b.Chapters {
		n := fmt.Sprint(c.Number)
		for _, width := range []int{80, 120} {
			for _, color := range []bool{false, true} {
				mode := "plain"
				if color {
					mode = "color"
				}
				name := fmt.Sprintf("%s.w%d.%s.txt", c.Slug, width, mode)
				t.Run(name, func(t *testing.T) {
					got := mdterm.Chapter(c, mdterm.Options{Width: width, Color: color})
					path := filepath.Join("testdata", name)
					if *update {
						require.NoError(t, os.MkdirAll("testdata", 0o755))
						require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
						return
					}
					want, err := os.ReadFile(path)
					require.NoError(t, err, "no golden file: run go test ./runner/mdterm -update")
					if d := firstDifference(string(want), got); d != "" {
						t.Errorf("chapter %s rendered at %d columns differs from %s, %s\nIf the change is meant, run go test ./runner/mdterm -update and read git diff.", n, width, path, d)
					}
					if !color {
						assert.Equal(t, stripANSI(mdterm.Chapter(c, mdterm.Options{Width: width, Color: true})), got,
							"plain output is the coloured output without its escape codes")
					}
				})
			}
		}
	}
}

// firstDifference describes where got first differs from want, by line,
// or returns "" when they are the same.
func firstDifference(want, got string) string {
	if want == got {
		return ""
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			return fmt.Sprintf("first at line %d:\n want %q\n  got %q", i+1, wl, gl)
		}
	}
	return "in length"
}

// TestEveryCodeLineIntact renders every chapter at 80 and 40 columns, in
// colour (escape codes removed) and plain, and finds each line of each
// code block, tabs expanded, as a line of its own, in order.
func TestEveryCodeLineIntact(t *testing.T) {
	b := loadBook(t)
	for _, c := range b.Chapters {
		for _, width := range []int{80, 40} {
			for _, color := range []bool{false, true} {
				out := mdterm.Chapter(c, mdterm.Options{Width: width, Color: color})
				if color {
					out = stripANSI(out)
				}
				lines := strings.Split(out, "\n")
				at := 0
				for _, blk := range c.Blocks {
					for _, code := range strings.Split(strings.TrimSuffix(blk.Code, "\n"), "\n") {
						want := mdterm.ExpandTabs(code)
						found := -1
						for i := at; i < len(lines); i++ {
							if lines[i] == want {
								found = i
								break
							}
						}
						if !assert.GreaterOrEqual(t, found, 0,
							"%s:%d at %d columns (colour %v): the code line %q is not a line of the output after line %d, as it must be (never wrapped, never indented)",
							c.Name, blk.Line, width, color, want, at+1) {
							break
						}
						at = found + 1
					}
				}
			}
		}
	}
}

// TestProseFitsTheWidth checks that in every chapter, rendered at 80 and
// 40 columns, a line outside code blocks is wider than the width only when
// it holds a single word that is wider itself.
func TestProseFitsTheWidth(t *testing.T) {
	b := loadBook(t)
	for _, c := range b.Chapters {
		code := map[string]bool{}
		for _, blk := range c.Blocks {
			for _, l := range strings.Split(blk.Code, "\n") {
				code[mdterm.ExpandTabs(l)] = true
			}
		}
		for _, width := range []int{80, 40} {
			out := mdterm.Chapter(c, mdterm.Options{Width: width})
			for i, l := range strings.Split(out, "\n") {
				if code[l] || mdterm.Width(l) <= width {
					continue
				}
				var words []string
				for _, f := range strings.Fields(l) {
					if !strings.ContainsAny(f, "│•◦▪") {
						words = append(words, f)
					}
				}
				assert.Len(t, words, 1, "%s at %d columns, line %d is %d columns wide: %q", c.Name, width, i+1, mdterm.Width(l), l)
			}
		}
	}
}

// BenchmarkChapter renders chapter 3 at 80 columns in colour, as netbook
// read does.
func BenchmarkChapter(b *testing.B) {
	bk, err := book.Load(chapters.FS)
	require.NoError(b, err)
	c, err := bk.Find("3")
	require.NoError(b, err)
	for b.Loop() {
		mdterm.Chapter(c, mdterm.Options{Width: 80, Color: true})
	}
}
