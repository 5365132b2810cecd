package framing

import (
	"fmt"
	"net"
	"path"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
)

// callLimit is how long one ReadMessage or WriteMessage may take before a
// test gives up on it. Fragmented streams take a few milliseconds a byte,
// so this is longer than nettest.Step.
const callLimit = 5 * time.Second

// outcome is what one call returned, or the panic it raised.
type outcome struct {
	msg      []byte
	err      error
	panicked any
	where    string // for a panic: where in the lab's code, "line.go:42", or ""
}

// try calls f, turning a panic into an outcome instead of a crash of the
// whole test binary.
func try(f func() ([]byte, error)) (o outcome) {
	defer func() {
		if p := recover(); p != nil {
			o.panicked = p
			o.where = panicSite(debug.Stack())
		}
	}()
	o.msg, o.err = f()
	return o
}

// panicText describes o's panic, in a method of v, for a student: what it
// was, where in the lab's code it happened, and for a nil pointer, the
// usual cause.
func (o outcome) panicText(v any) string {
	text := fmt.Sprint(o.panicked)
	if o.where != "" {
		text += " (at " + o.where + ")"
	}
	if err, ok := o.panicked.(error); ok && strings.Contains(err.Error(), "nil pointer") {
		name := strings.TrimPrefix(fmt.Sprintf("%T", v), "*framing.")
		text += fmt.Sprintf(".\nA nil pointer: does New%s fill in every field of the %s it returns?", name, name)
	}
	return text
}

// labDir is the lab's folder as the compiler saw it, to find the lab's own
// files on a stack.
var labDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return path.Dir(file)
}()

// panicSite returns the first place in the lab's own code, not its tests,
// on stack, as "line.go:42", or "" if there is none.
func panicSite(stack []byte) string {
	for _, line := range strings.Split(string(stack), "\n") {
		file, ok := strings.CutPrefix(strings.TrimSpace(line), labDir+"/")
		if !ok {
			continue
		}
		file, _, _ = strings.Cut(file, " ") // drop the " +0x1c"
		if name, _, _ := strings.Cut(file, ":"); !strings.HasSuffix(name, "_test.go") && !strings.Contains(name, "/") {
			return file
		}
	}
	return ""
}

// read calls mr.ReadMessage, failing the test if it panics or does not
// return within callLimit. what says what the test is waiting for.
func read(t *testing.T, mr MessageReader, what string) ([]byte, error) {
	t.Helper()
	ch := make(chan outcome, 1)
	go func() { ch <- try(mr.ReadMessage) }()
	select {
	case o := <-ch:
		if o.panicked != nil {
			t.Fatalf("ReadMessage panicked while reading %s: %s", what, o.panicText(mr))
		}
		return o.msg, o.err
	case <-time.After(callLimit):
		t.Fatalf("ReadMessage did not return within %v while reading %s.\n"+
			"Does it loop forever? When the underlying Read returns an error, return it (or io.ErrUnexpectedEOF).", callLimit, what)
		return nil, nil
	}
}

// write calls mw.WriteMessage, failing the test if it panics or does not
// return within callLimit.
func write(t *testing.T, mw MessageWriter, msg []byte) error {
	t.Helper()
	ch := make(chan outcome, 1)
	go func() { ch <- try(func() ([]byte, error) { return nil, mw.WriteMessage(msg) }) }()
	select {
	case o := <-ch:
		if o.panicked != nil {
			t.Fatalf("WriteMessage(%s) panicked: %s", show(msg), o.panicText(mw))
		}
		return o.err
	case <-time.After(callLimit):
		t.Fatalf("WriteMessage(%s) did not return within %v", show(msg), callLimit)
		return nil
	}
}

// show quotes b for a failure message, cutting the middle of a long one.
func show(b []byte) string {
	const keep = 60
	if len(b) <= 2*keep {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q...(%d bytes)...%q", b[:keep], len(b), b[len(b)-keep:])
}

// recorder is an io.Writer that keeps a copy of what each Write call was
// given, to count the calls. With fail set, every Write fails with it.
type recorder struct {
	mu     sync.Mutex
	writes [][]byte
	fail   error
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, append([]byte(nil), p...))
	if r.fail != nil {
		return 0, r.fail
	}
	return len(p), nil
}

// take returns the writes recorded since the last take.
func (r *recorder) take() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.writes
	r.writes = nil
	return w
}

// showWrites lists what each Write call was given.
func showWrites(ws [][]byte) string {
	var parts []string
	for _, w := range ws {
		parts = append(parts, show(w))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// shape is one way the network can cut up a stream.
type shape struct {
	name string
	opts netsim.TCPOptions
	why  string // what the reader saw, and what to do about it
}

// shapes are the two ways a netsim proxy reshapes the stream.
var shapes = []shape{
	{
		name: "fragmented",
		opts: netsim.TCPOptions{Fragment: 1, FragmentGap: 2 * time.Millisecond},
		why: "The stream passed through a proxy that delivers it one byte at a time, so a Read returns a piece of a message.\n" +
			"One Read is not one message: keep reading until the message is complete.",
	},
	{
		name: "coalesced",
		opts: netsim.TCPOptions{Coalesce: true},
		why: "The stream passed through a proxy that merges the messages into one write, so one Read returns several of them.\n" +
			"Keep the bytes after the end of the first message: they are the beginning of the next.",
	},
}

// through returns both ends of a loopback TCP connection that passes
// through a netsim proxy: the test writes to w, the reader under test reads
// from r. Both have deadlines; everything is closed when the test ends.
func through(t *testing.T, o netsim.TCPOptions) (w *net.TCPConn, r net.Conn) {
	t.Helper()
	ln := nettest.Listen(t)
	p := netsimtest.TCP(t, ln.Addr().String(), o)
	w = nettest.Dial(t, p.Addr()).(*net.TCPConn)
	r = nettest.Accept(t, ln, "the proxy's connection to the test")
	w.SetWriteDeadline(time.Now().Add(callLimit))
	r.SetReadDeadline(time.Now().Add(callLimit))
	return w, r
}

// pair returns both ends of a plain loopback TCP connection, closed when
// the test ends.
func pair(t *testing.T) (a, b net.Conn) {
	t.Helper()
	ln := nettest.Listen(t)
	a = nettest.Dial(t, ln.Addr().String())
	b = nettest.Accept(t, ln, "the test's own connection")
	return a, b
}

// sendFrames writes each frame with a Write of its own, then closes the
// sending side so that the reader sees the end of the stream after them.
func sendFrames(t *testing.T, w *net.TCPConn, frames [][]byte) {
	t.Helper()
	for _, f := range frames {
		if _, err := w.Write(f); err != nil {
			t.Fatalf("the test could not send %s: %v", show(f), err)
		}
	}
	if err := w.CloseWrite(); err != nil {
		t.Fatalf("the test could not close its sending side: %v", err)
	}
}

// allocated returns how many bytes the Go heap allocated while f ran, in
// the whole program: tests that use it run nothing else at the same time.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// endless is a reader of n bytes of 'x' followed by tail, which hands out
// its bytes without allocating any.
type endless struct {
	n    int64
	tail *strings.Reader
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		return e.tail.Read(p)
	}
	if int64(len(p)) > e.n {
		p = p[:e.n]
	}
	for i := range p {
		p[i] = 'x'
	}
	e.n -= int64(len(p))
	return len(p), nil
}

// MiB is a mebibyte.
const MiB = 1 << 20
