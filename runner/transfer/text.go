package transfer

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/style"
)

// Carried says in words what a progress file holds: "1 lab done, hints
// seen in 2 labs, 3 chapters read".
func Carried(f *File) string {
	parts := []string{fmt.Sprintf("%d %s done", len(f.Labs), style.Plural(len(f.Labs), "lab", "labs"))}
	if n := len(f.Hints); n > 0 {
		parts = append(parts, fmt.Sprintf("hints seen in %d %s", n, style.Plural(n, "lab", "labs")))
	}
	if n := len(f.Read); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s read", n, style.Plural(n, "chapter", "chapters")))
	}
	return strings.Join(parts, ", ")
}

// DefaultWidth is the width the sentences are wrapped to when none is
// given (width 0): what a file or a pipe gets.
const DefaultWidth = 80

// wrap wraps text to width columns (DefaultWidth when 0), never inside
// one of cmds, commands to copy, which s then styles.
func wrap(text string, width int, s style.Style, cmds ...string) string {
	if width <= 0 {
		width = DefaultWidth
	}
	return s.WrapKeeping(text, width, cmds...)
}

// item is a lab's line of a list: the lab's name in a column, and text
// after it wrapped as wrap does, under itself. On a screen too narrow for
// the column and narrowColumn more, the text goes under the lab's name,
// indented, instead.
func item(lab, text string, width int, s style.Style, cmds ...string) string {
	if width <= 0 {
		width = DefaultWidth
	}
	head := fmt.Sprintf("  %-22s ", lab)
	if width-len(head) < narrowColumn {
		return "  " + lab + "\n" + indent(wrap(text, width-4, s, cmds...), "    ")
	}
	return head + strings.ReplaceAll(wrap(text, width-len(head), s, cmds...), "\n", "\n"+strings.Repeat(" ", len(head)))
}

// narrowColumn is the narrowest a column of text beside a lab's name may
// be: on a narrower screen the text goes under the name.
const narrowColumn = 30

// indent puts prefix before each line of text.
func indent(text, prefix string) string {
	return prefix + strings.ReplaceAll(text, "\n", "\n"+prefix)
}

// day is style.Day kept on one line by wrap.
func day(t time.Time) string { return style.Unbroken(style.Day(t)) }

// WriteSummary lists what an export of the progress file at path (as the
// student names it) would carry; cmd is how to invoke netbook. The
// sentences are wrapped to width columns (DefaultWidth when 0).
func WriteSummary(w io.Writer, f *File, path string, s style.Style, cmd string, width int) {
	fmt.Fprintln(w, wrap(fmt.Sprintf("Your progress in this copy of the book (%s): %s.", path, Carried(f)), width, s))
	for _, name := range slices.Sorted(maps.Keys(f.Labs)) {
		l := f.Labs[name]
		extra := ""
		if l.StartedOver {
			extra = " (started over since)"
		}
		fmt.Fprintln(w, item(name, "done "+day(l.Done)+extra, width, s))
	}
	export := cmd + " progress --export FILE"
	fmt.Fprintln(w, wrap("Take it to another copy: "+export, width, s, export))
}

// WriteExported says that f was written to path, and how to import it,
// wrapped to width columns (DefaultWidth when 0).
func WriteExported(w io.Writer, f *File, path string, s style.Style, cmd string, width int) {
	done := wrap(fmt.Sprintf("Exported your progress to %s: %s.", path, Carried(f)), width, style.Style{})
	fmt.Fprintf(w, "%s%s\n", s.Good("Exported"), strings.TrimPrefix(done, "Exported"))
	fmt.Fprintf(w, "In the other copy of the book, run:\n  %s\n", s.Code(fmt.Sprintf("%s progress --import %s", cmd, path)))
}

// WriteImported says what an import of f, read from path, did (rep), lab
// by lab; all are this copy's labs. The sentences are wrapped to width
// columns (DefaultWidth when 0), each lab's under itself.
func WriteImported(w io.Writer, f *File, path string, rep *Report, all []*labs.Lab, s style.Style, cmd string, width int) {
	when := "" // a file written by hand may have no date: not "1 Jan 0001"
	if !f.Exported.IsZero() {
		when = " (exported " + style.Unbroken(f.Exported.Local().Format("2 Jan 2006 15:04")) + ")"
	}
	head := wrap(fmt.Sprintf("Imported %s%s, merged with this copy's progress:", path, when), width, style.Style{})
	fmt.Fprintf(w, "%s%s\n", s.Good("Imported"), strings.TrimPrefix(head, "Imported"))
	if len(rep.Labs) == 0 {
		fmt.Fprintf(w, "  no lab done in it\n")
	}
	for _, o := range rep.Labs {
		how := ""
		switch {
		case o.New:
			how = "new here"
		case o.Earlier:
			how = "an earlier date than this copy's"
		default:
			how = "already known here"
		}
		files, check := "", ""
		switch o.Files {
		case Same:
			files = "your files here are the ones that passed"
		case Skeleton:
			files = "your files are in the other copy; it counts as done here"
		case Other:
			number := 0
			if l, err := labs.Find(all, o.Lab); err == nil {
				number = l.Number
			}
			check = fmt.Sprintf("%s check %02d", cmd, number)
			files = fmt.Sprintf("your files here are other work: they decide its status (%s)", check)
		}
		fmt.Fprintln(w, item(o.Lab, fmt.Sprintf("done %s (%s); %s", day(o.Done), how, files), width, s, check))
	}
	var more []string
	if rep.Hints > 0 {
		more = append(more, fmt.Sprintf("more hints seen in %d %s", rep.Hints, style.Plural(rep.Hints, "lab", "labs")))
	}
	if rep.Chapters > 0 {
		more = append(more, fmt.Sprintf("%d more %s read", rep.Chapters, style.Plural(rep.Chapters, "chapter", "chapters")))
	}
	if len(more) > 0 {
		fmt.Fprintln(w, indent(wrap(strings.Join(more, ", "), max(width, 24)-2, s), "  "))
	}
	if len(rep.Unknown) > 0 {
		fmt.Fprintln(w, wrap("Left out, not labs of this copy of the book: "+style.Join(rep.Unknown), width, s))
	}
	fmt.Fprintln(w, wrap("See where you stand: "+cmd, width, s, cmd))
}
