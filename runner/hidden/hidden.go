// Package hidden reads an instructor's hidden tests: test files for a lab
// that live outside the book, never in a student's repository, and join
// the lab's own tests through go -overlay when netbook grades a class
// (netbook grade --hidden DIR) or proves them (netbook verify --hidden DIR).
//
// # Layout
//
//	DIR/
//	  03-hello-server/        one folder per lab, named as the lab is
//	    extra_test.go         package hello (the lab's own package, or hello_test)
//	    points.yaml           optional: what each hidden task is worth
//	    testdata/...          optional: data the hidden tests read
//
// Every *_test.go file of a lab's folder is added to the lab's package as
// if it stood beside the book's tests, under its own name (which must not
// be a file the lab has). Its tasks are TestTaskN functions, numbered on
// from the lab's last task (a lab with tasks 1 to 10 gets hidden tasks 11,
// 12...), titled by their doc comment's first line like the book's.
// Other .go files are refused: helpers go in a _test.go file.
// A folder of DIR named as no lab (01-adresses) is refused too, by Check,
// with the lab it is closest to, rather than left out without a word.
//
// points.yaml maps a hidden task's number to its points; a task not listed
// is worth 1:
//
//	# lab 03's hidden tasks
//	11: 2
//	12: 3
//
// The tests run in the lab's folder, as the book's do, so testdata/ there
// is the book's. A hidden test finds its own folder in the environment
// variable NETBOOK_HIDDEN (absolute), set whenever hidden tests run:
// filepath.Join(os.Getenv("NETBOOK_HIDDEN"), "testdata", "big.session").
package hidden

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/netbook/netbook/runner/labs"
)

// PointsFile is the optional file of a lab's hidden folder that says what
// its hidden tasks are worth.
const PointsFile = "points.yaml"

// EnvVar names the environment variable that holds the hidden folder's
// absolute path while its tests run.
const EnvVar = "NETBOOK_HIDDEN"

// Tests are one lab's hidden tests.
type Tests struct {
	Dir string // DIR/NN-slug, absolute
	// Files maps each hidden test file's path in the lab (absolute, not on
	// disk) to the file itself: an overlay.
	Files map[string]string
	// Points are the points of points.yaml, by task number; Lines gives the
	// line of each entry, for messages.
	Points map[int]int
	Lines  map[int]int
}

// Check checks the folder of hidden tests dir (not ""), before any lab's
// are loaded: that it is a folder that can be read, and that each folder
// in it is named as one of the labs in all is (a misspelled folder would
// leave its lab's hidden tests out without a word), and that no test file
// or points.yaml is at its top, where it would be left out too (dir is
// one lab's folder, given for the folder above it). Hidden folders
// (.git) and other files (a README) are left alone.
func Check(dir string, all []*labs.Lab) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("hidden tests: unable to read the folder %s: %w", dir, err)
	}
	names := make([]string, len(all))
	for i, l := range all {
		names[i] = l.Name
	}
	// Test files at the top would be left out: DIR is one lab's folder
	// (--hidden hidden/03-hello-server), or the tests have none.
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && (strings.HasSuffix(name, "_test.go") || name == PointsFile) {
			if lab := filepath.Base(filepath.Clean(dir)); slices.Contains(names, lab) {
				return fmt.Errorf("hidden tests: %s is the folder of lab %s's hidden tests: name the folder that holds it, %s, which has one folder per lab",
					dir, lab, filepath.Dir(filepath.Clean(dir)))
			}
			return fmt.Errorf("hidden tests: %s holds %s at its top, where no lab's tests are read: move it into a folder named as its lab is, %s",
				dir, name, filepath.Join(dir, "NN-slug", name))
		}
	}
	var bad []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") || slices.Contains(names, name) {
			continue
		}
		msg := fmt.Sprintf("%s is named as no lab of the book", filepath.Join(dir, name))
		if near := closest(name, names); near != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", near)
		}
		bad = append(bad, msg)
	}
	if len(bad) > 0 {
		return fmt.Errorf("hidden tests: %s: each folder of %s holds one lab's hidden tests and is named as the lab is (labs/NN-slug)", strings.Join(bad, "; "), dir)
	}
	return nil
}

