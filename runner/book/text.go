package book

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// WriteList prints every chapter with its summary and lab, as netbook list
// does, in the book's language, with the summaries wrapped to width
// columns under their indent; cmd is how to invoke netbook.
func WriteList(w io.Writer, b *Book, s style.Style, cmd string, width int) {
	l := b.Lang
	for _, c := range b.Chapters {
		fmt.Fprintf(w, "%s %s\n", s.Bold(fmt.Sprintf("%2d", c.Number)), s.Bold(c.Title))
		if c.Summary != "" {
			fmt.Fprintln(w, style.Wrap("   "+c.Summary, width))
		}
		if c.Lab != "" {
			fmt.Fprintf(w, "   %s labs/%s\n", s.Dim(l.Sprintf(lang.ListLab)), c.Lab)
		}
		fmt.Fprintln(w)
	}
	read := cmd + " read 1"
	fmt.Fprint(w, s.WrapKeeping(l.Sprintf(lang.ListReadOne, read), width, read))
}

// WriteHead prints the line above chapter c's rendered text: which
// chapter of how many it is.
func WriteHead(w io.Writer, b *Book, c *Chapter, s style.Style) {
	last := b.Chapters[len(b.Chapters)-1].Number
	fmt.Fprintf(w, "%s\n", s.Dim(b.Lang.Sprintf(lang.ReadHead, c.Number, last)))
}

// WriteTail prints, after chapter c's text, its lab and the next chapter,
// with the commands to go on; cmd is how to invoke netbook. Its lines are
// wrapped to width columns, as the chapter's prose is, never inside a
// command.
func WriteTail(w io.Writer, b *Book, c *Chapter, s style.Style, cmd string, width int) {
	l := b.Lang
	if c.Lab != "" {
		label := l.Sprintf(lang.ReadLab)
		text := style.Wrap(label+" "+l.Sprintf(lang.ReadStartLab, c.Lab), width)
		fmt.Fprintf(w, "\n%s%s\n  %s\n", s.Bold(label), strings.TrimPrefix(text, label),
			s.Code(fmt.Sprintf("%s check %s", cmd, LabNumber(c.Lab))))
	}
	for i, ch := range b.Chapters {
		if ch == c && i+1 < len(b.Chapters) {
			next := b.Chapters[i+1]
			text := l.Sprintf(lang.ReadNextChapter, next.Number, next.Title)
			sep := " "
			if strings.HasSuffix(text, "：") { // a full-width colon has its space in it
				sep = ""
			}
			read := fmt.Sprintf("%s read %d", cmd, next.Number)
			label := l.Sprintf(lang.ReadNext)
			line := strings.TrimRight(s.WrapKeeping(label+" "+text+sep+read, width, read), "\n")
			fmt.Fprintln(w, s.Dim(label)+strings.TrimPrefix(line, label))
		}
	}
}

// LabNumber is the number part of a lab's folder name: "02" for
// "02-first-connection".
func LabNumber(lab string) string {
	n, _, _ := strings.Cut(lab, "-")
	return n
}
