package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

// env is what every command shares: where to read and write, how to style
// it, and the work tree, found on demand.
type env struct {
	// stdin is what the student types (reset's answer, progress --import
	// -); terminal reports whether a person answers there.
	stdin          io.Reader
	terminal       bool
	stdout, stderr io.Writer
	style          style.Style
	root           repo.Root
	rootErr        error // netbook runs outside a work tree
	// lang is the language of the book's text and the runner's messages:
	// resolved by lang.Resolve for a command that takes --lang
	// (Command.Lang), English for the others.
	lang lang.Lang
	// here is the lab whose folder netbook runs in (labs/NN-slug or a
	// folder under it), "" outside one: the lab a command that takes one
	// works on when none is named (labArgs).
	here string
}

func newEnv(stdin io.Reader, terminal bool, stdout, stderr io.Writer) *env {
	e := &env{stdin: stdin, terminal: terminal, stdout: stdout, stderr: stderr, lang: lang.English}
	if f, ok := stdout.(*os.File); ok {
		e.style = style.For(f)
	}
	e.root, e.rootErr = repo.Find(".")
	if wd, err := os.Getwd(); err == nil && e.rootErr == nil {
		e.here = e.root.LabAt(wd)
	}
	return e
}

// cmd is how to invoke netbook in the commands printed for the student.
func (e *env) cmd() string {
	if e.rootErr != nil {
		return "netbook"
	}
	return e.root.Command()
}

// book loads the chapters in the command's language from the work tree,
// or the embedded copy when netbook runs outside one.
func (e *env) book() (*book.Book, error) {
	if e.rootErr != nil {
		return workbook.LoadBook(nil, e.lang)
	}
	return workbook.LoadBook(&e.root, e.lang)
}

// workbook opens the student's workbook; with test, labs edited since
// their last check are checked (the dashboard says so on stderr).
func (e *env) workbook(ctx context.Context, test bool) (*workbook.Workbook, error) {
	if e.rootErr != nil {
		return nil, e.rootErr
	}
	o := workbook.Options{Test: test, Warn: e.stderr, Lang: e.lang}
	if test {
		o.Checking = func(l *labs.Lab) {
			e.lang.Fprintf(e.stderr, lang.Checking, l.Name)
		}
	}
	return workbook.Open(ctx, e.root, o)
}

// labArgs returns the arguments of a command that takes a lab first
// (verb, such as "check"), with that lab filled in: with no arguments
// inside a lab's folder, that lab, said once on stderr; a path to a lab's
// folder ("." inside it) is that lab. A lab named on the command line
// wins over the folder, and outside a lab's folder args are left as they
// are, for the command's own default. With files (reset LAB FILE...), a
// first argument that is a file of the folder's lab ("reset shop.go"
// inside labs/05-snack-shop) comes after that lab.
func (e *env) labArgs(verb string, args []string, files bool) []string {
	if len(args) == 0 || (files && e.inHere(args[0])) {
		if e.here == "" {
			return args
		}
		again := e.cmd() + " " + verb + " NN"
		f, _ := e.stderr.(*os.File)
		fmt.Fprint(e.stderr, style.Style{}.WrapKeeping(e.lang.Sprintf(lang.LabOfFolder, e.here, e.cmd(), verb), style.Width(f), again))
		return append([]string{e.here}, args...)
	}
	if e.rootErr != nil || !isDirPath(args[0]) {
		return args
	}
	if abs, err := filepath.Abs(args[0]); err == nil {
		if name := e.root.LabAt(abs); name != "" {
			return append([]string{name}, args[1:]...)
		}
	}
	return args
}

// chapterArgs returns the arguments of a command that takes a chapter
// first (verb: read, run): with no arguments inside a lab's folder, the
// chapter of that lab in b, said once on stderr; else args as they are.
func (e *env) chapterArgs(verb string, args []string, b *book.Book) []string {
	if len(args) > 0 || e.here == "" {
		return args
	}
	c := b.ByLab(e.here)
	if c == nil {
		return args
	}
	again := e.cmd() + " " + verb + " N"
	f, _ := e.stderr.(*os.File)
	fmt.Fprint(e.stderr, style.Style{}.WrapKeeping(e.lang.Sprintf(lang.ChapterOfFolder, c.Number, e.here, e.cmd(), verb), style.Width(f), again))
	return []string{c.Slug}
}

// inHere reports whether path is a file in the folder's lab.
func (e *env) inHere(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return false
	}
	abs, err := filepath.Abs(path)
	return err == nil && e.root.LabAt(filepath.Dir(abs)) == e.here
}

// isDirPath reports whether arg is a path to a folder that is there, as a
// student names the lab folder they stand in (".", "..", "./").
func isDirPath(arg string) bool {
	if arg != "." && arg != ".." && !strings.ContainsAny(arg, `/\`) {
		return false
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir()
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

// labs loads every lab of the work tree that loads, with what is wrong
// with the others.
func (e *env) labs() (all []*labs.Lab, broken []error, err error) {
	if e.rootErr != nil {
		return nil, nil, e.rootErr
	}
	return workbook.LoadLabs(e.root, e.lang)
}

// pick returns the labs of all that args name, each once, in the order
// first named ("03 3 03-hello-server" is one lab, as grade's --lab takes
// them), or all of them when args is empty.
func (e *env) pick(all []*labs.Lab, args []string) ([]*labs.Lab, error) {
	if len(args) == 0 {
		return all, nil
	}
	var chosen []*labs.Lab
	for _, a := range args {
		l, err := workbook.FindLab(all, a, e.cmd())
		if err != nil {
			return nil, err
		}
		if !slices.Contains(chosen, l) {
			chosen = append(chosen, l)
		}
	}
	return chosen, nil
}

// namedLab loads the labs and returns the one that args must name; what
// says which kind of lab is meant ("lab", "server lab") in the usage error.
func (e *env) namedLab(args []string, what string) (*labs.Lab, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("%w: name one %s, such as 03", errUsage, what)
	}
	all, broken, err := e.labs()
	if err != nil {
		return nil, err
	}
	for _, b := range broken {
		printError(e.stderr, "netbook: warning", b.Error())
	}
	return workbook.FindLab(all, args[0], e.cmd())
}

// canWrite reports, as an error, why writeFile could not write path: its
// folder is not there, or is not a folder. A command that works for
// minutes before it writes (grade) asks first, so that a mistyped path
// does not throw that work away.
func canWrite(path string) error {
	if path == "-" {
		return nil
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("unable to write %s: there is no folder %s", path, dir)
	case err != nil:
		return fmt.Errorf("unable to write %s: %w", path, err)
	case !fi.IsDir():
		return fmt.Errorf("unable to write %s: %s is not a folder", path, dir)
	}
	return nil
}

// writeFile writes what write produces to path, or to standard output for
// "-". The file is written through a temp file in the same folder, so a
// failure leaves the old file (or none), never half of one.
func (e *env) writeFile(path string, write func(io.Writer) error) error {
	if path == "-" {
		return write(e.stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		// The error names the temp file, which the user never asked for.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
