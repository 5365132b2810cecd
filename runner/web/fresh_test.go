package web

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

// badge is a lab's status as a page shows it: the badge's class and text.
type badge struct{ Class, Text string }

var (
	homeRowRE = regexp.MustCompile(`<a href="/lab/01-addresses">01-addresses</a></td><td><span class="badge ([^"]*)">([^<]*)</span>`)
	sideRE    = regexp.MustCompile(`<span class="num">01</span> [^<]*</a><span class="badge ([^"]*)" title="([^"]*)">([^<]*)</span>`)
)

// homeStatus loads the home page and returns lab 01's row's status.
func (ts *testServer) homeStatus(t *testing.T) badge {
	t.Helper()
	_, body := ts.do(t, "GET", "/", true, nil)
	m := homeRowRE.FindStringSubmatch(body)
	require.NotNil(t, m, "the home page has a status for lab 01:\n%s", body)
	return badge{m[1], html.UnescapeString(m[2])}
}

// sideStatus loads page path and returns chapter 01's badge in the
// sidebar, with its title (the long label).
func (ts *testServer) sideStatus(t *testing.T, path string) (b badge, title string) {
	t.Helper()
	_, body := ts.do(t, "GET", path, true, nil)
	m := sideRE.FindStringSubmatch(body)
	require.NotNil(t, m, "%s's sidebar has a badge for chapter 01:\n%s", path, body)
	return badge{m[1], html.UnescapeString(m[3])}, html.UnescapeString(m[2])
}

// dashboardLabel is lab 01's status as the terminal dashboard prints it
// (netbook with no arguments: workbook.Open with Test, then LabelIn). A
// lab whose result the progress file does not hold would be checked
// first; failIfRun says that must not happen.
func dashboardLabel(t *testing.T, root repo.Root, failIfRun bool) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	o := workbook.Options{Test: true, Lang: lang.English}
	if failIfRun {
		o.Run = func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
			t.Errorf("the dashboard checked %s: the progress file has no result for it as it is", l.Name)
			return check.Run(ctx, root, l, check.Options{})
		}
	}
	w, err := workbook.Open(ctx, root, o)
	require.NoError(t, err)
	p, err := w.Find("01")
	require.NoError(t, err)
	return p.LabelIn(lang.English)
}

// The home page and the sidebar read the progress file and the lab's
// files as they are at each request, as the dashboard does: a lab edited
// since its last check is not checked yet (not "not started"), and a
// result recorded afterwards, as netbook check records it, shows as the
// dashboard shows it, without restarting the server.
func TestStatusFollowsTheFilesAndTheProgressFile(t *testing.T) {
	root := smallBook(t)
	ts := start(t, root, Options{})

	assert.Equal(t, badge{"st-not-started", "not started"}, ts.homeStatus(t), "the skeleton as shipped")
	assert.Equal(t, "not started", dashboardLabel(t, root, true))

	// The student edits the lab; nothing checks it.
	file := filepath.Join(root.Lab("01-addresses"), "addresses.go")
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, append(src, "\n// work in progress\n"...), 0o644))
	notChecked := lang.English.Sprintf(lang.WebNotChecked)
	assert.Equal(t, badge{"st-not-checked", notChecked}, ts.homeStatus(t), "a lab changed since its last check")
	side, title := ts.sideStatus(t, "/lab/01")
	assert.Equal(t, badge{"st-not-checked", notChecked}, side)
	assert.Equal(t, notChecked, title)

	// Its result is recorded as netbook check records one (Workbook.Check:
	// the tests' result, then Record and Save): task 1 passes.
	w, err := workbook.Open(context.Background(), root, workbook.Options{})
	require.NoError(t, err)
	p, err := w.Find("01")
	require.NoError(t, err)
	hash, err := p.Lab.Hash()
	require.NoError(t, err)
	res := &check.Result{Lab: p.Lab.Name, Status: check.Failed, Total: len(p.Lab.Tasks), Passed: 1}
	for _, task := range p.Lab.Tasks {
		st := gotest.Fail
		if task.Number == 1 {
			st = gotest.Pass
		}
		res.Tasks = append(res.Tasks, check.TaskResult{Number: task.Number, Title: task.Title, Test: task.Test, Status: st})
	}
	workbook.Record(w.State, p.Lab, hash, res)
	require.NoError(t, w.State.Save())

	want := dashboardLabel(t, root, true)
	require.Contains(t, want, "1 of ")
	assert.Equal(t, badge{"st-in-progress", want}, ts.homeStatus(t), "the dashboard's label for the same progress file")
	side, title = ts.sideStatus(t, "/chapter/01")
	assert.Equal(t, "st-in-progress", side.Class)
	assert.Equal(t, want, title)
}

