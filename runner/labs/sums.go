package labs

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/repo"
)

// SumsFile lists every file the book ships in the labs module with its git
// blob id, so that netbook can tell the book's files from a student's work
// without compiling anything: a lab whose student files still match is
// "not started", and a test file that differs is not the book's. Because
// the ids are git's own, the shipped bytes of any file can be read back
// from the clone's history (package shipped). netbook verify checks the
// file; netbook verify --update-sums rewrites it.
const SumsFile = "book.sum"

// Role says whose a shipped file is.
type Role string

// The roles of a shipped file.
const (
	// Skeleton is a file the student edits (the brief's files:).
	Skeleton Role = "skeleton"
	// Book is every other file the tests depend on: tests, testdata, given
	// code, the labs module's shared packages, go.mod and go.sum.
	Book Role = "book"
)

// Shipped is one line of the sums file.
type Shipped struct {
	Path string // slash-separated, relative to labs/: "02-first-connection/greet_test.go"
	Role Role
	ID   string // the git blob id of the file as shipped
}

// Sums is the sums file: every shipped file of the labs module.
type Sums struct {
	Dir   string             // the labs module's directory, where the files are compared
	Files map[string]Shipped // by Path
}

// ReadSums reads labs/book.sum. A missing file gives empty Sums, in which
// no lab is known to be pristine.
func ReadSums(r repo.Root) (*Sums, error) {
	s := &Sums{Dir: r.Labs(), Files: map[string]Shipped{}}
	data, err := os.ReadFile(filepath.Join(r.Labs(), SumsFile))
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 || (f[1] != string(Skeleton) && f[1] != string(Book)) || len(f[2]) != 40 {
			return nil, fmt.Errorf("labs/%s:%d: want \"path skeleton|book blob-id\", got %q", SumsFile, n, line)
		}
		s.Files[f[0]] = Shipped{Path: f[0], Role: Role(f[1]), ID: f[2]}
	}
	return s, sc.Err()
}

// WriteSums rewrites labs/book.sum from the labs module as it is now.
func WriteSums(r repo.Root, all []*Lab) error {
	files, err := bookFiles(r, all)
	if err != nil {
		return err
	}
	return writeSums(r, files)
}

// AddSums writes the lines of lab l into labs/book.sum, from its files as
// they are now, and leaves every other line as it was: how a new lab joins
// the book without re-summing the others (which may hold a student's work).
func AddSums(r repo.Root, l *Lab) error {
	old, err := ReadSums(r)
	if err != nil {
		return err
	}
	files, err := bookFiles(r, []*Lab{l})
	if err != nil {
		return err
	}
	var keep []Shipped
	for _, f := range files {
		if strings.HasPrefix(f.Path, l.Name+"/") {
			keep = append(keep, f)
		}
	}
	for _, f := range old.Files {
		if !strings.HasPrefix(f.Path, l.Name+"/") {
			keep = append(keep, f)
		}
	}
	// The order WriteSums's walk gives: by path, one directory at a time.
	slices.SortFunc(keep, func(a, b Shipped) int {
		return slices.Compare(strings.Split(a.Path, "/"), strings.Split(b.Path, "/"))
	})
	return writeSums(r, keep)
}

// writeSums writes files to labs/book.sum, computing the id of each that
// has none from its bytes in the tree.
func writeSums(r repo.Root, files []Shipped) error {
	var b strings.Builder
	b.WriteString("# The labs module's files as the book ships them: path, role, git blob id.\n")
	b.WriteString("# netbook shows a lab whose skeleton files match as \"not started\" and checks a lab\n")
	b.WriteString("# with the book's own copy of any other file that differs.\n")
	b.WriteString("# After changing a lab or a shared package, run: go run ./cmd/netbook verify --update-sums\n")
	for _, f := range files {
		if f.ID == "" {
			data, err := os.ReadFile(filepath.Join(r.Labs(), filepath.FromSlash(f.Path)))
			if err != nil {
				return err
			}
			f.ID = BlobID(data)
		}
		fmt.Fprintf(&b, "%s %s %s\n", f.Path, f.Role, f.ID)
	}
	return os.WriteFile(filepath.Join(r.Labs(), SumsFile), []byte(b.String()), 0o644)
}

