package interpbin

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const root = "../.."

func goList(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg)
	cmd.Dir = root
	out, err := cmd.Output()
	require.NoError(t, err)
	return strings.Fields(string(out))
}

// TestSourcesCoverTheInterpreter checks that the fingerprint reads every
// directory of the root module that the interpreter is compiled from.
func TestSourcesCoverTheInterpreter(t *testing.T) {
	const module = "github.com/netbook/netbook/"
	var got []string
	for _, p := range goList(t, Package) {
		if strings.HasPrefix(p, module) {
			got = append(got, strings.TrimPrefix(p, module))
		}
	}
	want := append([]string(nil), Sources...)
	sort.Strings(got)
	sort.Strings(want)
	assert.Equal(t, want, got, "update interpbin.Sources")
}

// TestNetbookDoesNotLinkTesting: test helpers live in packages of their
// own (sessiontest, netsimtest, nettest), never in what the binary uses.
func TestNetbookDoesNotLinkTesting(t *testing.T) {
	for _, p := range goList(t, "./cmd/netbook") {
		assert.NotEqual(t, "testing", p, "cmd/netbook links the testing package: a test helper sits in a package the binary imports")
	}
}

// TestNetbookDoesNotImportYaegi guards the first-run speed of
// "go run ./cmd/netbook": yaegi belongs to the interpreter binary only.
func TestNetbookDoesNotImportYaegi(t *testing.T) {
	for _, p := range goList(t, "./cmd/netbook") {
		assert.False(t, strings.HasPrefix(p, "github.com/traefik/yaegi"), "cmd/netbook imports %s", p)
		assert.NotEqual(t, "github.com/netbook/netbook/runner/interp", p, "cmd/netbook imports runner/interp, which pulls in yaegi")
	}
}

func TestEnsureBuildsOnceAndReuses(t *testing.T) {
	t.Setenv("NETBOOK_CACHE", t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	var note strings.Builder
	bin, err := Ensure(ctx, root, &note)
	require.NoError(t, err)
	assert.Contains(t, note.String(), "building the Go interpreter")
	fi, err := os.Stat(bin)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular())

	note.Reset()
	again, err := Ensure(ctx, root, &note)
	require.NoError(t, err)
	assert.Equal(t, bin, again)
	assert.Empty(t, note.String(), "an up-to-date interpreter is reused silently")

	out, err := exec.Command(bin).CombinedOutput()
	assert.Error(t, err)
	assert.Contains(t, string(out), "usage: netbook-interp")
}

func TestFingerprintFollowsTheSources(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum", "cmd/netbook-interp/main.go", "runner/interp/run.go"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte(f), 0o644))
	}
	a, err := Fingerprint(dir)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "runner/interp/run_test.go"), []byte("test"), 0o644))
	b, err := Fingerprint(dir)
	require.NoError(t, err)
	assert.Equal(t, a, b, "tests are not part of the binary")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "runner/interp/run.go"), []byte("changed"), 0o644))
	c, err := Fingerprint(dir)
	require.NoError(t, err)
	assert.NotEqual(t, a, c)
}

// TestNetbookDoesNotImportTheWebBook guards the same first run: the web
// book (net/http, chroma) is cmd/netbook-web's, built on first serve.
func TestNetbookDoesNotImportTheWebBook(t *testing.T) {
	for _, p := range goList(t, "./cmd/netbook") {
		assert.False(t, strings.HasPrefix(p, "github.com/alecthomas/chroma"), "cmd/netbook imports %s", p)
		assert.NotEqual(t, "github.com/netbook/netbook/runner/web", p, "cmd/netbook imports runner/web, which pulls in net/http and chroma")
	}
}
