package nettest

import (
	"bytes"
	"io"
	"log"
	"net"
	"sync"
	"testing"
)

// serverLog is where the standard logger writes once a test has limited
// it (LimitLog).
var (
	serverLog     = &lineLimit{}
	serverLogOnce sync.Once
)

// LimitLog lets the standard logger write its first max lines for the rest
// of the test, and leaves out the others, saying how many at the end. A
// Serve that logs every Accept error and carries on logs "use of closed
// network connection" once its listener is closed, in a loop that never
// ends: a hundred megabytes in the seconds a test waits for it, and the
// test's message, which says what to fix, would be lost below them.
// Whatever is logged after the test ends (by a Serve that never returned)
// is left out too. The standard logger is the process's: a test that
// limits it must not run in parallel with another that does.
func LimitLog(t testing.TB, max int) {
	t.Helper()
	serverLogOnce.Do(func() {
		serverLog.w = log.Writer()
		log.SetOutput(serverLog)
	})
	serverLog.reset(max)
	t.Cleanup(func() {
		n, closed := serverLog.reset(0)
		switch {
		case closed:
			t.Logf("(the server logged %d more lines, left out here, some of them about a closed listener: "+
				"a loop that logs an error and carries on never ends when the error is that its listener was closed)", n)
		case n > 0:
			t.Logf("(the server logged %d more lines, left out here)", n)
		}
	})
}

// lineLimit writes to w while its budget of lines lasts, and counts what it
// leaves out. The standard logger writes one line per call.
type lineLimit struct {
	w io.Writer

	mu      sync.Mutex
	left    int
	dropped int
	closed  bool // a line left out was about a closed connection or listener
}

func (l *lineLimit) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.left <= 0 {
		l.dropped++
		l.closed = l.closed || bytes.Contains(p, []byte(net.ErrClosed.Error()))
		return len(p), nil
	}
	l.left--
	return l.w.Write(p)
}

// reset gives the writer a budget of max lines, and returns how many it
// left out since the last reset, and whether one of them was about a
// closed connection or listener.
func (l *lineLimit) reset(max int) (dropped int, closed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	dropped, closed = l.dropped, l.closed
	l.left, l.dropped, l.closed = max, 0, false
	return dropped, closed
}
