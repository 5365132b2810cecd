package verify

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/netbook/netbook/runner/frontmatter"
	"github.com/netbook/netbook/runner/hidden"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/style"
)

// checkAuthoring is the author's checks of a lab beyond its proofs, each
// problem as "file:line: what is wrong": every skeleton function the
// student must write says what to write, the hints file gives every task
// of the book one to three levels and no key that is not a task (see
// labs.Hints.Check), the translations read (checkTranslations), the brief
// lists as many tasks as the tests have, and points are given to tasks
// that exist, as whole numbers above 0. The
// files are read through overlay, as the go command sees them; h are the
// lab's hidden tests, or nil.
func checkAuthoring(r repo.Root, l *labs.Lab, overlay map[string]string, h *hidden.Tests, rep *Report) {
	for _, p := range checkStubs(r, l, overlay) {
		rep.problem("%s", p)
	}
	// The hints are for the book's tasks: a hidden test needs none.
	book := *l
	book.Tasks = slices.DeleteFunc(slices.Clone(l.Tasks), h.Hidden)
	for _, p := range l.Hints.Check(&book) {
		rep.problem("%s", p)
	}
	for _, p := range checkTranslations(r, &book) {
		rep.problem("%s", p)
	}
	readme := filepath.Join(l.Dir, "README.md")
	src, err := os.ReadFile(readme)
	if err != nil {
		return // Load read it; it has just gone
	}
	where := rel(r.Dir, readme)
	own := 0
	for _, t := range l.Tasks {
		if !h.Hidden(t) {
			own++
		}
	}
	if n, line, ok := briefTasks(src); ok && n != own {
		rep.problem("%s:%d: the brief lists %d %s under its Tasks heading and the tests have %d: list one per TestTaskN, in order", where, line, n, style.Plural(n, "task", "tasks"), own)
	}
	points, lines := briefPoints(src)
	checkPoints(where, l, points, lines, func(t labs.Task) bool { return !h.Hidden(t) }, own, rep)
	// The hidden tasks' numbers and points.yaml, in the words grade
	// refuses a lab with.
	for _, p := range h.Problems(l) {
		rep.problem("%s", p)
	}
}

