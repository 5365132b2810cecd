package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/progress"
	"github.com/netbook/netbook/runner/transfer"
)

var progressCmd = &command{
	name:    "progress",
	args:    "[--export FILE | --import FILE]",
	summary: "carry your progress to another copy of the book: labs done and when, hints seen",
	example: "go run ./cmd/netbook progress                               # what an export carries\n" +
		"go run ./cmd/netbook progress --export ~/netbook-progress.json\n" +
		"go run ./cmd/netbook progress --import ~/netbook-progress.json   # in the other copy: merged, never overwritten",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		export := fs.String("export", "", "write your progress to this file (- for standard output)")
		imp := fs.String("import", "", "merge the progress in this file into this copy's (- for standard input)")
		return func(e *env, args []string) error {
			switch {
			case len(args) > 0:
				return fmt.Errorf("%w: progress takes no arguments; give a file with --export or --import", errUsage)
			case *export != "" && *imp != "":
				return fmt.Errorf("%w: --export or --import, not both", errUsage)
			case *export != "":
				return runExport(e, *export)
			case *imp != "":
				return runImport(e, *imp)
			}
			return runProgressShow(e)
		}
	},
}

// runExport brings the progress up to date (labs edited since their last
// check are tested, as the dashboard does) and writes it to path.
func runExport(e *env, path string) error {
	ctx, stop := e.ctx()
	defer stop()
	p, err := e.progress(ctx, true)
	if err != nil {
		return err
	}
	e.saveState(p.state)
	f := transfer.Export(p.state, time.Now())
	if path == "-" {
		return transfer.Write(e.stdout, f)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { return transfer.Write(w, f) }); err != nil {
		return fmt.Errorf("unable to export progress: %w", err)
	}
	s := e.style
	fmt.Fprintf(e.stdout, "%s your progress to %s: %s.\n", s.Good("Exported"), path, carried(f))
	fmt.Fprintf(e.stdout, "In the other copy of the book, run:\n  %s\n", s.Code(fmt.Sprintf("%s progress --import %s", e.cmd(), path)))
	return nil
}

func runImport(e *env, path string) error {
	var in io.Reader = stdin
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("unable to import progress: %w", err)
		}
		defer file.Close()
		in = file
	}
	f, err := transfer.Read(in)
	if err != nil {
		return fmt.Errorf("unable to import %s: %w", path, err)
	}
	ctx, stop := e.ctx()
	defer stop()
	p, err := e.progress(ctx, false)
	if err != nil {
		return err
	}
	sums, err := labs.ReadSums(e.root)
	if err != nil {
		return err
	}
	rep, err := transfer.Import(p.state, f, p.labs, sums)
	if err != nil {
		return err
	}
	if err := p.state.Save(); err != nil {
		return fmt.Errorf("unable to save the imported progress: %w", err)
	}
	s := e.style
	fmt.Fprintf(e.stdout, "%s %s (exported %s), merged with this copy's progress:\n", s.Good("Imported"), path, f.Exported.Local().Format("2 Jan 2006 15:04"))
	if len(rep.Labs) == 0 {
		fmt.Fprintf(e.stdout, "  no lab done in it\n")
	}
	for _, o := range rep.Labs {
		l, _ := labs.Find(p.labs, o.Lab)
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
		case transfer.Same:
			files = "your files here are the ones that passed"
		case transfer.Skeleton:
			files = "your files are in the other copy; it counts as done here"
		case transfer.Other:
			files = fmt.Sprintf("your files here are other work: they decide its status (%s)", s.Code(fmt.Sprintf("%s check %02d", e.cmd(), l.Number)))
		}
		fmt.Fprintf(e.stdout, "  %-22s done %s (%s); %s\n", o.Lab, progress.Date(o.Done), how, files)
	}
	var more []string
	if rep.Hints > 0 {
		more = append(more, fmt.Sprintf("more hints seen in %d %s", rep.Hints, verb(rep.Hints, "lab", "labs")))
	}
	if rep.Chapters > 0 {
		more = append(more, fmt.Sprintf("%d more %s read", rep.Chapters, verb(rep.Chapters, "chapter", "chapters")))
	}
	if len(more) > 0 {
		fmt.Fprintf(e.stdout, "  %s\n", strings.Join(more, ", "))
	}
	if len(rep.Unknown) > 0 {
		fmt.Fprintf(e.stdout, "Left out, not labs of this copy of the book: %s\n", join(rep.Unknown))
	}
	fmt.Fprintf(e.stdout, "See where you stand: %s\n", s.Code(e.cmd()))
	return nil
}

// runProgressShow prints what an export would carry, without running any
// test.
func runProgressShow(e *env) error {
	st, err := e.state()
	if err != nil {
		return err
	}
	f := transfer.Export(st, time.Now())
	s := e.style
	fmt.Fprintf(e.stdout, "Your progress in this copy of the book (%s): %s.\n", e.root.Rel(e.root.StateFile()), carried(f))
	for _, name := range slices.Sorted(maps.Keys(f.Labs)) {
		l := f.Labs[name]
		extra := ""
		if l.StartedOver {
			extra = " (started over since)"
		}
		fmt.Fprintf(e.stdout, "  %-22s done %s%s\n", name, progress.Date(l.Done), extra)
	}
	fmt.Fprintf(e.stdout, "Take it to another copy: %s\n", s.Code(e.cmd()+" progress --export FILE"))
	return nil
}

// carried says in words what a progress file holds.
func carried(f *transfer.File) string {
	parts := []string{fmt.Sprintf("%d %s done", len(f.Labs), verb(len(f.Labs), "lab", "labs"))}
	if n := len(f.Hints); n > 0 {
		parts = append(parts, fmt.Sprintf("hints seen in %d %s", n, verb(n, "lab", "labs")))
	}
	if n := len(f.Read); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s read", n, verb(n, "chapter", "chapters")))
	}
	return strings.Join(parts, ", ")
}

// writeFileAtomic writes a file through a temp file in the same folder, so
// a failure leaves the old file (or none), never half of one.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
