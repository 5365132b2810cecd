package grade

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// events writes go test -json lines, one per "action test" pair.
func events(pairs ...string) string {
	var b strings.Builder
	for _, p := range pairs {
		action, test, _ := strings.Cut(p, " ")
		fmt.Fprintf(&b, `{"Time":"2026-01-01T00:00:00Z","Action":%q,"Package":"labs/05-snack-shop","Test":%q}`+"\n", action, test)
	}
	return b.String()
}

// A run of the testing package starts and ends each test once, one
// top-level test at a time (a parallel one pauses first); lines printed
// beside it by the code under test do not keep to that.
func TestSequence(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stream string
		forged []string
	}{
		{"a real run", events("run TestTask1", "output TestTask1", "pass TestTask1", "run TestTask2", "run TestTask2/a", "pass TestTask2/a", "fail TestTask2", "run TestZ1"), nil},
		{"parallel subtests", events("run TestTask1", "run TestTask1/a", "pause TestTask1/a", "run TestTask1/b", "pause TestTask1/b", "cont TestTask1/a", "cont TestTask1/b", "pass TestTask1/b", "pass TestTask1/a", "pass TestTask1", "run TestTask2", "pass TestTask2"), nil},
		{"parallel tests", events("run TestTask1", "pause TestTask1", "run TestTask2", "pause TestTask2", "run TestTask3", "pass TestTask3", "cont TestTask1", "cont TestTask2", "pass TestTask2", "pass TestTask1"), nil},
		{"a pass printed again", events("run TestTask1", "fail TestTask1", "run TestTask2", "pass TestTask1"), []string{"TestTask1 ended twice"}},
		{"a run printed again", events("run TestTask1", "pass TestTask1", "run TestTask1", "pass TestTask1"), []string{"TestTask1 started twice", "TestTask1 ended twice"}},
		{"a pass without a run", events("run TestTask1", "pass TestTask2"), []string{"TestTask2 ended without having started"}},
		{"a test within another", events("run TestTask1", "run TestTask2", "pass TestTask2"), []string{"TestTask2 started while TestTask1 was running"}},
	} {
		s := newSequence()
		// In pieces that split lines, as a pipe hands them over.
		for rest := tc.stream; rest != ""; {
			n := min(7, len(rest))
			s.Write([]byte(rest[:n]))
			rest = rest[n:]
		}
		assert.Equal(t, tc.forged, s.forged, tc.name)
	}
}

// A line too long to be an event that counts (a test's output) is passed
// over, and the next one read.
func TestSequenceSkipsLongLines(t *testing.T) {
	s := newSequence()
	s.Write([]byte(`{"Action":"output","Test":"TestTask1","Output":"` + strings.Repeat("x", maxEvent+10)))
	s.Write([]byte("\"}\n" + events("pass TestTask1")))
	assert.Equal(t, []string{"TestTask1 ended without having started"}, s.forged)
	assert.LessOrEqual(t, cap(s.buf), 2*maxEvent+64)
}
