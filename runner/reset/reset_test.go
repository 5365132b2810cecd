package reset

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// halfDone writes a student's work into lab 05 of r: both student files
// edited, a test edited, a file of the student's own, and lab 03 solved.
// It returns the student's files' bytes.
func halfDone(t *testing.T, r repo.Root) map[string][]byte {
	t.Helper()
	work := map[string][]byte{
		"shop.go":     []byte("package shop\n\n// my shop, half done\n"),
		"customer.go": []byte("package shop\r\n\r\n// CRLF and no trailing newline"),
	}
	for name, data := range work {
		require.NoError(t, os.WriteFile(filepath.Join(r.Lab("05-snack-shop"), name), data, 0o644))
	}
	edit(t, filepath.Join(r.Lab("05-snack-shop"), "task01_shop_test.go"), "\n// the student was here\n")
	require.NoError(t, os.WriteFile(filepath.Join(r.Lab("05-snack-shop"), "notes.go"), []byte("package shop\n"), 0o644))
	edit(t, filepath.Join(r.Lab("03-hello-server"), "server.go"), "\n// solved, say\n")
	return work
}

func edit(t *testing.T, path, more string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(data, more...), 0o644))
}

// snapshot is every file under dir but the student files of lab 05 and
// the backups, by path, with its content.
func snapshot(t *testing.T, r repo.Root) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(r.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(r.Dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" || rel == ".netbook" {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == "labs/05-snack-shop/shop.go" || rel == "labs/05-snack-shop/customer.go" {
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	require.NoError(t, err)
	return out
}

func TestResetThenRestoreByteForByte(t *testing.T) {
	r := testkit.Clone(t, testkit.Only("03", "05"))
	l := testkit.Lab(t, r, "05-snack-shop")
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	work := halfDone(t, r)
	others := snapshot(t, r)

	p, err := Prepare(context.Background(), r, l, sums, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"shop.go", "customer.go"}, p.Names(), "the brief's files, in its order")
	assert.Equal(t, []string{"notes.go"}, p.Own, "the student's own file is named, to be left alone")

	at := time.Date(2026, 3, 2, 10, 15, 0, 0, time.Local)
	b, err := p.Apply(at)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(Dir(r, l.Name), "20260302-101500"), b.Dir)
	assert.True(t, sums.Pristine(l), "after a reset, lab 05's student files are the skeleton as shipped: %v", sums.Changed(l, labs.Skeleton))
	assert.Equal(t, others, snapshot(t, r), "a reset touches nothing but the lab's student files: not tests, other labs or the student's own files")
	for name, data := range work {
		saved, err := os.ReadFile(filepath.Join(b.Dir, name))
		require.NoError(t, err)
		assert.Equal(t, data, saved, "the backup of %s holds the student's bytes", name)
	}

	_, err = Prepare(context.Background(), r, l, sums, Options{})
	assert.ErrorIs(t, err, ErrNothing, "a lab that is the skeleton already has nothing to reset")

	latest, err := Latest(r, l.Name)
	require.NoError(t, err)
	assert.Equal(t, b.Dir, latest.Dir)
	res, err := Restore(r, l, sums, latest, at.Add(time.Minute))
	require.NoError(t, err)
	assert.Nil(t, res.Saved, "the skeleton the restore replaced needs no backup: the book has it")
	assert.ElementsMatch(t, []string{"shop.go", "customer.go"}, res.Files)
	for name, data := range work {
		got, err := os.ReadFile(filepath.Join(l.Dir, name))
		require.NoError(t, err)
		assert.Equal(t, data, got, "restore brings %s back byte for byte", name)
	}
	assert.Equal(t, others, snapshot(t, r))

	res, err = Restore(r, l, sums, latest, at.Add(2*time.Minute))
	require.NoError(t, err)
	assert.True(t, res.Same, "a second restore finds the files as in the backup")
}

