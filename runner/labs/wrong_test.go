package labs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wrongLab makes a lab with one student file, demo.go, and one wrong
// solution, wrong/w, whose WHY holds why.
func wrongLab(t *testing.T, why string) *Lab {
	t.Helper()
	root := t.TempDir()
	l := &Lab{Name: "01-demo", Number: 1, Dir: filepath.Join(root, "labs", "01-demo"), SolutionDir: filepath.Join(root, "solutions", "01-demo")}
	l.Files = []string{"demo.go"}
	dir := filepath.Join(l.SolutionDir, "wrong", "w")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, WrongFile), []byte(why), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "demo.go"), []byte("package demo\n"), 0o644))
	return l
}

// A WHY reads its first line, task, race and needs; needs is a
// comma-separated list of what the machine must offer.
func TestWrongReads(t *testing.T) {
	for _, tc := range []struct {
		why   string
		race  bool
		needs []Need
	}{
		{"Forgets to close.\ntask: 2\n", false, nil},
		{"Shares a buffer.\ntask: 2\nrace: true\n", true, nil},
		{"Dials without a timeout.\ntask: 2\nneeds: linux\n", false, []Need{NeedLinux}},
		{"Dials tcp4.\ntask: 2\nneeds: ipv6\n", false, []Need{NeedIPv6}},
		{"Both.\ntask: 2\nneeds: ipv6,linux\nrace: true\n", true, []Need{NeedIPv6, NeedLinux}},
		{"Spaced.\n\ntask: 2\nneeds:  linux ,  ipv6 \n", false, []Need{NeedLinux, NeedIPv6}},
	} {
		l := wrongLab(t, tc.why)
		wrongs, err := l.Wrongs()
		require.NoError(t, err, "%q", tc.why)
		require.Len(t, wrongs, 1)
		w := wrongs[0]
		assert.Equal(t, 2, w.Task, "%q", tc.why)
		assert.Equal(t, tc.race, w.Race, "%q", tc.why)
		assert.Equal(t, tc.needs, w.Needs, "%q", tc.why)
		assert.Equal(t, map[string]string{filepath.Join(l.Dir, "demo.go"): filepath.Join(w.Dir, "demo.go")}, w.Files)
	}
}

// A WHY that does not read is an error that names the file, the line and
// what the key takes.
func TestWrongRefuses(t *testing.T) {
	const where = "solutions/01-demo/wrong/w/WHY:"
	for _, tc := range []struct{ why, want string }{
		{"Dials tcp4.\ntask: 2\nneeds: mac\n", where + `3: needs: unknown need "mac" (want linux or ipv6)`},
		{"Dials tcp4.\ntask: 2\nneeds: Linux\n", where + `3: needs: unknown need "Linux" (want linux or ipv6)`},
		{"Dials tcp4.\ntask: 2\nneeds:\n", where + `3: needs takes linux or ipv6, comma-separated, got ""`},
		{"Dials tcp4.\ntask: 2\nneeds: linux,\n", where + `3: needs takes linux or ipv6, comma-separated, got "linux,"`},
		{"Dials tcp4.\ntask: 2\nneeds: linux ipv6\n", where + `3: needs: unknown need "linux ipv6" (want linux or ipv6)`},
		{"Dials tcp4.\ntask: 2\nneeds: ipv6, ipv6\n", where + `3: needs: "ipv6" is named twice`},
		{"Dials tcp4.\ntask: 2\nneed: ipv6\n", where + `3: unknown key "need" (want task, race or needs)`},
		{"Dials tcp4.\ntask: 2\nlinux\n", where + `3: want "task: N", "race: true" or "needs: linux" after the first line, got "linux"`},
		{"Shares a buffer.\ntask: 2\nrace: yes\n", where + `3: race is true or false, got "yes"`},
		{"Forgets to close.\ntask: two\n", where + `2: task must be a task's number, got "two"`},
	} {
		wrongs, err := wrongLab(t, tc.why).Wrongs()
		assert.Empty(t, wrongs, "%q", tc.why)
		if assert.Error(t, err, "%q", tc.why) {
			assert.Equal(t, tc.want, filepath.ToSlash(err.Error()))
		}
	}
}

// A wrong solution's needs do not change which tasks grade under -race.
func TestRaceTasksWithNeeds(t *testing.T) {
	l := wrongLab(t, "Shares a buffer.\ntask: 3\nrace: true\nneeds: linux\n")
	assert.Equal(t, map[int]bool{3: true}, l.RaceTasks())
}

func TestNeedWords(t *testing.T) {
	assert.Equal(t, "Linux", NeedLinux.What())
	assert.Equal(t, "an IPv6 loopback (::1)", NeedIPv6.What())
	assert.Equal(t, "IPv6", NeedIPv6.Short())
	for _, n := range Needs {
		assert.NotEqual(t, string(n), n.What(), "every need has words")
	}
}
