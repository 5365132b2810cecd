package chat

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
)

// screen is the out the tests give Chat. It keeps everything written to it,
// hands each line to the test as it arrives, and notes what Chat must not
// do: a Write that is not exactly one line, or a Write after Chat returned.
type screen struct {
	lines chan string // each line written, "\n" included

	mu       sync.Mutex
	text     strings.Builder
	problems []string
	returned bool  // Chat has returned
	failFrom int   // Writes number failFrom and later fail (0: never)
	writes   int   // Writes so far
	failWith error // what a failing Write returns
}

func newScreen() *screen { return &screen{lines: make(chan string, 4096)} }

// Write records one Write call by Chat.
func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	if s.failFrom > 0 && s.writes >= s.failFrom {
		return 0, s.failWith
	}
	text := string(p)
	switch {
	case s.returned:
		s.problem("Chat wrote %s to out after it had returned: wait for the goroutine that prints before returning", short(text))
	case !strings.HasSuffix(text, "\n"):
		s.problem("Chat wrote %s to out, which is not a whole line: collect the bytes up to \"\\n\" first (bufio.Scanner), then print the line with one Write", short(text))
	case strings.Count(text, "\n") > 1:
		s.problem("Chat wrote %d lines to out in one Write (%s): print each line with a Write of its own", strings.Count(text, "\n"), short(text))
	}
	s.text.WriteString(text)
	rest := text
	for rest != "" {
		line, after, found := strings.Cut(rest, "\n")
		if found {
			line += "\n"
		}
		select {
		case s.lines <- line:
		default:
			s.problem("the test's screen is full: more than %d lines", cap(s.lines))
		}
		rest = after
	}
	return len(p), nil
}

// short quotes text for a message, cutting it if it is long.
func short(text string) string {
	const most = 60
	if r := []rune(text); len(r) > most {
		return fmt.Sprintf("%q...", string(r[:most]))
	}
	return fmt.Sprintf("%q", text)
}

func (s *screen) problem(format string, args ...any) {
	if len(s.problems) < 3 {
		s.problems = append(s.problems, fmt.Sprintf(format, args...))
	}
}

// printed returns everything written to the screen so far.
func (s *screen) printed() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text.String()
}

// check fails the test for every problem the screen noted.
func (s *screen) check(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.problems {
		t.Error(p)
	}
	s.problems = nil
}

// person is one end of a chat as the test drives it: Chat running on a
// connection, with a pipe the test types into and a screen the test reads.
type person struct {
	name     string // "Chat", or "A" and "B" when two Chats talk
	typing   *io.PipeWriter
	screen   *screen
	returned chan struct{} // closed when Chat returns
	err      error         // what Chat returned, once returned is closed
	leftOpen bool          // Chat returned without closing conn, once returned is closed
}

// startChat runs Chat(conn, in, out) in the background, with in a pipe the
// test types into and out a screen. When the test ends, the pipe and conn
// are closed and Chat must return within Step.
func startChat(t *testing.T, name string, conn net.Conn) *person {
	t.Helper()
	return startChatOn(t, name, conn, newScreen())
}

func startChatOn(t *testing.T, name string, conn net.Conn, out *screen) *person {
	t.Helper()
	in, typing := io.Pipe()
	p := &person{name: name, typing: typing, screen: out, returned: make(chan struct{})}
	go func() {
		defer func() {
			// A panic in Chat's own goroutine would end the whole test
			// binary; report it as what Chat returned instead.
			if r := recover(); r != nil {
				p.err = fmt.Errorf("Chat panicked: %v", r)
			}
			out.mu.Lock()
			out.returned = true
			out.mu.Unlock()
			close(p.returned)
		}()
		p.err = Chat(conn, in, out)
		p.leftOpen = !closed(conn)
	}()
	t.Cleanup(func() {
		typing.Close()
		conn.Close()
		select {
		case <-p.returned:
		case <-time.After(nettest.Step):
			t.Errorf("%s: Chat did not return within %v after its connection was closed and its input ended", name, nettest.Step)
		}
		if !t.Failed() && p.leftOpen { // t.Failed first: after a timeout, Chat is still running
			returned := "nil"
			if p.err != nil {
				returned = fmt.Sprintf("the error %q", p.err)
			}
			t.Errorf("%s returned %s and left its connection open.\n%s", p.who(), returned, closeAdvice)
		}
		out.check(t)
	})
	return p
}

// who names the Chat in messages: "Chat" or "A's Chat".
func (p *person) who() string {
	if p.name == "Chat" {
		return "Chat"
	}
	return p.name + "'s Chat"
}

