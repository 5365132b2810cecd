package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/transfer"
)

var progressCmd = &Command{
	Name:    "progress",
	Args:    "[--export FILE | --import FILE]",
	Summary: "carry your progress to another copy of the book: labs done and when, hints seen",
	Example: "go run ./cmd/netbook progress                               # what an export carries\n" +
		"go run ./cmd/netbook progress --export ~/netbook-progress.json\n" +
		"go run ./cmd/netbook progress --import ~/netbook-progress.json   # in the other copy: merged, never overwritten",
	New: func() Runner { return &progress{} },
}

type progress struct{ export, imp string }

func (p *progress) Flags(fs *flag.FlagSet) {
	fs.StringVar(&p.export, "export", "", "write your progress to `FILE` (- for standard output)")
	fs.StringVar(&p.imp, "import", "", "merge the progress in `FILE` into this copy's (- for standard input)")
}

func (p *progress) Run(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) > 0:
		return fmt.Errorf("%w: progress takes no arguments;\ngive a file with --export or --import", errUsage)
	case p.export != "" && p.imp != "":
		return fmt.Errorf("%w: --export or --import, not both", errUsage)
	case p.export != "":
		return p.runExport(ctx, e)
	case p.imp != "":
		return p.runImport(ctx, e)
	}
	// What an export would carry, without running any test.
	w, err := e.workbook(ctx, false)
	if err != nil {
		return err
	}
	f := transfer.Export(w.State, time.Now())
	transfer.WriteSummary(e.stdout, f, e.root.Rel(e.root.StateFile()), e.style, e.cmd(), stdoutWidth(e))
	return nil
}

// stdoutWidth is the width progress's sentences are wrapped to: the
// terminal's, 80 when the output is a file or a pipe.
func stdoutWidth(e *env) int {
	f, _ := e.stdout.(*os.File)
	return style.Width(f)
}

// runExport brings the progress up to date (labs edited since their last
// check are tested, as the dashboard does) and writes it.
func (p *progress) runExport(ctx context.Context, e *env) error {
	w, err := e.workbook(ctx, true)
	if err != nil {
		return err
	}
	f := transfer.Export(w.State, time.Now())
	if p.export == "-" {
		return transfer.Write(e.stdout, f)
	}
	if err := e.writeFile(p.export, func(out io.Writer) error { return transfer.Write(out, f) }); err != nil {
		return fmt.Errorf("unable to export progress: %w", err)
	}
	transfer.WriteExported(e.stdout, f, p.export, e.style, e.cmd(), stdoutWidth(e))
	return nil
}

func (p *progress) runImport(ctx context.Context, e *env) error {
	in := e.stdin
	if p.imp != "-" {
		file, err := os.Open(p.imp)
		if err != nil {
			return fmt.Errorf("unable to import progress: %w", err)
		}
		defer file.Close()
		in = file
	}
	f, err := transfer.Read(in)
	if err != nil {
		return fmt.Errorf("unable to import %s: %w", p.imp, err)
	}
	w, err := e.workbook(ctx, false)
	if err != nil {
		return err
	}
	all := w.AllLabs()
	rep, err := transfer.Import(w.State, f, all, w.Sums)
	if err != nil {
		return err
	}
	if err := w.State.Save(); err != nil {
		return fmt.Errorf("unable to save the imported progress: %w", err)
	}
	transfer.WriteImported(e.stdout, f, p.imp, rep, all, e.style, e.cmd(), stdoutWidth(e))
	return nil
}
