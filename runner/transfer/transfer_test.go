package transfer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/state"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	march1 = time.Date(2026, 3, 1, 18, 2, 11, 0, time.UTC)
	march2 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	idA    = strings.Repeat("a", 40)
	idB    = strings.Repeat("b", 40)
)

func newState(t *testing.T) *state.State {
	t.Helper()
	st, err := state.Load(filepath.Join(t.TempDir(), "state.json"))
	require.NoError(t, err)
	return st
}

func TestExportReadsBack(t *testing.T) {
	st := newState(t)
	st.Passed("03-hello-server", march1, map[string]string{"server.go": idA})
	st.SetShown("05-snack-shop", 1, 2)
	st.Read["03-tcp-server"] = true
	st.Read["00-start-here"] = true
	st.Results["05-snack-shop"] = state.Result{Hash: "x", Passed: []int{1}, Total: 9}

	var buf bytes.Buffer
	require.NoError(t, Write(&buf, Export(st, march2)))
	assert.Contains(t, buf.String(), `"format": "netbook-progress"`)
	assert.NotContains(t, buf.String(), `"hash"`, "cached results belong to one copy's files and are not carried")

	f, err := Read(&buf)
	require.NoError(t, err)
	assert.Equal(t, march2, f.Exported)
	assert.Equal(t, map[string]Lab{"03-hello-server": {Done: march1, Files: map[string]string{"server.go": idA}}}, f.Labs)
	assert.Equal(t, map[string]map[int]int{"05-snack-shop": {1: 2}}, f.Hints)
	assert.Equal(t, []string{"00-start-here", "03-tcp-server"}, f.Read)
}

func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"not json", "hello", "not a netbook progress file"},
		{"empty", "", "the progress file is empty"},
		{"cut short", `{"format": "netbook-progress", "vers`, "the progress file is cut short"},
		{"another format", `{"format": "rustlings", "version": 1}`, `its format is "rustlings"`},
		{"newer", `{"format": "netbook-progress", "version": 2}`, "made by a newer netbook"},
		{"no version", `{"format": "netbook-progress"}`, "no version"},
		{"bad lab", `{"format": "netbook-progress", "version": 1, "labs": {"../etc": {"done": "2026-03-01T00:00:00Z"}}}`, `"../etc" is not a lab's name`},
		{"bad file", `{"format": "netbook-progress", "version": 1, "labs": {"03-hello-server": {"done": "2026-03-01T00:00:00Z", "files": {"../x.go": "1"}}}}`, "is not a file name and a git blob id"},
		{"no date", `{"format": "netbook-progress", "version": 1, "labs": {"03-hello-server": {}}}`, "has no date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.json))
			assert.ErrorContains(t, err, tc.want)
		})
	}
	f, err := Read(strings.NewReader(`{"format": "netbook-progress", "version": 1, "labs": {}, "future": true}`))
	require.NoError(t, err, "a field from a later minor change is ignored")
	assert.Empty(t, f.Labs)
	f, err = Read(strings.NewReader(`{"format": "netbook-progress", "version": 1, "labs": {}, "hints": {"05-snack-shop": 2}}`))
	require.NoError(t, err, "the first files' hint counts per lab name no task: they are ignored")
	assert.Empty(t, f.Hints)
}

func TestImportMerges(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("03", "05"))
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)

	st := newState(t)
	st.Passed("03-hello-server", march2, map[string]string{"server.go": idB})
	st.SetShown("03-hello-server", 1, 3)
	st.Read["03-tcp-server"] = true
	f := &File{Format: Format, Version: Version, Labs: map[string]Lab{
		"03-hello-server": {Done: march1, Files: map[string]string{"server.go": idA}},
		"05-snack-shop":   {Done: march2, Files: map[string]string{"shop.go": idA, "customer.go": idB}},
		"99-gone":         {Done: march1},
	}, Hints: map[string]map[int]int{"03-hello-server": {1: 1}, "05-snack-shop": {1: 2}}, Read: []string{"00-start-here", "03-tcp-server"}}

	rep, err := Import(st, f, all, sums)
	require.NoError(t, err)
	assert.Equal(t, []Outcome{
		{Lab: "03-hello-server", Done: march1, Earlier: true, Files: Skeleton},
		{Lab: "05-snack-shop", Done: march2, New: true, Files: Skeleton},
	}, rep.Labs)
	assert.Equal(t, []string{"99-gone"}, rep.Unknown)
	assert.Equal(t, march1, st.Done["03-hello-server"].At, "the earlier date wins")
	assert.Equal(t, idB, st.Done["03-hello-server"].Files["server.go"], "this copy's fingerprints stay")
	assert.Equal(t, 3, st.Shown("03-hello-server", 1), "hints seen never go down")
	assert.Equal(t, 2, st.Shown("05-snack-shop", 1))
	assert.Equal(t, 1, rep.Hints)
	assert.Equal(t, 1, rep.Chapters)
	assert.True(t, st.Read["00-start-here"])
	assert.NotContains(t, st.Done, "99-gone")

	// Importing the same file again changes nothing.
	before := *st
	rep, err = Import(st, f, all, sums)
	require.NoError(t, err)
	assert.Equal(t, before.Done, st.Done)
	assert.Zero(t, rep.Hints+rep.Chapters)
}

