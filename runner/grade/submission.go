package grade

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/labs"
)

// Submission is one student's work: a folder.
type Submission struct {
	Student string // the folder's name
	Dir     string // absolute
}

// Class returns the submissions to grade: each folder in dir (its name is
// the student's; hidden folders are left out), then each path given.
func Class(dir string, paths []string) ([]Submission, error) {
	var out []Submission
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("unable to list the class: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
	}
	seen := map[string]string{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("submission %s: %w", p, err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("submission %s is not a folder", p)
		}
		name := filepath.Base(abs)
		if other, dup := seen[name]; dup {
			return nil, fmt.Errorf("two submissions are named %s (%s and %s): a submission's folder name is its student", name, other, p)
		}
		seen[name] = p
		out = append(out, Submission{Student: name, Dir: abs})
	}
	slices.SortFunc(out, func(a, b Submission) int { return strings.Compare(a.Student, b.Student) })
	return out, nil
}

// Archives lists the archives in dir (bob.zip, bob.tar.gz...), which
// Class leaves out, since a submission is a folder: a class downloaded
// from a learning platform often comes as one archive per student, and a
// student whose work is still packed would otherwise have no row at all.
func Archives(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		for _, ext := range []string{".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".7z", ".rar"} {
			if strings.HasSuffix(name, ext) {
				out = append(out, filepath.Join(dir, e.Name()))
				break
			}
		}
	}
	return out
}

// maxFile is the largest student file grade reads; a bigger one is
// reported as missing.
const maxFile = 1 << 20

// found is a lab's files as a submission holds them.
type found struct {
	dir     string            // the folder that holds them, absolute
	from    string            // the folder relative to the submission
	files   map[string][]byte // the student's files present, by name
	missing []string          // the student's files absent (or unreadable, with why)
	// modified are the book files that differ, relative to labs/ (as
	// check's TestsModified: "03-hello-server/task01_hello_test.go"); extra are
	// the files the book does not have, relative to the lab's folder.
	modified, extra []string
}

// locate finds lab l in submission s: labs/NN-slug/ (a clone of the
// book), NN-slug/ (a folder of labs), or the submission's own top level
// when its .go files are in the lab's package. It returns "" when the
// submission has no files for the lab.
func locate(s Submission, l *labs.Lab, pkg string) (dir, from string) {
	for _, rel := range []string{path.Join("labs", l.Name), l.Name} {
		d := filepath.Join(s.Dir, filepath.FromSlash(rel))
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d, rel
		}
	}
	if pkg != "" && packageOf(s.Dir) == pkg {
		return s.Dir, "."
	}
	return "", ""
}

// unwrap finds the folder in submission s where its labs are: s.Dir
// itself, or, when that holds no lab's files, the one folder inside it that
// does (one level only). A repository downloaded with GitHub's "Download
// ZIP" unpacks as alice/netbook-main/labs/...: inner is then
// ".../alice/netbook-main" and wrap "netbook-main". When more than one
// folder inside holds labs, nothing is taken and wraps names them all.
func unwrap(s Submission, all []*labs.Lab) (inner, wrap string, wraps []string) {
	if holdsLabs(s.Dir, all, true) {
		return s.Dir, "", nil
	}
	entries, _ := os.ReadDir(s.Dir)
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && holdsLabs(filepath.Join(s.Dir, e.Name()), all, false) {
			wraps = append(wraps, e.Name())
		}
	}
	if len(wraps) != 1 {
		return s.Dir, "", wraps
	}
	return filepath.Join(s.Dir, wraps[0]), wraps[0], nil
}

// holdsLabs reports whether dir holds a lab's files as locate finds them:
// a labs/ folder, a lab's folder (NN-slug/), or, when top, .go files
// (a lab's files alone, which only a submission's own top level may be).
func holdsLabs(dir string, all []*labs.Lab, top bool) bool {
	if fi, err := os.Stat(filepath.Join(dir, "labs")); err == nil && fi.IsDir() {
		return true
	}
	for _, l := range all {
		if fi, err := os.Stat(filepath.Join(dir, l.Name)); err == nil && fi.IsDir() {
			return true
		}
	}
	if top {
		matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		return len(matches) > 0
	}
	return false
}

// packageOf is the package clause of the first .go file in dir that has
// one, or "".
func packageOf(dir string) string {
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, m := range matches {
		if strings.HasSuffix(m, "_test.go") {
			continue
		}
		if name := packageName(m, nil); name != "" {
			return name
		}
	}
	return ""
}

// packageName reads the package clause of a Go file (src, or the file).
func packageName(file string, src []byte) string {
	var s any
	if src != nil {
		s = src
	}
	f, err := parser.ParseFile(token.NewFileSet(), file, s, parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return f.Name.Name
}

// gather reads lab l's student files from dir and compares the rest of
// the folder with the book's files.
func gather(dir, from string, l *labs.Lab, sums *labs.Sums) found {
	f := found{dir: dir, from: from, files: map[string][]byte{}}
	for _, name := range l.Files {
		data, ok, why := readStudentFile(filepath.Join(dir, name))
		if !ok {
			f.missing = append(f.missing, name+why)
			continue
		}
		f.files[name] = data
	}
	if from == "." {
		return f // a lab's files alone: nothing else is the lab's
	}
	book := map[string]labs.Shipped{}
	for _, s := range sums.ForLab(l) {
		if rest, ok := strings.CutPrefix(s.Path, l.Name+"/"); ok {
			book[rest] = s
		}
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != dir {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || slices.Contains(l.Files, rel) || !labs.IsBookFile(l.Name+"/"+rel) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		s, ok := book[rel]
		if !ok {
			f.extra = append(f.extra, rel)
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || !sameBlob(data, s.ID) {
			f.modified = append(f.modified, l.Name+"/"+rel)
		}
		return nil
	})
	return f
}

// readStudentFile reads a student's file. When it cannot be used, ok is
// false and why says why, unless the file simply is not there.
func readStudentFile(path string) (data []byte, ok bool, why string) {
	fi, err := os.Lstat(path)
	switch {
	case os.IsNotExist(err):
		return nil, false, ""
	case err != nil:
		return nil, false, " (" + err.Error() + ")"
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, false, " (a symbolic link, which grade does not follow)"
	case !fi.Mode().IsRegular():
		return nil, false, " (not a regular file)"
	case fi.Size() > maxFile:
		return nil, false, fmt.Sprintf(" (%d bytes, more than grade reads)", fi.Size())
	}
	data, err = os.ReadFile(path)
	if err != nil {
		return nil, false, " (" + err.Error() + ")"
	}
	return data, true, ""
}

// sameBlob reports whether data is the file with git blob id, as
// labs.Sums.Matches decides it (CRLF line endings match).
func sameBlob(data []byte, id string) bool {
	if labs.BlobID(data) == id {
		return true
	}
	lf := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return len(lf) != len(data) && labs.BlobID(lf) == id
}