// checkTranslations returns what is wrong with the lab's translations,
// where it has them, each problem as "file:line: what is wrong". A student
// who reads in another language gets the English of whatever does not
// read, without a word, so only verify can tell the author: a brief
// (README.LANG.md) needs its front matter and links that resolve, a hints
// file (hints.LANG.yaml) the levels of hints.yaml for each task it names,
// and a task titles file (tasks.LANG.yaml) a title for tasks the lab has.
// A task either file leaves out is shown in English.
func checkTranslations(r repo.Root, l *labs.Lab) []string {
	var problems []string
	isTask := func(n int) bool { return slices.ContainsFunc(l.Tasks, func(t labs.Task) bool { return t.Number == n }) }
	for _, lg := range lang.All {
		if lg.IsEnglish() {
			continue
		}
		brief := filepath.Join(l.Dir, "README."+lg.String()+".md")
		if src, err := os.ReadFile(brief); err == nil {
			var m labs.Meta
			body, _, err := frontmatter.Decode(rel(r.Dir, brief), src, &m)
			if err != nil {
				problems = append(problems, err.Error()+" (the brief is shown in English)")
			}
			for _, m := range mdLink.FindAllStringSubmatch(string(body), -1) {
				dest, _, _ := strings.Cut(m[1], "#")
				if strings.Contains(dest, "://") || dest == "" || strings.HasPrefix(dest, "mailto:") {
					continue
				}
				if _, err := os.Stat(filepath.Join(l.Dir, filepath.FromSlash(dest))); err != nil {
					problems = append(problems, fmt.Sprintf("%s links to %s, which does not exist", rel(r.Dir, brief), m[1]))
				}
			}
		}

		hints := filepath.Join(l.Dir, "hints."+lg.String()+".yaml")
		if src, err := os.ReadFile(hints); err == nil {
			where := rel(r.Dir, hints)
			tasks, lines, err := labs.ParseHints(where, src)
			if err != nil {
				problems = append(problems, err.Error()+" (the hints are shown in English)")
			}
			for _, n := range slices.Sorted(maps.Keys(tasks)) {
				var english []string
				if l.Hints != nil {
					english = l.Hints.Tasks[n]
				}
				switch {
				case !isTask(n):
					problems = append(problems, fmt.Sprintf("%s:%d: lab %s has no task %d", where, lines[n], l.Name, n))
				case len(tasks[n]) != len(english):
					problems = append(problems, fmt.Sprintf("%s:%d: task %d has %d %s and %s gives it %d: translate each level, no more", where, lines[n], n, len(tasks[n]), style.Plural(len(tasks[n]), "level", "levels"), labs.HintsFile, len(english)))
				case slices.ContainsFunc(tasks[n], func(s string) bool { return strings.TrimSpace(s) == "" }):
					problems = append(problems, fmt.Sprintf("%s:%d: task %d has an empty level", where, lines[n], n))
				}
			}
		}

		titles := filepath.Join(l.Dir, "tasks."+lg.String()+".yaml")
		if src, err := os.ReadFile(titles); err == nil {
			where := rel(r.Dir, titles)
			var doc yaml.Node
			err := yaml.Unmarshal(src, &doc)
			switch {
			case err != nil:
				problems = append(problems, fmt.Sprintf("%s: %v (the tasks' titles are shown in English)", where, strings.TrimPrefix(err.Error(), "yaml: ")))
			case len(doc.Content) == 0:
			case doc.Content[0].Kind != yaml.MappingNode:
				problems = append(problems, fmt.Sprintf("%s:%d: the titles are a map from task numbers to titles (the tasks' titles are shown in English)", where, doc.Content[0].Line))
			default:
				m := doc.Content[0]
				for i := 0; i+1 < len(m.Content); i += 2 {
					k, v := m.Content[i], m.Content[i+1]
					n, err := strconv.Atoi(k.Value)
					switch {
					case err != nil || !isTask(n):
						problems = append(problems, fmt.Sprintf("%s:%d: lab %s has no task %s", where, k.Line, l.Name, k.Value))
					case v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "":
						problems = append(problems, fmt.Sprintf("%s:%d: task %d's title is empty", where, k.Line, n))
					}
				}
			}
		}
	}
	return problems
}

// checkPoints checks that each task given points is one of the tasks
// mine accepts (the lab's own, 1 to own), with points above 0.
func checkPoints(where string, l *labs.Lab, points, lines map[int]int, mine func(labs.Task) bool, own int, rep *Report) {
	for _, n := range sortedKeys(points) {
		i := slices.IndexFunc(l.Tasks, func(t labs.Task) bool { return t.Number == n })
		switch {
		case i < 0 || !mine(l.Tasks[i]):
			rep.problem("%s:%d: points for task %d, which is not one of the lab's own tasks (1 to %d)", where, lines[n], n, own)
		case points[n] < 1:
			rep.problem("%s:%d: task %d is worth %d points; give it 1 or more (a task not listed is worth 1)", where, lines[n], n, points[n])
		}
	}
}

