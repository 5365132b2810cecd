// Package linewatch lets a test wait for a line of output: the output of a
// command run in the test's own process through a pipe, or of a child
// process. Lines are kept as they arrive, however many, so a program that
// prints a lot never blocks on a test that reads slowly.
package linewatch

import (
	"bufio"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Lines is a stream read a line at a time in the background.
type Lines struct {
	// Also, when set, adds to a failure message (say, the program's
	// standard error).
	Also func() string

	mu      sync.Mutex
	lines   []string
	ended   bool
	changed chan struct{} // closed, and replaced, whenever a line arrives or the stream ends
	next    int           // the first line Expect has not looked at
}

// Watch reads r in the background until it ends.
func Watch(r io.Reader) *Lines {
	l := &Lines{changed: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			l.add(sc.Text(), false)
		}
		l.add("", true)
	}()
	return l
}

func (l *Lines) add(line string, end bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if end {
		l.ended = true
	} else {
		l.lines = append(l.lines, line)
	}
	close(l.changed)
	l.changed = make(chan struct{})
}

// Expect waits up to d for the next line that matches pattern, skipping the
// lines before it, and returns its submatches. The test fails if the
// stream ends or d passes first, with the lines seen in the message.
func (l *Lines) Expect(t testing.TB, d time.Duration, pattern string) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	from := l.cursor()
	for {
		l.mu.Lock()
		for l.next < len(l.lines) {
			line := l.lines[l.next]
			l.next++
			if m := re.FindStringSubmatch(line); m != nil {
				l.mu.Unlock()
				return m
			}
		}
		ended, changed := l.ended, l.changed
		l.mu.Unlock()
		if ended {
			t.Fatalf("the output ended without a line matching %q; after the last match it was:\n%s%s", pattern, l.since(from), l.also())
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("no line matching %q within %v; after the last match the output was:\n%s%s", pattern, d, l.since(from), l.also())
		}
	}
}

// String is every line read so far.
func (l *Lines) String() string { return l.since(0) }

func (l *Lines) cursor() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next
}

func (l *Lines) since(i int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines[i:], "\n")
}

func (l *Lines) also() string {
	if l.Also == nil {
		return ""
	}
	return "\n" + l.Also()
}
