// Package repo finds the netbook work tree and names the paths inside it.
package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Root is a netbook work tree: the directory that holds go.work, labs/ and
// chapters/.
type Root struct {
	Dir string // absolute
}

// ErrNotFound is returned by Find when no work tree encloses the directory.
var ErrNotFound = errors.New("not inside a netbook work tree")

// Find returns the work tree that encloses dir: the nearest ancestor with a
// go.work file and a labs/go.mod. NETBOOK_ROOT, when set, wins.
func Find(dir string) (Root, error) {
	if env := os.Getenv("NETBOOK_ROOT"); env != "" {
		dir = env
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Root{}, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if isRoot(d) {
			return Root{Dir: d}, nil
		}
		if filepath.Dir(d) == d {
			return Root{}, fmt.Errorf("%w: no go.work with labs/go.mod above %s; run netbook from your clone of the workbook (or set NETBOOK_ROOT)", ErrNotFound, abs)
		}
	}
}

func isRoot(d string) bool {
	for _, f := range []string{"go.work", filepath.Join("labs", "go.mod")} {
		if _, err := os.Stat(filepath.Join(d, f)); err != nil {
			return false
		}
	}
	return true
}

// Labs is the directory of the labs module.
func (r Root) Labs() string { return filepath.Join(r.Dir, "labs") }

// Lab is the directory of one lab.
func (r Root) Lab(name string) string { return filepath.Join(r.Dir, "labs", name) }

// Solution is the directory of one lab's reference solution.
func (r Root) Solution(name string) string { return filepath.Join(r.Dir, "solutions", name) }

// Chapters is the directory of the chapters.
func (r Root) Chapters() string { return filepath.Join(r.Dir, "chapters") }

// StateFile is the progress file, which git ignores.
func (r Root) StateFile() string { return filepath.Join(r.Dir, ".netbook", "state.json") }

// LabAt returns the name of the lab folder (labs/NN-slug) that dir is, or
// is inside, or "" when dir is in no lab's folder (the root, labs/ itself,
// a shared package such as labs/nettest, or outside the work tree). A
// student working in labs/03-hello-server is working on that lab.
func (r Root) LabAt(dir string) string {
	if name := labIn(r.Labs(), dir); name != "" {
		return name
	}
	// The same folder may be reached through a symbolic link (macOS's
	// /tmp is /private/tmp): compare where both really are.
	labsDir, err1 := filepath.EvalSymlinks(r.Labs())
	real, err2 := filepath.EvalSymlinks(dir)
	if err1 != nil || err2 != nil {
		return ""
	}
	return labIn(labsDir, real)
}

// labIn is LabAt for a labs folder and a directory as they are spelled.
func labIn(labsDir, dir string) string {
	rel, err := filepath.Rel(labsDir, dir)
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	if !isLabName(first) {
		return ""
	}
	return first
}

// isLabName reports whether a folder's name has the form of a lab's:
// two digits, a dash and more.
func isLabName(name string) bool {
	return len(name) > 3 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' && name[2] == '-'
}

// Rel returns path relative to the current directory when that is shorter
// to type, else relative to the root, for messages a student copies.
func (r Root) Rel(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, ".."+string(filepath.Separator)+"..") {
			return rel
		}
	}
	if rel, err := filepath.Rel(r.Dir, path); err == nil {
		return rel
	}
	return path
}

// Pkg returns a package path for go test that works from the current
// directory: "./labs/01-addresses" from the root, "." inside the lab.
func (r Root) Pkg(dir string) string {
	// Unlike Rel, never a path from the root when the current directory
	// is elsewhere: inside labs/01-addresses, the command is
	// "go run ../../cmd/netbook", since "./cmd/netbook" is not there.
	rel := r.Rel(dir)
	if wd, err := os.Getwd(); err == nil {
		if fromWd, err := filepath.Rel(wd, dir); err == nil {
			rel = fromWd
		}
	}
	if rel == "." || strings.HasPrefix(rel, "..") || filepath.IsAbs(rel) {
		return rel
	}
	return "." + string(filepath.Separator) + rel
}

// Command is how the student should invoke netbook in the messages it
// prints: "go run ./cmd/netbook" when it was started with go run, else the
// program's name.
func (r Root) Command() string {
	exe, err := os.Executable()
	if err != nil || !strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "netbook"
	}
	return "go run " + r.Pkg(filepath.Join(r.Dir, "cmd", "netbook"))
}
