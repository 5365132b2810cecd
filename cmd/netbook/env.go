package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/netbook/netbook/chapters"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/state"
	"github.com/netbook/netbook/runner/term"
)

// env is what every command shares: where to write, how to style it, and
// the work tree, loaded on demand.
type env struct {
	stdout, stderr io.Writer
	style          term.Style
	root           repo.Root
	rootErr        error
}

func newEnv(stdout, stderr io.Writer) *env {
	e := &env{stdout: stdout, stderr: stderr}
	if f, ok := stdout.(*os.File); ok {
		e.style = term.For(f)
	}
	e.root, e.rootErr = repo.Find(".")
	return e
}

// ctx is cancelled by Ctrl-C, so a long command stops cleanly.
func (e *env) ctx() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// cmd is how to invoke netbook in the commands printed for the student.
func (e *env) cmd() string {
	if e.rootErr != nil {
		return "netbook"
	}
	return e.root.Command()
}

// needRoot returns an error that says what to do when netbook runs outside
// a work tree.
func (e *env) needRoot() error {
	if e.rootErr != nil {
		return e.rootErr
	}
	return nil
}

// book loads the chapters from the work tree, or the embedded copy when
// netbook runs outside one.
func (e *env) book() (*book.Book, error) {
	var fsys fs.FS = chapters.FS
	if e.rootErr == nil {
		fsys = os.DirFS(e.root.Chapters())
	}
	return book.Load(fsys)
}

// labs loads every lab that loads; a lab whose brief is missing or broken
// is reported on stderr and left out, so that one lab being written does not
// stop the others from working.
func (e *env) labs() ([]*labs.Lab, error) {
	all, broken, err := e.loadLabs()
	for _, b := range broken {
		fmt.Fprintf(e.stderr, "netbook: warning: %v\n", b)
	}
	return all, err
}

// loadLabs is labs without the warnings: the labs that load, and what is
// wrong with the others.
func (e *env) loadLabs() ([]*labs.Lab, []error, error) {
	if err := e.needRoot(); err != nil {
		return nil, nil, err
	}
	all, err := labs.LoadAll(e.root)
	if err == nil {
		return all, nil, nil
	}
	var broken []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		broken = joined.Unwrap()
	} else {
		broken = []error{err}
	}
	if all == nil {
		return nil, nil, err
	}
	return all, broken, nil
}

func (e *env) state() (*state.State, error) {
	if err := e.needRoot(); err != nil {
		return nil, err
	}
	return state.Load(e.root.StateFile())
}

// saveState saves progress, warning rather than failing: progress is a
// convenience, never a reason to lose the command's real output.
func (e *env) saveState(st *state.State) {
	if err := st.Save(); err != nil {
		fmt.Fprintf(e.stderr, "netbook: warning: %v\n", err)
	}
}

// namedLab returns the one lab that args must name; what says which kind
// of lab is meant ("lab", "server lab") in the usage error.
func (e *env) namedLab(args []string, what string) (*labs.Lab, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("%w: name one %s, such as 03", errUsage, what)
	}
	all, err := e.labs()
	if err != nil {
		return nil, err
	}
	return e.findLab(all, args[0])
}

// findLab resolves a lab argument.
func (e *env) findLab(all []*labs.Lab, arg string) (*labs.Lab, error) {
	l, err := labs.Find(all, arg)
	if err != nil {
		return nil, fmt.Errorf("%w\n(list them with: %s list)", err, e.cmd())
	}
	return l, nil
}

var errNoLab = errors.New("no lab")
