package term

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStyle(t *testing.T) {
	plain := Style{}
	assert.Equal(t, "ok", plain.Good("ok"), "no colour, no escape codes")
	color := Style{Color: true}
	assert.Equal(t, "\x1b[32mok\x1b[0m", color.Good("ok"))
	assert.Equal(t, "", color.Bold(""), "nothing to style, nothing added")
}

func TestColorFollowsNoColor(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	os.Unsetenv("NO_COLOR")
	assert.True(t, ColorAllowed())
	t.Setenv("NO_COLOR", "")
	assert.False(t, ColorAllowed(), "NO_COLOR set, even empty, disables colour")
	os.Unsetenv("NO_COLOR")
	t.Setenv("TERM", "dumb")
	assert.False(t, ColorAllowed())
}

func TestNotATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, IsTerminal(f))
	assert.Equal(t, 80, Width(f))
	assert.False(t, For(f).Color)
}

func TestIndent(t *testing.T) {
	assert.Equal(t, "  a\n\n  b\n", Indent("a\n\nb", "  "))
}
