package interpbin

import (
	"strings"
	"testing"
	"testing/iotest"

	"github.com/netbook/netbook/runner/sandbox"
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

// While an evaluation runs, the REPL's standard error loses the frame
// lines whichever way the pipe cuts what the interpreter wrote, and
// everything else passes, a partial line (a prompt) without waiting for
// its end unless it may be a frame.
func TestCutPanicFrames(t *testing.T) {
	const in = "12 apples\n2:7: panic: main.f(...)\n1:43: panic: main(...)\npanic: boom\nname? "
	const want = "12 apples\npanic: boom\nname? "
	for size := 1; size <= len(in); size++ {
		var b strings.Builder
		w := cutPanicFrames(&b)
		w.start()
		for i := 0; i < len(in); i += size {
			w.Write([]byte(in[i:min(i+size, len(in))]))
		}
		assert.Equal(t, want, b.String(), "written %d bytes at a time", size)
	}
	var b strings.Builder
	w := cutPanicFrames(&b)
	w.start()
	w.Write([]byte("name? "))
	assert.Equal(t, "name? ", b.String(), "a prompt is shown at once")
	w.Write([]byte("..."))
	assert.Equal(t, "name? ...", b.String())
}

// A line's start held back as a possible frame ("12:3") or a possible
// fatal error ("fatal") is passed on when the evaluation ends, since the
// program may write nothing more; between evaluations nothing is held.
func TestCutPanicFramesFlushesAsTheEvaluationEnds(t *testing.T) {
	var b strings.Builder
	w := cutPanicFrames(sandbox.CutFatal(&b))
	w.start()
	w.Write([]byte("12:3"))
	assert.Empty(t, b.String(), "while the evaluation runs, it may still be a frame")
	w.flush()
	assert.Equal(t, "12:3", b.String(), "the evaluation has ended: no more is coming")
	w.Write([]byte(": panic: main.f(...)\n"))
	assert.Equal(t, "12:3: panic: main.f(...)\n", b.String(), "a line shown in part is shown whole")

	b.Reset()
	w.start()
	w.Write([]byte("fatal"))
	w.flush()
	assert.Equal(t, "fatal", b.String(), "a possible fatal error's start is passed on too")
	w.Write([]byte("\n4:5"))
	assert.Equal(t, "fatal\n4:5", b.String(), "between evaluations a partial line passes at once")
	w.Write([]byte(": panic: main.g(...)\n7:1: panic: main(...)\n"))
	assert.Equal(t, "fatal\n4:5: panic: main.g(...)\n", b.String(), "whole frame lines are dropped between evaluations too")
}

// copyErr passes the interpreter's error output on without netbook's sync
// marks, however the pipe cuts them, and answers each mark once what came
// before it is through the filter.
func TestCopyErrAnswersEachSync(t *testing.T) {
	in := "undefined: x\n" + string(errSync) + "12:3" + string(errSync) + "\x00 a NUL of the program's own" + string(errSync[:5])
	var b strings.Builder
	c := &replChild{errCut: cutPanicFrames(&b), synced: make(chan struct{}, 2)}
	c.errCut.start()
	c.copyErr(iotest.OneByteReader(strings.NewReader(in)), c.errCut)
	assert.Equal(t, "undefined: x\n12:3\x00 a NUL of the program's own"+string(errSync[:5]), b.String())
	assert.Len(t, c.synced, 2, "one answer for each sync")
}

// The runtime's report of a goroutine's panic that the interpreter
// recovered and panicked with again reads as Go's own panic, however the
// pipe cuts it: the message in Go's words without "[recovered,
// repanicked]", the goroutine's line, and no stack.
func TestCutPanicFramesRewritesARepanickedGoroutine(t *testing.T) {
	const in = "2:7: panic: main.f(...)\npanic: reflect: slice index out of range [recovered, repanicked]\n\ngoroutine 23 [running]:\ngithub.com/traefik/yaegi/interp.runCfg.func1()\n\t/x/run.go:226 +0x1ae\ngoroutine 24 [running]:\n\t/x/run.go:1 +0x1\n"
	const want = "panic: runtime error: index out of range\ngoroutine 23 [running]: no stack trace in the REPL\n"
	for size := 1; size <= len(in); size++ {
		var b strings.Builder
		w := cutPanicFrames(&b)
		w.start()
		for i := 0; i < len(in); i += size {
			w.Write([]byte(in[i:min(i+size, len(in))]))
		}
		w.flush()
		assert.Equal(t, want, b.String(), "written %d bytes at a time", size)
	}
	var b strings.Builder
	w := cutPanicFrames(&b)
	w.start()
	w.Write([]byte("panic: boom [recovered, repanicked]\n\ngoroutine 5 [run"))
	w.flush()
	assert.Equal(t, "panic: boom\n", b.String(), "the end of a stack is not passed on as the evaluation ends")
	assert.Equal(t, "panic: boom [recovered]\n", cutWhole("panic: boom [recovered]\n"), "only the runtime's repanicked line is rewritten")
}

// cutWhole is what cutPanicFrames passes on of line, written whole.
func cutWhole(line string) string {
	var b strings.Builder
	w := cutPanicFrames(&b)
	w.Write([]byte(line))
	return b.String()
}

// Between evaluations, a goroutine's panic may come in parts too: a line
// that starts "panic: " waits for its end; a shorter start passes at once.
func TestCutPanicFramesRewritesARepanickedGoroutineBetweenEvaluations(t *testing.T) {
	var b strings.Builder
	w := cutPanicFrames(&b)
	w.Write([]byte("pan"))
	assert.Equal(t, "pan", b.String(), "between evaluations a short start passes at once")
	w.Write([]byte("\n"))
	b.Reset()
	for _, part := range []string{"panic: ", "boom", " [recovered, repanicked]", "\n"} {
		w.Write([]byte(part))
	}
	assert.Equal(t, "panic: boom\n", b.String())
}
