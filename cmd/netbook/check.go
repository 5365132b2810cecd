package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/progress"
)

var checkCmd = &command{
	name:    "check",
	args:    "[LAB]",
	summary: "run a lab's tests and show each task's status and the first failure",
	example: "go run ./cmd/netbook check        # the first lab not done yet\n" +
		"go run ./cmd/netbook check 01\n" +
		"go run ./cmd/netbook check 02-first-connection --json\n" +
		"go run ./cmd/netbook check 03 --task 2    # one task; exit status 0 only if it passes",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		asJSON := fs.Bool("json", false, "print the result as JSON")
		race := fs.Bool("race", false, "run the tests with the race detector")
		timeout := fs.Duration("timeout", 2*time.Minute, "stop the tests after this long")
		var tasks taskList
		fs.Var(&tasks, "task", "run only task `N` (repeat it, or give a list: --task 1,3); the exit status is 0 only if they pass")
		return func(e *env, args []string) error {
			return runCheck(e, args, *asJSON, check.Options{Race: *race, Timeout: *timeout, Tasks: tasks})
		}
	},
}

func runCheck(e *env, args []string, asJSON bool, o check.Options) error {
	if len(o.Tasks) > 0 && len(args) != 1 {
		return fmt.Errorf("%w: --task needs the lab it belongs to, such as: check 03 --task 2", errUsage)
	}
	ctx, stop := e.ctx()
	defer stop()
	p, l, err := e.chooseLab(ctx, args)
	if err != nil {
		return err
	}
	if l == nil {
		fmt.Fprintf(e.stdout, "Every lab passes. Check one again with: %s check 01\n", e.cmd())
		return nil
	}
	st, entries := p.state, p.entries
	hash, err := l.Hash()
	if err != nil {
		return err
	}
	res, err := check.Run(ctx, e.root, l, o)
	if err != nil {
		return err
	}
	firstDone := false
	if len(o.Tasks) == 0 { // a few tasks are not the lab's progress
		before, wasDone := st.Done[l.Name]
		progress.Record(st, l, hash, res)
		firstDone = res.Status == check.Passed && (!wasDone || !before.Stands())
		e.saveState(st)
	}

	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		adv := check.Advice{Again: fmt.Sprintf("%s check %02d", e.cmd(), l.Number)}
		if len(o.Tasks) > 0 {
			adv.Again += " --task " + (*taskList)(&o.Tasks).String()
		}
		for _, f := range l.StudentFiles() {
			adv.Edit = append(adv.Edit, e.root.Rel(f))
		}
		if firstDone {
			adv.Compare = fmt.Sprintf("%s compare %02d", e.cmd(), l.Number)
		}
		if st.Hints[l.Name] < len(l.Hints) {
			adv.Hint = fmt.Sprintf("%s hint %02d", e.cmd(), l.Number)
		}
		for _, en := range entries {
			if p := en.Lab; p != nil && p.Lab != l && p.Status != progress.Done && p.Lab.Number > l.Number {
				adv.Next = fmt.Sprintf("lab %s. Read chapter %d, %s:\n  %s", p.Lab.Name, en.Chapter.Number, en.Chapter.Title,
					e.style.Code(fmt.Sprintf("%s read %d", e.cmd(), en.Chapter.Number)))
				break
			}
		}
		if adv.Next == "" {
			adv.Next = fmt.Sprintf("see where you stand: %s", e.style.Code(e.cmd()))
		}
		check.WriteText(e.stdout, res, e.style, adv)
	}
	if res.Status != check.Passed {
		return exitError(1)
	}
	return nil
}

// taskList is the --task flag: task numbers, repeated or comma-separated.
type taskList []int

func (t *taskList) String() string {
	var s []string
	for _, n := range *t {
		s = append(s, strconv.Itoa(n))
	}
	return strings.Join(s, ",")
}

func (t *taskList) Set(v string) error {
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a task number", f)
		}
		*t = append(*t, n)
	}
	return nil
}
