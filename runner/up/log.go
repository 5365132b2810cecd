package up

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/lang"
)

// logQueue is how many lines of a server's log wait for a slow reader
// before newer lines are dropped: a few seconds of a busy server's log.
// Tests make it smaller.
var logQueue = 4096

// logLine is one write to an asyncLog, and how many lines were dropped
// just before it.
type logLine struct {
	b       []byte
	dropped int
	synced  chan struct{} // Sync's marker: closed once the lines before it are written
}

// asyncLog passes a server's log on to out without ever making the server
// wait for out: netbook up copies the server's output a line at a time, and
// a terminal that is not read (a pager that waits, Ctrl-S, a pipe into a
// program that sleeps) would otherwise fill the pipe and freeze every client
// of the server. Lines wait in a bounded queue; when it is full they are
// dropped and counted, and the writer says how many in their place, once it
// catches up ("... 12 log lines dropped (output was not being read)").
type asyncLog struct {
	out   io.Writer
	lang  lang.Lang // of the dropped lines' count
	lines chan logLine
	done  chan struct{}

	mu      sync.Mutex
	closed  bool
	dropped int // dropped since the last line queued
	total   int // dropped in all
}

func newAsyncLog(out io.Writer) *asyncLog { return newAsyncLogIn(out, lang.English) }

// newAsyncLogIn is newAsyncLog counting dropped lines in language in.
func newAsyncLogIn(out io.Writer, in lang.Lang) *asyncLog {
	l := &asyncLog{out: out, lang: in, lines: make(chan logLine, logQueue), done: make(chan struct{})}
	go l.run()
	return l
}

// Write queues p, or drops it when the queue is full. It never blocks and
// never fails.
func (l *asyncLog) Write(p []byte) (int, error) {
	n := max(1, bytes.Count(p, []byte{'\n'}))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		l.dropped += n
		l.total += n
		return len(p), nil
	}
	select {
	case l.lines <- logLine{b: bytes.Clone(p), dropped: l.dropped}:
		l.dropped = 0
	default:
		l.dropped += n
		l.total += n
	}
	return len(p), nil
}

func (l *asyncLog) run() {
	defer close(l.done)
	for line := range l.lines {
		if line.synced != nil {
			close(line.synced)
			continue
		}
		if line.dropped > 0 {
			fmt.Fprint(l.out, droppedLine(l.lang, line.dropped))
		}
		l.out.Write(line.b)
	}
	l.mu.Lock()
	n := l.dropped
	l.dropped = 0
	l.mu.Unlock()
	if n > 0 {
		fmt.Fprint(l.out, droppedLine(l.lang, n))
	}
}

func droppedLine(in lang.Lang, n int) string {
	if n == 1 {
		return in.Sprintf(lang.UpDroppedOne)
	}
	return in.Sprintf(lang.UpDropped, n)
}

// droppedInAll is the count of lines dropped in all, as Run returns.
func droppedInAll(in lang.Lang, n int) string {
	if n == 1 {
		return in.Sprintf(lang.UpDroppedAllOne)
	}
	return in.Sprintf(lang.UpDroppedAll, n)
}

// Sync waits up to wait until every line queued so far has been written,
// so that a message written to out (or beside it) after Sync follows them.
// It reports whether they were; a reader that does not read only delays
// that message by wait.
func (l *asyncLog) Sync(wait time.Duration) bool {
	marker := logLine{synced: make(chan struct{})}
	l.mu.Lock()
	queued := false
	if !l.closed {
		select {
		case l.lines <- marker:
			queued = true
		default: // full: the reader is not reading
		}
	}
	l.mu.Unlock()
	if !queued {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-marker.synced:
		return true
	case <-t.C:
		return false
	}
}

// Close stops taking lines and waits up to wait for the queue to be
// written, so that what the server said last, and the count of lines
// dropped, reach a reader that is there. It returns how many lines were
// dropped in all, and whether the queue was written out in time; a reader
// that never reads again does not keep netbook from exiting.
func (l *asyncLog) Close(wait time.Duration) (dropped int, flushed bool) {
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.lines)
	}
	l.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-l.done:
		flushed = true
	case <-t.C:
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total, flushed
}
