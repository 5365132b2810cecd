package labs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/netbook/netbook/runner/frontmatter"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
)

// Meta is a lab's README front matter.
type Meta struct {
	Title   string   `yaml:"title"`
	Chapter string   `yaml:"chapter"`
	Files   []string `yaml:"files"`
	// Serve is "tcp" when the lab's package has Serve(ln net.Listener) error
	// and "udp" when it has Serve(conn net.PacketConn) error: the runner can
	// then start it as a real server. Empty for labs that are not servers.
	Serve string `yaml:"serve"`
	// Talk is a command that talks to the lab's server, for a protocol nc
	// cannot speak (lab 11's segments); netbook up shows it with the
	// server's address after it. Empty: nc.
	Talk string `yaml:"talk"`
	// Points are what a task is worth when graded, by task number
	// (points: {3: 2, 7: 3}); a task not listed is worth 1.
	Points map[int]int `yaml:"points"`
}

// Lab is one lab folder.
type Lab struct {
	Meta
	Name        string // the folder name: "01-addresses"
	Number      int
	Dir         string // absolute
	SolutionDir string // absolute; may not exist
	Brief       []byte // README.md after the front matter
	Tasks       []Task
	Hints       *Hints // hints.yaml, per task

	// Lang is the language the lab is read in (In): its Title, Brief,
	// Hints and tasks' titles are in it where they have a translation.
	// English when empty.
	Lang lang.Lang
	// BriefLang is the language Title and Brief are in: Lang, or English
	// when the brief has no translation. English when empty.
	BriefLang lang.Lang
	titles    map[int]string // the tasks' titles in Lang, by number
}

// Task is one TestTaskN test.
type Task struct {
	Number int
	Test   string // the test function's name
	Title  string // the first line of its doc comment
	File   string // the test file, relative to the lab
	Line   int
}

var labName = regexp.MustCompile(`^(\d\d)-[a-z0-9-]+$`)

// LoadAll reads every lab of the work tree, in order.
func LoadAll(r repo.Root) ([]*Lab, error) {
	entries, err := os.ReadDir(r.Labs())
	if err != nil {
		return nil, fmt.Errorf("unable to list labs: %w", err)
	}
	var labs []*Lab
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !labName.MatchString(e.Name()) {
			continue
		}
		l, err := Load(r, e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		labs = append(labs, l)
	}
	return labs, errors.Join(errs...)
}

// Load reads one lab by its folder name.
func Load(r repo.Root, name string) (*Lab, error) {
	m := labName.FindStringSubmatch(name)
	if m == nil {
		return nil, fmt.Errorf("%s: a lab folder is named NN-slug", name)
	}
	l := &Lab{Name: name, Dir: r.Lab(name), SolutionDir: r.Solution(name)}
	l.Number, _ = strconv.Atoi(m[1])
	readme := filepath.Join(l.Dir, "README.md")
	src, err := os.ReadFile(readme)
	if err != nil {
		return nil, fmt.Errorf("lab %s has no brief: %w", name, err)
	}
	l.Brief, _, err = frontmatter.Decode(r.Rel(readme), src, &l.Meta)
	if err != nil {
		return nil, err
	}
	l.Tasks, err = findTasks(l.Dir, nil)
	if err != nil {
		return nil, err
	}
	l.Hints = loadHints(r, l)
	return l, nil
}

// Find returns the lab named by arg: its number ("1" or "01"), its folder
// name, the name without the number, or a path to the folder.
func Find(labs []*Lab, arg string) (*Lab, error) {
	key := filepath.Base(filepath.Clean(strings.TrimSpace(arg)))
	if n, err := strconv.Atoi(key); err == nil {
		for _, l := range labs {
			if l.Number == n {
				return l, nil
			}
		}
	}
	for _, l := range labs {
		if l.Name == key || l.Name[3:] == key {
			return l, nil
		}
	}
	var names []string
	for _, l := range labs {
		names = append(names, l.Name)
	}
	return nil, fmt.Errorf("no lab %q: try one of %s", arg, strings.Join(names, ", "))
}

var taskName = regexp.MustCompile(`^TestTask(\d+)`)