// TestExportFreshCloneImport is the round trip of the issue: in one clone
// lab 03 is solved and lab 05 half done; its progress is exported; a fresh
// clone imports it and shows the same labs done, and a clone that also has
// the student's files shows them done from those files.
func TestExportFreshCloneImport(t *testing.T) {
	a := testkit.Pristine(t, testkit.Only("03", "05"))
	solve(t, a, "03-hello-server")
	require.NoError(t, os.WriteFile(filepath.Join(a.Lab("05-snack-shop"), "shop.go"), []byte("package shop\n// half done\n"), 0o644))
	stA, entriesA := gather(t, a, nil, fake)
	assert.Equal(t, []string{"03-hello-server"}, done(entriesA))

	var buf bytes.Buffer
	require.NoError(t, Write(&buf, Export(stA, time.Now())))
	f, err := Read(&buf)
	require.NoError(t, err)

	// A fresh clone: skeletons only.
	b := testkit.Pristine(t, testkit.Only("03", "05"))
	stB := importInto(t, b, f)
	_, entriesB := gather(t, b, stB, nil)
	assert.Equal(t, done(entriesA), done(entriesB), "the fresh clone shows the same labs done")
	p := lab(entriesB, "03-hello-server")
	assert.True(t, p.Elsewhere, "the files that passed are in the other clone")
	assert.True(t, p.DoneAt.Equal(stA.Done["03-hello-server"].At), "done on %v, the date of the first clone, %v", p.DoneAt, stA.Done["03-hello-server"].At)

	// A clone with the student's files too (pushed to their own remote).
	c := testkit.Pristine(t, testkit.Only("03", "05"))
	solve(t, c, "03-hello-server")
	stC := importInto(t, c, f)
	_, entriesC := gather(t, c, stC, fake)
	assert.Equal(t, done(entriesA), done(entriesC))
	p = lab(entriesC, "03-hello-server")
	assert.False(t, p.Elsewhere)
	assert.True(t, p.DoneAt.Equal(stA.Done["03-hello-server"].At), "done on %v, the date of the first clone, %v", p.DoneAt, stA.Done["03-hello-server"].At)
}

// solve copies the reference into lab name of r.
func solve(t *testing.T, r repo.Root, name string) {
	t.Helper()
	l := testkit.Lab(t, r, name)
	files, err := l.SolutionFiles()
	require.NoError(t, err)
	for to, from := range files {
		data, err := os.ReadFile(from)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(to, data, 0o644))
	}
}

// fake passes a lab whose student files are the reference's and fails the
// others: a check without go test.
func fake(_ context.Context, l *labs.Lab) (*check.Result, error) {
	res := &check.Result{Lab: l.Name, Total: len(l.Tasks), Status: check.Passed, Passed: len(l.Tasks)}
	files, err := l.SolutionFiles()
	if err != nil {
		return nil, err
	}
	for to, from := range files {
		a, _ := os.ReadFile(to)
		b, _ := os.ReadFile(from)
		if !bytes.Equal(a, b) {
			res.Status, res.Passed = check.Failed, 0
		}
	}
	return res, nil
}

func importInto(t *testing.T, r repo.Root, f *File) *state.State {
	t.Helper()
	st, err := state.Load(r.StateFile())
	require.NoError(t, err)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	_, err = Import(st, f, all, sums)
	require.NoError(t, err)
	require.NoError(t, st.Save())
	return st
}

