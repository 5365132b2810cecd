package compare

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/mdterm"
	"github.com/yuin/goldmark/text"
)

// Style is the terminal styling the text report uses (runner/term's
// Style has these methods).
type Style interface {
	Bold(string) string
	Dim(string) string
	Good(string) string
	Bad(string) string
	Code(string) string
}

// TextOptions say how to write the text report.
type TextOptions struct {
	Style Style
	Color bool // the notes are rendered in colour
	Width int  // the notes are wrapped to this many columns
}

// WriteText writes the comparison for a terminal: the notes on the
// reference first, then each file's diff from the student's to the
// reference's, removed lines marked "-" and added ones "+".
func WriteText(w io.Writer, c *Comparison, o TextOptions) {
	s := o.Style
	fmt.Fprintf(w, "%s · %s · your code next to the book's reference\n\n", s.Bold(c.Lab), c.Title)
	if c.Notes != "" {
		src := []byte(c.Notes)
		doc := book.Markdown().Parser().Parse(text.NewReader(src))
		base := c.NotesFile
		if i := strings.LastIndex(base, "/"); i >= 0 {
			base = base[:i]
		}
		fmt.Fprint(w, mdterm.Render(doc, src, mdterm.Options{Width: o.Width, Color: o.Color, Base: base}))
		fmt.Fprintln(w)
	}
	for _, f := range c.Files {
		if f.Same() {
			fmt.Fprintf(w, "%s %s\n\n", s.Bold(f.Name+":"), "the same as the reference, byte for byte.")
			continue
		}
		fmt.Fprintf(w, "%s %s\n", s.Bold(f.Name+":"), s.Dim(fmt.Sprintf("%s (-) next to %s (+): %s removed, %s added",
			f.Yours, f.Reference, lines(f.Removed), lines(f.Added))))
		for i, line := range strings.Split(strings.TrimSuffix(f.Diff, "\n"), "\n") {
			switch {
			case i < 2: // the headers
				line = s.Bold(line)
			case strings.HasPrefix(line, "@@"):
				line = s.Code(line)
			case strings.HasPrefix(line, "-"):
				line = s.Bad(line)
			case strings.HasPrefix(line, "+"):
				line = s.Good(line)
			}
			fmt.Fprintln(w, line)
		}
		fmt.Fprintln(w)
	}
}

func lines(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}
