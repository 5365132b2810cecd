// Package shipped puts the book's own files back in front of the go
// command when a student's copy differs from them, without touching the
// student's tree.
//
// labs/book.sum records the git blob id of every file the book ships in the
// labs module (package labs, Sums). A file whose copy in the work tree has
// another id (a test a student edited, a skeleton a student filled in) is
// read back from the clone's git objects with `git cat-file blob ID`,
// written to a temp dir, and mapped over the student's path with go
// -overlay. A check therefore always runs the book's tests, a proof always
// starts from the book's skeleton, and the student's files stay as they are.
//
// The shipped bytes can be missing: a clone without git, a download without
// history, a shallow clone that lacks the object. View then returns an
// error that says so (errors.Is(err, ErrUnrecoverable); errors.As gives an
// *UnrecoverableError), and the caller says plainly that it could not use
// the book's copy, in the student's language (Why.Text).
package shipped

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
)

// ErrUnrecoverable marks a shipped file whose bytes cannot be read back.
var ErrUnrecoverable = errors.New("the book's copy cannot be recovered")

// UnrecoverableError is the error of Book and Read when the shipped bytes
// of files cannot be read back: which files, and why. It wraps
// ErrUnrecoverable; its message is Text in English.
type UnrecoverableError struct {
	Files []string // relative to labs/
	Why   Why
}

func (e *UnrecoverableError) Error() string { return e.Text(lang.English) }

func (e *UnrecoverableError) Unwrap() error { return ErrUnrecoverable }

// Text says e in language l.
func (e *UnrecoverableError) Text(l lang.Lang) string {
	return l.Sprintf(lang.WhyUnrecoverable, l.List(e.Files), e.Why.Text(l))
}

// A Why is a reason a student reads: why the book's copy of a file could
// not be read back, or why a test file of the student's was left out. It
// is a kind and the name the kind is about, so that a front end can say it
// in the student's language (Text).
type Why struct {
	Kind WhyKind
	Name string // the file, test or git's message, for the kinds that name one
}

// WhyKind is what kind of reason a Why is.
type WhyKind int

// The reasons Book and Read give.
const (
	// NoGit: git is not installed.
	NoGit WhyKind = iota + 1
	// NotAClone: the work tree is not a git clone.
	NotAClone
	// GitFailed: git cat-file failed; Name is the first line of what it said.
	GitFailed
	// GitTooLittle: git cat-file's answer ended early.
	GitTooLittle
	// NotInHistory: Name, a file, is not among the clone's objects.
	NotInHistory
	// OtherBytes: git's bytes for Name, a file, are not the ones book.sum records.
	OtherBytes
	// NotInBook: a test file the book does not ship (Options.HideOwn).
	NotInBook
	// DeclaresTestMain: a student's test file declares TestMain.
	DeclaresTestMain
	// DeclaresTask: a student's test file declares Name, a TestTask test.
	DeclaresTask
)

// Text says w in language l.
func (w Why) Text(l lang.Lang) string {
	switch w.Kind {
	case NoGit:
		return l.Sprintf(lang.WhyNoGit)
	case NotAClone:
		return l.Sprintf(lang.WhyNotAClone)
	case GitFailed:
		return l.Sprintf(lang.WhyGitFailed, w.Name)
	case GitTooLittle:
		return l.Sprintf(lang.WhyGitTooLittle)
	case NotInHistory:
		return l.Sprintf(lang.WhyNotInHistory, w.Name)
	case OtherBytes:
		return l.Sprintf(lang.WhyOtherBytes, w.Name)
	case NotInBook:
		return l.Sprintf(lang.WhyNotInBook)
	case DeclaresTestMain:
		return l.Sprintf(lang.WhyTestMain)
	case DeclaresTask:
		return l.Sprintf(lang.WhyTask, w.Name)
	}
	return w.Name
}

// String is w in English.
func (w Why) String() string { return w.Text(lang.English) }

// Left is a student's test file left out of the build, and why.
type Left struct {
	File string // relative to the lab
	Why  Why
}

// String is "FILE: why", in English.
func (h Left) String() string { return h.File + ": " + h.Why.String() }

// MarshalText makes h a string in JSON, as String says it.
func (h Left) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// Options say which of a lab's files the view puts back.
type Options struct {
	// Skeleton puts the student's files back as shipped too (a proof of
	// the book), not only the book's files (a check of a student's work).
	Skeleton bool
	// HideOwn leaves every test file the book does not ship out of the
	// build. Without it, a student's own test files run, except one that
	// declares TestMain or a TestTask test, which would decide how the
	// book's tasks run or what they are.
	HideOwn bool
}

