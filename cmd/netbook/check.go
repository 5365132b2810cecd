package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

var checkCmd = &Command{
	Name:    "check",
	Args:    "[LAB]",
	Summary: "run a lab's tests and show each task's status and the first failure",
	Example: "go run ./cmd/netbook check        # the first lab not done yet\n" +
		"go run ./cmd/netbook check 01\n" +
		"go run ./cmd/netbook check 02-first-connection --json\n" +
		"go run ./cmd/netbook check 03 --task 2    # one task; exit status 0 only if it passes\n" +
		"go run ./cmd/netbook check 03 --lang zh   # the tasks' titles and the report in Chinese (test messages stay English)",
	Lang: true,
	New:  func() Runner { return &checkLab{} },
}

type checkLab struct {
	json bool
	o    check.Options
}

func (c *checkLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&c.json, "json", false, "print the result as JSON")
	fs.BoolVar(&c.o.Race, "race", false, "run the tests with the race detector")
	fs.DurationVar(&c.o.Timeout, "timeout", 2*time.Minute, "stop the tests after this long")
	fs.Var((*taskList)(&c.o.Tasks), "task", "run only task `N` (repeat it, or give a list: --task 1,3); the exit status is 0 only if they pass")
}

func (c *checkLab) Run(ctx context.Context, e *env, args []string) error {
	if c.o.Timeout <= 0 {
		// go test takes -timeout 0 (or less) as no limit: a hanging test
		// would hang the check for ever.
		return fmt.Errorf("%w: --timeout must be more than 0, such as 2m", errUsage)
	}
	args = e.labArgs("check", args, false)
	if len(c.o.Tasks) > 0 && len(args) != 1 {
		return fmt.Errorf("%w: --task needs the lab it belongs to, such as: check 03 --task 2", errUsage)
	}
	w, err := e.workbook(ctx, false)
	if err != nil {
		return err
	}
	l, err := chooseLab(w, args)
	if err != nil {
		return err
	}
	if l == nil {
		e.lang.Fprintf(e.stdout, lang.CheckEveryLab, e.cmd())
		return nil
	}
	res, err := w.Check(ctx, l, c.o)
	if err != nil {
		return err
	}
	if c.json {
		if err := writeJSON(e, res); err != nil {
			return err
		}
	} else {
		adv := w.Advice(ctx, l, res, c.o, e.style.Code)
		f, _ := e.stdout.(*os.File)
		adv.Width = style.Width(f)
		check.WriteText(e.stdout, res, e.style, adv)
	}
	if res.Status != check.Passed {
		return exitError(1)
	}
	return nil
}

// writeJSON prints v as indented JSON.
func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// taskList is the --task flag: task numbers, repeated or comma-separated.
type taskList []int

func (t *taskList) String() string { return workbook.TaskList(*t) }

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
