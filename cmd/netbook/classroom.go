package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/netbook/netbook/runner/classroom"
)

var classroomCmd = &Command{
	Name: "classroom",
	Args: "[LAB...]",
	Summary: "write the GitHub Classroom workflow for an assignment: one autograding step per task, " +
		"each worth its points (for instructors)",
	Example: "go run ./cmd/netbook classroom 03 05        # writes " + classroom.Path + "\n" +
		"go run ./cmd/netbook classroom --out -       # every lab, to standard output",
	New: func() Runner { return &classroomWorkflow{} },
}

// defaultStepTimeout is a grading step's time limit, in minutes, unless
// --timeout says otherwise.
const defaultStepTimeout = 5

type classroomWorkflow struct {
	out   string
	force bool
	o     classroom.Options
}

func (c *classroomWorkflow) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.out, "out", classroom.Path, "write the workflow to `FILE` (relative to the book's root; - for standard output)")
	fs.IntVar(&c.o.Timeout, "timeout", defaultStepTimeout, "each grading step's time limit, in minutes (1 to 60)")
	fs.BoolVar(&c.force, "force", false, "replace the file at --out even if netbook classroom did not write it, or it was edited by hand since")
}

func (c *classroomWorkflow) Run(_ context.Context, e *env, args []string) error {
	if c.o.Timeout < 1 {
		return fmt.Errorf("%w: --timeout %d: each grading step's time limit is a whole number of minutes, at least 1", errUsage, c.o.Timeout)
	}
	if c.o.Timeout > classroom.MaxTimeout {
		return fmt.Errorf("%w: --timeout %d: each grading step's time limit is in minutes, at most %d (GitHub Classroom's limit for a step)", errUsage, c.o.Timeout, classroom.MaxTimeout)
	}
	all, _, err := e.labs()
	if err != nil {
		return err
	}
	chosen, err := e.pick(all, args)
	if err != nil {
		return err
	}
	if err := classroom.NeedSolutions(chosen); err != nil {
		return err
	}
	o := c.o
	o.Args = args
	if o.Timeout != defaultStepTimeout {
		// The workflow's comment says how to make it again: with the
		// same limit, or a run after the labs change drops it.
		o.Args = append(slices.Clone(args), "--timeout", strconv.Itoa(o.Timeout))
	}
	data := classroom.Workflow(chosen, o)
	if c.out == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	path := c.out
	if !filepath.IsAbs(path) {
		path = filepath.Join(e.root.Dir, path)
	}
	// A workflow of someone else's at that place (GitHub Classroom's own,
	// written when tests are added in its web page), or one netbook wrote
	// and someone edited by hand since (its checksum says so), is not
	// lost without a word; one netbook wrote and nobody edited is
	// replaced, as "run it again after the labs change" means.
	if old, err := os.ReadFile(path); err == nil && !c.force {
		if err := replaceable(e.root.Rel(path), old, data); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("unable to write the workflow: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("unable to write the workflow: %w", err)
	}
	classroom.WriteWrote(e.stdout, e.root.Rel(path), chosen, o)
	return nil
}

// replaceable says why the workflow at path, old, is not replaced by new
// without --force, or nil when it may be: netbook classroom wrote it and
// nobody edited it since.
func replaceable(path string, old, new []byte) error {
	keep := "to keep your edits, move it away (or write the new workflow beside it with --out and copy them over), or give --force to replace it"
	switch classroom.Of(old) {
	case classroom.NotOurs:
		return fmt.Errorf("%s exists and netbook classroom did not write it (it has no %q line): "+
			"move it away, or give --force to replace it", path, classroom.GeneratedMark)
	case classroom.Edited:
		return fmt.Errorf("%s was edited by hand since netbook classroom wrote it (its checksum no longer matches): %s", path, keep)
	case classroom.NoSum:
		if !classroom.SameBody(old, new) {
			return fmt.Errorf("%s was written by an older netbook classroom, which kept no checksum, and differs from the new workflow: "+
				"netbook cannot tell a change of the labs from an edit by hand. If you edited it, %s; if not, give --force", path, keep)
		}
	}
	return nil
}