// done reports whether Chat has returned.
func (p *person) done() bool {
	select {
	case <-p.returned:
		return true
	default:
		return false
	}
}

// returnsWithin reports whether Chat returns within d.
func (p *person) returnsWithin(d time.Duration) bool {
	select {
	case <-p.returned:
		return true
	case <-time.After(d):
		return false
	}
}

// why explains an early return, for a test that was waiting on Chat.
func (p *person) why() string {
	return fmt.Sprintf("%s returned while the test was still waiting; it returned: %v", p.who(), p.err)
}

// typeText writes text into Chat's input and waits, up to Step, for Chat
// to read it. stuck says what it means when Chat does not.
func (p *person) typeText(t testing.TB, text, stuck string) {
	t.Helper()
	if err := p.tryType(text, nettest.Step); err != nil {
		if p.done() {
			t.Fatalf("typing %q into %s's input: %s", text, p.name, p.why())
		}
		t.Fatalf("typing %q into %s's input: %v\n%s", text, p.name, err, stuck)
	}
}

// notReading is what typeText says by default when Chat does not read.
const notReading = "Chat should read its input all the time, in a goroutine of its own, whatever the peer is doing."

// say types one line (a "\n" is added) into Chat's input.
func (p *person) say(t testing.TB, line string) {
	t.Helper()
	p.typeText(t, line+"\n", notReading)
}

// tryType writes text into Chat's input, giving up after d or once Chat
// has returned. A write that gives up is left to finish, or fail, when the
// test's cleanup closes the pipe.
func (p *person) tryType(text string, d time.Duration) error {
	written := make(chan error, 1)
	go func() {
		_, err := io.WriteString(p.typing, text)
		written <- err
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-written:
		return err
	case <-p.returned:
		select {
		case err := <-written:
			return err
		case <-time.After(50 * time.Millisecond):
			return fmt.Errorf("%s", p.why())
		}
	case <-timer.C:
		return fmt.Errorf("%s did not read it within %v", p.who(), d)
	}
}

// line waits up to Step for the next line Chat prints.
func (p *person) line(t testing.TB, what string) string {
	t.Helper()
	select {
	case l := <-p.screen.lines:
		return l
	default:
	}
	select {
	case l := <-p.screen.lines:
		return l
	case <-p.returned:
		select {
		case l := <-p.screen.lines:
			return l
		default:
		}
		t.Fatalf("waiting for %s to print %s: %s\n(printed so far: %s)", p.who(), what, p.why(), short(p.screen.printed()))
	case <-time.After(nettest.Step):
		t.Fatalf("waiting for %s to print %s: nothing was printed within %v (printed so far: %s).\n"+
			"Chat should print each of the peer's lines as soon as it arrives, even while the person types nothing.", p.who(), what, nettest.Step, short(p.screen.printed()))
	}
	return ""
}

// wait waits up to d for Chat to return and returns its error. after says
// what happened that should have ended it.
func (p *person) wait(t testing.TB, d time.Duration, after string) error {
	t.Helper()
	select {
	case <-p.returned:
		return p.err
	case <-time.After(d):
		t.Fatalf("%s did not return within %v after %s", p.who(), d, after)
		return nil
	}
}

// bothReturn waits up to Step for two Chats to return after A said goodbye
// (what says how) and returns what each returned. B should return when it
// reads A's EOF, without waiting for its own input, which stays open, and A
// once B has closed b, B's end of the connection. When either does not
// return, bothReturn fails the test and says which, and why as far as the
// test can tell: a Chat that returned and left its end (a or b) open is
// named before the other.
func bothReturn(t *testing.T, A, B *person, a, b net.Conn, what string) (errA, errB error) {
	t.Helper()
	expired := make(chan struct{})
	timer := time.AfterFunc(nettest.Step, func() { close(expired) })
	defer timer.Stop()
	for _, p := range []*person{B, A} {
		select {
		case <-p.returned:
		case <-expired:
		}
	}
	switch {
	case A.done() && B.done():
		return A.err, B.err
	case A.done() && !closed(a):
		t.Fatalf("A's Chat returned but left its connection open, and B's Chat was still running %v after %s.\n"+
			"Chat must close conn on every way out, whatever ended the chat (defer conn.Close()). After \"exit\" or the end "+
			"of the input, it says goodbye first: CloseWrite, so that B reads EOF, then it waits (at most Patience) for B to close its end",
			nettest.Step, what)
	case A.done():
		t.Fatalf("B's Chat did not return within %v after %s, and A's Chat had returned.\n"+
			"Once the peer is gone, Chat must return at once: B's input is still open, so do not wait for it", nettest.Step, what)
	case B.done() && !closed(b):
		t.Fatalf("A's Chat did not return within %v after %s: B's Chat returned but left its connection open, so A never reads EOF.\n"+
			"Chat must close conn on every way out, whatever ended the chat (defer conn.Close())", nettest.Step, what)
	case B.done():
		t.Fatalf("A's Chat did not return within %v after %s, although B's Chat returned and closed its connection.\n"+
			"After its goodbye, Chat should return as soon as it reads the peer's EOF", nettest.Step, what)
	default:
		t.Fatalf("neither Chat returned within %v after %s.\n"+
			"A's Chat should say goodbye with CloseWrite, so that B reads EOF; B's Chat should then close its connection and "+
			"return at once, without waiting for B's input, which is still open", nettest.Step, what)
	}
	return nil, nil
}

