// Package transfer carries a student's progress from one copy of the book
// to another: netbook progress --export writes it to a file, and
// --import merges such a file into the progress of another clone (a new
// laptop, a fresh clone after a disk died) without losing anything either
// side knows.
//
// # File format
//
// A progress file is JSON:
//
//	{
//	  "format": "netbook-progress",
//	  "version": 1,
//	  "exported": "2026-03-02T10:15:00Z",
//	  "labs": {
//	    "03-hello-server": {
//	      "done": "2026-03-01T18:02:11Z",
//	      "files": {"server.go": "6f1c...40 hex digits"}
//	    }
//	  },
//	  "hintLevels": {"05-snack-shop": {"1": 2, "3": 1}},
//	  "read": ["00-start-here", "03-tcp-server"]
//	}
//
// labs holds every lab done, with when every task first passed on the
// book's tests and the fingerprints (git blob ids) of the student's files
// that passed last; "startedOver": true marks a lab started over with
// netbook reset since. hintLevels counts the levels of hints seen per lab
// and task, as the progress file does; read lists the chapters opened. A
// reader ignores fields it does not know, and refuses another format or a
// newer version. (The first files counted hints per lab, as "hints"; those
// counts name no task, and are ignored like any field not known.)
//
// # Merging
//
// Import never overwrites: a lab done on either side is done, at the
// earlier of the two dates; the fingerprints and the started-over mark of
// a lab already done here stay this copy's (they describe its files); each
// task's hint level takes the larger; chapters read are the union. Cached test
// results are not carried: they belong to the files of one copy, and
// netbook recomputes them.
//
// The file is the student's own record, as the progress file is: it says
// when a lab was done, and a lab whose files are not in the copy it is
// imported into counts as done there ("files elsewhere") until the
// student starts it over. A grade never reads it; netbook check always
// runs the book's tests.
package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/state"
)

// Format and Version name the file format this package writes.
const (
	Format  = "netbook-progress"
	Version = 1
)

// File is a progress file.
type File struct {
	Format   string         `json:"format"`
	Version  int            `json:"version"`
	Exported time.Time      `json:"exported"`
	Labs     map[string]Lab `json:"labs"`
	// Hints is how many levels of hints were seen, per lab and task.
	Hints map[string]map[int]int `json:"hintLevels,omitempty"`
	Read  []string               `json:"read,omitempty"`
}

// Lab is one done lab in a progress file.
type Lab struct {
	Done        time.Time         `json:"done"`
	Files       map[string]string `json:"files"`
	StartedOver bool              `json:"startedOver,omitempty"`
}

// Export returns the progress in st as a progress file made at time at.
func Export(st *state.State, at time.Time) *File {
	f := &File{Format: Format, Version: Version, Exported: at.UTC(), Labs: map[string]Lab{}, Hints: map[string]map[int]int{}}
	for name, d := range st.Done {
		f.Labs[name] = Lab{Done: d.At.UTC(), Files: maps.Clone(d.Files), StartedOver: d.Reset}
	}
	for name, tasks := range st.HintLevels {
		for task, n := range tasks {
			if n > 0 {
				if f.Hints[name] == nil {
					f.Hints[name] = map[int]int{}
				}
				f.Hints[name][task] = n
			}
		}
	}
	for slug, read := range st.Read {
		if read {
			f.Read = append(f.Read, slug)
		}
	}
	sort.Strings(f.Read)
	return f
}

// Write writes f as indented JSON.
func Write(w io.Writer, f *File) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

var (
	labName = regexp.MustCompile(`^\d\d-[a-z0-9-]+$`)
	blobID  = regexp.MustCompile(`^[0-9a-f]{40}$`)
	slug    = regexp.MustCompile(`^\d\d-[a-z0-9-]+$`)
	goFile  = regexp.MustCompile(`^[A-Za-z0-9_.-]+\.go$`)
)

