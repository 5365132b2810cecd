package workbook

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/state"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is a book of two chapters with one lab, in a temp work tree.
func fixture(t *testing.T) (*book.Book, []*labs.Lab, *state.State, *labs.Sums) {
	t.Helper()
	dir := t.TempDir()
	labDir := filepath.Join(dir, "labs", "01-demo")
	require.NoError(t, os.MkdirAll(labDir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(labDir, "demo.go"), []byte("package demo\n"), 0o644))
	l := &labs.Lab{Name: "01-demo", Number: 1, Dir: labDir, Tasks: []labs.Task{
		{Number: 1, Test: "TestTask1A", Title: "do A"},
		{Number: 2, Test: "TestTask2B", Title: "do B"},
	}}
	l.Files = []string{"demo.go"}
	b := &book.Book{Chapters: []*book.Chapter{
		{Number: 0, Slug: "00-start-here", Meta: book.Meta{Title: "Start here"}},
		{Number: 1, Slug: "01-demo", Meta: book.Meta{Title: "Demo", Lab: "01-demo"}},
	}}
	st, err := state.Load(filepath.Join(dir, "state.json"))
	require.NoError(t, err)
	sums := &labs.Sums{Dir: filepath.Join(dir, "labs"), Files: map[string]labs.Shipped{
		"01-demo/demo.go": {Path: "01-demo/demo.go", Role: labs.Skeleton, ID: labs.BlobID([]byte("package demo\n"))},
	}}
	return b, []*labs.Lab{l}, st, sums
}

// runner returns a Runner that reports the given task statuses and counts
// its calls.
func runner(calls *int, statuses ...gotest.Status) Runner {
	return func(_ context.Context, l *labs.Lab) (*check.Result, error) {
		*calls++
		res := &check.Result{Lab: l.Name, Total: len(l.Tasks), Status: check.Passed}
		for i, s := range statuses {
			res.Tasks = append(res.Tasks, check.TaskResult{Number: i + 1, Status: s})
			if s == gotest.Pass {
				res.Passed++
			} else {
				res.Status = check.Failed
			}
		}
		return res, nil
	}
}

func TestPristineLabIsNotStartedWithoutRunningTests(t *testing.T) {
	b, all, st, sums := fixture(t)
	calls := 0
	entries, err := Gather(context.Background(), b, all, st, sums, runner(&calls, gotest.Pass, gotest.Pass))
	require.NoError(t, err)
	assert.Zero(t, calls, "a pristine lab needs no go test")
	require.Len(t, entries, 2)
	assert.Nil(t, entries[0].Lab)
	assert.Equal(t, NotStarted, entries[1].Lab.Status)
	assert.Equal(t, "not started", entries[1].Lab.Label())

	next := Next(entries, st, "netbook", lang.English)
	assert.Equal(t, "netbook read 1", next.Command, "first read the lab's chapter")
	st.Read["01-demo"] = true
	next = Next(entries, st, "netbook", lang.English)
	assert.Equal(t, "netbook check 01", next.Command)
	assert.Contains(t, next.Text, "task 1 of 2: do A")
}

func TestEditedLabIsTestedOnceThenCached(t *testing.T) {
	b, all, st, sums := fixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// work\n"), 0o644))
	calls := 0
	run := runner(&calls, gotest.Pass, gotest.Fail)
	entries, err := Gather(context.Background(), b, all, st, sums, run)
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
	p := entries[1].Lab
	assert.Equal(t, InProgress, p.Status)
	assert.Equal(t, "1 of 2 tasks", p.Label())
	assert.Equal(t, 2, p.Next.Number)

	_, err = Gather(context.Background(), b, all, st, sums, run)
	require.NoError(t, err)
	assert.Equal(t, 1, calls, "the same content reuses the cached result")

	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// more work\n"), 0o644))
	entries, err = Gather(context.Background(), b, all, st, sums, runner(&calls, gotest.Pass, gotest.Pass))
	require.NoError(t, err)
	assert.Equal(t, 2, calls, "new content runs the tests again")
	assert.Equal(t, Done, entries[1].Lab.Status)
	assert.Contains(t, Next(entries, st, "netbook", lang.English).Text, "finished the book")
}

