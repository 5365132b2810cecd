package lazybin

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/fakego"
	"github.com/netbook/netbook/runner/lang"
)

// Without Sources, the fingerprint follows every file of the work tree
// that go list says the binary compiles or embeds, and nothing else.
func TestFingerprintFollowsWhatGoListSays(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	write("go.mod", "module example.com/book\n\ngo 1.26\n")
	write("go.sum", "")
	write("cmd/tool/main.go", "package main\n\nimport \"example.com/book/pages\"\n\nfunc main() { println(pages.Page) }\n")
	write("pages/pages.go", "package pages\n\nimport _ \"embed\"\n\n//go:embed page.html\nvar Page string\n")
	write("pages/page.html", "<p>one</p>\n")
	write("pages/pages_test.go", "package pages\n")
	write("other/other.go", "package other\n")

	b := &Binary{Name: "tool", Package: "./cmd/tool", About: "a tool"}
	ctx := context.Background()
	fp := func() string {
		t.Helper()
		s, err := b.Fingerprint(ctx, dir)
		require.NoError(t, err)
		return s
	}
	first := fp()
	assert.Equal(t, first, fp(), "the same tree, the same fingerprint")

	write("pages/pages_test.go", "package pages\n\n// a test changed\n")
	write("other/other.go", "package other\n\n// not compiled into the tool\n")
	assert.Equal(t, first, fp(), "tests and packages the binary does not use leave it alone")

	write("pages/page.html", "<p>two</p>\n")
	embedded := fp()
	assert.NotEqual(t, first, embedded, "an embedded file is part of the binary")

	write("cmd/tool/main.go", "package main\n\nimport \"example.com/book/pages\"\n\nfunc main() { print(pages.Page) }\n")
	assert.NotEqual(t, embedded, fp(), "so is a compiled one")
}

// The first build takes a minute, so it is the one a student most often
// stops with Ctrl-C: the go command stops with every compiler it started,
// and Ensure returns the context's error and leaves no binary.
func TestAStoppedBuildLeavesNoProcess(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/book\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), nil, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "cmd", "tool"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cmd", "tool", "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	cache := t.TempDir()
	t.Setenv("NETBOOK_CACHE", cache)
	g := fakego.Install(t)
	b := &Binary{Name: "tool", Package: "./cmd/tool", About: "a tool", Sources: []string{"cmd/tool"}}
	work, err := g.Interrupt(func(ctx context.Context) error {
		_, err := b.Ensure(ctx, dir, io.Discard)
		return err
	})
	require.ErrorIs(t, err, context.Canceled)
	require.NotEmpty(t, work, "go build runs with GOTMPDIR set: stopped, it leaves its work directory")
	_, err = os.Stat(work)
	assert.True(t, os.IsNotExist(err), "the go command's temp dir %s is removed (%v)", work, err)
	bins, err := filepath.Glob(filepath.Join(cache, "tool-*"))
	require.NoError(t, err)
	assert.Empty(t, bins, "no binary, whole or partial, is left in the cache")
}

// The notes while a binary builds are in the reader's language (serve
// --lang zh, run --lang zh), the binary's name as it is; a second call
// finds it built and says nothing.
func TestEnsureInSaysTheBuildInTheReadersLanguage(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/book\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), nil, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "cmd", "tool"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cmd", "tool", "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	t.Setenv("NETBOOK_CACHE", t.TempDir())
	b := &Binary{Name: "tool", Package: "./cmd/tool", About: "a tool", Says: lang.BuildWebBook, Sources: []string{"cmd/tool"}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var note strings.Builder
	_, err := b.EnsureIn(ctx, dir, &note, lang.Chinese)
	require.NoError(t, err)
	out := note.String()
	assert.Contains(t, out, strings.TrimSuffix(lang.Chinese.Sprintf(lang.BuildingOnce, lang.Chinese.Sprintf(lang.BuildWebBook)), "\n"))
	assert.Contains(t, out, "netbook：tool 已就绪", "the binary's name stays as it is")
	assert.NotContains(t, out, "building", "no English left")
	assert.NotContains(t, out, "ready in")

	note.Reset()
	_, err = b.EnsureIn(ctx, dir, &note, lang.Chinese)
	require.NoError(t, err)
	assert.Empty(t, note.String(), "built once, found the next time")
}
