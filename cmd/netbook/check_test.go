package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// go test takes -timeout 0, or less, as no limit at all: check refuses
// it, as run, repl and grade do, before it runs anything.
func TestCheckRefusesNoTimeLimit(t *testing.T) {
	workTree(t)
	for _, v := range []string{"0", "-1s"} {
		code, out, errOut := netbook(t, "check", "01", "--timeout", v)
		assert.Equal(t, 2, code, "--timeout %s: %s%s", v, out, errOut)
		assert.Contains(t, errOut, "--timeout must be more than 0, such as 2m")
	}
}
