package rstream

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// seedEnv overrides the seed of every test that loses, duplicates,
// reorders or damages datagrams on purpose: NETSIM_SEED=42 go test ...
// A failing test says which seed it ran with, and the same seed repeats
// the same fates.
const seedEnv = "NETSIM_SEED"

// seedFor returns the seed a lossy test uses: def, or NETSIM_SEED when it
// is set. If the test fails, it says so, with the faults it ran into and
// how to run it again.
func seedFor(t *testing.T, def uint64, faults func(seed uint64) string) uint64 {
	t.Helper()
	seed := def
	if s := os.Getenv(seedEnv); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q is not a seed: give a number, such as %s=42", seedEnv, s, seedEnv)
		}
		seed = v
	}
	name := t.Name()
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[:i]
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("This run's network: %s.\nThe same seed meets the same losses: %s=%d go test -run '^%s$' ./labs/11-reliable-stream\n"+
				"(another seed, another schedule: try a few, to see whether a failure depends on it)", faults(seed), seedEnv, seed, name)
		}
	})
	return seed
}

// testData returns n bytes that look random and are the same on every run.
func testData(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{'r', 's', 't', 'r', 'e', 'a', 'm'})
	r.Read(b)
	return b
}

// sum is a short fingerprint of b for messages.
func sum(b []byte) string {
	h := sha256.Sum256(b)
	return fmt.Sprintf("%d bytes, sha256 %x...", len(b), h[:6])
}

// firstDifference says where got and want first differ, for a message.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	switch {
	case len(got) == len(want) && i == len(got):
		return "they are the same"
	case i == len(got):
		return fmt.Sprintf("got only the first %d of %d bytes", len(got), len(want))
	default:
		return fmt.Sprintf("got %d bytes, want %d; they differ from byte %d on", len(got), len(want), i)
	}
}

// endedEarly explains, for a message, a stream read to io.EOF that is
// only the start of what was sent; it returns "" for any other difference.
func endedEarly(got, want []byte) string {
	if len(got) >= len(want) || !bytes.Equal(got, want[:len(got)]) {
		return ""
	}
	return fmt.Sprintf(". Read returned io.EOF with %d bytes still to come: does it return io.EOF while bytes wait to be read? "+
		"io.EOF comes once the peer's FIN has arrived in order and every byte before it has been read, so return the bytes first",
		len(want)-len(got))
}

// call runs f, turning a panic in the student's code into a failure that
// names what was called, instead of a crash of the whole test binary.
func call(t *testing.T, what string, f func()) {
	t.Helper()
	var panicked any
	var stack []byte
	func() {
		defer func() {
			if p := recover(); p != nil {
				panicked, stack = p, debug.Stack()
			}
		}()
		f()
	}()
	if panicked != nil {
		t.Fatalf("%s panicked: %v\n%s", what, panicked, stack)
	}
}

// tap is a Link that records every segment sent through it, as the sender
// made it, before the network does anything to it.
type tap struct {
	Link
	mu    sync.Mutex
	sent  []Segment
	storm bool // more than tapLimit segments were sent
}

// tapLimit bounds what one end may send in a test: a hundred times what
// the tests' transfers need even over a bad network. Two ends that keep
// answering each other (an ACK for every ACK) exchange segments without
// end and without ever waiting, so the fake clock would never move and
// the test would hang; past the limit Send fails instead, the ends stop,
// and the test says why.
const tapLimit = 50_000

// errStorm is what Send returns past tapLimit.
var errStorm = errors.New("this end sent more segments than the test allows: do the two ends answer each other's ACKs?")

func (l *tap) Send(b []byte) error {
	l.mu.Lock()
	if len(l.sent) >= tapLimit {
		l.storm = true
		l.mu.Unlock()
		return errStorm
	}
	if seg, err := Parse(b); err == nil {
		l.sent = append(l.sent, seg)
	}
	l.mu.Unlock()
	return l.Link.Send(b)
}

// stormed reports whether the end went past tapLimit.
func (l *tap) stormed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.storm
}

// segments returns what was sent so far.
func (l *tap) segments() []Segment {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Segment(nil), l.sent...)
}

// count returns how many segments sent so far have all of flags.
func (l *tap) count(flags Flags) int {
	n := 0
	for _, s := range l.segments() {
		if s.Flags&flags == flags {
			n++
		}
	}
	return n
}

// describe lists segments, one per line, for a message.
func describe(segs []Segment) string {
	if len(segs) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for i, s := range segs {
		if i == 40 && len(segs) > 44 {
			fmt.Fprintf(&b, "  ... %d more\n", len(segs)-i-2)
			i = len(segs) - 2
			segs = segs[i:]
			for _, s := range segs {
				fmt.Fprintf(&b, "  %v\n", s)
			}
			break
		}
		fmt.Fprintf(&b, "  %v\n", s)
	}
	return strings.TrimRight(b.String(), "\n")
}

// bubble runs f in a testing/synctest bubble: time is fake, and stands
// still until every goroutine is blocked, so a test that waits through
// retransmission timeouts of seconds takes a few milliseconds, and always
// sees the timer fire at the same moment. It then checks that every
// goroutine f started, the connections' included, has ended: synctest
// stops the test binary if one is still blocked.
func bubble(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		// Registered first, so it runs last: after the test's own clean-ups
		// have closed its connections and links.
		t.Cleanup(func() {
			for i := 0; i < 100 && len(bubbled()) > 0; i++ {
				time.Sleep(time.Second) // fake time: lets timers fire and goroutines end
			}
			synctest.Wait()
			if left := bubbled(); len(left) > 0 {
				t.Errorf("%d goroutine(s) are still running after the test's connections were closed.\n"+
					"Close (and a failed Dial or Accept) must stop everything the connection started: close the link, so that the "+
					"goroutine receiving from it returns, stop the timer, wake every Read and Write that waits, and wait for the "+
					"receiving goroutine.\nsynctest will now stop the test binary with a \"deadlock\" panic. Here they are:\n\n%s",
					len(left), strings.Join(left, "\n\n"))
			}
		})
		f(t)
	})
}

// bubbled returns the stacks of the goroutines in a synctest bubble, other
// than the one that calls it and synctest's own.
func bubbled() []string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for i, g := range strings.Split(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		synctestOwn := strings.Contains(g, "internal/synctest.Run(") || strings.Contains(g, "testing/synctest.testingSynctestTest(")
		if i > 0 && strings.Contains(header, "synctest bubble") && !synctestOwn {
			out = append(out, g)
		}
	}
	return out
}

// giveUpBound is the longest a correct connection may take to give up on a
// silent peer: MaxRetries+1 timeouts, each at most the RTO doubled that
// many times, or MaxRTO.
func giveUpBound(cfg Config) time.Duration {
	cfg = cfg.WithDefaults()
	rto, total := cfg.InitialRTO, time.Duration(0)
	for range cfg.MaxRetries + 1 {
		total += rto
		rto = min(2*rto, cfg.MaxRTO)
	}
	return total
}

// fixedISN is a Config.ISN that always gives isn.
func fixedISN(isn uint32) func() uint32 {
	return func() uint32 { return isn }
}