// bookFiles lists the files of the labs module that the book ships, with
// their roles: every file but the briefs, the hints, the sums file itself
// and hidden files.
func bookFiles(r repo.Root, all []*Lab) ([]Shipped, error) {
	skeleton := map[string]bool{}
	for _, l := range all {
		for _, f := range l.Files {
			skeleton[l.Name+"/"+f] = true
		}
	}
	var out []Shipped
	err := filepath.WalkDir(r.Labs(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(r.Labs(), p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") && rel != "." {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !IsBookFile(rel) {
			return nil
		}
		role := Book
		if skeleton[rel] {
			role = Skeleton
		}
		out = append(out, Shipped{Path: rel, Role: role})
		return nil
	})
	return out, err
}

// IsBookFile reports whether a file of the labs module (its slash path
// relative to labs/) is one the book fingerprints: anything that can change
// a test's outcome, which leaves out the book's text around a lab: the
// Markdown briefs, the hints (hints.yaml and its translations, such as
// hints.zh.yaml), the translated task titles (tasks.zh.yaml) and the sums
// file.
func IsBookFile(rel string) bool {
	base := path.Base(rel)
	text := strings.HasSuffix(base, ".md") ||
		(strings.HasSuffix(base, ".yaml") && (strings.HasPrefix(base, "hints") || strings.HasPrefix(base, "tasks")))
	return rel != SumsFile && !text
}

// ForLab returns the shipped files that decide lab l's test results: its
// own folder's and the labs module's shared ones (every file outside a lab
// folder), sorted by path.
func (s *Sums) ForLab(l *Lab) []Shipped {
	var out []Shipped
	for _, f := range s.Files {
		top, _, nested := strings.Cut(f.Path, "/")
		if top == l.Name || !nested || !labName.MatchString(top) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b Shipped) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Has reports whether the sums file knows lab l.
func (s *Sums) Has(l *Lab) bool {
	for _, f := range s.Files {
		if f.Role == Skeleton && strings.HasPrefix(f.Path, l.Name+"/") {
			return true
		}
	}
	return false
}

// Pristine reports whether the student's files of lab l are still the
// skeleton as shipped.
func (s *Sums) Pristine(l *Lab) bool {
	if !s.Has(l) {
		return false
	}
	for _, f := range s.ForLab(l) {
		if f.Role == Skeleton && !s.Matches(f) {
			return false
		}
	}
	return true
}

// Matches reports whether the work tree's copy of f is the shipped one. A
// copy whose only difference is CRLF line endings (git on Windows) matches.
func (s *Sums) Matches(f Shipped) bool {
	data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(f.Path)))
	if err != nil {
		return false
	}
	if BlobID(data) == f.ID {
		return true
	}
	lf := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return len(lf) != len(data) && BlobID(lf) == f.ID
}

// Changed returns lab l's shipped files whose copy in the work tree differs
// or is missing, with the given role ("" for both).
func (s *Sums) Changed(l *Lab, role Role) []Shipped {
	var out []Shipped
	for _, f := range s.ForLab(l) {
		if (role == "" || f.Role == role) && !s.Matches(f) {
			out = append(out, f)
		}
	}
	return out
}

// Unknown returns the files of lab l's folder that the sums file does not
// list (a student's own files, or a new file of the book's not yet summed),
// as paths relative to labs/.
func (s *Sums) Unknown(l *Lab) ([]string, error) {
	var out []string
	err := filepath.WalkDir(l.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != l.Dir {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(filepath.Dir(l.Dir), p)
		rel = filepath.ToSlash(rel)
		if _, ok := s.Files[rel]; !ok && IsBookFile(rel) && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// BlobID is git's object id of a file with this content (SHA-1 of the blob
// header and the bytes), so that `git cat-file blob ID` reads it back.
func BlobID(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// Fingerprints returns the git blob id of each of the student's files of
// lab l, by its name in the lab; a missing file is left out. Two copies of
// the book hold the same work in a lab when its fingerprints are equal.
func (l *Lab) Fingerprints() (map[string]string, error) {
	out := map[string]string{}
	for _, name := range l.Files {
		data, err := os.ReadFile(filepath.Join(l.Dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[name] = BlobID(data)
	}
	return out, nil
}
