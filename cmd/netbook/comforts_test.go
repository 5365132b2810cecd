package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clone makes a fresh clone of the book with chapter 0 and the labs named
// (a git repository, so that reset can read the skeletons back), points
// netbook at it and makes it the current directory.
func clone(t *testing.T, names ...string) string {
	t.Helper()
	numbers := []string{"00"}
	for _, name := range names {
		numbers = append(numbers, name[:2])
	}
	r := testkit.Clone(t, testkit.Only(numbers...))
	enter(t, r.Dir)
	return r.Dir
}

func enter(t *testing.T, root string) {
	t.Helper()
	t.Setenv("NETBOOK_ROOT", root)
	t.Setenv("NO_COLOR", "1")
	t.Chdir(root)
}

// others is every file of the work tree but lab 05's student files, git's
// and netbook's own: what a reset of lab 05 must leave alone.
func others(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir() && (rel == ".git" || rel == ".netbook"):
			return filepath.SkipDir
		case d.IsDir(), rel == "labs/05-snack-shop/shop.go", rel == "labs/05-snack-shop/customer.go":
			return nil
		}
		data, err := os.ReadFile(path)
		out[rel] = string(data)
		return err
	}))
	return out
}

// TestStartOverCompareCarry is the "done when", from a fresh clone
// with lab 03 solved and lab 05 half done: reset 05 and restore it byte for
// byte; compare 03 shows the diff and the notes while compare 05 refuses
// and says what is left; progress exported here and imported into another
// fresh clone shows the same labs done.
func TestStartOverCompareCarry(t *testing.T) {
	root := clone(t, "03-hello-server", "05-snack-shop")
	solve(t, root, "03-hello-server")
	server := filepath.Join(root, "labs", "03-hello-server", "server.go")
	data, err := os.ReadFile(server)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(server, append([]byte("// My hello server.\n\n"), data...), 0o644))
	// Half of lab 05: everything but the lock on the shelf.
	lab05 := filepath.Join(root, "labs", "05-snack-shop")
	work := map[string][]byte{}
	for name, from := range map[string]string{
		"customer.go": filepath.Join(root, "solutions", "05-snack-shop", "customer.go"),
		"shop.go":     filepath.Join(root, "solutions", "05-snack-shop", "wrong", "no-lock-on-the-shelf", "shop.go"),
	} {
		data, err := os.ReadFile(from)
		require.NoError(t, err)
		data = append(data, "\n// mine, half done\n"...)
		work[name] = data
		require.NoError(t, os.WriteFile(filepath.Join(lab05, name), data, 0o644))
	}

	// check says where to look once a lab is done; compare shows it.
	code, out, errOut := netbook(t, "check", "03")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "compare 03")
	code, out, errOut = netbook(t, "compare", "03")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "Notes on the reference: a hello server")
	assert.Contains(t, out, "server.go: labs/03-hello-server/server.go (-) next to\nsolutions/03-hello-server/server.go (+): 2 lines removed, 0 lines added")
	assert.Contains(t, out, "--- yours/server.go\n+++ reference/server.go\n@@ -1,5 +1,3 @@\n-// My hello server.\n-\n package hello\n")

	code, out, errOut = netbook(t, "compare", "05")
	assert.Equal(t, 1, code, "compare before the lab passes fails")
	assert.Contains(t, out, "Lab 05-snack-shop is not done yet: 7 of 9 tasks pass, 2 to go (next: task 7,", errOut)
	assert.NotContains(t, out, "Notes on the reference", "the reference stays hidden until the lab passes")
	assert.NotContains(t, out, "+++ reference")

	// reset asks first, and does nothing without a yes.
	before := others(t, root)
	code, out, _ = netbookTyping(t, "n\n", true, "reset", "05")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Reset? [y/N] Not reset: nothing was changed.")
	for name, data := range work {
		got, _ := os.ReadFile(filepath.Join(lab05, name))
		assert.Equal(t, string(data), string(got), "a reset the student declined leaves %s alone", name)
	}
	code, _, errOut = netbookTyping(t, "", false, "reset", "05")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "add --yes", "off a terminal, reset cannot ask: it says how to go ahead")

	code, out, errOut = netbook(t, "reset", "05", "--yes")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "Reset: shop.go and customer.go are the skeleton again; your work is in\n.netbook/backups/05-snack-shop/")
	r := repo.Root{Dir: root}
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	l := testkit.Lab(t, r, "05-snack-shop")
	assert.True(t, sums.Pristine(l), "after reset 05 the skeleton is back: %v", sums.Changed(l, labs.Skeleton))
	assert.Equal(t, before, others(t, root), "reset touches nothing but the lab's student files")
	code, _, errOut = netbook(t, "reset", "05", "--yes")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "nothing to reset", "a lab that is the skeleton already is refused")
	code, out, errOut = netbook(t, "reset", "--restore", "05")
	require.Equal(t, 0, code, out+errOut)
	for name, data := range work {
		got, _ := os.ReadFile(filepath.Join(lab05, name))
		assert.Equal(t, string(data), string(got), "reset --restore brings %s back byte for byte", name)
	}
	assert.Equal(t, before, others(t, root))

	// Progress travels: export here, import into a fresh clone.
	file := filepath.Join(t.TempDir(), "progress.json")
	code, out, errOut = netbook(t, "progress", "--export", file)
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "1 lab done")
	code, here, _ := netbook(t)
	require.Equal(t, 0, code)

	other := testkit.Clone(t, testkit.Only("00", "03", "05"))
	enter(t, other.Dir)
	code, out, errOut = netbook(t, "progress", "--import", file)
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "03-hello-server")
	assert.Contains(t, out, "new here")
	code, there, _ := netbook(t)
	require.Equal(t, 0, code)
	assert.Regexp(t, `03-hello-server\s+done \d`, here)
	assert.Regexp(t, `03-hello-server\s+done \d.*\(files elsewhere\)`, there, "the fresh clone shows lab 03 done, though its files are in the first clone")
	assert.Contains(t, there, "1 of 2 labs done")
	assert.Contains(t, here, "1 of 2 labs done")
	day := regexp.MustCompile(`03-hello-server\s+done (\d{1,2} [A-Z][a-z]{2} \d{4})`)
	if m, n := day.FindStringSubmatch(here), day.FindStringSubmatch(there); assert.NotNil(t, m) && assert.NotNil(t, n) {
		assert.Equal(t, m[1], n[1], "the day lab 03 was done travels with it")
	}
	code, out, _ = netbook(t, "compare", "03")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "with files that are not in this copy")
	// check runs the skeleton's tests here: every task fails, and the
	// report says why in compare's words, under its first line.
	code, out, _ = netbook(t, "check", "03")
	assert.Equal(t, 1, code)
	assert.Regexp(t, `(?s)^03-hello-server · [^\n]* · 0 of \d+ tasks\n\nYou did lab 03-hello-server on \d{1,2} [A-Z][a-z]{2} \d{4}, with files\s+that are not in this copy`, out)
	code, out, _ = netbook(t, "check", "03", "--lang", "zh")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "完成了实验 03-hello-server，但当时的文件不在你这份副本里")
}
