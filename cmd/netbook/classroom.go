package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netbook/netbook/runner/classroom"
	"github.com/netbook/netbook/runner/labs"
)

var classroomCmd = &command{
	name: "classroom",
	args: "[LAB...]",
	summary: "write the GitHub Classroom workflow for an assignment: one autograding step per task, " +
		"each worth its points (for instructors)",
	example: "go run ./cmd/netbook classroom 03 05        # writes " + classroom.Path + "\n" +
		"go run ./cmd/netbook classroom --out -       # every lab, to standard output",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		var o classroom.Options
		out := fs.String("out", classroom.Path, "write the workflow to `FILE` (relative to the book's root; - for standard output)")
		fs.IntVar(&o.Timeout, "timeout", 5, "each grading step's time limit, in minutes")
		return func(e *env, args []string) error {
			o.Args = args
			return runClassroom(e, args, *out, o)
		}
	},
}

func runClassroom(e *env, args []string, out string, o classroom.Options) error {
	all, err := e.labs()
	if err != nil {
		return err
	}
	chosen := all
	if len(args) > 0 {
		chosen = nil
		for _, a := range args {
			l, err := e.findLab(all, a)
			if err != nil {
				return err
			}
			chosen = append(chosen, l)
		}
	}
	data := classroom.Workflow(chosen, o)
	if out == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	path := out
	if !filepath.IsAbs(path) {
		path = filepath.Join(e.root.Dir, path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	steps := classroom.Steps(chosen, o)
	points := 0
	for _, s := range steps {
		points += s.Points
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d grading steps, %d points, for %s\n", e.root.Rel(path), len(steps), points, labNames(chosen))
	fmt.Fprintf(e.stdout, "Commit it to the assignment's template repository; docs/instructors.md says how to set up the assignment.\n")
	return nil
}

func labNames(ls []*labs.Lab) string {
	var b []byte
	for i, l := range ls {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, l.Name...)
	}
	return string(b)
}
