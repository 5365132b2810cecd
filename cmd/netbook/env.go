package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

// env is what every command shares: where to write, how to style it, and
// the work tree, found on demand.
type env struct {
	stdout, stderr io.Writer
	style          style.Style
	root           repo.Root
	rootErr        error // netbook runs outside a work tree
}

func newEnv(stdout, stderr io.Writer) *env {
	e := &env{stdout: stdout, stderr: stderr}
	if f, ok := stdout.(*os.File); ok {
		e.style = style.For(f)
	}
	e.root, e.rootErr = repo.Find(".")
	return e
}

// cmd is how to invoke netbook in the commands printed for the student.
func (e *env) cmd() string {
	if e.rootErr != nil {
		return "netbook"
	}
	return e.root.Command()
}

// book loads the chapters from the work tree, or the embedded copy when
// netbook runs outside one.
func (e *env) book() (*book.Book, error) {
	if e.rootErr != nil {
		return workbook.LoadBook(nil)
	}
	return workbook.LoadBook(&e.root)
}

// workbook opens the student's workbook; with test, labs edited since
// their last check are checked (the dashboard says so on stderr).
func (e *env) workbook(ctx context.Context, test bool) (*workbook.Workbook, error) {
	if e.rootErr != nil {
		return nil, e.rootErr
	}
	o := workbook.Options{Test: test, Warn: e.stderr}
	if test {
		o.Checking = func(l *labs.Lab) {
			fmt.Fprintf(e.stderr, "checking %s (it changed since its last check)...\n", l.Name)
		}
	}
	return workbook.Open(ctx, e.root, o)
}

// chooseLab returns the lab named in args (at most one), or else the lab
// the student is on; nil when every lab is done.
func chooseLab(w *workbook.Workbook, args []string) (*workbook.Lab, error) {
	switch len(args) {
	case 0:
		return w.Current(), nil
	case 1:
		return w.Find(args[0])
	}
	return nil, fmt.Errorf("%w: name one lab", errUsage)
}

// namedLab loads the labs and returns the one that args must name; what
// says which kind of lab is meant ("lab", "server lab") in the usage error.
func (e *env) namedLab(args []string, what string) (*labs.Lab, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("%w: name one %s, such as 03", errUsage, what)
	}
	if e.rootErr != nil {
		return nil, e.rootErr
	}
	all, broken, err := workbook.LoadLabs(e.root)
	if err != nil {
		return nil, err
	}
	for _, b := range broken {
		fmt.Fprintf(e.stderr, "netbook: warning: %v\n", b)
	}
	return workbook.FindLab(all, args[0], e.cmd())
}
