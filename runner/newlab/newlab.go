// Package newlab scaffolds a new lab that netbook verify proves at once:
// the brief with its front matter and one task, hints for it, a skeleton
// whose one function has a TODO and returns an error naming the task, the
// task's test with a message for the student, the reference solution and
// its notes (NOTES.md, which netbook compare shows), one wrong solution
// that the task catches, a chapter stub that links to the lab and back,
// the lab's lines in labs/book.sum, and its task in the book's GitHub
// Classroom workflow (docs/classroom/classroom.yml, which is generated), so
// that go test ./... stays green. A Chinese edition is optional: a chapter
// or lab without one is read in English. Besides those two generated
// files, it never overwrites a file.
package newlab

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/netbook/netbook/runner/classroom"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/style"
)

//go:embed template/*.tmpl
var templates embed.FS

// WrongName is the name of the scaffold's wrong solution.
const WrongName = "line-without-newline"

// Options say what to call the lab.
type Options struct {
	Title   string // the lab's and the chapter's title; from the slug when ""
	Chapter string // the chapter's NN-slug; the lab's name when ""
	Package string // the lab's package; the slug without its dashes when ""
}

// Lab is a scaffolded lab.
type Lab struct {
	Name          string // "11-example"
	Number        string // "11"
	Title         string
	Chapter       string // "11-example"
	ChapterNumber int
	Package       string
	Files         []string // what Create wrote, relative to the root, in order
	// Workflow is the book's GitHub Classroom workflow (classroom.BookFile)
	// when Create rewrote it with the new lab's tasks; "" when the tree has
	// none, or when WorkflowErr says why it could not.
	Workflow    string
	WorkflowErr error
}

var (
	labName     = regexp.MustCompile(`^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$`)
	chapterName = regexp.MustCompile(`^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*$`)
)

// Plan checks name and o against the work tree and says what Create would
// write, without writing anything.
func Plan(r repo.Root, name string, o Options) (*Lab, error) {
	m := labName.FindStringSubmatch(name)
	if m == nil {
		return nil, fmt.Errorf("%q is not a lab's name: two digits, a dash and a slug of lower-case words, such as %s", name, Example(r))
	}
	l := &Lab{Name: name, Number: m[1], Title: o.Title, Chapter: o.Chapter, Package: o.Package}
	slug := m[2]
	if l.Title == "" {
		words := strings.Split(slug, "-")
		words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
		l.Title = strings.Join(words, " ")
	}
	if strings.ContainsAny(l.Title, "\n\"") {
		return nil, errors.New("a title is one line without double quotes")
	}
	if l.Chapter == "" {
		l.Chapter = name
	}
	if !chapterName.MatchString(l.Chapter) {
		return nil, fmt.Errorf("%q is not a chapter's name: NN-slug, such as %s", l.Chapter, Example(r))
	}
	l.ChapterNumber, _ = strconv.Atoi(l.Chapter[:2])
	if l.Package == "" {
		l.Package = strings.ReplaceAll(slug, "-", "")
		if l.Package[0] >= '0' && l.Package[0] <= '9' {
			l.Package = "lab" + l.Package
		}
		if why := badPackage(l.Package); why != "" {
			return nil, fmt.Errorf("%q (from the lab's name) cannot be the lab's package name: %s; give one with --package (lower-case letters and digits)", l.Package, why)
		}
	} else if why := badPackage(l.Package); why != "" {
		return nil, fmt.Errorf("--package %q cannot be the lab's package name: %s; choose another (lower-case letters and digits)", l.Package, why)
	}
	if err := free(r, l); err != nil {
		return nil, err
	}
	l.Files = []string{
		"labs/" + name + "/README.md",
		"labs/" + name + "/" + labs.HintsFile,
		"labs/" + name + "/" + l.Package + ".go",
		"labs/" + name + "/" + l.Package + "_test.go",
		"solutions/" + name + "/" + l.Package + ".go",
		"solutions/" + name + "/wrong/" + WrongName + "/" + l.Package + ".go",
		"solutions/" + name + "/wrong/" + WrongName + "/" + labs.WrongFile,
		"solutions/" + name + "/NOTES.md",
		"chapters/" + l.Chapter + ".md",
	}
	for _, f := range l.Files {
		if _, err := os.Stat(filepath.Join(r.Dir, filepath.FromSlash(f))); err == nil {
			return nil, fmt.Errorf("%s exists: new-lab never overwrites a file", f)
		}
	}
	return l, nil
}

// badPackage says what is wrong with name as a lab's package name, or ""
// when nothing is.
func badPackage(name string) string {
	switch {
	case token.IsKeyword(name):
		return "it is a Go keyword"
	case !token.IsIdentifier(name):
		return "it is not a Go identifier"
	case name != strings.ToLower(name):
		return "it has upper-case letters"
	}
	return ""
}

