package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/grade"
	"github.com/netbook/netbook/runner/style"
)

var gradeCmd = &Command{
	Name: "grade",
	Args: "[SUBMISSION...] [--dir FOLDER]",
	Summary: "grade students' submissions with the book's own tests: points per task and lab, " +
		"as a table, JSON, JUnit XML or CSV (for instructors; it never writes into a submission)",
	Example: "go run ./cmd/netbook grade --dir ~/class --lab 03                  # one folder per student\n" +
		"go run ./cmd/netbook grade --dir ~/class --csv grades.csv --junit grades.xml\n" +
		"go run ./cmd/netbook grade ~/class/alice ~/class/bob --lab 03 --lab 05 --json\n" +
		"go run ./cmd/netbook grade --dir ~/class --hidden ~/course/hidden -j 4 --timeout 1m",
	New: func() Runner { return &gradeClass{} },
}

type gradeClass struct {
	o          grade.Options
	dir        string
	json, bom  bool
	junit, csv string
}

func (g *gradeClass) Flags(fs *flag.FlagSet) {
	fs.StringVar(&g.dir, "dir", "", "grade each folder in `FOLDER`: the folder's name is the student's")
	fs.Var((*stringList)(&g.o.Labs), "lab", "grade lab `LAB` (repeat it for more); default: every lab found in each submission")
	fs.StringVar(&g.o.Hidden, "hidden", "", "add the instructor's hidden tests in `DIR`/NN-slug/ (see docs/instructors.md)")
	fs.Var((*jobsFlag)(&g.o.Jobs), "j", "test `N` labs at once, 1 or more (default: as many as the machine has CPUs)")
	g.o.Timeout = 2 * time.Minute
	fs.Var((*durationFlag)(&g.o.Timeout), "timeout", "stop a lab's tests after `DURATION` (such as 90s or 5m, at most 1h); the tasks that finished count")
	fs.BoolVar(&g.o.Race, "race", false, "run the tests with the race detector")
	fs.BoolVar(&g.json, "json", false, "print one JSON record per student and lab instead of the table")
	fs.StringVar(&g.junit, "junit", "", "write JUnit XML to `FILE`: one testsuite per student and lab, one testcase per task")
	fs.StringVar(&g.csv, "csv", "", "write one row per student to `FILE`: each lab's points and the total")
	fs.BoolVar(&g.bom, "bom", false, "start the --csv file with a UTF-8 byte order mark, so that Excel reads names in Chinese (or any non-ASCII) right")
}

func (g *gradeClass) Run(ctx context.Context, e *env, args []string) error {
	if e.rootErr != nil {
		return e.rootErr
	}
	if g.dir == "" && len(args) == 0 {
		return fmt.Errorf("%w: name the submissions, or a folder of them with --dir", errUsage)
	}
	if g.o.Timeout <= 0 {
		return fmt.Errorf("%w: --timeout must be more than 0, such as 1m", errUsage)
	}
	if g.o.Timeout > grade.MaxTimeout {
		return fmt.Errorf("%w: --timeout %s: a lab's tests may run for %s at most (they take seconds; the default is 2m)",
			errUsage, g.o.Timeout, strings.TrimSuffix(grade.MaxTimeout.String(), "0m0s"))
	}
	if g.bom && g.csv == "" {
		return fmt.Errorf("%w: --bom marks the --csv file: give --csv FILE too", errUsage)
	}
	// "-" writes an export to standard output, in place of the table.
	export := g.csv == "-" || g.junit == "-"
	if g.csv == "-" && g.junit == "-" || export && g.json {
		return fmt.Errorf("%w: one of --json, --csv - and --junit - may write to standard output", errUsage)
	}
	for _, out := range []string{g.csv, g.junit} {
		if out != "" {
			if err := canWrite(out); err != nil {
				return err
			}
		}
	}
	subs, err := grade.Class(g.dir, args)
	if err != nil {
		return err
	}
	if g.dir != "" {
		for _, a := range grade.Archives(g.dir) {
			printError(e.stderr, "netbook grade: warning", a+" is an archive, not a folder: unpack it into a folder of its own to grade it")
		}
	}
	if len(subs) == 0 {
		return fmt.Errorf("%s has no submissions: it should hold one folder per student", g.dir)
	}
	o := g.o
	open := false // a progress line is drawn and not ended
	if f, ok := e.stderr.(*os.File); ok && style.IsTerminal(f) {
		bar := grade.Bar(f)
		o.Progress = func(done, total int) {
			bar(done, total)
			open = total > 0 && done < total
		}
	}
	rep, err := grade.Run(ctx, e.root, subs, o)
	if open {
		fmt.Fprintln(e.stderr) // stopped part way: the error starts a line of its own
	}
	if err != nil {
		return err
	}
	if g.junit != "" {
		if err := e.writeFile(g.junit, func(w io.Writer) error { return grade.WriteJUnit(w, rep) }); err != nil {
			return err
		}
	}
	if g.csv != "" {
		if err := e.writeFile(g.csv, func(w io.Writer) error {
			if g.bom {
				if _, err := io.WriteString(w, grade.BOM); err != nil {
					return err
				}
			}
			return grade.WriteCSV(w, rep)
		}); err != nil {
			return err
		}
	}
	if g.json || export {
		// Without the table, which has these among its notes, standard
		// error says them.
		for _, l := range rep.Labs {
			if l.Note != "" {
				printError(e.stderr, "netbook grade: warning", l.Name+": "+l.Note)
			}
		}
		// A gradebook's CSV has the points alone: whose code to read
		// first, and who changed the book's tests, is said here, or
		// nowhere.
		for _, rec := range rep.Records {
			for _, n := range []string{rec.SuspectNote(), rec.ReferenceNote(), rec.TestsModifiedNote()} {
				if n != "" {
					printError(e.stderr, "netbook grade: warning", n)
				}
			}
		}
	}
	switch {
	case export: // written above, in place of the table
	case g.json:
		err = grade.WriteJSON(e.stdout, rep)
	default:
		f, _ := e.stdout.(*os.File)
		err = grade.WriteTable(e.stdout, rep, style.Width(f))
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

// stringList is a flag that may be given many times.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// jobsFlag is -j: how many labs are tested at once, 1 or more; 0 (the
// default, not a value it takes) is as many as the machine has CPUs.
type jobsFlag int

func (j *jobsFlag) String() string {
	if j == nil || *j == 0 {
		return ""
	}
	return strconv.Itoa(int(*j))
}

func (j *jobsFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return errors.New("must be 1 or more (how many labs are tested at once), such as -j 4")
	}
	*j = jobsFlag(n)
	return nil
}

// durationFlag is a duration that says, when it cannot read one, how to
// write it: "90" is not a duration, "90s" is.
type durationFlag time.Duration

func (d *durationFlag) String() string {
	if d == nil {
		return ""
	}
	return time.Duration(*d).String()
}

func (d *durationFlag) Set(v string) error {
	t, err := time.ParseDuration(v)
	if err != nil {
		if _, nerr := strconv.ParseFloat(v, 64); nerr == nil {
			return fmt.Errorf("a duration needs its unit: %ss for seconds, %sm for minutes", v, v)
		}
		return errors.New("not a duration: write it as 90s, 5m or 1m30s")
	}
	*d = durationFlag(t)
	return nil
}