// Through returns a copy of the lab whose tasks are read from its test
// files as the go command sees them through overlay (absolute path to the
// file to read instead, or "" for a file left out): the tasks of the tests
// that will really run.
func (l *Lab) Through(overlay map[string]string) (*Lab, error) {
	if len(overlay) == 0 {
		return l, nil
	}
	tasks, err := findTasks(l.Dir, overlay)
	if err != nil {
		return nil, err
	}
	c := *l
	c.Tasks = retitle(tasks, l.titles)
	return &c, nil
}

// findTasks parses the lab's test files for TestTaskN functions, reading
// each through overlay (which may also add files that are not on disk).
func findTasks(dir string, overlay map[string]string) ([]Task, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	for from := range overlay {
		if filepath.Dir(from) == dir && strings.HasSuffix(from, "_test.go") && !slices.Contains(files, from) {
			files = append(files, from)
		}
	}
	slices.Sort(files)
	fset := token.NewFileSet()
	var tasks []Task
	for _, f := range files {
		var src any
		if to, ok := overlay[f]; ok {
			if to == "" {
				continue
			}
			data, err := os.ReadFile(to)
			if err != nil {
				return nil, fmt.Errorf("unable to read tasks: %w", err)
			}
			src = data
		}
		file, err := parser.ParseFile(fset, f, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("unable to read tasks: %w", err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil {
				continue
			}
			m := taskName.FindStringSubmatch(fn.Name.Name)
			if m == nil {
				continue
			}
			n, _ := strconv.Atoi(m[1])
			pos := fset.Position(fn.Pos())
			t := Task{Number: n, Test: fn.Name.Name, File: filepath.Base(f), Line: pos.Line}
			if fn.Doc != nil {
				t.Title, _, _ = strings.Cut(strings.TrimSpace(fn.Doc.Text()), "\n")
			}
			tasks = append(tasks, t)
		}
	}
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].Number < tasks[j].Number })
	return tasks, nil
}

// Worth is how many points task n is worth: the brief's points: entry, or
// 1.
func (l *Lab) Worth(n int) int {
	if p, ok := l.Points[n]; ok {
		return p
	}
	return 1
}

// TaskFor returns the task a test belongs to, or nil.
func (l *Lab) TaskFor(test string) *Task {
	top, _, _ := strings.Cut(test, "/")
	for i := range l.Tasks {
		if l.Tasks[i].Test == top {
			return &l.Tasks[i]
		}
	}
	return nil
}

// StudentFiles returns the absolute paths of the files the student edits.
func (l *Lab) StudentFiles() []string {
	var out []string
	for _, f := range l.Files {
		out = append(out, filepath.Join(l.Dir, f))
	}
	return out
}

// SolutionFiles maps each lab path to the solution file that replaces it:
// every .go file of the solution folder, by name.
func (l *Lab) SolutionFiles() (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(l.SolutionDir, "*.go"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("lab %s has no reference solution in %s", l.Name, l.SolutionDir)
	}
	m := make(map[string]string, len(files))
	for _, f := range files {
		m[filepath.Join(l.Dir, filepath.Base(f))] = f
	}
	return m, nil
}

// Hash fingerprints what decides the lab's test results: every file in the
// lab folder but the book's text (IsBookFile), and the labs module's shared
// code and go.mod.
// A cached result is good while the hash is the same.
func (l *Lab) Hash() (string, error) {
	h := sha256.New()
	labs := filepath.Dir(l.Dir)
	err := filepath.WalkDir(labs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(labs, path)
		top, _, _ := strings.Cut(rel, string(filepath.Separator))
		if d.IsDir() {
			if path != labs && path != l.Dir && labName.MatchString(top) && top != l.Name {
				return filepath.SkipDir // another lab
			}
			return nil
		}
		if !IsBookFile(filepath.ToSlash(rel)) || (top == rel && !isModFile(rel) && !strings.HasSuffix(rel, ".go")) {
			return nil
		}
		return hashFile(h, rel, path)
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

func isModFile(name string) bool { return name == "go.mod" || name == "go.sum" }

func hashFile(h io.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(h, "%s\x00", filepath.ToSlash(name))
	_, err = io.Copy(h, f)
	fmt.Fprint(h, "\x00")
	return err
}
