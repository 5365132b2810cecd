package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

var hintCmd = &Command{
	Name:    "hint",
	Args:    "[LAB [TASK]]",
	Summary: "show the next hint for the first task that fails (or the task named); each call shows one level more",
	Example: "go run ./cmd/netbook hint 01      # the first task of lab 01 that fails\n" +
		"go run ./cmd/netbook hint 01 3    # task 3\n" +
		"go run ../../cmd/netbook hint 2   # inside a lab's folder: its task 2\n" +
		"go run ./cmd/netbook hint 01 3 --all\n" +
		"go run ./cmd/netbook hint 01 --lang zh    # from hints.zh.yaml",
	Lang: true,
	New:  func() Runner { return &hint{} },
}

type hint struct{ all bool }

func (h *hint) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&h.all, "all", false, "show the levels given so far again, without a new one")
}

func (h *hint) Run(ctx context.Context, e *env, args []string) error {
	if len(args) > 2 {
		return fmt.Errorf("%w: name a lab and at most one task", errUsage)
	}
	w, err := e.workbook(ctx, false)
	if err != nil {
		return err
	}
	if task := e.taskOfFolder(w, args); task > 0 {
		// "hint 2" inside labs/05-snack-shop is its task 2, not lab 02.
		// Said, with how to reach lab N instead; not when lab N is the
		// folder's own ("hint 1" in labs/01-addresses).
		other := fmt.Sprintf("%02d", task)
		if here, err := w.Find(e.here); err != nil || here.Lab.Number != task {
			f, _ := e.stderr.(*os.File)
			fmt.Fprint(e.stderr, style.Style{}.WrapKeeping(e.lang.Sprintf(lang.HintTaskOfFolder, task, e.here, other, e.cmd(), other),
				style.Width(f), e.cmd()+" hint "+other))
		}
		args = []string{e.here, args[0]}
	} else if here, other := e.labNotTask(w, args); here != nil {
		// "hint 9" inside labs/01-addresses, which has 6 tasks, is lab
		// 09: said, since its hints are not those of the folder's lab.
		f, _ := e.stderr.(*os.File)
		fmt.Fprint(e.stderr, style.Wrap(e.lang.Sprintf(lang.HintLabNotTask, other.Lab.Name, here.Lab.Name, taskNumber(args[0]), len(here.Lab.Tasks)), style.Width(f)))
	}
	args = e.labArgs("hint", args, false)
	if len(args) > 2 {
		return fmt.Errorf("%w: name a lab and at most one task", errUsage)
	}
	l := w.Current()
	if len(args) == 0 {
		if l == nil {
			return fmt.Errorf("%w: every lab passes; name the lab whose hints you want", errUsage)
		}
		f, _ := e.stdout.(*os.File)
		first := style.Style{}.WrapKeeping(e.lang.Sprintf(lang.HintFirstLab, l.Lab.Name, w.Cmd), style.Width(f), w.Cmd+" hint NN")
		fmt.Fprintf(e.stdout, "%s\n", e.style.Dim(first))
	} else if l, err = w.Find(args[0]); err != nil {
		return err
	}
	task := 0
	if len(args) == 2 {
		if task, err = strconv.Atoi(args[1]); err != nil || task < 1 {
			return fmt.Errorf("%w: %q is not a task number", errUsage, args[1])
		}
	}
	// Hints are wrapped to the screen (80 columns when piped; COLUMNS
	// when set), as check's messages are.
	out, _ := e.stdout.(*os.File)
	cols := style.Width(out)
	if h.all {
		if task == 0 && l.Known && l.Next == nil && l.Status != workbook.NoCompile {
			// Every task passes: there is no first failing task whose
			// hints to show again, so show those of every task.
			writeEveryShown(e, w, l, cols)
			return nil
		}
		workbook.WriteShown(e.stdout, w, l, task, e.style, cols)
		return nil
	}
	if task == 0 && (!l.Known || l.Elsewhere) {
		errOut, _ := e.stderr.(*os.File)
		fmt.Fprint(e.stderr, style.Wrap(e.lang.Sprintf(lang.CheckingFirst, l.Lab.Name), style.Width(errOut)))
	}
	hn, err := w.Hint(ctx, l, task)
	if errors.Is(err, workbook.ErrAllPass) {
		writeAllPass(e, w, l, cols)
		return nil
	}
	if err != nil {
		return err
	}
	workbook.WriteHint(e.stdout, w, hn, e.style, cols)
	return nil
}

// writeEveryShown shows again the hints shown for each task of l, a lab
// whose every task passes, or says how to ask for a task's when none were,
// for a screen cols columns wide.
func writeEveryShown(e *env, w *workbook.Workbook, l *workbook.Lab, cols int) {
	shown := false
	for _, t := range l.Lab.Tasks {
		if len(w.Shown(l, t.Number)) > 0 {
			workbook.WriteShown(e.stdout, w, l, t.Number, e.style, cols)
			shown = true
		}
	}
	if !shown {
		writeAllPass(e, w, l, cols)
	}
}

// writeAllPass says that every task of l passes, and how to ask for a
// task's hints all the same, for a screen cols columns wide.
func writeAllPass(e *env, w *workbook.Workbook, l *workbook.Lab, cols int) {
	cmd := w.Command("hint", l)
	fmt.Fprint(e.stdout, e.style.WrapKeeping(e.lang.Sprintf(lang.HintAllPass, l.Lab.Name, cmd), cols, cmd+" N"))
}

// labNotTask returns the folder's lab and lab N when args are one number
// N, written without a leading zero, inside a lab's folder whose lab has
// no task N, and there is a lab N: the hints asked for are lab N's.
// Otherwise it returns nils.
func (e *env) labNotTask(w *workbook.Workbook, args []string) (here, other *workbook.Lab) {
	if e.here == "" || len(args) != 1 || strings.HasPrefix(args[0], "0") || taskNumber(args[0]) < 1 {
		return nil, nil
	}
	here, err := w.Find(e.here)
	if err != nil {
		return nil, nil
	}
	other, err = w.Find(args[0])
	if err != nil || other == here {
		return nil, nil
	}
	return here, other
}

// taskNumber is arg as a number, or 0 when it is not one.
func taskNumber(arg string) int {
	n, err := strconv.Atoi(arg)
	if err != nil {
		return 0
	}
	return n
}

// taskOfFolder returns N when args are one number N, written without a
// leading zero, inside a lab's folder whose lab has a task N: that task,
// rather than lab N. Otherwise it returns 0, and "hint 02" or "hint 2"
// outside a lab's folder name lab 02.
func (e *env) taskOfFolder(w *workbook.Workbook, args []string) int {
	if e.here == "" || len(args) != 1 || strings.HasPrefix(args[0], "0") {
		return 0
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		return 0
	}
	l, err := w.Find(e.here)
	if err != nil {
		return 0
	}
	for _, t := range l.Lab.Tasks {
		if t.Number == n {
			return n
		}
	}
	return 0
}
