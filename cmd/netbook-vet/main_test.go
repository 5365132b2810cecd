package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
)

// go vet -vettool runs netbook's analyzers on a lab: quiet on the
// reference solution, and pointing at the line of a server that takes one
// Read as one line.
func TestVetTool(t *testing.T) {
	r := testkit.Tree(t)
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "netbook-vet")
	build := exec.Command("go", "build", "-o", tool, "./cmd/netbook-vet")
	build.Dir = r.Dir
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/netbook-vet: %s", out)

	lab := testkit.Lab(t, r, "03-hello-server")
	vet := func(serverGo string) (string, error) {
		overlay := filepath.Join(tmp, "overlay.json")
		data, err := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(lab.Dir, "server.go"): serverGo}})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(overlay, data, 0o644))
		cmd := exec.Command("go", "vet", "-vettool="+tool, "-overlay="+overlay, "./labs/03-hello-server")
		cmd.Dir = r.Dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out1, err := vet(filepath.Join(r.Dir, "solutions", "03-hello-server", "server.go"))
	assert.NoError(t, err, "go vet -vettool=netbook-vet on lab 03's reference solution should pass; it said:\n%s", out1)
	assert.Empty(t, out1, "go vet -vettool=netbook-vet on lab 03's reference solution should say nothing")

	wrong := filepath.Join(r.Dir, "runner", "analysis", "testdata", "corpus", "03-hello-server", "one-read-is-one-line", "server.go")
	out2, err := vet(wrong)
	assert.Error(t, err, "go vet should fail on a server that takes one Read as one line")
	// With -overlay, go vet names the file that stands in for server.go.
	assert.Contains(t, out2, "one-read-is-one-line/server.go:81:13: one Read is not one message",
		"go vet -vettool=netbook-vet should point at the Read (line 81 of %s)", wrong)
}
