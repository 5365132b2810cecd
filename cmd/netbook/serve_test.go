package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