func TestWithoutRunnerAnUncachedLabCountsAsNotStarted(t *testing.T) {
	b, all, st, sums := fixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// work\n"), 0o644))
	entries, err := Gather(context.Background(), b, all, st, sums, nil)
	require.NoError(t, err)
	assert.Equal(t, NotStarted, entries[1].Lab.Status)
}

func TestBuildFailureIsRecorded(t *testing.T) {
	b, all, st, sums := fixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\nbroken\n"), 0o644))
	run := func(_ context.Context, l *labs.Lab) (*check.Result, error) {
		return &check.Result{Lab: l.Name, Total: 2, Status: check.BuildFailed}, nil
	}
	entries, err := Gather(context.Background(), b, all, st, sums, run)
	require.NoError(t, err)
	assert.Equal(t, NoCompile, entries[1].Lab.Status)
	assert.Equal(t, "netbook check 01", Next(entries, st, "netbook", lang.English).Command)
}

func TestMissingLab(t *testing.T) {
	b, _, st, sums := fixture(t)
	_, err := Gather(context.Background(), b, nil, st, sums, nil)
	assert.ErrorContains(t, err, `chapter 01-demo links to lab "01-demo", which does not exist`)
}

func TestHintFollowsTheFirstFailingTask(t *testing.T) {
	_, all, st, _ := fixture(t)
	l := all[0]
	l.Hints = &labs.Hints{Tasks: map[int][]string{1: {"one"}, 2: {"two-a", "two-b"}}}
	w := &Workbook{State: st, Cmd: "netbook", warn: io.Discard}
	p := &Lab{Lab: l, Known: true, Status: InProgress, Passed: 1, Total: 2, Next: &l.Tasks[1]}

	h, err := w.Hint(context.Background(), p, 0)
	require.NoError(t, err)
	assert.Equal(t, 2, h.Task.Number, "task 1 passes: the hint is task 2's")
	assert.Equal(t, "the first that fails", h.Chose)
	assert.Equal(t, "two-a", h.Text)
	assert.Equal(t, "netbook hint 01", w.HintCommand(p, 2), "one level left")

	h, err = w.Hint(context.Background(), p, 0)
	require.NoError(t, err)
	assert.Equal(t, "two-b", h.Text)
	assert.Equal(t, "", w.HintCommand(p, 2), "every level shown")
	assert.Equal(t, "netbook hint 01 1", w.HintCommand(p, 1), "another task is named")

	p.Status, p.Next = NoCompile, nil
	h, err = w.Hint(context.Background(), p, 0)
	require.NoError(t, err)
	assert.True(t, h.Build)
	assert.Equal(t, lang.English.Sprintf(lang.HintBuild), h.Text)

	p.Status = Done
	_, err = w.Hint(context.Background(), p, 0)
	assert.ErrorIs(t, err, ErrAllPass)
}

// TestDashboardText draws the dashboard of a fresh clone and of a lab in
// progress.
func TestDashboardText(t *testing.T) {
	b, all, st, sums := fixture(t)
	open := func(run Runner) *Workbook {
		t.Helper()
		entries, err := Gather(context.Background(), b, all, st, sums, run)
		require.NoError(t, err)
		w := &Workbook{Book: b, Entries: entries, State: st, Sums: sums, Cmd: "netbook", warn: io.Discard}
		for _, e := range entries {
			if e.Lab != nil {
				w.Labs = append(w.Labs, e.Lab)
			}
		}
		return w
	}
	var out strings.Builder
	WriteDashboard(&out, open(nil), style.Style{}, 80)
	golden.Check(t, "testdata/fresh.txt", out.String())

	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// work\n"), 0o644))
	st.Read["00-start-here"], st.Read["01-demo"] = true, true
	calls := 0
	out.Reset()
	WriteDashboard(&out, open(runner(&calls, gotest.Pass, gotest.Fail)), style.Style{}, 80)
	golden.Check(t, "testdata/in-progress.txt", out.String())

	// A student who has finished a lab is not new here, whether or not
	// they read chapter 0 through netbook.
	st.Read["00-start-here"] = false
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// done\n"), 0o644))
	out.Reset()
	WriteDashboard(&out, open(runner(&calls, gotest.Pass, gotest.Pass)), style.Style{}, 80)
	assert.Contains(t, out.String(), "1 of 1 labs done")
	assert.NotContains(t, out.String(), "New here?")
}

