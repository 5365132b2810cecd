package linewatch

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeT records a fatal failure instead of failing the real test.
type fakeT struct {
	testing.TB
	failed string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func expectFails(t *testing.T, l *Lines, d time.Duration, pattern string) string {
	f := &fakeT{TB: t}
	var wg sync.WaitGroup
	wg.Go(func() { l.Expect(f, d, pattern) })
	wg.Wait()
	return f.failed
}

func TestExpectSkipsToTheMatch(t *testing.T) {
	r, w := io.Pipe()
	l := Watch(r)
	go func() {
		io.WriteString(w, "starting\nlistening on tcp 127.0.0.1:4321\nready\n")
		w.Close()
	}()
	m := l.Expect(t, 10*time.Second, `listening on (tcp) (\S+)`)
	assert.Equal(t, []string{"listening on tcp 127.0.0.1:4321", "tcp", "127.0.0.1:4321"}, m)
	assert.Equal(t, "ready", l.Expect(t, 10*time.Second, `^ready$`)[0])

	msg := expectFails(t, l, 10*time.Second, "never")
	assert.Contains(t, msg, `the output ended without a line matching "never"`)
}

func TestExpectTimesOutWithWhatItSaw(t *testing.T) {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	l := Watch(r)
	l.Also = func() string { return "stderr: oops" }
	// A pipe's Write returns once the reader has taken the bytes: the
	// second Write returns only after the scanner has handed "one" to l and
	// asked for more, so l has seen "one" before the wait below begins,
	// however slowly the reader runs.
	io.WriteString(w, "one\n")
	io.WriteString(w, "three\n")
	msg := expectFails(t, l, 50*time.Millisecond, "two")
	assert.Contains(t, msg, `no line matching "two" within 50ms`)
	assert.Contains(t, msg, "one")
	assert.Contains(t, msg, "stderr: oops")
}

func TestManyLinesNeverBlockTheWriter(t *testing.T) {
	r, w := io.Pipe()
	l := Watch(r)
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.WriteString(w, strings.Repeat("line\n", 10000)+"last\n")
		w.Close()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the writer blocked for 30s on a reader that had not asked for anything")
	}
	require.Equal(t, "last", l.Expect(t, 10*time.Second, "last")[0])
}