func sortedKeys(m map[int]int) []int {
	var keys []int
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// briefPoints reads the points: map of a brief's front matter, with the
// line of each entry in the file. Load has already refused a brief whose
// points are not whole numbers.
func briefPoints(src []byte) (points, lines map[int]int) {
	front, _, _, err := frontmatter.Split(src)
	if err != nil || front == nil {
		return nil, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(front, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "points" || m.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		points, lines = map[int]int{}, map[int]int{}
		v := m.Content[i+1]
		for j := 0; j+1 < len(v.Content); j += 2 {
			k, p := v.Content[j], v.Content[j+1]
			n, err1 := strconv.Atoi(k.Value)
			worth, err2 := strconv.Atoi(p.Value)
			if err1 != nil || err2 != nil {
				continue
			}
			// The front matter's first line is the file's second.
			points[n], lines[n] = worth, k.Line+1
		}
		return points, lines
	}
	return nil, nil
}

var (
	tasksHeading = regexp.MustCompile(`^(#{2,3})\s+Tasks\s*$`)
	anyHeading   = regexp.MustCompile(`^#{1,6}\s`)
	listItem     = regexp.MustCompile(`^\d+[.)]\s`)
)

// briefTasks counts the numbered items of the brief's "## Tasks" section
// (items that start a line; their continuation lines are indented). ok is
// false when the brief has no such section; line is the heading's.
func briefTasks(src []byte) (n, line int, ok bool) {
	sc := bufio.NewScanner(bytes.NewReader(src))
	fence := false
	for i := 1; sc.Scan(); i++ {
		l := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			continue
		}
		switch {
		case fence:
		case tasksHeading.MatchString(l):
			n, line, ok = 0, i, true
		case ok && line > 0 && anyHeading.MatchString(l):
			return n, line, ok
		case ok && listItem.MatchString(l):
			n++
		}
	}
	return n, line, ok
}

// naming is a string that names a task: "task 3", "(task 3)".
var naming = regexp.MustCompile(`(?i)\btasks? \d`)

// checkStubs finds the skeleton functions a student must write (those
// whose body differs from the reference solution's) that say nothing of
// what to write: no TODO in the function or its comment, no string that
// names a task.
func checkStubs(r repo.Root, l *labs.Lab, overlay map[string]string) []string {
	var problems []string
	for _, name := range l.Files {
		path := filepath.Join(l.Dir, name)
		read := path
		if to, ok := overlay[path]; ok && to != "" {
			read = to
		}
		skel, fset, err := parseFile(read)
		if err != nil {
			continue // the build reports it
		}
		sol, solSet, err := parseFile(filepath.Join(l.SolutionDir, name))
		if err != nil {
			continue // the solution's own problems are reported elsewhere
		}
		solved := map[string]string{}
		for _, fn := range funcs(sol) {
			solved[funcKey(fn)] = body(solSet, fn)
		}
		for _, fn := range funcs(skel) {
			theirs, ok := solved[funcKey(fn)]
			if !ok || theirs == body(fset, fn) {
				continue // given code, or a function the solution does without
			}
			if says(skel, fn) {
				continue
			}
			problems = append(problems, fmt.Sprintf("%s:%d: %s is the student's to write but does not say what to write: add a // TODO: in it that says what and with which tools, or return an error that names the task (errors.New(\"TODO: implement %s (task N)\"))",
				rel(r.Dir, path), fset.Position(fn.Pos()).Line, fn.Name.Name, fn.Name.Name))
		}
	}
	return problems
}

func parseFile(path string) (*ast.File, *token.FileSet, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
	return f, fset, err
}

func funcs(f *ast.File) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
			out = append(out, fn)
		}
	}
	return out
}

// funcKey names a function with its receiver's type: "Shop.buy", "Serve".
func funcKey(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// body prints a function's body without its comments, so that two copies
// compare as code.
func body(fset *token.FileSet, fn *ast.FuncDecl) string {
	var b bytes.Buffer
	printer.Fprint(&b, fset, fn.Body)
	return b.String()
}

// says reports whether a skeleton function tells the student what to do:
// a TODO in its doc comment or its body, or a string naming a task.
func says(f *ast.File, fn *ast.FuncDecl) bool {
	if fn.Doc != nil && strings.Contains(fn.Doc.Text(), "TODO") {
		return true
	}
	for _, c := range f.Comments {
		if c.Pos() > fn.Body.Lbrace && c.End() < fn.Body.Rbrace && strings.Contains(c.Text(), "TODO") {
			return true
		}
	}
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && (strings.Contains(lit.Value, "TODO") || naming.MatchString(lit.Value)) {
			found = true
		}
		return !found
	})
	return found
}
