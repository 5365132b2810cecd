package grade

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// sequence reads go test -json's events as they stream by and notes what
// no run of the testing package does: a test that starts or ends twice,
// that ends without having started, or a top-level test that starts while
// another is running (top-level tests run one at a time; a parallel one
// pauses first). Code that prints the framework's lines itself does that
// when it prints them beside a real run: a background goroutine printing
// "--- PASS" for every task scored a skeleton 7 of 9, since the last
// result read for a test is the one kept.
type sequence struct {
	buf      []byte
	skipping bool // the rest of a line too long to be an event that counts
	running  string
	parallel bool // a top-level test continued after a pause: several may run at once
	runs     map[string]int
	results  map[string]int
	forged   []string
}

// maxEvent is the longest line sequence reads; longer ones are output
// events, which it does not need.
const maxEvent = 64 << 10

func newSequence() *sequence {
	return &sequence{runs: map[string]int{}, results: map[string]int{}}
}

func (s *sequence) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if !s.skipping {
				s.buf = append(s.buf, p...)
				if len(s.buf) > maxEvent {
					s.buf, s.skipping = s.buf[:0], true
				}
			}
			break
		}
		if !s.skipping && len(s.buf)+i <= maxEvent {
			s.buf = append(s.buf, p[:i]...)
			s.line(s.buf)
		}
		s.buf, s.skipping = s.buf[:0], false
		p = p[i+1:]
	}
	return n, nil
}

func (s *sequence) line(l []byte) {
	var e struct{ Action, Test string }
	if json.Unmarshal(l, &e) != nil || e.Test == "" {
		return
	}
	top := !strings.Contains(e.Test, "/")
	switch e.Action {
	case "run":
		s.runs[e.Test]++
		if s.runs[e.Test] == 2 {
			s.note("%s started twice", e.Test)
		}
		if top {
			if s.running != "" && s.running != e.Test && !s.parallel {
				s.note("%s started while %s was running", e.Test, s.running)
			}
			s.running = e.Test
		}
	case "pause":
		if e.Test == s.running {
			s.running = ""
		}
	case "cont":
		if top {
			s.parallel = true
		}
	case "pass", "fail", "skip":
		s.results[e.Test]++
		switch {
		case s.runs[e.Test] == 0:
			s.note("%s ended without having started", e.Test)
		case s.results[e.Test] == 2:
			s.note("%s ended twice", e.Test)
		}
		if e.Test == s.running {
			s.running = ""
		}
	}
}

// note keeps the first few things seen.
func (s *sequence) note(format string, args ...any) {
	if len(s.forged) < 3 {
		s.forged = append(s.forged, fmt.Sprintf(format, args...))
	}
}