// Next is the number that follows every lab, solution and chapter in the
// work tree ("12" after lab 11), or "" when none does (99 is taken).
func Next(r repo.Root) string {
	last := -1
	for _, dir := range []string{r.Labs(), r.Solution(""), r.Chapters()} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if n := e.Name(); len(n) > 3 && n[2] == '-' {
				if v, err := strconv.Atoi(n[:2]); err == nil && v > last {
					last = v
				}
			}
		}
	}
	if last >= 99 {
		return ""
	}
	return fmt.Sprintf("%02d", last+1)
}

// Example is a name for a new lab in the work tree, for messages: the next
// number and a slug, such as 12-udp-broadcast.
func Example(r repo.Root) string {
	n := Next(r)
	if n == "" {
		n = "NN"
	}
	return n + "-udp-broadcast"
}

// free refuses a lab or chapter number the book already uses: two labs
// with one number would make "netbook check 11" ambiguous.
func free(r repo.Root, l *Lab) error {
	for _, dir := range []struct{ path, what, name string }{
		{r.Labs(), "lab", l.Name},
		{r.Solution(""), "solution", l.Name},
		{r.Chapters(), "chapter", l.Chapter},
	} {
		entries, err := os.ReadDir(dir.path)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		for _, e := range entries {
			n := strings.TrimSuffix(e.Name(), ".md")
			if len(n) > 3 && n[:2] == dir.name[:2] && n[2] == '-' {
				next := ""
				if n := Next(r); n != "" {
					next = ", such as " + n
				}
				return fmt.Errorf("%s %s exists (%s): give the new one another number%s", dir.what, n[:2], e.Name(), next)
			}
		}
	}
	return nil
}

// Create writes the lab that Plan planned, then its lines in
// labs/book.sum. It writes no file that exists; when it fails part way,
// it removes what it wrote.
func Create(r repo.Root, l *Lab) error {
	sources := []string{"README.md", "hints.yaml", "skeleton.go", "test.go", "solution.go", "wrong.go", "WHY", "NOTES.md", "chapter.md"}
	var written []string
	undo := func(err error) error {
		for i := len(written) - 1; i >= 0; i-- {
			os.Remove(written[i])
		}
		for _, d := range []string{filepath.Join(r.Solution(l.Name), "wrong", WrongName), filepath.Join(r.Solution(l.Name), "wrong"), r.Solution(l.Name), r.Lab(l.Name)} {
			os.Remove(d) // only if empty
		}
		return err
	}
	for i, f := range l.Files {
		data, err := render(sources[i]+".tmpl", l)
		if err != nil {
			return undo(err)
		}
		path := filepath.Join(r.Dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return undo(err)
		}
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return undo(fmt.Errorf("%s: %w (new-lab never overwrites a file)", f, err))
		}
		written = append(written, path)
		_, err = out.Write(data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return undo(err)
		}
	}
	lab, err := labs.Load(r, l.Name)
	if err != nil {
		return undo(err)
	}
	if err := labs.AddSums(r, lab); err != nil {
		return err
	}
	l.Workflow, l.WorkflowErr = rewriteWorkflow(r)
	return nil
}

// rewriteWorkflow rewrites the book's workflow for every lab, now with the
// new one, when the tree has it (docs/instructors.md offers it, and go
// test ./runner/classroom fails when it misses a lab). It returns the
// file's name when it did. A workflow edited by hand since netbook
// classroom wrote it (its checksum no longer matches) is left as it is,
// with an error that says so: new-lab does not throw an instructor's
// edits away.
// errEditedWorkflow is why new-lab leaves a workflow edited by hand as it
// is.
var errEditedWorkflow = errors.New("it was edited by hand since netbook classroom wrote it, and new-lab keeps your edits")

func rewriteWorkflow(r repo.Root) (string, error) {
	path := filepath.Join(r.Dir, filepath.FromSlash(classroom.BookFile))
	old, err := os.ReadFile(path)
	if err != nil {
		return "", nil
	}
	if classroom.Of(old) == classroom.Edited {
		return "", errEditedWorkflow
	}
	all, err := labs.LoadAll(r)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, classroom.Book(all), 0o644); err != nil {
		return "", err
	}
	return classroom.BookFile, nil
}