// Read reads a progress file and checks it: its format and version, and
// that every name in it is a lab's, a chapter's or a Go file's.
func Read(r io.Reader) (*File, error) {
	var f File
	dec := json.NewDecoder(r)
	switch err := dec.Decode(&f); {
	case errors.Is(err, io.EOF):
		return nil, errors.New("the progress file is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, errors.New("the progress file is cut short: export it again")
	case err != nil:
		return nil, fmt.Errorf("not a netbook progress file: %w", err)
	}
	switch {
	case f.Format != Format:
		return nil, fmt.Errorf("not a netbook progress file (its format is %q, want %q)", f.Format, Format)
	case f.Version > Version:
		return nil, fmt.Errorf("the progress file is version %d, made by a newer netbook than this one (version %d): update your copy of the book (git pull)", f.Version, Version)
	case f.Version < 1:
		return nil, fmt.Errorf("the progress file has no version")
	}
	var errs []error
	for name, l := range f.Labs {
		if !labName.MatchString(name) {
			errs = append(errs, fmt.Errorf("%q is not a lab's name", name))
		}
		if l.Done.IsZero() {
			errs = append(errs, fmt.Errorf("lab %s has no date", name))
		}
		for file, id := range l.Files {
			if !goFile.MatchString(file) || !blobID.MatchString(id) {
				errs = append(errs, fmt.Errorf("lab %s: %q: %q is not a file name and a git blob id", name, file, id))
			}
		}
	}
	for name, tasks := range f.Hints {
		for task, n := range tasks {
			if !labName.MatchString(name) || task < 1 || n < 0 {
				errs = append(errs, fmt.Errorf("hintLevels: %q: task %d: %d is not a lab, a task and a count", name, task, n))
			}
		}
	}
	for _, s := range f.Read {
		if !slug.MatchString(s) {
			errs = append(errs, fmt.Errorf("read: %q is not a chapter's name", s))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("the progress file is damaged: %w", errors.Join(errs...))
	}
	return &f, nil
}

// Here says how a done lab's files in this copy compare with the files
// that passed.
type Here string

// How the files here compare.
const (
	// Same: the files here are the ones that passed.
	Same Here = "same"
	// Skeleton: the files here are the book's skeleton: the work is
	// elsewhere.
	Skeleton Here = "skeleton"
	// Other: the files here are other work; they decide the lab's status.
	Other Here = "other"
)

// Outcome is what an import did for one done lab.
type Outcome struct {
	Lab string
	// Done is the date the lab counts as done from, after the merge.
	Done time.Time
	// New: the lab was not recorded as done here before.
	New bool
	// Earlier: the imported date was earlier than the one recorded here.
	Earlier bool
	// Files says how the lab's files here compare with those that passed.
	Files Here
}

// Report is what an import did.
type Report struct {
	Labs []Outcome // the done labs of the file, by name
	// Unknown lists the labs of the file that this copy of the book does
	// not have (renamed since, or from a newer book); they are left out.
	Unknown []string
	// Hints counts the labs in which more hints count as seen (a task's
	// level went up); Chapters the chapters newly marked as read.
	Hints, Chapters int
}

// Import merges f into st (see the package comment) for the labs in all;
// sums tells the skeleton apart. The caller saves st.
func Import(st *state.State, f *File, all []*labs.Lab, sums *labs.Sums) (*Report, error) {
	rep := &Report{}
	byName := map[string]*labs.Lab{}
	for _, l := range all {
		byName[l.Name] = l
	}
	names := slices.Sorted(maps.Keys(f.Labs))
	for _, name := range names {
		in := f.Labs[name]
		l := byName[name]
		if l == nil {
			rep.Unknown = append(rep.Unknown, name)
			continue
		}
		o := Outcome{Lab: name}
		d, ok := st.Done[name]
		switch {
		case !ok:
			d = state.Done{At: in.Done, Files: maps.Clone(in.Files), Reset: in.StartedOver}
			o.New = true
		case in.Done.Before(d.At):
			d.At = in.Done
			o.Earlier = true
		}
		st.Done[name] = d
		o.Done = d.At
		here, err := l.Fingerprints()
		if err != nil {
			return nil, err
		}
		switch {
		case maps.Equal(here, in.Files) || maps.Equal(here, d.Files):
			o.Files = Same
		case sums.Pristine(l):
			o.Files = Skeleton
		default:
			o.Files = Other
		}
		rep.Labs = append(rep.Labs, o)
	}
	for name, tasks := range f.Hints {
		if byName[name] == nil {
			continue
		}
		more := false
		for task, n := range tasks {
			if n > st.Shown(name, task) {
				st.SetShown(name, task, n)
				more = true
			}
		}
		if more {
			rep.Hints++
		}
	}
	for _, s := range f.Read {
		if !st.Read[s] {
			st.Read[s] = true
			rep.Chapters++
		}
	}
	return rep, nil
}
