// Package classroom writes the GitHub Actions workflow that grades an
// assignment on GitHub Classroom: one grading step per task of the chosen
// labs, each worth the task's points, with GitHub Classroom's autograding
// actions.
//
// Each grading step is classroom-resources/autograding-command-grader@v1
// running "netbook check NN --task N", which runs that one task's test with
// the book's own tests (the trust layer of package check: an edited test
// is replaced by the book's copy from git, which is why the checkout
// fetches the whole history) and exits 0 only when the task passes. A
// reporter step, classroom-resources/autograding-grading-reporter@v1, sums
// the steps' results for GitHub Classroom. Before them, actions/setup-go
// installs the Go that go.mod names and one step builds netbook, so that
// the grading steps start at once. A task that one of the lab's wrong
// solutions marks race: true (labs.Lab.RaceTasks) runs with --race: only
// the race detector sees that mistake.
//
// The command grader runs its command with only PATH and HOME from the
// job's environment, from the repository's root: the netbook binary is
// built into .netbook/bin/, inside the work tree, where git ignores it.
package classroom

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/netbook/netbook/runner/labs"
)

// Path is where GitHub looks for the workflow, relative to the root.
const Path = ".github/workflows/classroom.yml"

// BookFile is the workflow for every lab of the book, relative to the root:
// the one docs/instructors.md offers, ready to copy. netbook new-lab
// rewrites it with the new lab's tasks, and go test ./runner/classroom
// says when it is out of date.
const BookFile = "docs/classroom/classroom.yml"

// Binary is where the workflow builds netbook, relative to the root.
const Binary = ".netbook/bin/netbook"

// BuildCommand is the workflow's step that builds netbook.
const BuildCommand = "go build -o " + Binary + " ./cmd/netbook"

// MaxTimeout is the longest time limit of a grading step, in minutes:
// GitHub Classroom's graders take no more than 60.
const MaxTimeout = 60

// Step is one grading step: one task.
type Step struct {
	ID      string // the step's id: "lab03-task2"
	Name    string // "03-hello-server task 2: ..."
	Command string // what it runs, from the repository's root
	Timeout int    // minutes
	Points  int
}

// Options tune the workflow.
type Options struct {
	// Timeout is each grading step's limit in minutes; 5 when 0. The first
	// step of a lab also builds its tests.
	Timeout int
	// Args are the netbook classroom arguments that made it, for the
	// comment at its top.
	Args []string
}

// NeedSolutions returns an error naming the first of ls whose solutions
// folder is not there: the wrong solutions in it are what says which
// tasks run with --race (labs.Lab.RaceTasks), so without them the
// workflow would grade those tasks without the race detector, and pass
// the very mistakes they exist to catch. A template repository for an
// assignment leaves solutions/ out (docs/instructors.md); the workflow is
// written in the instructor's own clone, which keeps it.
func NeedSolutions(ls []*labs.Lab) error {
	for _, l := range ls {
		if _, err := os.Stat(l.SolutionDir); err != nil {
			rel := filepath.ToSlash(filepath.Join("solutions", l.Name))
			return fmt.Errorf("lab %s has no %s/: the workflow runs with --race each task that a wrong solution there marks race: true, "+
				"and without them it cannot tell which; write the workflow in a clone of the book that has solutions/ "+
				"(your own, before you remove them from the template: docs/instructors.md)", l.Name, rel)
		}
	}
	return nil
}

// Steps returns the grading steps of the labs' tasks, in order.
func Steps(ls []*labs.Lab, o Options) []Step {
	if o.Timeout <= 0 {
		o.Timeout = 5
	}
	var out []Step
	for _, l := range ls {
		race := l.RaceTasks()
		for _, t := range l.Tasks {
			cmd := fmt.Sprintf("%s check %02d --task %d", Binary, l.Number, t.Number)
			if race[t.Number] {
				cmd += " --race"
			}
			out = append(out, Step{
				ID:      fmt.Sprintf("lab%02d-task%d", l.Number, t.Number),
				Name:    fmt.Sprintf("%s task %d: %s", l.Name, t.Number, t.Title),
				Command: cmd,
				Timeout: o.Timeout,
				Points:  l.Worth(t.Number),
			})
		}
	}
	return out
}

// Book returns the contents of BookFile for all, every lab of the book.
func Book(all []*labs.Lab) []byte {
	return Workflow(all, Options{})
}

// Workflow returns the workflow file for the labs.
func Workflow(ls []*labs.Lab, o Options) []byte {
	steps := Steps(ls, o)
	var b strings.Builder
	args := strings.TrimSpace("netbook classroom " + strings.Join(o.Args, " "))
	total := 0
	for _, s := range steps {
		total += s.Points
	}
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	fmt.Fprintf(&b, "# GitHub Classroom autograding for %s: %d tasks, %d points.\n", strings.Join(names, ", "), len(steps), total)
	fmt.Fprintf(&b, "# Generated by %q; run it again after the labs change.\n", args)
	fmt.Fprintf(&b, "# Each step runs one task with the book's own tests and scores its points when it passes.\n")
	b.WriteString(`name: Autograding Tests
"on":
  - push
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
        with:
          # netbook reads the book's own copy of an edited test from git's history.
          fetch-depth: 0
      - name: Set up Go
        uses: actions/setup-go@v5
        with:
          go-version-file: go.mod
      - name: Build netbook
        run: ` + BuildCommand + "\n")
	for _, s := range steps {
		fmt.Fprintf(&b, "      - name: %s\n", quote(s.Name))
		fmt.Fprintf(&b, "        id: %s\n", s.ID)
		fmt.Fprintf(&b, "        uses: classroom-resources/autograding-command-grader@v1\n")
		fmt.Fprintf(&b, "        with:\n")
		fmt.Fprintf(&b, "          test-name: %s\n", quote(s.Name))
		fmt.Fprintf(&b, "          command: %s\n", quote(s.Command))
		fmt.Fprintf(&b, "          timeout: %d\n", s.Timeout)
		fmt.Fprintf(&b, "          max-score: %d\n", s.Points)
	}
	b.WriteString("      - name: Autograding Reporter\n")
	b.WriteString("        uses: classroom-resources/autograding-grading-reporter@v1\n")
	b.WriteString("        env:\n")
	var ids []string
	for _, s := range steps {
		fmt.Fprintf(&b, "          %s_RESULTS: \"${{steps.%s.outputs.result}}\"\n", strings.ToUpper(s.ID), s.ID)
		ids = append(ids, s.ID)
	}
	b.WriteString("        with:\n")
	fmt.Fprintf(&b, "          runners: %s\n", strings.Join(ids, ","))
	return []byte(b.String())
}

// quote writes s as a YAML string (a JSON string is one).
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// WriteWrote says that the workflow for the labs ls was written to path
// (as the instructor names it), with how many steps and points, and what
// to do with it.
func WriteWrote(w io.Writer, path string, ls []*labs.Lab, o Options) {
	steps := Steps(ls, o)
	points := 0
	for _, s := range steps {
		points += s.Points
	}
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.Name
	}
	fmt.Fprintf(w, "wrote %s: %d grading steps, %d points, for %s\n", path, len(steps), points, strings.Join(names, ", "))
	fmt.Fprintf(w, "Commit it to the assignment's template repository; docs/instructors.md says how to set up the assignment.\n")
}
