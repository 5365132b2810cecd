package book

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// The lines read prints after a chapter (its lab, the next chapter) and
// list's last line fit the width the chapter is wrapped to, in either
// language, and never break a command.
func TestTailAndListFitTheWidth(t *testing.T) {
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		b := &Book{Lang: l, Chapters: []*Chapter{
			{Number: 3, Slug: "03-tcp-server", Meta: Meta{Title: "A TCP server", Summary: "Write a server.", Lab: "03-hello-server"}},
			{Number: 4, Slug: "04-tcp-client", Meta: Meta{Title: "A TCP client that speaks HTTP", Summary: "Write a client."}},
		}}
		for _, width := range []int{40, 80} {
			var out strings.Builder
			WriteTail(&out, b, b.Chapters[0], style.Style{}, "go run ./cmd/netbook", width)
			WriteList(&out, b, style.Style{}, "go run ./cmd/netbook", width)
			for line := range strings.Lines(out.String()) {
				assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), width, "%s at %d: %q", l, width, line)
			}
			for _, cmd := range []string{"go run ./cmd/netbook check 03", "go run ./cmd/netbook read 4", "go run ./cmd/netbook read 1"} {
				assert.Contains(t, out.String(), cmd, "%s at %d: the command whole", l, width)
			}
		}
	}
}