// The titles take the width the terminal leaves beside the lab and the
// status: whole when they fit, clipped only when they must be.
func TestDashboardTitlesTakeTheWidthTheTerminalLeaves(t *testing.T) {
	b, all, st, sums := fixture(t)
	const title = "A TCP client that speaks HTTP" // 29 columns
	b.Chapters[1].Title = title
	entries, err := Gather(context.Background(), b, all, st, sums, nil)
	require.NoError(t, err)
	w := &Workbook{Book: b, Entries: entries, Labs: []*Lab{entries[1].Lab}, State: st, Sums: sums, Cmd: "netbook", warn: io.Discard}
	rowOf := func(out string) string {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "   1  ") {
				return line
			}
		}
		t.Fatalf("no row for chapter 1 in\n%s", out)
		return ""
	}
	var out strings.Builder
	WriteDashboard(&out, w, style.Style{}, 80)
	assert.Equal(t, "   1  "+title+"  01-demo  not started", rowOf(out.String()), "the whole title, the columns as wide as their cells")

	out.Reset()
	WriteDashboard(&out, w, style.Style{}, 50)
	row := rowOf(out.String())
	assert.Equal(t, "   1  A TCP client that spe…  01-demo  not started", row)
	assert.Equal(t, 50, style.Cols(row), "the row fills the 50 columns, no more")
	for line := range strings.Lines(out.String()) {
		if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "  [") && !strings.HasPrefix(line, "  netbook") {
			assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 50, "%q", line)
		}
	}

	out.Reset()
	WriteDashboard(&out, w, style.Style{}, 20)
	assert.Equal(t, "   1  A TCP clien…  01-demo  not started", rowOf(out.String()), "a title column of 12 at the least")
}

// The next step names the task the student is on by its title, which can
// be longer than the screen is wide: it is wrapped, never cut.
func TestDashboardNextStepFitsTheWidth(t *testing.T) {
	b, all, st, sums := fixture(t)
	all[0].Tasks[0].Title = "Parse \"host:port\" into a host and a port number, IPv6 brackets included."
	st.Read["00-start-here"], st.Read["01-demo"] = true, true
	entries, err := Gather(context.Background(), b, all, st, sums, nil)
	require.NoError(t, err)
	w := &Workbook{Book: b, Entries: entries, Labs: []*Lab{entries[1].Lab}, State: st, Sums: sums, Cmd: "netbook", warn: io.Discard}
	var out strings.Builder
	WriteDashboard(&out, w, style.Style{}, 80)
	for line := range strings.Lines(out.String()) {
		assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
	}
	assert.Contains(t, strings.Join(strings.Fields(out.String()), " "),
		"Next: lab 01-demo, task 1 of 2: Parse \"host:port\" into a host and a port number, IPv6 brackets included.")
}

