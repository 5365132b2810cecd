package compare

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/mdterm"
	"github.com/netbook/netbook/runner/style"
	"github.com/yuin/goldmark/text"
)

// TextOptions say how to write the text report.
type TextOptions struct {
	Style style.Style
	Color bool // the notes are rendered in colour
	Width int  // the notes are wrapped to this many columns
	// Next, when set, is the command for what comes next, printed at the
	// end with a word on what the reference is.
	Next string
	// Lang is the language of the report's own words; English when empty.
	// The notes are in the language Build found them in.
	Lang lang.Lang
}

// WriteText writes the comparison for a terminal: the notes on the
// reference first, then each file's diff from the student's to the
// reference's, removed lines marked "-" and added ones "+".
func WriteText(w io.Writer, c *Comparison, o TextOptions) {
	s, l := o.Style, o.Lang
	fmt.Fprintf(w, "%s · %s · %s\n\n", s.Bold(c.Lab), c.Title, l.Sprintf(lang.CompareHead))
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
			fmt.Fprintf(w, "%s %s\n\n", s.Bold(f.Name+":"), l.Sprintf(lang.CompareSame))
			continue
		}
		fmt.Fprintf(w, "%s %s\n", s.Bold(f.Name+":"), s.Dim(l.Sprintf(lang.CompareFile,
			f.Yours, f.Reference, lines(f.Removed, l), lines(f.Added, l))))
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
	if o.Next != "" {
		l.Fprintf(w, lang.CompareOneAnswer)
		l.Fprintf(w, lang.CheckNext, s.Code(o.Next))
	}
}

// WriteNotYet says, in language l, why the reference stays hidden (why)
// and what to do: again is the command that checks the lab.
func WriteNotYet(w io.Writer, why *NotYet, s style.Style, again string, l lang.Lang) {
	msg := why.In(l)
	first, size := utf8.DecodeRuneInString(msg)
	fmt.Fprintf(w, "%c%s\n", unicode.ToUpper(first), msg[size:])
	l.Fprintf(w, lang.CompareHidden)
	l.Fprintf(w, lang.CompareKeepGoing, s.Code(again))
}

// Refusal is why the reference stays hidden, as compare --json prints it.
type Refusal struct {
	Lab    string       `json:"lab"`
	Done   bool         `json:"done"`
	Status check.Status `json:"status"`
	Passed int          `json:"passed"`
	Total  int          `json:"total"`
	Reason string       `json:"reason"`
	Next   int          `json:"next,omitempty"` // the first task that does not pass
}

// Refusal is e as compare --json prints it.
func (e *NotYet) Refusal() Refusal {
	r := Refusal{Lab: e.Lab, Status: e.Status, Passed: e.Passed, Total: e.Total, Reason: e.Error()}
	if e.Next != nil {
		r.Next = e.Next.Number
	}
	return r
}

// WriteElsewhere says, in language l, that lab was done on day with files
// that are not in this copy of the book (its files here are the
// skeleton), so there is nothing of the student's to compare; again is
// the compare command.
func WriteElsewhere(w io.Writer, lab string, day time.Time, s style.Style, again string, l lang.Lang) {
	l.Fprintf(w, lang.CompareElsewhere, lab, l.Day(day))
	l.Fprintf(w, lang.CompareBringFiles, s.Code(again))
}

func lines(n int, l lang.Lang) string {
	if n == 1 {
		return l.Sprintf(lang.CompareLine)
	}
	return l.Sprintf(lang.CompareLines, n)
}
