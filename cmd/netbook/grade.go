package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/grade"
	"github.com/netbook/netbook/runner/term"
)

var gradeCmd = &command{
	name: "grade",
	args: "[SUBMISSION...] [--dir FOLDER]",
	summary: "grade students' submissions with the book's own tests: points per task and lab, " +
		"as a table, JSON, JUnit XML or CSV (for instructors; it never writes into a submission)",
	example: "go run ./cmd/netbook grade --dir ~/class --lab 03                  # one folder per student\n" +
		"go run ./cmd/netbook grade --dir ~/class --csv grades.csv --junit grades.xml\n" +
		"go run ./cmd/netbook grade ~/class/alice ~/class/bob --lab 03 --lab 05 --json\n" +
		"go run ./cmd/netbook grade --dir ~/class --hidden ~/course/hidden -j 4 --timeout 1m",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		var o grade.Options
		var labs stringList
		dir := fs.String("dir", "", "grade each folder in `FOLDER`: the folder's name is the student's")
		fs.Var(&labs, "lab", "grade this lab (repeat it for more); default: every lab found in each submission")
		fs.StringVar(&o.Hidden, "hidden", "", "add the instructor's hidden tests in `DIR`/NN-slug/ (see docs/instructors.md)")
		fs.IntVar(&o.Jobs, "j", runtime.NumCPU(), "test this many labs at once")
		fs.DurationVar(&o.Timeout, "timeout", 2*time.Minute, "stop a lab's tests after this long; the tasks that finished count")
		fs.BoolVar(&o.Race, "race", false, "run the tests with the race detector")
		asJSON := fs.Bool("json", false, "print one JSON record per student and lab instead of the table")
		junit := fs.String("junit", "", "write JUnit XML to `FILE`: one testsuite per student and lab, one testcase per task")
		csvFile := fs.String("csv", "", "write one row per student to `FILE`: each lab's points and the total")
		return func(e *env, args []string) error {
			o.Labs = labs
			return runGrade(e, *dir, args, o, *asJSON, *junit, *csvFile)
		}
	},
}

func runGrade(e *env, dir string, paths []string, o grade.Options, asJSON bool, junit, csvFile string) error {
	if err := e.needRoot(); err != nil {
		return err
	}
	if dir == "" && len(paths) == 0 {
		return fmt.Errorf("%w: name the submissions, or a folder of them with --dir", errUsage)
	}
	subs, err := grade.Class(dir, paths)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		return fmt.Errorf("%s has no submissions: it should hold one folder per student", dir)
	}
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(f) {
		o.Progress = grade.Bar(f)
	}
	ctx, stop := e.ctx()
	defer stop()
	rep, err := grade.Run(ctx, e.root, subs, o)
	if err != nil {
		return err
	}
	if junit != "" {
		if err := writeFile(junit, func(w io.Writer) error { return grade.WriteJUnit(w, rep) }); err != nil {
			return err
		}
	}
	if csvFile != "" {
		if err := writeFile(csvFile, func(w io.Writer) error { return grade.WriteCSV(w, rep) }); err != nil {
			return err
		}
	}
	if asJSON {
		err = grade.WriteJSON(e.stdout, rep)
	} else {
		err = grade.WriteTable(e.stdout, rep)
	}
	if err != nil {
		return err
	}
	for _, rec := range rep.Records {
		if rec.Status == grade.Error {
			return exitError(1) // a lab that could not be graded: its note says why
		}
	}
	return nil
}

// writeFile writes what write produces to path, or to standard output
// for "-".
func writeFile(path string, write func(io.Writer) error) error {
	if path == "-" {
		return write(os.Stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// stringList is a flag that may be given many times.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}
