// Package compare shows a student's files next to the lab's reference
// solution, once the lab is done: each student file against the
// solution's file of the same name as a unified diff, and the lab's notes
// on the reference, a few paragraphs on what the reference does and why.
//
// The reference is shown only after every task passes on the book's
// tests (check.Result with status "pass"): Build refuses before, with a
// *NotYet that says how many tasks are left. A lab whose tests passed on
// copies that are not the book's (status "unverified") is not done.
//
// # Notes on the reference
//
// Each lab's notes live beside its reference solution, in
// solutions/NN-slug/NOTES.md (a translation in NOTES.LANG.md, such as
// NOTES.zh.md), out of sight in the student's lab folder. They are
// Markdown, read by netbook compare and by anything else that shows the
// reference (a web page): a title, then short sections on the choices the
// reference makes, each with the reason, and the mistakes the lab's wrong
// solutions (solutions/NN-slug/wrong/*/WHY) show a student can make.
package compare

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
)

// Context is how many unchanged lines the diffs show around each change.
const Context = 3

// Comparison is a done lab's files next to the reference's.
type Comparison struct {
	Lab   string `json:"lab"`
	Title string `json:"title"`
	Files []File `json:"files"`
	// Notes are the lab's notes on the reference, as Markdown; empty when
	// the lab has none.
	Notes string `json:"notes,omitempty"`
	// NotesFile is the notes' path, relative to the work tree.
	NotesFile string `json:"notesFile,omitempty"`
}

// File is one student file next to the reference's.
type File struct {
	Name string `json:"name"` // in the lab: "server.go"
	// Yours and Reference are the paths of the two files, relative to the
	// work tree.
	Yours     string `json:"yours"`
	Reference string `json:"reference"`
	// Diff is the unified diff from the student's file to the reference's;
	// empty when they are the same.
	Diff string `json:"diff"`
	// Removed and Added count the lines the diff removes and adds.
	Removed int `json:"removed"`
	Added   int `json:"added"`
}

// Same reports whether the student's file is the reference's, byte for
// byte.
func (f File) Same() bool { return f.Diff == "" }

// NotYet is the reason the reference is not shown: the lab is not done.
type NotYet struct {
	Lab    string
	Status check.Status
	Passed int
	Total  int
	// Next is the first task that does not pass, if the tests ran.
	Next *check.TaskResult
	// Unverified says why the book's tests could not be used.
	Unverified *check.Reason
}

func (e *NotYet) Error() string { return strings.TrimSuffix(e.In(lang.English), ".") }

// In says, in language l, why the reference is not shown: a sentence.
func (e *NotYet) In(l lang.Lang) string {
	switch e.Status {
	case check.BuildFailed:
		return l.Sprintf(lang.NotYetNoCompile, e.Lab, e.Total)
	case check.Unverified:
		return l.Sprintf(lang.NotYetUnverified, e.Lab, e.Unverified.Text(l))
	}
	left := e.Total - e.Passed
	if e.Next != nil {
		return l.Sprintf(lang.NotYetNext, e.Lab, e.Passed, e.Total, left, e.Next.Number, strings.TrimRight(e.Next.Title, ".。"))
	}
	return l.Sprintf(lang.NotYet, e.Lab, e.Passed, e.Total, left)
}

// Build compares lab l's student files with its reference solution, after
// res, the lab's check (of every task: check.Options.Tasks empty), says
// that every task passes on the book's tests;
// otherwise it returns a *NotYet and reads nothing of the reference. lang
// picks the notes' translation ("" or "en" for English); a lab without
// notes in that language gets the English ones.
func Build(r repo.Root, l *labs.Lab, res *check.Result, lang string) (*Comparison, error) {
	if res == nil || res.Lab != l.Name {
		return nil, fmt.Errorf("no check of lab %s to compare after", l.Name)
	}
	if res.Status != check.Passed {
		e := &NotYet{Lab: l.Name, Status: res.Status, Passed: res.Passed, Total: res.Total, Unverified: res.Unverified}
		for i := range res.Tasks {
			if res.Tasks[i].Status != gotest.Pass {
				e.Next = &res.Tasks[i]
				break
			}
		}
		return nil, e
	}
	c := &Comparison{Lab: l.Name, Title: l.Title}
	for _, name := range l.Files {
		yours := filepath.Join(l.Dir, name)
		ref := filepath.Join(l.SolutionDir, name)
		a, err := os.ReadFile(yours)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		b, err := os.ReadFile(ref)
		if err != nil {
			return nil, fmt.Errorf("lab %s's reference has no %s: %w", l.Name, name, err)
		}
		f := File{Name: name, Yours: rel(r, yours), Reference: rel(r, ref)}
		f.Diff = Unified("yours/"+name, "reference/"+name, a, b, Context)
		f.Removed, f.Added = count(f.Diff)
		c.Files = append(c.Files, f)
	}
	notes, path, err := Notes(l, lang)
	if err != nil {
		return nil, err
	}
	if path != "" {
		c.Notes, c.NotesFile = string(notes), rel(r, path)
	}
	return c, nil
}

// NotesFile is the name of a lab's notes on the reference, in its
// solution's folder; NOTES.LANG.md holds a translation.
const NotesFile = "NOTES.md"

// Notes reads lab l's notes on the reference in language lang ("" or "en"
// for English), falling back on the English ones; the path is "" when the
// lab has none.
func Notes(l *labs.Lab, lang string) ([]byte, string, error) {
	var names []string
	if lang != "" && lang != "en" {
		names = append(names, "NOTES."+lang+".md")
	}
	names = append(names, NotesFile)
	for _, name := range names {
		path := filepath.Join(l.SolutionDir, name)
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		return data, path, nil
	}
	return nil, "", nil
}

// count returns how many lines a unified diff removes and adds.
func count(diff string) (removed, added int) {
	for i, line := range strings.Split(diff, "\n") {
		if i < 2 {
			continue // the headers
		}
		switch {
		case strings.HasPrefix(line, "-"):
			removed++
		case strings.HasPrefix(line, "+"):
			added++
		}
	}
	return removed, added
}

func rel(r repo.Root, path string) string {
	if p, err := filepath.Rel(r.Dir, path); err == nil && !strings.HasPrefix(p, "..") {
		return filepath.ToSlash(p)
	}
	return path
}

// Languages lists the languages lab l has notes in, English ("en") first.
func Languages(l *labs.Lab) []string {
	var out []string
	if _, err := os.Stat(filepath.Join(l.SolutionDir, NotesFile)); err == nil {
		out = append(out, "en")
	}
	matches, _ := filepath.Glob(filepath.Join(l.SolutionDir, "NOTES.*.md"))
	for _, m := range matches {
		lang := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "NOTES."), ".md")
		if !slices.Contains(out, lang) {
			out = append(out, lang)
		}
	}
	return out
}