func TestPassingRecordsWhenAndWhichFiles(t *testing.T) {
	b, all, st, sums := fixture(t)
	work := []byte("package demo\n// solved\n")
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), work, 0o644))
	calls := 0
	before := time.Now()
	entries, err := Gather(context.Background(), b, all, st, sums, runner(&calls, gotest.Pass, gotest.Pass))
	require.NoError(t, err)
	p := entries[1].Lab
	require.Equal(t, Done, p.Status)
	d, ok := st.Done["01-demo"]
	require.True(t, ok, "a lab that passes gets a done record")
	assert.False(t, d.At.Before(before), "done at %v, the check ran after %v", d.At, before)
	assert.Equal(t, map[string]string{"demo.go": labs.BlobID(work)}, d.Files, "the fingerprints of the files that passed")
	assert.Equal(t, d.At, p.DoneAt)
	assert.Equal(t, "done "+style.Day(d.At), p.Label())
	assert.False(t, p.Elsewhere)

	// A later pass keeps the first date and takes the new files.
	first := d.At
	st.Done["01-demo"] = state.Done{At: first.Add(-time.Hour), Files: d.Files}
	more := []byte("package demo\n// solved again\n")
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), more, 0o644))
	_, err = Gather(context.Background(), b, all, st, sums, runner(&calls, gotest.Pass, gotest.Pass))
	require.NoError(t, err)
	assert.Equal(t, first.Add(-time.Hour), st.Done["01-demo"].At, "the first time a lab was done stays its date")
	assert.Equal(t, labs.BlobID(more), st.Done["01-demo"].Files["demo.go"])
}

// A check of a lab done in another copy, whose files here are the
// skeleton, leaves it done (files elsewhere), as the dashboard says: the
// check fails, and what reads the workbook after it (watch's progress,
// the web book's sidebar) agrees with a workbook opened afresh.
func TestCheckKeepsALabDoneElsewhereDone(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lab's tests")
	}
	r := testkit.Pristine(t, testkit.Only("01"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w, err := Open(ctx, r, Options{})
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	w.State.Done["01-addresses"] = state.Done{At: at, Files: map[string]string{"addresses.go": "0123"}}
	p, err := w.Find("01")
	require.NoError(t, err)

	res, err := w.Check(ctx, p, check.Options{})
	require.NoError(t, err)
	assert.NotEqual(t, check.Passed, res.Status, "the skeleton fails its tests")
	assert.Equal(t, Done, p.Status, "the lab stays done")
	assert.True(t, p.Elsewhere)
	assert.Equal(t, at, p.DoneAt)
	assert.Equal(t, "done 2 Mar 2026 (files elsewhere)", p.Label())
	done, _ := w.Progress()
	assert.Equal(t, 1, done)
	assert.True(t, w.State.Done["01-addresses"].Stands(), "the record stands")

	again, err := Open(ctx, r, Options{})
	require.NoError(t, err)
	q, err := again.Find("01")
	require.NoError(t, err)
	assert.Equal(t, p.Label(), q.Label(), "as a workbook opened afresh says")
}

func TestRecordWithoutTheFilesCountsAsDoneElsewhere(t *testing.T) {
	b, all, st, sums := fixture(t)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	st.Done["01-demo"] = state.Done{At: at, Files: map[string]string{"demo.go": labs.BlobID([]byte("package demo\n// solved\n"))}}
	calls := 0
	entries, err := Gather(context.Background(), b, all, st, sums, runner(&calls, gotest.Fail, gotest.Fail))
	require.NoError(t, err)
	p := entries[1].Lab
	assert.Zero(t, calls, "the skeleton needs no go test")
	assert.Equal(t, Done, p.Status, "the lab was done in another copy and nothing here says otherwise")
	assert.True(t, p.Elsewhere)
	assert.Equal(t, "done 2 Mar 2026 (files elsewhere)", p.Label())
	assert.Contains(t, Next(entries, st, "netbook", lang.English).Text, "finished the book")

	// Started over with netbook reset: the record is only a date now.
	st.Restarted("01-demo")
	entries, err = Gather(context.Background(), b, all, st, sums, nil)
	require.NoError(t, err)
	assert.Equal(t, NotStarted, entries[1].Lab.Status, "a lab started over is not done until it passes again")
	assert.Equal(t, at, st.Done["01-demo"].At, "the date it was first done is kept")

	// Work that passes again ends the reset.
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// redone\n"), 0o644))
	entries, err = Gather(context.Background(), b, all, st, sums, runner(&calls, gotest.Pass, gotest.Pass))
	require.NoError(t, err)
	assert.Equal(t, Done, entries[1].Lab.Status)
	assert.True(t, st.Done["01-demo"].Stands())
	assert.Equal(t, at, entries[1].Lab.DoneAt)
}

func TestCachedPassWithoutRecordGetsOne(t *testing.T) {
	// A progress file from before done records: the cached result is enough.
	b, all, st, sums := fixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// solved\n"), 0o644))
	hash, err := all[0].Hash()
	require.NoError(t, err)
	st.Results["01-demo"] = state.Result{Hash: hash, Passed: []int{1, 2}, Total: 2, Done: true}
	entries, err := Gather(context.Background(), b, all, st, sums, nil)
	require.NoError(t, err)
	assert.Equal(t, Done, entries[1].Lab.Status)
	require.Contains(t, st.Done, "01-demo")
	assert.False(t, entries[1].Lab.DoneAt.IsZero())
}

func TestCached(t *testing.T) {
	_, all, st, sums := fixture(t)
	l := all[0]
	res, ok, err := Cached(st, l, sums)
	require.NoError(t, err)
	require.True(t, ok, "the skeleton's result is known without go test")
	assert.Equal(t, check.Failed, res.Status)
	assert.Zero(t, res.Passed)

	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "demo.go"), []byte("package demo\n// work\n"), 0o644))
	_, ok, err = Cached(st, l, sums)
	require.NoError(t, err)
	assert.False(t, ok, "edited and never checked: the tests must run")

	hash, err := l.Hash()
	require.NoError(t, err)
	st.Results[l.Name] = state.Result{Hash: hash, Passed: []int{1}, Total: 2}
	res, ok, err = Cached(st, l, sums)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, check.Failed, res.Status)
	assert.Equal(t, 1, res.Passed)
	assert.Equal(t, gotest.Fail, res.Tasks[1].Status)

	st.Results[l.Name] = state.Result{Hash: hash, Passed: []int{1, 2}, Total: 2, Done: true}
	res, _, _ = Cached(st, l, sums)
	assert.Equal(t, check.Passed, res.Status)
	st.Results[l.Name] = state.Result{Hash: hash, Total: 2}
	res, _, _ = Cached(st, l, sums)
	assert.Equal(t, check.BuildFailed, res.Status)
}