// QA's case: the student copies the reference in and runs netbook check in
// a terminal while the server runs; the home page, the sidebar and the
// lab's page then say the lab is done, as the dashboard does.
func TestStatusAfterACheckInTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lab's tests")
	}
	root := smallBook(t)
	ts := start(t, root, Options{})
	assert.Equal(t, badge{"st-not-started", "not started"}, ts.homeStatus(t))
	_, body := ts.do(t, "GET", "/lab/01", true, nil)
	assert.NotContains(t, body, `data-state="pass"`)

	sol, err := os.ReadFile(filepath.Join(root.Solution("01-addresses"), "addresses.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root.Lab("01-addresses"), "addresses.go"), sol, 0o644))
	// netbook check 01: the workbook as it stands, then Check, which
	// records the result and saves the progress file.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w, err := workbook.Open(ctx, root, workbook.Options{})
	require.NoError(t, err)
	p, err := w.Find("01")
	require.NoError(t, err)
	res, err := w.Check(ctx, p, check.Options{})
	require.NoError(t, err)
	require.Equal(t, check.Passed, res.Status, "the reference passes")

	want := dashboardLabel(t, root, true)
	require.Contains(t, want, "done ")
	assert.Equal(t, badge{"st-done", want}, ts.homeStatus(t), "the dashboard's label, with no restart")
	side, title := ts.sideStatus(t, "/lab/01")
	assert.Equal(t, badge{"st-done", workbook.Done.In(lang.English)}, side)
	assert.Equal(t, want, title)
	_, body = ts.do(t, "GET", "/lab/01", true, nil)
	assert.Contains(t, body, `data-state="pass"`, "the lab's task list is the recorded result")
}

// A fresh lab, checked (its page checks it as it opens), is "not started"
// in the sidebar, on the home page and on the dashboard, and its page's
// status line says so too, with its count ("not started: 0 of 6 tasks"),
// in either edition, as netbook check's first line does: not "not
// started" in one place and "0 of 6 tasks" in another. Once the student
// edits it, every place counts the tasks.
func TestAFreshLabIsNotStartedEverywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lab's tests")
	}
	root := smallBook(t)
	ts := start(t, root, Options{})
	w, err := workbook.Open(context.Background(), root, workbook.Options{})
	require.NoError(t, err)
	p, err := w.Find("01")
	require.NoError(t, err)
	total := len(p.Lab.Tasks)

	summary := regexp.MustCompile(`<p class="summary s-fail">([^<]*)</p>`)
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		resp, frag := ts.do(t, "POST", "/api/check/01?lang="+string(l), true, nil)
		require.Equal(t, 200, resp.StatusCode, frag)
		m := summary.FindStringSubmatch(frag)
		require.NotNil(t, m, "the status fragment has a summary:\n%s", frag)
		want := l.Sprintf(lang.LabelNotStarted, 0, total)
		assert.Equal(t, want, html.UnescapeString(m[1]), "%s: the lab's status line", l)
		assert.Contains(t, frag, `data-badge="`+l.Sprintf(lang.StatusNotStarted)+`"`, "%s: the badge it sets", l)

		side, title := ts.sideStatus(t, "/lab/01?lang="+string(l))
		assert.Equal(t, badge{"st-not-started", l.Sprintf(lang.StatusNotStarted)}, side, "%s: the sidebar", l)
		assert.Equal(t, l.Sprintf(lang.StatusNotStarted), title)
		_, page := ts.do(t, "GET", "/lab/01?lang="+string(l), true, nil)
		m = summary.FindStringSubmatch(page)
		require.NotNil(t, m, "the lab's page has a summary")
		assert.Equal(t, want, html.UnescapeString(m[1]), "%s: the lab's page as it opens", l)
	}
	assert.Equal(t, badge{"st-not-started", "not started"}, ts.homeStatus(t))
	assert.Equal(t, "not started", dashboardLabel(t, root, false))

	// netbook check 01 on the fresh lab: its first line says the same.
	res, err := w.Check(context.Background(), p, check.Options{})
	require.NoError(t, err)
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		w.Lang = l
		var out strings.Builder
		check.WriteText(&out, res, style.Style{}, w.Advice(context.Background(), p, res, check.Options{}, func(s string) string { return s }))
		first, _, _ := strings.Cut(out.String(), "\n")
		assert.Equal(t, "01-addresses · "+p.Lab.Title+" · "+l.Sprintf(lang.LabelNotStarted, 0, total), first, "%s: check's first line", l)
	}

	// Edited, the lab is under way: its count everywhere.
	file := filepath.Join(root.Lab("01-addresses"), "addresses.go")
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, append(src, "\n// work in progress\n"...), 0o644))
	_, frag := ts.do(t, "POST", "/api/check/01", true, nil)
	m := summary.FindStringSubmatch(frag)
	require.NotNil(t, m, frag)
	assert.Equal(t, lang.English.Sprintf(lang.LabelTasks, 0, total), m[1])
	side, _ := ts.sideStatus(t, "/lab/01")
	assert.Equal(t, badge{"st-in-progress", fmt.Sprintf("0/%d", total)}, side)
}
