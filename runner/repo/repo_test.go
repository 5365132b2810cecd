package repo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFind(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "labs", "01-x"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.work"), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "labs", "go.mod"), nil, 0o644))
	t.Setenv("NETBOOK_ROOT", "")

	r, err := Find(filepath.Join(dir, "labs", "01-x"))
	require.NoError(t, err)
	assert.Equal(t, dir, r.Dir)
	assert.Equal(t, filepath.Join(dir, "labs", "01-x"), r.Lab("01-x"))

	_, err = Find(filepath.Dir(dir))
	assert.ErrorIs(t, err, ErrNotFound)

	t.Setenv("NETBOOK_ROOT", dir)
	r, err = Find("/")
	require.NoError(t, err)
	assert.Equal(t, dir, r.Dir)
}

func TestPkgAndRel(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	r := Root{Dir: dir}
	assert.Equal(t, "./labs/01-x", r.Pkg(r.Lab("01-x")))
	assert.Equal(t, "labs/01-x/a.go", r.Rel(filepath.Join(r.Lab("01-x"), "a.go")))
	require.NoError(t, os.MkdirAll(r.Lab("01-x"), 0o755))
	t.Chdir(r.Lab("01-x"))
	assert.Equal(t, ".", r.Pkg(r.Lab("01-x")))
	assert.Equal(t, "a.go", r.Rel(filepath.Join(r.Lab("01-x"), "a.go")))
	// A package two folders up is reached from here, not from the root:
	// "go run ./cmd/netbook" does not work inside a lab's folder.
	assert.Equal(t, filepath.FromSlash("../../cmd/netbook"), r.Pkg(filepath.Join(dir, "cmd", "netbook")))
	assert.Equal(t, filepath.FromSlash("../02-y"), r.Pkg(r.Lab("02-y")))
}

func TestLabAt(t *testing.T) {
	dir := t.TempDir()
	r := Root{Dir: dir}
	for in, want := range map[string]string{
		r.Lab("03-hello-server"):                            "03-hello-server",
		filepath.Join(r.Lab("03-hello-server"), "testdata"): "03-hello-server",
		filepath.Join(r.Lab("03-hello-server"), "a", "b"):   "03-hello-server",
		r.Labs():                           "",
		filepath.Join(r.Labs(), "nettest"): "",
		dir:                                "",
		filepath.Join(dir, "solutions", "03-hello-server"):     "",
		filepath.Join(filepath.Dir(dir), "labs", "03-hello-x"): "",
	} {
		assert.Equal(t, want, r.LabAt(in), "LabAt(%s)", in)
	}

	// A folder reached through a symbolic link is the folder it leads to.
	require.NoError(t, os.MkdirAll(r.Lab("01-x"), 0o755))
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(r.Lab("01-x"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	assert.Equal(t, "01-x", r.LabAt(link))
}