// check's "Edit ..." names the files whose TODOs name the failing task,
// and every file of the lab when none does.
func TestNamingNarrowsTheFilesToEdit(t *testing.T) {
	dir := t.TempDir()
	line, length := filepath.Join(dir, "line.go"), filepath.Join(dir, "length.go")
	src := map[string][]byte{
		line:   []byte("package f\n// TODO: (task 1) and task 2\n"),
		length: []byte("package f\n// TODO: task 10\n"),
	}
	read := func(f string) []byte { return src[f] }
	files := []string{line, length}
	assert.Equal(t, []string{line}, naming(files, read, 1))
	assert.Equal(t, []string{line}, naming(files, read, 2))
	assert.Equal(t, []string{length}, naming(files, read, 10), "task 1 is not task 10")
	assert.Equal(t, files, naming(files, read, 3), "no file names task 3: all of them")
}

// The command that checks again runs what this check ran: the same tasks,
// with the race detector when this one had it.
func TestAdviceChecksAgainAsThisCheckRan(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, testkit.Pristine(t, testkit.Only("09")), Options{})
	require.NoError(t, err)
	l, err := w.Find("09")
	require.NoError(t, err)
	res := &check.Result{Status: check.Failed, Failure: &check.Failure{Task: 3}}
	again := func(o check.Options) string {
		return w.Advice(ctx, l, res, o, func(s string) string { return s }).Again
	}
	assert.Equal(t, w.Command("check", l), again(check.Options{}))
	assert.Equal(t, w.Command("check", l)+" --race", again(check.Options{Race: true}))
	assert.Equal(t, w.Command("check", l)+" --task 3,5 --race", again(check.Options{Race: true, Tasks: []int{3, 5}}))
}