func render(name string, l *Lab) ([]byte, error) {
	t, err := template.New(name).Funcs(template.FuncMap{"yaml": yamlString}).ParseFS(templates, "template/"+name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, l); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// yamlString writes s as a YAML scalar that reads back as s: as it is, as
// the book's front matter writes titles, unless YAML would read it as
// something else ("UDP: broadcast" is a map, "#1" a comment, "- x" a
// list, "yes" is a string but "1.0" a number), then double-quoted.
func yamlString(s string) string {
	var back struct{ V any }
	if yaml.Unmarshal([]byte("v: "+s), &back) == nil {
		if got, ok := back.V.(string); ok && got == s {
			return s
		}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b) // a JSON string is a YAML double-quoted one
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// WriteCreated says what Create wrote and what to do next; netbook is how
// to invoke netbook, chapters how many chapters the book had before.
func (l *Lab) WriteCreated(w io.Writer, netbook string, chapters int) {
	fmt.Fprintf(w, "Created lab %s:\n", l.Name)
	for _, f := range l.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
	switch {
	case l.Workflow != "":
		fmt.Fprintf(w, "and its lines in labs/book.sum, and its task in %s.\n", l.Workflow)
	case errors.Is(l.WorkflowErr, errEditedWorkflow):
		fmt.Fprintf(w, "and its lines in labs/book.sum.\n")
		fmt.Fprintf(w, "%s is as it was: %v.\nAdd the new lab's task to it by hand, or write it again (%s classroom --out %s --force) and copy your edits over.\n",
			classroom.BookFile, l.WorkflowErr, netbook, classroom.BookFile)
	case l.WorkflowErr != nil:
		fmt.Fprintf(w, "and its lines in labs/book.sum.\n")
		fmt.Fprintf(w, "%s is as it was: %v\n(once every lab loads: %s classroom --out %s)\n", classroom.BookFile, l.WorkflowErr, netbook, classroom.BookFile)
	default:
		fmt.Fprintf(w, "and its lines in labs/book.sum.\n")
	}
	fmt.Fprintf(w, "\n%s", l.NextSteps(netbook, chapters))
}

// NextSteps is what to do after Create, as commands to copy; netbook is
// how to invoke netbook. Its prose fits a terminal 80 columns wide; each
// command stands whole on a line of its own.
func (l *Lab) NextSteps(netbook string, chapters int) string {
	const width = 79 // a line as wide as the terminal wraps on some
	var b strings.Builder
	step := func(n int, text string, commands ...string) {
		const indent = "     "
		fmt.Fprintf(&b, "  %d. %s\n", n, strings.TrimPrefix(style.Wrap(indent+text, width), indent))
		for _, c := range commands {
			fmt.Fprintf(&b, "%s  %s\n", indent, c)
		}
	}
	fmt.Fprintf(&b, "Next:\n")
	step(1, "Prove the scaffold:", netbook+" verify "+l.Number)
	step(2, fmt.Sprintf("Write the chapter, chapters/%s.md, and the brief, labs/%s/README.md.", l.Chapter, l.Name))
	step(3, fmt.Sprintf("Replace task 1 with the lab's own, and add more: a TestTaskN per step in "+
		"labs/%s/%s_test.go (its doc comment is the title), the code in solutions/%s/, a TODO in the skeleton, "+
		"hints in labs/%s/%s, wrong solutions in solutions/%s/wrong/, notes on the reference in "+
		"solutions/%s/NOTES.md (CONTRIBUTING.md, \"Writing a lab\"). A server lab (serve: in its brief) "+
		"also needs a workload in runner/bench/suites.go.",
		l.Name, l.Package, l.Name, l.Name, labs.HintsFile, l.Name, l.Name))
	step(4, "Record the lab's files (every lab's, proving only this one), and prove it again:",
		netbook+" verify "+l.Number+" --update-sums", netbook+" verify "+l.Number+" --race --count 20")
	step(5, "After adding, removing or retitling a task, rewrite the Classroom workflow:",
		netbook+" classroom --out "+classroom.BookFile)
	step(6, "Link the chapter from README.md's table of chapters.")
	step(7, fmt.Sprintf("Optional: a Chinese edition, chapters/zh/%s.md (its own title and summary; the English "+
		"chapter's lab, mirrors, heading levels and code blocks), "+
		"labs/%s/README.zh.md, hints.zh.yaml and tasks.zh.yaml (CONTRIBUTING.md, \"Languages\"); "+
		"without it, it is read in English.", l.Chapter, l.Name))
	step(8, "Prove the book:", "go test ./...")
	if l.ChapterNumber != chapters {
		fmt.Fprintf(&b, "\n%s\n", style.Wrap(fmt.Sprintf("Note: the book has chapters 00 to %02d, and chapters are numbered with no gaps: "+
			"go test ./chapters fails until chapter %02d's number follows on.", chapters-1, l.ChapterNumber), width))
	}
	return b.String()
}