// View is a lab as the book shipped it, seen through an overlay.
type View struct {
	// Overlay maps absolute paths in the lab (and the labs module) to the
	// temp files that hold their shipped bytes, or to "" for a file left
	// out of the build. Empty when the tree already matches.
	Overlay map[string]string
	// Restored lists the shipped files (relative to labs/) whose copy in
	// the tree differs or is missing: the overlay gives the book's bytes.
	Restored []string
	// Own lists the student's own test files (relative to the lab) that run
	// with the book's tests and do not count.
	Own []string
	// Hidden lists the student's own test files left out, with the reason.
	Hidden []Left

	remove func() // removes the temp dir (sandbox.TempDir: swept if netbook is killed)
}

// Close removes the view's temp files.
func (v *View) Close() error {
	if v == nil || v.remove == nil {
		return nil
	}
	v.remove()
	return nil
}

// Book returns lab l as the book shipped it, for the roles o asks for. The
// caller closes the view. When a file that differs cannot be recovered, the
// error wraps ErrUnrecoverable and names the files; the view is nil.
func Book(ctx context.Context, r repo.Root, l *labs.Lab, sums *labs.Sums, o Options) (*View, error) {
	v := &View{Overlay: map[string]string{}}
	var restore []labs.Shipped
	for _, f := range sums.Changed(l, "") {
		if f.Role == labs.Skeleton && !o.Skeleton {
			continue
		}
		restore = append(restore, f)
		v.Restored = append(v.Restored, f.Path)
	}
	if len(restore) > 0 {
		dir, remove, err := sandbox.TempDir("netbook-shipped-")
		if err != nil {
			return nil, err
		}
		v.remove = remove
		data, err := Read(ctx, r, restore)
		if err != nil {
			v.Close()
			return nil, err
		}
		for i, f := range restore {
			tmp := filepath.Join(dir, fmt.Sprintf("%03d-%s", i, filepath.Base(f.Path)))
			if err := os.WriteFile(tmp, data[i], 0o644); err != nil {
				v.Close()
				return nil, err
			}
			v.Overlay[filepath.Join(r.Labs(), filepath.FromSlash(f.Path))] = tmp
		}
	}
	unknown, err := sums.Unknown(l)
	if err != nil {
		v.Close()
		return nil, err
	}
	for _, rel := range unknown {
		name := strings.TrimPrefix(rel, l.Name+"/")
		if !strings.HasSuffix(name, "_test.go") || strings.Contains(name, "/") {
			continue
		}
		abs := filepath.Join(r.Labs(), filepath.FromSlash(rel))
		why := Why{Kind: NotInBook}
		if !o.HideOwn {
			why = claims(abs)
		}
		if why.Kind != 0 {
			v.Overlay[abs] = ""
			v.Hidden = append(v.Hidden, Left{File: name, Why: why})
			continue
		}
		v.Own = append(v.Own, name)
	}
	return v, nil
}

// claims says why a student's own test file may not run with the book's
// tests, or gives the zero Why when it may.
func claims(path string) Why {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return Why{} // it fails to compile with the rest, which the check reports
	}
	for _, d := range f.Decls {
		name := declName(d)
		switch {
		case name == "TestMain":
			return Why{Kind: DeclaresTestMain}
		case strings.HasPrefix(name, "TestTask"):
			return Why{Kind: DeclaresTask, Name: name}
		}
	}
	return Why{}
}

func declName(d ast.Decl) string {
	if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil {
		return fn.Name.Name
	}
	return ""
}

// Read reads the shipped bytes of files from the git objects of r's clone,
// in order. When they cannot be read, the error is an *UnrecoverableError.
func Read(ctx context.Context, r repo.Root, files []labs.Shipped) ([][]byte, error) {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Path
	}
	fail := func(kind WhyKind, name string) error {
		return &UnrecoverableError{Files: names, Why: Why{Kind: kind, Name: name}}
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fail(NoGit, "")
	}
	var in bytes.Buffer
	for _, f := range files {
		fmt.Fprintln(&in, f.ID)
	}
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir = r.Dir
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "not a git repository") {
			return nil, fail(NotAClone, "")
		}
		return nil, fail(GitFailed, firstLine(msg+" "+err.Error()))
	}
	// Each answer is "ID blob SIZE\n" + bytes + "\n", or "ID missing\n".
	data := make([][]byte, len(files))
	for i, f := range files {
		header, rest, ok := bytes.Cut(out, []byte("\n"))
		if !ok {
			return nil, fail(GitTooLittle, "")
		}
		var id, kind string
		var size int
		if n, _ := fmt.Sscanf(string(header), "%s %s %d", &id, &kind, &size); n != 3 || kind != "blob" || len(rest) < size+1 {
			return nil, fail(NotInHistory, f.Path)
		}
		data[i], out = rest[:size], rest[size+1:]
		if labs.BlobID(data[i]) != f.ID {
			return nil, fail(OtherBytes, f.Path)
		}
	}
	return data, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