// Once a student has replaced the skeleton's TODOs with code, the files no
// longer name their tasks: check's "Edit ..." still names the one file that
// holds the failing task, from the skeleton as the book shipped it, and
// falls back on the student's files only when the shipped bytes cannot be
// read (no git).
func TestAdviceNamesTheFileFromTheShippedSkeleton(t *testing.T) {
	ctx := context.Background()
	failed := func(task int) *check.Result {
		return &check.Result{Status: check.Failed, Failure: &check.Failure{Task: task}}
	}
	// The student has solved Fetch and started on the rest, writing over
	// every "(task N)" the skeleton had.
	work := func(t *testing.T, r repo.Root) {
		t.Helper()
		dir := filepath.Join(r.Labs(), "02-first-connection")
		for _, name := range []string{"server.go", "text.go"} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			data = regexp.MustCompile(` \(task \d+\)`).ReplaceAll(data, nil)
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
		}
		data, err := os.ReadFile(filepath.Join(r.Dir, "solutions", "02-first-connection", "client.go"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "client.go"), data, 0o644))
		for _, name := range []string{"client.go", "server.go", "text.go"} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			require.False(t, namesTask(data, 6) || namesTask(data, 8), "%s still names its tasks", name)
		}
	}
	edit := func(w *Workbook, l *Lab, task int) []string {
		return w.Advice(ctx, l, failed(task), check.Options{}, func(s string) string { return s }).Edit
	}

	r := testkit.Clone(t, testkit.Only("02"))
	work(t, r)
	w, err := Open(ctx, r, Options{})
	require.NoError(t, err)
	l, err := w.Find("02")
	require.NoError(t, err)
	assert.Equal(t, []string{"labs/02-first-connection/server.go"}, edit(w, l, 6))
	assert.Equal(t, []string{"labs/02-first-connection/server.go"}, edit(w, l, 7))
	assert.Equal(t, []string{"labs/02-first-connection/text.go"}, edit(w, l, 8))
	assert.Equal(t, []string{"labs/02-first-connection/client.go"}, edit(w, l, 2),
		"a file the student has solved still holds its tasks")

	// Without git, the skeleton cannot be read back: every file.
	r = testkit.Pristine(t, testkit.Only("02"))
	work(t, r)
	w, err = Open(ctx, r, Options{})
	require.NoError(t, err)
	l, err = w.Find("02")
	require.NoError(t, err)
	assert.Len(t, edit(w, l, 6), 3, "no skeleton and no file names task 6: all of them")
}

func TestNamesTask(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []int
	}{
		{"// TODO: implement Get (task 8)", []int{8}},
		{"// TODO (tasks 3 to 7): read the status line", []int{3, 4, 5, 6, 7}},
		{"// TODO (tasks 3-5)", []int{3, 4, 5}},
		{"// Tasks 1 and 2 are here", []int{1, 2}},
		{"// tasks 1, 4 and 6", []int{1, 4, 6}},
		{"// task 1, then task 10 later", []int{1, 10}},
		{"// TODO: taskmaster 3; subtask 4; 5 tasks", nil},
	} {
		var got []int
		for n := 1; n <= 12; n++ {
			if namesTask([]byte(c.src), n) {
				got = append(got, n)
			}
		}
		assert.Equal(t, c.want, got, c.src)
	}
}

// When a task fails, check names the files to edit: those whose skeleton
// names the task ("task 3", "tasks 3 to 7"). A task no skeleton names
// sends the student to every file of the lab, so in a lab of more than
// one file each task must be named in at least one. It reads the
// skeletons as the book ships them: in a student's clone, the files in
// place hold the student's code, whose TODOs are gone (go test ./...
// passes there too).
func TestEverySkeletonNamesItsTasks(t *testing.T) {
	all, err := labs.LoadAll(testkit.Pristine(t, nil))
	require.NoError(t, err)
	for _, l := range all {
		files := l.StudentFiles()
		if len(files) < 2 {
			continue
		}
		for _, task := range l.Tasks {
			var named []string
			for _, f := range files {
				src, err := os.ReadFile(f)
				require.NoError(t, err)
				if namesTask(src, task.Number) {
					named = append(named, filepath.Base(f))
				}
			}
			assert.NotEmpty(t, named, "%s: no skeleton file names task %d (%q); add \"(task %d)\" to the comment or TODO where its code goes",
				l.Name, task.Number, task.Title, task.Number)
		}
	}
}

