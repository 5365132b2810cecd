package mdterm

import (
	"fmt"
	"path"
	"strings"

	"github.com/netbook/netbook/runner/book"
)

// Chapter renders a chapter of the book: relative links are shown from the
// repository's root (chapters/02-sockets-in-go.md, labs/03-hello-server/;
// a chapter of the Chinese edition, c.Name "zh/03-tcp-server.md", links
// from chapters/zh; set o.Base for chapters elsewhere), and the rule above
// each Go program says how to run it ("netbook run 3:2", with
// o.Command for netbook).
func Chapter(c *book.Chapter, o Options) string {
	if o.Base == "" {
		o.Base = path.Join("chapters", path.Dir(c.Name))
	}
	cmd := o.Command
	if cmd == "" {
		cmd = "netbook"
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
			return name, fmt.Sprintf("%s run %d:%d", cmd, c.Number, s.Index)
		}
		return "go", ""
	}
	return Render(c.Doc, c.Body, o)
}
