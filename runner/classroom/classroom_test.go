package classroom

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite docs/classroom/classroom.yml from the labs")

type workflow struct {
	Name        string            `yaml:"name"`
	On          []string          `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn string `yaml:"runs-on"`
		If     string `yaml:"if"`
		Steps  []step `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

func parse(t *testing.T, data []byte) []step {
	t.Helper()
	var w workflow
	require.NoError(t, yaml.Unmarshal(data, &w), "the workflow is YAML")
	require.Len(t, w.Jobs, 1)
	assert.Equal(t, []string{"push", "repository_dispatch"}, w.On)
	assert.Equal(t, "write", w.Permissions["checks"])
	for _, j := range w.Jobs {
		assert.Equal(t, "ubuntu-latest", j.RunsOn)
		return j.Steps
	}
	return nil
}

// The workflow has a checkout with history, a Go set up from go.mod, a
// build of netbook, one grading step per task with a timeout and the
// task's points, and a reporter that reads every grading step's result.
func TestWorkflowShape(t *testing.T) {
	r := testkit.Shipped(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	steps := parse(t, Workflow(all, Options{}))
	require.GreaterOrEqual(t, len(steps), 5)
	assert.Equal(t, "actions/checkout@v4", steps[0].Uses)
	assert.Equal(t, "0", steps[0].With["fetch-depth"], "netbook check reads the book's tests from git's history")
	assert.Equal(t, "actions/setup-go@v5", steps[1].Uses)
	assert.Equal(t, "go.mod", steps[1].With["go-version-file"])
	assert.Equal(t, BuildCommand, steps[2].Run)

	graders := steps[3 : len(steps)-1]
	tasks := 0
	for _, l := range all {
		tasks += len(l.Tasks)
	}
	require.Len(t, graders, tasks, "one grading step per task")
	var ids []string
	i := 0
	for _, l := range all {
		for _, task := range l.Tasks {
			g := graders[i]
			i++
			assert.Equal(t, "classroom-resources/autograding-command-grader@v1", g.Uses)
			assert.Equal(t, g.Name, g.With["test-name"])
			assert.Contains(t, g.Name, task.Title)
			assert.Equal(t, "5", g.With["timeout"])
			assert.Equal(t, strconv.Itoa(l.Worth(task.Number)), g.With["max-score"])
			want := Binary + " check " + l.Name[:2] + " --task " + strconv.Itoa(task.Number)
			if l.RaceTasks()[task.Number] {
				want += " --race"
			}
			assert.Equal(t, want, g.With["command"])
			ids = append(ids, g.ID)
		}
	}
	rep := steps[len(steps)-1]
	assert.Equal(t, "classroom-resources/autograding-grading-reporter@v1", rep.Uses)
	assert.Equal(t, strings.Join(ids, ","), rep.With["runners"])
	require.Len(t, rep.Env, len(ids))
	for _, id := range ids {
		assert.Equal(t, "${{steps."+id+".outputs.result}}", rep.Env[strings.ToUpper(id)+"_RESULTS"])
	}
}

// docs/classroom/classroom.yml is the workflow for the whole book as it
// stands: after a lab's tasks change, run go test ./runner/classroom
// -update (or netbook classroom --out docs/classroom/classroom.yml).
func TestShippedWorkflowIsCurrent(t *testing.T) {
	r := testkit.Shipped(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	got := Book(all)
	path := filepath.Join(testkit.Tree(t).Dir, filepath.FromSlash(BookFile))
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "%s is out of date: go test ./runner/classroom -update rewrites it", BookFile)
}

// Each grading step's command, run as the command grader runs it (from the
// root, with only PATH and HOME and the Go caches), fails on the skeleton
// and passes on the reference solution.
func TestStepsGradeSkeletonAndSolution(t *testing.T) {
	if testing.Short() {
		t.Skip("runs netbook check for every task of a lab, twice")
	}
	skeleton := testkit.Pristine(t, testkit.Only("01"))
	solved := testkit.Pristine(t, testkit.Only("01"))
	l := testkit.Lab(t, solved, "01-addresses")
	sol, err := l.SolutionFiles()
	require.NoError(t, err)
	for to, from := range sol {
		data, err := os.ReadFile(from)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(to, data, 0o644))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	tree := testkit.Tree(t)
	for _, dir := range []string{skeleton.Dir, solved.Dir} {
		build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, filepath.FromSlash(Binary)), "./cmd/netbook")
		build.Dir = tree.Dir
		out, err := build.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOTOOLCHAIN", "GOPROXY"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	steps := parse(t, Workflow([]*labs.Lab{l}, Options{}))
	graders := steps[3 : len(steps)-1]
	require.Len(t, graders, len(l.Tasks))
	for _, g := range graders {
		for _, tc := range []struct {
			dir  string
			pass bool
		}{{skeleton.Dir, false}, {solved.Dir, true}} {
			cmd := exec.CommandContext(ctx, "sh", "-c", g.With["command"])
			cmd.Dir, cmd.Env = tc.dir, env
			out, err := cmd.CombinedOutput()
			if tc.pass {
				assert.NoError(t, err, "%s must pass on the solution:\n%s", g.With["command"], out)
			} else {
				assert.Error(t, err, "%s must fail on the skeleton:\n%s", g.With["command"], out)
				var exit *exec.ExitError
				if assert.ErrorAs(t, err, &exit) {
					assert.Equal(t, 1, exit.ExitCode(), "a failing task exits 1, not a usage error:\n%s", out)
				}
			}
		}
	}
}

// The workflow says at its top that netbook classroom wrote it, and
// Generated reads that back; a file of someone else's does not say it.
func TestGenerated(t *testing.T) {
	assert.True(t, Generated(Workflow(nil, Options{Args: []string{"03"}})))
	assert.False(t, Generated([]byte("name: Autograding Tests\non: [push]\n")))
	assert.False(t, Generated([]byte("name: x\n# a\n# b\n# c\n# Generated by \"netbook classroom 03\"\n")), "only at the top")
}

// The workflow's header holds a checksum of the lines below it, so that
// Of tells a workflow netbook classroom wrote and nobody touched from one
// edited by hand since (a step's points changed, a step added), whatever
// the header's own comments say and whichever line ends git checked it
// out with; a workflow of an older netbook, with no checksum, is neither.
func TestOf(t *testing.T) {
	wrote := Workflow(nil, Options{Args: []string{"03"}})
	text := string(wrote)
	require.Equal(t, 4, strings.Count(strings.Split(text, "name: Autograding Tests")[0], "\n"), "four lines of header")
	assert.Contains(t, text, "\n"+SumMark+"sha256:")
	edited := func(from, to string) []byte {
		require.Contains(t, text, from)
		return []byte(strings.Replace(text, from, to, 1))
	}
	for _, c := range []struct {
		name     string
		workflow []byte
		want     Origin
	}{
		{"as written", wrote, Unchanged},
		{"checked out with \\r\\n", []byte(strings.ReplaceAll(text, "\n", "\r\n")), Unchanged},
		{"its first comment edited", edited("# GitHub Classroom autograding for", "# Autograding for"), Unchanged},
		{"a step edited", edited("runs-on: ubuntu-latest", "runs-on: ubuntu-22.04"), Edited},
		{"a line added at the end", []byte(text + "      - name: mine\n"), Edited},
		{"a blank line added", edited("permissions:\n", "\npermissions:\n"), Edited},
		{"the checksum edited", edited(SumMark+"sha256:", SumMark+"sha256:0"), Edited},
		{"the checksum's line gone", edited(SumMark, "# "), NoSum},
		{"an older netbook's", []byte(strings.Replace(text, text[strings.Index(text, SumMark):strings.Index(text, "name: ")], "", 1)), NoSum},
		{"GitHub Classroom's", []byte("name: Autograding Tests\non: [push]\n"), NotOurs},
		{"said further down", []byte("name: x\n# a\n# b\n# c\n# Generated by \"netbook classroom 03\"\n"), NotOurs},
		{"empty", nil, NotOurs},
	} {
		assert.Equal(t, c.want, Of(c.workflow), c.name)
		assert.Equal(t, c.want != NotOurs, Generated(c.workflow), c.name)
	}
	assert.True(t, SameBody(wrote, Workflow(nil, Options{Args: []string{"3"}})), "the header aside")
	assert.False(t, SameBody(wrote, edited("runs-on: ubuntu-latest", "runs-on: ubuntu-22.04")))
	assert.True(t, SameBody([]byte(strings.ReplaceAll(text, "\n", "\r\n")), wrote))
}
