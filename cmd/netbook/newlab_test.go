package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// new-lab's errors say what is wrong with the name given, and suggest the
// next number the book has free.
func TestNewLabErrors(t *testing.T) {
	workTree(t) // chapters 00 to 02, labs 01 and 02
	code, _, errOut := netbook(t, "new-lab")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "name the new lab, such as 03-udp-broadcast")

	code, _, errOut = netbook(t, "new-lab", "udp-broadcast")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "such as 03-udp-broadcast")

	code, _, errOut = netbook(t, "new-lab", "02-udp-broadcast")
	assert.Equal(t, 1, code)
	assert.Contains(t, unwrapped(errOut), "give the new one another number, such as 03")

	code, _, errOut = netbook(t, "new-lab", "03-udp-broadcast", "--package", "type")
	assert.Equal(t, 1, code)
	assert.Contains(t, unwrapped(errOut), `--package "type" cannot be the lab's package name: it is a Go keyword`)
	assert.NotContains(t, errOut, "give one with --package")
}
