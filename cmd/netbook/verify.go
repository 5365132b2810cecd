package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/verify"
)

var verifyCmd = &command{
	name: "verify",
	args: "[LAB...]",
	summary: "prove the labs: every test fails on the skeleton and passes on the reference solution " +
		"(for authors and CI; it never changes your files)",
	example: "go run ./cmd/netbook verify\n" +
		"go run ./cmd/netbook verify 03 --race --count 20\n" +
		"go run ./cmd/netbook verify --update-sums   # after changing a lab\n" +
		"go run ./cmd/netbook verify --as-shipped    # in a student's clone: the book as shipped\n" +
		"go run ./cmd/netbook verify 03 --hidden ~/course/hidden   # an instructor's hidden tests too",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		race := fs.Bool("race", false, "build the solution's tests with the race detector")
		count := fs.Int("count", 1, "run the solution's tests this many times in a row")
		update := fs.Bool("update-sums", false, "rewrite labs/"+labs.SumsFile+" from the labs as they are, then verify")
		shipped := fs.Bool("as-shipped", false, "prove the labs as the book shipped them, whatever your copy holds (your work is left alone)")
		noWrongs := fs.Bool("no-wrongs", false, "do not run the wrong solutions (quicker; they are still read)")
		asJSON := fs.Bool("json", false, "print the reports as JSON")
		hidden := fs.String("hidden", "", "also prove the hidden tests in `DIR`/NN-slug/ (see docs/instructors.md)")
		return func(e *env, args []string) error {
			return runVerify(e, args, verify.Options{Race: *race, Count: *count, AsShipped: *shipped, NoWrongs: *noWrongs, Hidden: *hidden}, *update, *asJSON)
		}
	},
}

func runVerify(e *env, args []string, o verify.Options, update, asJSON bool) error {
	all, broken, err := e.loadLabs()
	if err != nil {
		return err
	}
	if len(args) > 0 {
		broken = nil // only the labs named matter
	}
	if update {
		if err := labs.WriteSums(e.root, all); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote labs/%s\n", labs.SumsFile)
	}
	if o.Book, err = e.book(); err != nil {
		return err
	}
	if o.Sums, err = labs.ReadSums(e.root); err != nil {
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
	ctx, stop := e.ctx()
	defer stop()
	s := e.style
	failed := 0
	var reports []*verify.Report
	for _, l := range chosen {
		rep := verify.Lab(ctx, e.root, l, o)
		reports = append(reports, rep)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !rep.OK() {
			failed++
		}
		if asJSON {
			continue
		}
		if rep.Skipped != "" {
			fmt.Fprintf(e.stdout, "%s %-22s not proved: %s\n", s.Warn("skip"), l.Name, rep.Skipped)
			continue
		}
		if rep.OK() {
			fmt.Fprintf(e.stdout, "%s %-22s %s\n", s.Good("ok  "), l.Name, summary(rep, o))
			continue
		}
		fmt.Fprintf(e.stdout, "%s %-22s %d problem(s):\n", s.Bad("FAIL"), l.Name, len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(e.stdout, "  - %s\n", strings.ReplaceAll(p, "\n", "\n    "))
		}
	}
	for _, b := range broken {
		failed++
		if !asJSON {
			fmt.Fprintf(e.stdout, "%s %v\n", s.Bad("FAIL"), b)
		}
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "\nverify: %d of %d labs proved\n", len(chosen)+len(broken)-failed, len(chosen)+len(broken))
	}
	if failed > 0 {
		return exitError(1)
	}
	return nil
}

func summary(rep *verify.Report, o verify.Options) string {
	var slowFail, slowPass float64
	for _, t := range rep.Tasks {
		slowFail = max(slowFail, t.SkeletonElapsed.Seconds())
		slowPass = max(slowPass, t.SolutionElapsed.Seconds())
	}
	extra := ""
	if o.Race {
		extra += " -race"
	}
	if o.Count > 1 {
		extra += fmt.Sprintf(" ×%d", o.Count)
	}
	wrongs := ""
	if n := len(rep.Wrongs); n > 0 {
		wrongs = fmt.Sprintf("; %d wrong solutions caught", n)
	}
	return fmt.Sprintf("%d tasks: fail on the skeleton (slowest %.2fs), pass on the solution (slowest %.2fs)%s%s, %.1fs",
		len(rep.Tasks), slowFail, slowPass, extra, wrongs, rep.Elapsed.Seconds())
}
