package frontmatter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name, src, front, body string
		line                   int
	}{
		{"no front matter", "# Title\n", "", "# Title\n", 1},
		{"front matter", "---\ntitle: x\n---\n# Body\n", "title: x\n", "# Body\n", 4},
		{"crlf", "---\r\ntitle: x\r\n---\r\nbody", "title: x\r\n", "body", 4},
		{"empty front matter", "---\n---\nbody", "", "body", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			front, body, line, err := Split([]byte(tc.src))
			require.NoError(t, err)
			assert.Equal(t, tc.front, string(front))
			assert.Equal(t, tc.body, string(body))
			assert.Equal(t, tc.line, line)
		})
	}
	_, _, _, err := Split([]byte("---\ntitle: x\n"))
	assert.ErrorContains(t, err, "never ends")
}

func TestDecodeReportsFileLines(t *testing.T) {
	type meta struct {
		Title string `yaml:"title"`
	}
	var m meta
	body, line, err := Decode("a.md", []byte("---\ntitle: Hello\n---\ntext\n"), &m)
	require.NoError(t, err)
	assert.Equal(t, "Hello", m.Title)
	assert.Equal(t, "text\n", string(body))
	assert.Equal(t, 4, line)

	_, _, err = Decode("a.md", []byte("---\ntitle: Hello\ntitel: typo\n---\n"), &m)
	assert.EqualError(t, err, "a.md:3: field titel not found in type frontmatter.meta")

	_, _, err = Decode("b.md", []byte("# no header\n"), &m)
	assert.ErrorContains(t, err, "b.md:1: missing front matter")
}
