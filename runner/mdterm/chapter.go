package mdterm

import (
	"fmt"
	"strings"

	"github.com/netbook/netbook/runner/book"
)

// Chapter renders a chapter of the book: relative links are shown from the
// repository's root (chapters/02-sockets-in-go.md, labs/03-hello-server/;
// set o.Base for chapters elsewhere, such as "chapters/zh"), and the rule
// above each Go program says how to run it ("netbook run 3:2").
func Chapter(c *book.Chapter, o Options) string {
	if o.Base == "" {
		o.Base = "chapters"
	}
	o.Label = func(i int, info string) (string, string) {
		if i >= len(c.Blocks) {
			return "", ""
		}
		lang, _, _ := strings.Cut(strings.TrimSpace(info), " ")
		switch lang {
		case "text":
			return "", ""
		case "go":
		default:
			return lang, ""
		}
		for _, s := range c.Snippets {
			if s.Line != c.Blocks[i].Line {
				continue
			}
			name := "go"
			if s.Title != "" {
				name = s.Title
			}
			if !s.Runnable() {
				return name, ""
			}
			return name, fmt.Sprintf("netbook run %d:%d", c.Number, s.Index)
		}
		return "go", ""
	}
	return Render(c.Doc, c.Body, o)
}
