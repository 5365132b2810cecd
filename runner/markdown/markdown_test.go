package markdown

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderPlain(t *testing.T) {
	out, err := Render([]byte("# Title\n\nSome `code` and **bold** :smile:.\n\n```go\nfmt.Println(1)\n```\n"), Plain, 60)
	require.NoError(t, err)
	assert.Contains(t, out, "# Title")
	assert.Contains(t, out, "fmt.Println(1)")
	assert.Contains(t, out, ":smile:", "no emoji extension: a shortcode stays as written")
	assert.NotContains(t, out, "\x1b[", "the plain style writes no escape codes")
	for _, l := range strings.Split(out, "\n") {
		assert.LessOrEqual(t, len([]rune(strings.TrimRight(l, " "))), 60)
	}
}

func TestAFileGetsPlainMarkdown(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, Plain, StyleFor(f))
}
