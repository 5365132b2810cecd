package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No line of a command's help ends in a space: a command without
// arguments (serve, list) has a usage line of its name alone.
func TestUsageLinesEndCleanly(t *testing.T) {
	for _, c := range commands {
		name := c.Name
		if name == "" {
			name = "dashboard"
		}
		code, out, _ := netbook(t, "help", c.Name)
		require.Equal(t, 0, code, name)
		for i, line := range strings.Split(out, "\n") {
			assert.Equal(t, strings.TrimRight(line, " \t"), line, "netbook help %s, line %d ends in a space", name, i+1)
		}
	}
	_, out, _ := netbook(t, "help", "serve")
	assert.True(t, strings.HasPrefix(out, "Usage: netbook serve\n"), out)
}
