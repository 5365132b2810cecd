package transfer

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

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

// WriteSummary lists what an export of the progress file at path (as the
// student names it) would carry; cmd is how to invoke netbook.
func WriteSummary(w io.Writer, f *File, path string, s style.Style, cmd string) {
	fmt.Fprintf(w, "Your progress in this copy of the book (%s): %s.\n", path, Carried(f))
	for _, name := range slices.Sorted(maps.Keys(f.Labs)) {
		l := f.Labs[name]
		extra := ""
		if l.StartedOver {
			extra = " (started over since)"
		}
		fmt.Fprintf(w, "  %-22s done %s%s\n", name, style.Day(l.Done), extra)
	}
	fmt.Fprintf(w, "Take it to another copy: %s\n", s.Code(cmd+" progress --export FILE"))
}

// WriteExported says that f was written to path, and how to import it.
func WriteExported(w io.Writer, f *File, path string, s style.Style, cmd string) {
	fmt.Fprintf(w, "%s your progress to %s: %s.\n", s.Good("Exported"), path, Carried(f))
	fmt.Fprintf(w, "In the other copy of the book, run:\n  %s\n", s.Code(fmt.Sprintf("%s progress --import %s", cmd, path)))
}

// WriteImported says what an import of f, read from path, did (rep), lab
// by lab; all are this copy's labs.
func WriteImported(w io.Writer, f *File, path string, rep *Report, all []*labs.Lab, s style.Style, cmd string) {
	when := "" // a file written by hand may have no date: not "1 Jan 0001"
	if !f.Exported.IsZero() {
		when = " (exported " + f.Exported.Local().Format("2 Jan 2006 15:04") + ")"
	}
	fmt.Fprintf(w, "%s %s%s, merged with this copy's progress:\n", s.Good("Imported"), path, when)
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
		files := ""
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
			files = fmt.Sprintf("your files here are other work: they decide its status (%s)", s.Code(fmt.Sprintf("%s check %02d", cmd, number)))
		}
		fmt.Fprintf(w, "  %-22s done %s (%s); %s\n", o.Lab, style.Day(o.Done), how, files)
	}
	var more []string
	if rep.Hints > 0 {
		more = append(more, fmt.Sprintf("more hints seen in %d %s", rep.Hints, style.Plural(rep.Hints, "lab", "labs")))
	}
	if rep.Chapters > 0 {
		more = append(more, fmt.Sprintf("%d more %s read", rep.Chapters, style.Plural(rep.Chapters, "chapter", "chapters")))
	}
	if len(more) > 0 {
		fmt.Fprintf(w, "  %s\n", strings.Join(more, ", "))
	}
	if len(rep.Unknown) > 0 {
		fmt.Fprintf(w, "Left out, not labs of this copy of the book: %s\n", style.Join(rep.Unknown))
	}
	fmt.Fprintf(w, "See where you stand: %s\n", s.Code(cmd))
}
