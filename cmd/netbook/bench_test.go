package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// bench refuses what it cannot measure before building anything.
func TestBenchRefusals(t *testing.T) {
	workTree(t, "03")
	code, _, errOut := netbook(t, "bench", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no workload for lab 01-addresses")
	code, _, errOut = netbook(t, "bench", "03", "--idle", "100")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--idle is for the chat labs")
	code, _, errOut = netbook(t, "bench", "03", "--clients", "ten")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `"ten" is not a number`)
}