// closed reports whether conn has been closed: a closed net.Conn refuses a
// deadline (net.ErrClosed, or io.ErrClosedPipe for a net.Pipe). Call it only
// once the Chat using conn has returned.
func closed(conn net.Conn) bool {
	err := conn.SetReadDeadline(time.Time{})
	return errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrClosedPipe)
}

// connect returns the two ends of a TCP connection on loopback: one for the
// Chat under test, one for the test to play the peer. Both are closed when
// the test ends.
func connect(t testing.TB) (conn, peer net.Conn) {
	t.Helper()
	ln := nettest.Listen(t)
	conn = nettest.Dial(t, ln.Addr().String())
	peer = nettest.Accept(t, ln, "the Chat's connection")
	return conn, peer
}

// connectThrough is connect with a netsim proxy between the two ends.
func connectThrough(t testing.TB, o netsim.TCPOptions) (conn, peer net.Conn) {
	t.Helper()
	ln := nettest.Listen(t)
	proxy := netsimtest.TCP(t, ln.Addr().String(), o)
	conn = nettest.Dial(t, proxy.Addr())
	peer = nettest.Accept(t, ln, "the Chat's connection, through the proxy")
	return conn, peer
}

// send writes text to conn within Step, as the peer.
func send(t testing.TB, conn net.Conn, text string) {
	t.Helper()
	conn.SetWriteDeadline(time.Now().Add(nettest.Step))
	if _, err := io.WriteString(conn, text); err != nil {
		t.Fatalf("the test's peer could not send %q: %v\n(Did Chat close the connection too early?)", text, err)
	}
}

// peerReader reads what Chat sends, failing at once if Chat returns while
// the test waits.
func peerReader(conn net.Conn, p *person) *peerEnd {
	return &peerEnd{Reader: nettest.NewReader(conn).StopIf(p.returned, p.why), p: p}
}

// peerEnd is the test's peer reading what p's Chat sends.
type peerEnd struct {
	*nettest.Reader
	p *person
}

// EOF checks that Chat closes its sending half within Step. It fails as
// soon as the failure is certain: when a line arrives instead, or when
// Chat returns and leaves the connection open, which nothing closes then.
func (r *peerEnd) EOF(t testing.TB, what string) {
	t.Helper()
	r.eof(t, what, "")
}

// eof is EOF with advice for when Chat is still running and the connection
// stays open: stuck, when it is not "".
func (r *peerEnd) eof(t testing.TB, what, stuck string) {
	t.Helper()
	got, err := r.TryLine(nettest.Step)
	switch {
	case got == "" && errors.Is(err, io.EOF):
	case got != "":
		t.Fatalf("%s: expected the connection to close, but %s arrived first", what, short(got))
	case nettest.IsTimeout(err) && r.p.done():
		t.Fatalf("%s: %s, and left the connection open.\n%s", what, r.p.why(), closeAdvice)
	case nettest.IsTimeout(err) && stuck != "":
		t.Fatalf("%s: the connection stayed open for %v; expected it to be closed.\n%s", what, nettest.Step, stuck)
	case nettest.IsTimeout(err):
		t.Fatalf("%s: the connection stayed open for %v; expected it to be closed", what, nettest.Step)
	default:
		t.Fatalf("%s: expected a clean close (EOF), got %v", what, err)
	}
}

// closeAdvice is what to do when Chat returns and leaves its connection
// open.
const closeAdvice = "Chat must close conn on every way out, whatever ended the chat (defer conn.Close()): " +
	"only Close closes a connection. After both sides have said goodbye, or after it broke, its file descriptor " +
	"stays in use until then."

// shorten sets Patience to d for one test.
func shorten(t *testing.T, d time.Duration) {
	old := Patience
	Patience = d
	t.Cleanup(func() { Patience = old })
}
