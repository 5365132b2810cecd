package main

import (
	"strings"
	"testing"

	"github.com/netbook/netbook/runner/style"
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

// Every command's help fits a terminal 80 columns wide, in both
// languages: descriptions of flags wrap, and an example too wide for the
// line puts its comments above its commands.
func TestUsageFitsEightyColumns(t *testing.T) {
	for _, c := range commands {
		for _, lang := range []string{"en", "zh"} {
			code, out, _ := netbook(t, "help", c.Name, "--lang", lang)
			require.Equal(t, 0, code, c.Name)
			for i, line := range strings.Split(out, "\n") {
				line = strings.ReplaceAll(line, "    \t", strings.Repeat(" ", 8))
				assert.LessOrEqual(t, style.Cols(line), helpWidth, "netbook help %s --lang %s, line %d: %q", c.Name, lang, i+1, line)
			}
		}
	}
}

func TestWrapExample(t *testing.T) {
	fits := "go run ./cmd/netbook up 03   # prints: listening\ngo run ./cmd/netbook up 03 --ref"
	assert.Equal(t, fits, wrapExample(fits, 50), "an example that fits stays as it is")
	wide := "netbook up 03        # prints: listening on tcp 127.0.0.1:PORT\nnetbook proxy udp --to 127.0.0.1:9000 --drop 20%"
	assert.Equal(t, "# prints: listening on tcp\n# 127.0.0.1:PORT\nnetbook up 03\n\nnetbook proxy udp --to \\\n    127.0.0.1:9000 --drop 20%",
		wrapExample(wide, 30))
	assert.Equal(t, "netbook new-lab --title \\\n    \"UDP broadcast\"", wrapExample(`netbook new-lab --title "UDP broadcast"`, 30),
		"a line is not broken inside quotes")
}