// closest is the name of names nearest to name: the one of the same lab
// number, else the one fewest edits away, if that is at most a third of
// name's length; "" when none is near.
func closest(name string, names []string) string {
	if num, _, ok := strings.Cut(name, "-"); ok && num != "" {
		for _, n := range names {
			if strings.HasPrefix(n, num+"-") {
				return n
			}
		}
	}
	best, bestD := "", len(name)/3+1
	for _, n := range names {
		if d := distance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Load reads lab l's hidden tests from dir, the folder that holds one
// folder per lab. A lab without a folder there has none: nil, nil; dir
// itself must be a folder that can be read (Check says more about it).
func Load(dir string, l *labs.Lab) (*Tests, error) {
	if dir == "" {
		return nil, nil
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("hidden tests: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("hidden tests: %s is not a folder", dir)
	}
	abs, err := filepath.Abs(filepath.Join(dir, l.Name))
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(abs)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("unable to read hidden tests: %w", err)
	}
	h := &Tests{Dir: abs, Files: map[string]string{}, Points: map[int]int{}, Lines: map[int]int{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		path := filepath.Join(abs, name)
		if !strings.HasSuffix(name, "_test.go") {
			return nil, fmt.Errorf("%s: hidden tests are _test.go files; put helpers in one too", path)
		}
		in := filepath.Join(l.Dir, name)
		if _, err := os.Stat(in); err == nil {
			return nil, fmt.Errorf("%s: lab %s has a file of that name; rename the hidden one", path, l.Name)
		}
		h.Files[in] = path
	}
	if len(h.Files) == 0 {
		return nil, fmt.Errorf("%s: no _test.go files: a lab's hidden folder holds its hidden tests", abs)
	}
	pf := filepath.Join(abs, PointsFile)
	src, err := os.ReadFile(pf)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err == nil {
		if h.Points, h.Lines, err = ParsePoints(pf, src); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// ParsePoints reads a map of task numbers to points, such as points.yaml
// or a brief's points:, with the line of each entry. Its errors say
// "name:line: what is wrong"; whether the points are positive and the
// tasks exist is for the caller to check.
func ParsePoints(name string, src []byte) (points, lines map[int]int, err error) {
	points, lines = map[int]int{}, map[int]int{}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return points, lines, nil // an empty file
		}
		return nil, nil, fmt.Errorf("%s: %v", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return points, lines, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s:%d: points are a map from task numbers to points (11: 2)", name, m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		n, err := strconv.Atoi(k.Value)
		if err != nil || n < 1 {
			return nil, nil, fmt.Errorf("%s:%d: %q is not a task number", name, k.Line, k.Value)
		}
		if _, dup := points[n]; dup {
			return nil, nil, fmt.Errorf("%s:%d: task %d has points twice", name, k.Line, n)
		}
		p, err := strconv.Atoi(v.Value)
		if err != nil || v.Kind != yaml.ScalarNode {
			return nil, nil, fmt.Errorf("%s:%d: task %d's points are a whole number, got %q", name, v.Line, n, v.Value)
		}
		points[n], lines[n] = p, k.Line
	}
	return points, lines, nil
}

// Problems are what is wrong with the hidden tests of lab l, seen through
// their overlay (labs.Lab.Through), each as "file:line: what is wrong": a
// hidden task not numbered on from the lab's last (one that repeats a
// book's task number, or leaves a gap), and points.yaml giving points to a
// task that is not hidden, or fewer than 1. netbook verify reports them
// among its own; grade refuses a lab with any rather than score it on
// tasks and points that are not what the instructor meant. h may be nil.
func (h *Tests) Problems(l *labs.Lab) []string {
	if h == nil {
		return nil
	}
	own := 0
	for _, t := range l.Tasks {
		if !h.Hidden(t) {
			own++
		}
	}
	var out []string
	next := own + 1
	for _, t := range l.Tasks {
		if !h.Hidden(t) {
			continue
		}
		if t.Number != next {
			out = append(out, fmt.Sprintf("%s:%d: %s is out of sequence: lab %s has tasks 1 to %d, so its hidden tasks are numbered %d, %d... with no gaps or repeats",
				filepath.Join(h.Dir, t.File), t.Line, t.Test, l.Name, own, own+1, own+2))
		}
		next++
	}
	pf := filepath.Join(h.Dir, PointsFile)
	for _, n := range slices.Sorted(maps.Keys(h.Points)) {
		i := slices.IndexFunc(l.Tasks, func(t labs.Task) bool { return t.Number == n })
		switch {
		case i < 0 || !h.Hidden(l.Tasks[i]):
			out = append(out, fmt.Sprintf("%s:%d: points for task %d, which is not a hidden task: points.yaml gives points to hidden tasks only", pf, h.Lines[n], n))
		case h.Points[n] < 1:
			out = append(out, fmt.Sprintf("%s:%d: task %d is worth %d points; give it 1 or more (a task not listed is worth 1)", pf, h.Lines[n], n, h.Points[n]))
		}
	}
	return out
}

// Worth is what task n is worth with these hidden tests in: a hidden
// task's points.yaml entry, else the brief's points, else 1. h may be nil.
func (h *Tests) Worth(l *labs.Lab, n int) int {
	if h != nil {
		if p, ok := h.Points[n]; ok {
			return p
		}
	}
	return l.Worth(n)
}

// Overlay returns the hidden files to add to an overlay (nil for none).
func (h *Tests) Overlay() map[string]string {
	if h == nil {
		return nil
	}
	return h.Files
}

// Env is what the environment of the hidden tests' run adds (nil for
// none).
func (h *Tests) Env() []string {
	if h == nil {
		return nil
	}
	return []string{EnvVar + "=" + h.Dir}
}

// Hidden reports whether task (a TestTaskN function's name) is one of the
// hidden tests', given the lab seen through their overlay.
func (h *Tests) Hidden(t labs.Task) bool {
	if h == nil {
		return false
	}
	for in := range h.Files {
		if filepath.Base(in) == t.File {
			return true
		}
	}
	return false
}
