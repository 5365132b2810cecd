package sandbox

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCutFatal(t *testing.T) {
	var out strings.Builder
	w := CutFatal(&out)
	for _, s := range []string{
		"a line of the program's own\n",
		"a prompt> ", // no newline: passed at once
		"fat", "al error: runtime: out of memory\n",
		"\nruntime stack:\nruntime.throw(...)\n",
		"goroutine 1 [running]:\n",
	} {
		n, err := w.Write([]byte(s))
		assert.NoError(t, err)
		assert.Equal(t, len(s), n)
		if s == "a prompt> " {
			assert.True(t, strings.HasSuffix(out.String(), "a prompt> "), "output that cannot be a fatal error is not held back")
		}
	}
	assert.Equal(t, "a line of the program's own\na prompt> fatal error: runtime: out of memory\n", out.String())

	out.Reset()
	w = CutFatal(&out)
	w.Write([]byte("fatal: my program's own word\nfatal error: concurrent map writes\nmore\n"))
	assert.Equal(t, "fatal: my program's own word\nfatal error: concurrent map writes\nmore\n", out.String(), "only the sandbox's limits are cut")
}