func TestResetOneFileAndRestoreKeepsNewWork(t *testing.T) {
	r := testkit.Clone(t, testkit.Only("05"))
	l := testkit.Lab(t, r, "05-snack-shop")
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	shop := filepath.Join(l.Dir, "shop.go")
	customer := filepath.Join(l.Dir, "customer.go")
	require.NoError(t, os.WriteFile(shop, []byte("package shop\n// first try\n"), 0o644))
	require.NoError(t, os.WriteFile(customer, []byte("package shop\n// keep me\n"), 0o644))

	p, err := Prepare(context.Background(), r, l, sums, Options{Files: []string{"shop.go"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"shop.go"}, p.Names())
	at := time.Date(2026, 3, 2, 10, 15, 0, 0, time.Local)
	b, err := p.Apply(at)
	require.NoError(t, err)
	assert.Equal(t, []string{"shop.go"}, b.Names())
	got, _ := os.ReadFile(customer)
	assert.Equal(t, "package shop\n// keep me\n", string(got), "a reset of shop.go leaves customer.go alone")

	// The student starts over and writes something new, then asks for the
	// old work back: the new work is saved first.
	require.NoError(t, os.WriteFile(shop, []byte("package shop\n// second try\n"), 0o644))
	res, err := Restore(r, l, sums, b, at) // the same second: the folder name gets a suffix
	require.NoError(t, err)
	require.NotNil(t, res.Saved, "work since the reset is saved before a restore replaces it")
	assert.Equal(t, b.Dir+"-2", res.Saved.Dir)
	assert.Equal(t, "restore", res.Saved.Why)
	got, _ = os.ReadFile(shop)
	assert.Equal(t, "package shop\n// first try\n", string(got))

	all, err := List(r, l.Name)
	require.NoError(t, err)
	require.Len(t, all, 2)
	res, err = Restore(r, l, sums, all[1], at.Add(time.Second))
	require.NoError(t, err)
	got, _ = os.ReadFile(shop)
	assert.Equal(t, "package shop\n// second try\n", string(got), "a restore can be undone with the backup it made")
	require.NotNil(t, res.Saved)
}

func TestResetRefuses(t *testing.T) {
	r := testkit.Clone(t, testkit.Only("05"))
	l := testkit.Lab(t, r, "05-snack-shop")
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)

	_, err = Prepare(context.Background(), r, l, sums, Options{})
	assert.ErrorIs(t, err, ErrNothing, "a fresh clone's lab has nothing to reset")

	_, err = Prepare(context.Background(), r, l, sums, Options{Files: []string{"task01_shop_test.go"}})
	assert.ErrorContains(t, err, "task01_shop_test.go is not one of the files you edit in lab 05-snack-shop (shop.go, customer.go)")

	_, err = Latest(r, l.Name)
	assert.ErrorIs(t, err, ErrNoBackup)

	// A missing file is reset too, and comes back missing on a restore.
	require.NoError(t, os.Remove(filepath.Join(l.Dir, "customer.go")))
	p, err := Prepare(context.Background(), r, l, sums, Options{})
	require.NoError(t, err)
	require.Len(t, p.Files, 1)
	assert.True(t, p.Files[0].Missing)
	b, err := p.Apply(time.Now())
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(l.Dir, "customer.go"))
	_, err = Restore(r, l, sums, b, time.Now())
	require.NoError(t, err)
	assert.NoFileExists(t, filepath.Join(l.Dir, "customer.go"))
}

func TestResetWithoutGitSaysSoAndWritesNothing(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("05")) // a copy, not a git repository: a downloaded zip
	l := testkit.Lab(t, r, "05-snack-shop")
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	shop := filepath.Join(l.Dir, "shop.go")
	require.NoError(t, os.WriteFile(shop, []byte("package shop\n// mine\n"), 0o644))

	_, err = Prepare(context.Background(), r, l, sums, Options{})
	require.Error(t, err)
	assert.True(t, errors.Is(err, shipped.ErrUnrecoverable), "without git the skeleton cannot be recovered: %v", err)
	assert.Contains(t, err.Error(), "not a git clone")
	got, _ := os.ReadFile(shop)
	assert.Equal(t, "package shop\n// mine\n", string(got))
	assert.NoDirExists(t, Dir(r, l.Name), "nothing was backed up, because nothing was reset")
}

func TestTamperedBackupIsRefused(t *testing.T) {
	r := testkit.Clone(t, testkit.Only("05"))
	l := testkit.Lab(t, r, "05-snack-shop")
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "shop.go"), []byte("package shop\n// mine\n"), 0o644))
	p, err := Prepare(context.Background(), r, l, sums, Options{})
	require.NoError(t, err)
	b, err := p.Apply(time.Now())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(b.Dir, "shop.go"), []byte("package shop\n// changed\n"), 0o644))
	_, err = Restore(r, l, sums, b, time.Now())
	assert.ErrorContains(t, err, "was changed since it was saved")
	got, _ := os.ReadFile(filepath.Join(l.Dir, "shop.go"))
	assert.True(t, strings.Contains(string(got), "TODO"), "the skeleton stays when the backup is damaged")
}

func TestResetRefusesAnotherLabsFile(t *testing.T) {
	r := testkit.Clone(t, testkit.Only("03", "05"))
	l := testkit.Lab(t, r, "03-hello-server")
	sums, err := labs.ReadSums(r)
	require.NoError(t, err)
	edit(t, filepath.Join(l.Dir, "server.go"), "\n// mine\n")
	other := filepath.Join(r.Lab("05-snack-shop"), "shop.go")
	_, err = Prepare(context.Background(), r, l, sums, Options{Files: []string{other}})
	assert.ErrorContains(t, err, "is not in lab 03-hello-server's folder", "a path names the lab's own file, or none")
	p, err := Prepare(context.Background(), r, l, sums, Options{Files: []string{filepath.Join(l.Dir, "server.go")}})
	require.NoError(t, err, "the lab's own file by its path")
	assert.Equal(t, []string{"server.go"}, p.Names())
}
