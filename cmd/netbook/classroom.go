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
	fs.BoolVar(&c.force, "force", false, "replace the file at --out even if netbook classroom did not write it")
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
	// written when tests are added in its web page, or one edited by
	// hand) is not lost without a word; one netbook wrote is replaced, as
	// "run it again after the labs change" means.
	if old, err := os.ReadFile(path); err == nil && !c.force && !classroom.Generated(old) {
		return fmt.Errorf("%s exists and netbook classroom did not write it (it has no %q line): "+
			"move it away, or give --force to replace it", e.root.Rel(path), classroom.GeneratedMark)
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
