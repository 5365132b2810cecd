package nettest

import (
	"bytes"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A Serve that logs a closed listener's error for ever gets its first
// lines written; the rest are counted, with whether they were about a
// closed listener, for LimitLog to say at the test's end. After the test,
// nothing more is written.
func TestLineLimit(t *testing.T) {
	var out bytes.Buffer
	l := &lineLimit{w: &out}
	l.reset(2)
	line := []byte("accept tcp 127.0.0.1:1: " + net.ErrClosed.Error() + "\n")
	for range 5 {
		n, err := l.Write(line)
		assert.NoError(t, err)
		assert.Equal(t, len(line), n, "a line left out is still taken whole")
	}
	assert.Equal(t, 2, bytes.Count(out.Bytes(), []byte("\n")), "the first two lines are written: %q", out.String())
	dropped, closed := l.reset(0)
	assert.Equal(t, 3, dropped)
	assert.True(t, closed, "the lines left out were about a closed listener")

	l.Write([]byte("late\n"))
	assert.NotContains(t, out.String(), "late", "after the test, nothing is written")
	dropped, closed = l.reset(0)
	assert.Equal(t, 1, dropped)
	assert.False(t, closed)
}