// hint --all before any hint names the command that gives the first one,
// also for a lab whose first failing task is not known yet (it changed
// since its last check), and says when the task named has no hints.
func TestWriteShownBeforeAnyHint(t *testing.T) {
	b, all, st, _ := fixture(t)
	all[0].Hints = &labs.Hints{Tasks: map[int][]string{1: {"a nudge"}}}
	w := &Workbook{Book: b, State: st, Cmd: "netbook", warn: io.Discard}
	for _, tc := range []struct {
		lab  *Lab
		task int
		want string
	}{
		{&Lab{Lab: all[0]}, 0, "No hints shown yet for 01-demo. Get the first with: netbook hint 01\n"},
		{&Lab{Lab: all[0], Known: true, Next: &all[0].Tasks[0]}, 0, "No hints shown yet for 01-demo. Get the first with: netbook hint 01\n"},
		{&Lab{Lab: all[0]}, 1, "No hints shown yet for 01-demo. Get the first with: netbook hint 01 1\n"},
		{&Lab{Lab: all[0]}, 2, "Task 2 of lab 01-demo has no hints.\n"},
	} {
		var out strings.Builder
		WriteShown(&out, w, tc.lab, tc.task, style.Style{}, 0)
		assert.Equal(t, tc.want, out.String(), "task %d, known %v", tc.task, tc.lab.Known)
	}
}

// A lab the dashboard found passing for the first time gets the pointer
// to the reference, wrapped to the width like the rest of the prose,
// never inside its command; several at once (labs solved outside
// netbook) get one sentence and a command each, not a paragraph each.
func TestDashboardFirstPassesFitTheWidth(t *testing.T) {
	b, all, st, sums := fixture(t)
	entries, err := Gather(context.Background(), b, all, st, sums, nil)
	require.NoError(t, err)
	first := entries[1].Lab
	first.Status, first.FirstDone = Done, true
	w := &Workbook{Book: b, Entries: entries, Labs: []*Lab{first}, State: st, Sums: sums, Cmd: "go run ./cmd/netbook", warn: io.Discard}
	fits := func(out string, width int) {
		t.Helper()
		for line := range strings.Lines(out) {
			line = strings.TrimRight(line, "\n")
			if strings.HasPrefix(line, "netbook · ") || strings.HasPrefix(line, "   ") || strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "  go run") {
				continue // the title, the table and the bar, which have widths of their own
			}
			assert.LessOrEqual(t, style.Cols(line), width, "%q", line)
		}
	}
	for _, width := range []int{80, 40} {
		for _, l := range []lang.Lang{lang.English, lang.Chinese} {
			w.Lang = l
			var out strings.Builder
			WriteDashboard(&out, w, style.Style{}, width)
			fits(out.String(), width)
			assert.Contains(t, out.String(), "\n  go run ./cmd/netbook compare 01\n", "the command whole, on a line of its own")
		}
	}
	// New here? is prose too: wrapped, its command whole.
	first.Status, first.FirstDone = NotStarted, false
	var fresh strings.Builder
	WriteDashboard(&fresh, w, style.Style{}, 40)
	fits(fresh.String(), 40)
	assert.Contains(t, fresh.String(), "go run ./cmd/netbook read 0", "New here? keeps its command whole")
	first.Status, first.FirstDone = Done, true

	second := &Lab{Lab: &labs.Lab{Name: "02-more", Number: 2}, Status: Done, FirstDone: true}
	w.Labs, w.Lang = []*Lab{first, second}, lang.English
	var out strings.Builder
	WriteDashboard(&out, w, style.Style{}, 80)
	fits(out.String(), 80)
	assert.Contains(t, out.String(), "next to yours:\n  go run ./cmd/netbook compare 01\n  go run ./cmd/netbook compare 02\n\n")
	assert.Equal(t, 1, strings.Count(out.String(), "These labs pass every task now."))
	assert.NotContains(t, out.String(), "Lab 01-demo passes", "one sentence for both")
}
