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
	Width int  // the notes and the report's sentences are wrapped to this many columns
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
	head := wrap(fmt.Sprintf("%s · %s · %s", c.Lab, c.Title, l.Sprintf(lang.CompareHead)), o.Width, style.Style{})
	fmt.Fprintf(w, "%s%s\n\n", s.Bold(c.Lab), strings.TrimPrefix(head, c.Lab))
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
		// The paths are long: the line wraps, each piece dimmed on its own
		// so that a pager that resets the style at each line keeps it.
		about := strings.Split(wrap(f.Name+": "+l.Sprintf(lang.CompareFile,
			f.Yours, f.Reference, lines(f.Removed, l), lines(f.Added, l)), o.Width, style.Style{}), "\n")
		fmt.Fprint(w, s.Bold(f.Name+":"))
		if first := strings.TrimPrefix(about[0], f.Name+": "); first != about[0] {
			fmt.Fprint(w, " "+s.Dim(first))
		}
		fmt.Fprintln(w)
		for _, a := range about[1:] {
			fmt.Fprintln(w, s.Dim(a))
		}
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
		fmt.Fprint(w, wrap(l.Sprintf(lang.CompareOneAnswer), o.Width, s))
		fmt.Fprint(w, wrap(l.Sprintf(lang.CheckNext, o.Next), o.Width, s, o.Next))
	}
}

// DefaultWidth is the width the report's sentences are wrapped to when
// none is given: what a file or a pipe gets.
const DefaultWidth = 80

// wrap wraps text to width columns (DefaultWidth when 0), never inside
// one of cmds, commands to copy, which s then styles.
func wrap(text string, width int, s style.Style, cmds ...string) string {
	if width <= 0 {
		width = DefaultWidth
	}
	return s.WrapKeeping(text, width, cmds...)
}

// WriteNotYet says, in language l, why the reference stays hidden (why)
// and what to do, wrapped to width columns (DefaultWidth when 0): again
// is the command that checks the lab.
func WriteNotYet(w io.Writer, why *NotYet, s style.Style, again string, l lang.Lang, width int) {
	msg := why.In(l)
	first, size := utf8.DecodeRuneInString(msg)
	fmt.Fprintf(w, "%s\n", wrap(string(unicode.ToUpper(first))+msg[size:], width, s))
	fmt.Fprint(w, wrap(l.Sprintf(lang.CompareHidden), width, s))
	fmt.Fprint(w, wrap(l.Sprintf(lang.CompareKeepGoing, again), width, s, again))
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
// the compare command. It is wrapped to width columns (DefaultWidth when
// 0).
func WriteElsewhere(w io.Writer, lab string, day time.Time, s style.Style, again string, l lang.Lang, width int) {
	fmt.Fprint(w, wrap(l.Sprintf(lang.CompareElsewhere, lab, l.Day(day)), width, s))
	fmt.Fprint(w, wrap(l.Sprintf(lang.CompareBringFiles, again), width, s, again))
}

func lines(n int, l lang.Lang) string {
	if n == 1 {
		return l.Sprintf(lang.CompareLine)
	}
	return l.Sprintf(lang.CompareLines, n)
}