func gather(t *testing.T, r repo.Root, st *state.State, run workbook.Runner) (*state.State, []workbook.Entry) {
	t.Helper()
	b, err := book.Load(os.DirFS(r.Chapters()))
	require.NoError(t, err)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	if st == nil {
		st, err = state.Load(r.StateFile())
		require.NoError(t, err)
	}
	entries, err := workbook.Gather(context.Background(), b, all, st, sums, run)
	require.NoError(t, err)
	return st, entries
}

func done(entries []workbook.Entry) []string {
	var out []string
	for _, e := range entries {
		if e.Lab != nil && e.Lab.Status == workbook.Done {
			out = append(out, e.Lab.Lab.Name)
		}
	}
	return out
}

func lab(entries []workbook.Entry, name string) *workbook.Lab {
	for _, e := range entries {
		if e.Lab != nil && e.Lab.Lab.Name == name {
			return e.Lab
		}
	}
	return nil
}

// A progress file written by hand may have no export date: the import
// leaves the date out instead of saying "exported 1 Jan 0001".
func TestWriteImportedWithoutADate(t *testing.T) {
	var buf bytes.Buffer
	WriteImported(&buf, &File{}, "progress.json", &Report{}, nil, style.Style{}, "netbook", 0)
	assert.True(t, strings.HasPrefix(buf.String(), "Imported progress.json, merged with this copy's progress:\n  no lab done in it\n"), buf.String())

	buf.Reset()
	at := time.Date(2026, 3, 2, 10, 15, 0, 0, time.Local)
	WriteImported(&buf, &File{Exported: at}, "progress.json", &Report{}, nil, style.Style{}, "netbook", 0)
	assert.Contains(t, buf.String(), "Imported progress.json (exported 2 Mar 2026 10:15), merged")
}

// Every line progress writes fits the width, with the longest lab names,
// a long path and netbook as a student runs it from a lab's folder; a
// command to copy stays whole on one line: broken over two, it runs as
// two.
func TestTextFitsTheWidth(t *testing.T) {
	f := &File{Exported: march2, Labs: map[string]Lab{
		"11-reliable-stream": {Done: march1, StartedOver: true},
		"06-udp-echo":        {Done: march2},
	}, Hints: map[string]map[int]int{"05-snack-shop": {1: 2}, "09-chat-room": {1: 1}}, Read: []string{"01-addresses", "02-sockets", "03-tcp-server"}}
	rep := &Report{Labs: []Outcome{
		{Lab: "11-reliable-stream", Done: march1, Earlier: true, Files: Other},
		{Lab: "06-udp-echo", Done: march2, New: true, Files: Skeleton},
		{Lab: "05-snack-shop", Done: march2, Files: Same},
	}, Unknown: []string{"12-quic-by-hand", "13-tls-by-hand"}, Hints: 2, Chapters: 3}
	all := []*labs.Lab{{Name: "11-reliable-stream", Number: 11}}
	path := "/home/student/Documents/netbook-progress-2026-03-02.json"
	for _, cmd := range []string{"netbook", "go run ../../../cmd/netbook"} {
		for _, width := range []int{0, 40, 60, 80} {
			var out bytes.Buffer
			WriteSummary(&out, f, ".netbook/state.json", style.Style{}, cmd, width)
			WriteExported(&out, f, path, style.Style{}, cmd, width)
			WriteImported(&out, f, path, rep, all, style.Style{}, cmd, width)
			max := width
			if max == 0 {
				max = DefaultWidth
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(line, "  "+cmd+" progress --import") {
					continue // a command to copy, on a line of its own: as long as the path
				}
				bare := strings.Trim(strings.TrimSpace(line), "().,:")
				if !strings.Contains(bare, " ") || bare == cmd+" progress --export FILE" || bare == cmd+" check 11" {
					continue // a path, or a command to copy, wider than the screen, on a line of its own
				}
				assert.LessOrEqual(t, style.Cols(line), max, "%q fits %d columns", line, max)
			}
			assert.Contains(t, strings.Join(strings.Fields(out.String()), " "),
				"done 1 Mar 2026 (an earlier date than this copy's); your files here are other work: they decide its status ("+cmd+" check 11)",
				"width %d: every word, none cut", width)
			for _, c := range []string{" progress --export FILE", " check 11", "\n"} {
				assert.Contains(t, out.String(), cmd+c, "the command stays whole, on one line")
			}
		}
	}
}
