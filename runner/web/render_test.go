package web

import (
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
)

var (
	headingRE = regexp.MustCompile(`<h([1-6]) id="([^"]+)"`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
	preRE     = regexp.MustCompile(`(?s)<pre[^>]*>(.*?)</pre>`)
	buttonRE  = regexp.MustCompile(`<button[^>]*>`)
)

// Every chapter of both editions renders with its headings in order (one
// h1, no level skipped), unique anchors, no inline styles, every line of
// every code block intact, and a named control for each runnable snippet.
func TestEveryChapterRenders(t *testing.T) {
	root := testkit.Tree(t)
	for _, l := range lang.All {
		b, err := book.LoadIn(os.DirFS(root.Chapters()), l)
		require.NoError(t, err)
		for _, c := range b.Chapters {
			if c.Lang != l {
				continue // the English chapter, checked with English
			}
			t.Run(string(l)+"/"+c.Slug, func(t *testing.T) {
				p, err := renderChapter(c, l, lang.English)
				require.NoError(t, err)
				out := string(p.HTML)

				hs := headingRE.FindAllStringSubmatch(out, -1)
				require.NotEmpty(t, hs)
				assert.Equal(t, "1", hs[0][1], "the chapter starts with its h1")
				ids := map[string]bool{}
				for i, h := range hs {
					assert.False(t, ids[h[2]], "anchor %q is unique", h[2])
					ids[h[2]] = true
					if i > 0 {
						assert.LessOrEqual(t, int(h[1][0])-int(hs[i-1][1][0]), 1, "h%s after h%s (%s)", h[1], hs[i-1][1], h[2])
						assert.NotEqual(t, "1", h[1], "one h1")
					}
				}
				assert.NotContains(t, out, "style=", "no inline styles: chroma's classes only")

				var code strings.Builder
				for _, m := range preRE.FindAllStringSubmatch(out, -1) {
					code.WriteString(html.UnescapeString(tagRE.ReplaceAllString(m[1], "")))
				}
				for _, blk := range c.Blocks {
					for _, line := range strings.Split(strings.TrimRight(blk.Code, "\n"), "\n") {
						assert.True(t, strings.Contains(code.String(), line), "chapters/%s.md:%d: the code line %q is intact", c.Slug, blk.Line, line)
					}
				}

				runnable := 0
				for _, s := range c.Snippets {
					if s.Runnable() {
						runnable++
						assert.True(t, strings.Contains(out, `data-snippet="`+s.ID()+`"`), "snippet %s has its controls", s.ID())
					}
				}
				for _, btn := range buttonRE.FindAllString(out, -1) {
					assert.Regexp(t, `aria-label="[^"]+"`, btn, "every button has a name")
				}
				assert.Equal(t, runnable*4, len(buttonRE.FindAllString(out, -1)), "Run, Edit, Reset and Stop for each runnable snippet")
			})
		}
	}
}

func TestAnchors(t *testing.T) {
	cr := &codeRenderer{ids: map[string]int{}}
	assert.Equal(t, "what-a-socket-is", cr.anchor("What a socket is"))
	assert.Equal(t, "what-a-socket-is-1", cr.anchor("What a socket is?"))
	assert.Equal(t, "what-a-socket-is-2", cr.anchor("What a socket is!"))
	assert.Equal(t, "what-a-socket-is-1-1", cr.anchor("What a socket is 1"), "taken by the second heading")
	assert.Equal(t, "netdial-and-netlisten", cr.anchor("net.Dial and net.Listen"))
	assert.Equal(t, "batching-one-write-for-everything-waiting", cr.anchor("Batching: one Write for everything waiting"))
	assert.Equal(t, "a--b_c", cr.anchor("A — b_c"))
	assert.Equal(t, "套接字是什么", cr.anchor("套接字是什么"))
	assert.Equal(t, "一对多广播和组播", cr.anchor("一对多：广播和组播"))
	assert.Equal(t, "tcp-注意点", cr.anchor("TCP 注意点"))
	assert.Equal(t, "section", cr.anchor("!!"))
}

func TestSplitTitle(t *testing.T) {
	title, rest := splitTitle([]byte("# Lab 01: addresses\n\nBody."), "x")
	assert.Equal(t, "Lab 01: addresses", title)
	assert.Equal(t, "\nBody.", string(rest))
	title, rest = splitTitle([]byte("Body."), "Addresses")
	assert.Equal(t, "Addresses", title)
	assert.Equal(t, "Body.", string(rest))
}
