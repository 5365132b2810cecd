package interpbin

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsPanicFrame(t *testing.T) {
	for _, line := range []string{
		"c02s1.go:6:2: panic: main.main(...)\n",
		"/tmp/netbook-run-1/c02s1.go:13:7: panic: main.f(...)\n",
		"2:7: panic: main.f(...)\n",
		"1:28: panic: main(...)\n",
		"1:40: panic: main.func(...)",
	} {
		assert.True(t, IsPanicFrame(line), "%q", line)
	}
	for _, line := range []string{
		"panic: boom\n",
		"main.go:6:2: panic: the program's own words\n",
		"1:28: undefined: x\n",
		"chapters/02-sockets-in-go.md:63:2: undefined: x\n",
	} {
		assert.False(t, IsPanicFrame(line), "%q", line)
	}
	assert.Equal(t, "start\npanic: boom\n", DropPanicFrames("start\nc92s1.go:13:7: panic: main.f(...)\nc92s1.go:18:2: panic: main.main(...)\npanic: boom\n"))
}

// The REPL's standard error loses the frame lines whichever way the pipe
// cuts what the interpreter wrote, and everything else passes, a partial
// line (a prompt) without waiting for its end unless it may be a frame.
func TestCutPanicFrames(t *testing.T) {
	const in = "12 apples\n2:7: panic: main.f(...)\n1:43: panic: main(...)\npanic: boom\nname? "
	const want = "12 apples\npanic: boom\nname? "
	for size := 1; size <= len(in); size++ {
		var b strings.Builder
		w := cutPanicFrames(&b)
		for i := 0; i < len(in); i += size {
			w.Write([]byte(in[i:min(i+size, len(in))]))
		}
		assert.Equal(t, want, b.String(), "written %d bytes at a time", size)
	}
	var b strings.Builder
	w := cutPanicFrames(&b)
	w.Write([]byte("name? "))
	assert.Equal(t, "name? ", b.String(), "a prompt is shown at once")
	w.Write([]byte("..."))
	assert.Equal(t, "name? ...", b.String())
}
