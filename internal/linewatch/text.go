package linewatch

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Text is output kept as it arrives, for a test that waits for text which
// need not end a line: a terminal's prompt, a screen redrawn in place. A
// command writes to it (it is an io.Writer); the test waits with Expect.
type Text struct {
	// Also, when set, adds to a failure message (say, what the terminal
	// and its processes are doing).
	Also func() string

	mu      sync.Mutex
	b       strings.Builder
	seen    int           // where the next Expect starts looking
	changed chan struct{} // closed, and replaced, whenever text arrives
}

// Write keeps p; it never fails.
func (x *Text) Write(p []byte) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.b.Write(p)
	if x.changed != nil {
		close(x.changed)
		x.changed = nil
	}
	return len(p), nil
}

// String is all the text so far.
func (x *Text) String() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.b.String()
}

// Expect waits up to d for pattern in the text after the previous match
// and returns its submatches. The test fails at d, with the text since the
// previous match in the message.
func (x *Text) Expect(t testing.TB, d time.Duration, pattern string) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		x.mu.Lock()
		all := x.b.String()
		loc := re.FindStringSubmatchIndex(all[x.seen:])
		var m []string
		if loc != nil {
			for i := 0; i < len(loc); i += 2 {
				if loc[i] < 0 {
					m = append(m, "")
					continue
				}
				m = append(m, all[x.seen+loc[i]:x.seen+loc[i+1]])
			}
			x.seen += loc[1]
		}
		if x.changed == nil {
			x.changed = make(chan struct{})
		}
		changed, from := x.changed, x.seen
		x.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-changed:
		case <-deadline.C:
			also := ""
			if x.Also != nil {
				also = "\n" + x.Also()
			}
			t.Fatalf("never printed %q within %v; after the previous match it printed:\n%s%s", pattern, d, all[from:], also)
			return nil
		}
	}
}

// ExpectString waits up to d for s, as Expect does for a pattern.
func (x *Text) ExpectString(t testing.TB, d time.Duration, s string) {
	t.Helper()
	x.Expect(t, d, regexp.QuoteMeta(s))
}
