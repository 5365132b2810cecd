package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netbook/netbook/runner/sandbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve listens on loopback only, unless told --public; the server itself
// (and its refusals) is tested in runner/web.
func TestServeRefusesBeyondLoopback(t *testing.T) {
	workTree(t)
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0"} {
		code, out, errOut := netbook(t, "serve", "--no-open", "--addr", addr)
		assert.Equal(t, 1, code, addr)
		assert.Empty(t, out, addr)
		assert.Contains(t, unwrapped(errOut), "not a loopback address", addr)
		assert.Contains(t, errOut, "--public", addr)
	}
	code, _, errOut := netbook(t, "serve", "--no-open", "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "serve takes no arguments")
}

// TestServeWarnsOfAMistypedSandboxWord: serve runs the pages' snippets in
// the sandbox, so it gives the notice run and repl give, and a word of
// NETBOOK_SANDBOX_OFF that names no layer is not ignored in silence. (The
// work tree has no web book to build: serve stops there.)
func TestServeWarnsOfAMistypedSandboxWord(t *testing.T) {
	root := workTree(t)
	require.NoError(t, os.RemoveAll(filepath.Join(root, "cmd", "netbook-web")))
	t.Setenv(sandbox.EnvOff, "netwrok")
	code, _, errOut := netbook(t, "serve", "--no-open", "--addr", "127.0.0.1:0")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, unwrapped(errOut), `netbook: warning: NETBOOK_SANDBOX_OFF=netwrok: netbook ignores "netwrok", which names no layer of the sandbox; it takes network, files and limits`)
}
