package chat

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Send each line the person types to the peer, ending in "\n".
func TestTask1Send(t *testing.T) {
	conn, peer := connect(t)
	me := startChat(t, "Chat", conn)
	r := peerReader(peer, me)
	for _, c := range []struct{ typed, sent, about string }{
		{"hello\n", "hello\n", ""},
		{"你好，世界\n", "你好，世界\n", ""},
		{"\n", "\n", "an empty line is a line too: send it as \"\\n\""},
		{"typed on Windows\r\n", "typed on Windows\n", "drop the \"\\r\" before \"\\n\" (bufio.Scanner does)"},
		{"two lines\nin one go\n", "two lines\n", ""},
		{"", "in one go\n", ""},
	} {
		if c.typed != "" {
			me.typeText(t, c.typed, notReading)
		}
		what := fmt.Sprintf("the line %q on the peer's side", c.sent)
		if c.about != "" {
			what += " (" + c.about + ")"
		}
		got := r.Line(t, what)
		require.Equal(t, c.sent, got, "the person typed %q; the peer should receive %q. %s", c.typed, c.sent, c.about)
	}
}

// Print each line the peer sends, whole, however TCP splits or joins it.
func TestTask2Receive(t *testing.T) {
	lines := []string{"hello\n", "你好，世界\n", "\n", "a longer line, to be cut into many pieces on the way\n"}
	cases := []struct {
		name    string
		options *netsim.TCPOptions
		about   string
	}{
		{"straight", nil, ""},
		{"cut into 1-byte pieces", &netsim.TCPOptions{Fragment: 1},
			"A proxy cut every line into pieces of one byte: each Read returns part of a line. Collect bytes up to \"\\n\" before printing (bufio.Scanner)."},
		{"joined into one piece", &netsim.TCPOptions{Coalesce: true},
			"A proxy joined all the lines into one piece: one Read returns several lines. Print each of them separately."},
	}
	for _, c := range cases {
		ok := t.Run(c.name, func(t *testing.T) {
			var conn, peer net.Conn
			if c.options == nil {
				conn, peer = connect(t)
			} else {
				conn, peer = connectThrough(t, *c.options)
			}
			me := startChat(t, "Chat", conn)
			for _, l := range lines {
				send(t, peer, l)
			}
			send(t, peer, "from Windows\r\n")
			for _, want := range append(lines, "from Windows\n") {
				got := me.line(t, fmt.Sprintf("the peer's line %q", want))
				require.Equal(t, want, got, "the peer sent the line %q; Chat should print it on out. %s", want, c.about)
			}
			me.screen.check(t)
		})
		if !ok && c.options == nil {
			return // the other cases cannot pass where the straight one fails: each would wait its Step for nothing
		}
	}
}

// Both ways at once: either side may send any number of lines, without taking turns.
func TestTask3BothWays(t *testing.T) {
	a, b := connect(t)
	A := startChat(t, "A", a)
	B := startChat(t, "B", b)
	takingTurns := func(who string) string {
		return who + "'s Chat sent the last line and then stopped reading its input: it is waiting for the peer to answer first, " +
			"taking turns like article 002's chat. Read the input in one goroutine and the connection in another, so that neither waits for the other."
	}

	// A says three things in a row; B, who has typed nothing, prints them.
	for _, l := range []string{"hi B", "are you there?", "hello?"} {
		A.typeText(t, l+"\n", takingTurns("A"))
	}
	for _, l := range []string{"hi B", "are you there?", "hello?"} {
		require.Equal(t, l+"\n", B.line(t, fmt.Sprintf("A's line %q", l)),
			"A typed three lines in a row; B's Chat should print them in order while B is still silent")
	}
	// B answers with three in a row.
	for _, l := range []string{"yes!", "sorry,", "I was typing"} {
		B.typeText(t, l+"\n", takingTurns("B"))
	}
	for _, l := range []string{"yes!", "sorry,", "I was typing"} {
		require.Equal(t, l+"\n", A.line(t, fmt.Sprintf("B's line %q", l)), "B typed three lines in a row; A's Chat should print them in order")
	}

	// Both type 300 lines at the same time.
	const n = 300
	typed := make(chan error, 2)
	for _, p := range []*person{A, B} {
		go func() {
			for i := 1; i <= n; i++ {
				if err := p.tryType(fmt.Sprintf("%s says %d\n", p.name, i), nettest.Step); err != nil {
					typed <- fmt.Errorf("typing line %d of %d into %s's input: %w", i, n, p.name, err)
					return
				}
			}
			typed <- nil
		}()
	}
	for _, c := range []struct{ reader, writer *person }{{B, A}, {A, B}} {
		for i := 1; i <= n; i++ {
			want := fmt.Sprintf("%s says %d\n", c.writer.name, i)
			require.Equal(t, want, c.reader.line(t, fmt.Sprintf("%q", want)),
				"%s and %s typed %d lines each at the same time; %s's Chat should print all of %s's lines, in order", A.name, B.name, n, c.reader.name, c.writer.name)
		}
	}
	for range 2 {
		require.NoError(t, <-typed, "both sides typed at once")
	}
	A.screen.check(t)
	B.screen.check(t)
}

// "exit" ends the chat for both sides; the word itself is never sent.
func TestTask4Exit(t *testing.T) {
	t.Run("the peer sees EOF and may still answer", func(t *testing.T) {
		t.Parallel()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		for _, l := range []string{"exit now", "exits", "I will exit", "Exit", "EXIT", " exit", "exit "} {
			me.say(t, l)
			got, err := r.TryLine(nettest.Step)
			if err != nil && !nettest.IsTimeout(err) {
				t.Fatalf("the person typed %q and the peer read %v instead of the line: Chat said goodbye.\n"+
					"Only a line that is exactly \"exit\" ends the chat: compare with ==, not with strings.EqualFold, strings.Contains, "+
					"strings.HasPrefix or a trimmed line", l, err)
			}
			require.NoError(t, err, "the person typed %q: the peer should receive it as an ordinary line", l)
			require.Equal(t, l+"\n", got, "only a line that is exactly \"exit\" ends the chat; %q is an ordinary line, sent as it was typed", l)
		}
		me.say(t, "exit")
		r.EOF(t, "after the person typed \"exit\", the peer should read EOF: do not send the word, close your sending half with CloseWrite")
		send(t, peer, "ok, bye then\n")
		assert.Equal(t, "ok, bye then\n", me.line(t, "the peer's last words after \"exit\".\n"+
			"After exit, Chat should keep printing what the peer still sends until the peer closes: close only the sending half (CloseWrite), not the whole connection"))
		peer.Close()
		err := me.wait(t, nettest.Step, "the person typed exit and then the peer closed")
		assert.NoError(t, err, "\"exit\" and then the peer closing is a clean end: Chat should return nil")
	})

	t.Run("exit typed on Windows", func(t *testing.T) {
		t.Parallel()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		me.typeText(t, "exit\r\n", notReading)
		r.EOF(t, "the person typed \"exit\\r\\n\" (a Windows line end): that is \"exit\" too")
	})

	t.Run("between two Chats", func(t *testing.T) {
		t.Parallel()
		a, b := connect(t)
		A := startChat(t, "A", a)
		B := startChat(t, "B", b)
		A.say(t, "gotta go")
		require.Equal(t, "gotta go\n", B.line(t, "A's line"))
		B.say(t, "see you")
		require.Equal(t, "see you\n", A.line(t, "B's line"))
		A.say(t, "exit")
		errA, errB := bothReturn(t, A, B, a, b, "A typed exit")
		assert.NoError(t, errA, "A typed exit: a clean end, A's Chat should return nil")
		assert.NoError(t, errB, "A typed exit and closed: a clean end, B's Chat should return nil")
		assert.Equal(t, "gotta go\n", B.screen.printed(), "B should print A's lines and nothing else (\"exit\" is not sent)")
		assert.Equal(t, "see you\n", A.screen.printed(), "A should print B's lines and nothing else")
	})
}

// When the input ends, say goodbye with a half-close and print the peer's last words.
func TestTask5EndOfInput(t *testing.T) {
	t.Run("the peer sees EOF and may still answer", func(t *testing.T) {
		t.Parallel()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		me.say(t, "one")
		me.typeText(t, "two, with no newline", notReading)
		me.typing.Close() // the person pressed Ctrl-D: in ends
		assert.Equal(t, "one\n", r.Line(t, "the first line"))
		const lastLine = "a last line without \"\\n\" is still a line: send it with \"\\n\"; bufio.Scanner returns it"
		assert.Equal(t, "two, with no newline\n", r.Line(t, "the last line, which ended without \"\\n\" ("+lastLine+")"), lastLine)
		r.EOF(t, "after the person's input ended, the peer should read EOF: close your sending half (CloseWrite)")
		send(t, peer, "still here\nme too\n")
		const keepReading = "After its input ends, Chat should keep printing what the peer still sends until the peer closes: close only the sending half (CloseWrite), not the whole connection"
		assert.Equal(t, "still here\n", me.line(t, "the peer's words after the goodbye.\n"+keepReading))
		assert.Equal(t, "me too\n", me.line(t, "the peer's last words.\n"+keepReading))
		peer.Close()
		err := me.wait(t, nettest.Step, "its input ended and then the peer closed")
		assert.NoError(t, err, "the input ended and then the peer closed: a clean end, Chat should return nil")
	})

	t.Run("between two Chats", func(t *testing.T) {
		t.Parallel()
		a, b := connect(t)
		A := startChat(t, "A", a)
		B := startChat(t, "B", b)
		A.say(t, "last thing")
		A.typing.Close()
		errA, errB := bothReturn(t, A, B, a, b, "A's input ended")
		assert.NoError(t, errA, "A's input ended: a clean end, A's Chat should return nil")
		assert.NoError(t, errB, "A said goodbye: a clean end, B's Chat should return nil")
		assert.Equal(t, "last thing\n", B.screen.printed(), "B should print A's line")
	})

	t.Run("the input fails", func(t *testing.T) {
		t.Parallel()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		broken := errors.New("the keyboard fell off the desk")
		me.say(t, "hello")
		me.typing.CloseWithError(broken)
		assert.Equal(t, "hello\n", r.Line(t, "the line typed before the input failed"))
		r.EOF(t, "the input failed: Chat should say goodbye as when it ends (CloseWrite)")
		peer.Close()
		err := me.wait(t, nettest.Step, "its input failed and the peer closed")
		require.Error(t, err, "reading the input failed with %q: Chat should return that error", broken)
		assert.ErrorIs(t, err, broken, "Chat should wrap the input's error with %%w, so errors.Is finds it")
	})
	t.Run("a connection that cannot half-close", func(t *testing.T) {
		t.Parallel()
		conn, peer := net.Pipe() // in memory: no CloseWrite
		t.Cleanup(func() { peer.Close() })
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		me.say(t, "over a pipe")
		assert.Equal(t, "over a pipe\n", r.Line(t, "the line typed"))
		me.typing.Close()
		r.eof(t, "the input ended on a connection without CloseWrite (a net.Pipe)",
			"Chat should close the connection instead of half-closing it. "+
				"Check for the method with a type assertion, conn.(interface{ CloseWrite() error }), rather than assuming a *net.TCPConn")
		err := me.wait(t, nettest.Step, "its input ended and it closed its connection")
		assert.NoError(t, err, "the input ended on a connection without CloseWrite: Chat should close it and return nil.\n"+
			"Check for the method with a type assertion, conn.(interface{ CloseWrite() error }), rather than assuming a *net.TCPConn")
	})
}

// When the peer closes or the connection breaks, return at once, without waiting for the input.
func TestTask6PeerGone(t *testing.T) {
	t.Run("the peer closes", func(t *testing.T) {
		t.Parallel()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		send(t, peer, "got to go\n")
		send(t, peer, "bye, with no newline")
		peer.Close()
		// The person types nothing: Chat's input stays open and silent.
		err := me.wait(t, nettest.Step, "the peer closed, while the person was silent.\n"+
			"Chat must not wait for its input once the peer is gone: a Read of os.Stdin cannot be interrupted, so stop waiting for it and return")
		assert.NoError(t, err, "the peer closed: a clean end, Chat should return nil")
		assert.Equal(t, "got to go\nbye, with no newline\n", me.screen.printed(),
			"Chat should print all the peer's lines before returning, the last one with \"\\n\" though the peer sent none")
	})

	t.Run("the connection is reset", func(t *testing.T) {
		t.Parallel()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		send(t, peer, "hello\n")
		require.Equal(t, "hello\n", me.line(t, "the peer's line"))
		peer.(*net.TCPConn).SetLinger(0) // close with a reset, as a crashed program would
		peer.Close()
		err := me.wait(t, nettest.Step, "the connection was reset")
		assert.Error(t, err, "the connection was reset (the peer crashed): that is not a clean end, Chat should return the error it got reading the connection")
	})

	t.Run("printing fails", func(t *testing.T) {
		t.Parallel()
		conn, peer := connect(t)
		broken := errors.New("the terminal was closed")
		out := newScreen()
		out.failFrom, out.failWith = 2, broken
		me := startChatOn(t, "Chat", conn, out)
		send(t, peer, "this line prints\n")
		require.Equal(t, "this line prints\n", me.line(t, "the peer's first line"))
		send(t, peer, "this one cannot\n")
		err := me.wait(t, nettest.Step, "writing to out failed.\n"+
			"When printing a line fails (the terminal is gone), stop and return that error, wrapped with %w: check the error of every Write to out")
		require.Error(t, err, "writing the peer's line to out failed with %q: Chat should stop and return that error", broken)
		assert.ErrorIs(t, err, broken, "Chat should wrap out's error with %%w, so errors.Is finds it")
	})
}

// A peer that stops reading, or never closes after the goodbye, costs at most Patience.
func TestTask7StalledPeer(t *testing.T) {
	t.Run("the peer never closes after the goodbye", func(t *testing.T) {
		shorten(t, 300*time.Millisecond)
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		me.say(t, "exit")
		r.EOF(t, "the person typed exit")
		// The peer reads the goodbye and then does nothing at all.
		err := me.wait(t, Patience+nettest.Step, fmt.Sprintf("its goodbye, when the peer never closed (Patience is %v in this test).\n"+
			"After CloseWrite, wait for the peer's EOF at most Patience (a time.Timer in a select), then close the connection", Patience))
		require.Error(t, err, "the peer never closed after the goodbye: Chat should give up after Patience and return an error")
		peer.SetReadDeadline(time.Now().Add(nettest.Step))
		_, rerr := peer.Read(make([]byte, 1))
		assert.False(t, nettest.IsTimeout(rerr), "Chat returned but left the connection open: close it")
	})

	t.Run("the peer stops reading", func(t *testing.T) {
		shorten(t, 300*time.Millisecond)
		conn, peer := connect(t)
		_ = peer // the peer never reads: once the socket buffers are full, Chat's writes wait
		me := startChat(t, "Chat", conn)
		long := strings.Repeat("la", 30000) + "\n" // 60 kB
		const most = 1000                          // 60 MB: far more than the socket buffers hold
		typing := make(chan int, 1)
		go func() {
			i := 0
			for ; i < most; i++ {
				if me.tryType(long, 10*nettest.Step) != nil {
					break
				}
			}
			typing <- i
		}()
		err := me.wait(t, 2*nettest.Step+Patience, fmt.Sprintf("the peer stopped reading and its buffers filled up (Patience is %v in this test).\n"+
			"Set a write deadline of Patience before each line you send (conn.SetWriteDeadline), so that a write the peer does not take fails", Patience))
		require.Error(t, err, "the peer stopped reading: Chat's write should time out after Patience and Chat should return the error")
		assert.True(t, nettest.IsTimeout(err), "the error should be the write's timeout (wrapped with %%w), got: %v", err)
		me.typing.Close()
		select {
		case n := <-typing:
			assert.Less(t, n, most, "Chat took all %d lines without blocking: did the test's peer really stop reading?", most)
		case <-time.After(nettest.Step):
			t.Error("the test's typist never finished")
		}
	})

	t.Run("a quiet chat is no stalled peer", func(t *testing.T) {
		shorten(t, 100*time.Millisecond)
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		me.say(t, "first")
		require.Equal(t, "first\n", r.Line(t, "the person's first line"))
		send(t, peer, "hi\n")
		require.Equal(t, "hi\n", me.line(t, "the peer's first line"))

		// Both sides say nothing for three times Patience: people are slow,
		// and the peer has done nothing wrong.
		time.Sleep(3 * Patience)
		if me.done() {
			t.Fatalf("%s, after both sides had been quiet for %v (Patience is %v in this test).\n"+
				"Patience is not a limit on silence: put no read deadline on the connection, since a chat may be quiet for hours.",
				me.why(), 3*Patience, Patience)
		}
		me.say(t, "second")
		got, err := r.TryLine(nettest.Step)
		if err != nil && me.returnsWithin(nettest.Step) {
			t.Fatalf("%s, when the person typed a line after the chat had been quiet for %v (Patience is %v in this test).\n"+
				"The peer reads every line at once, so sending it cannot take Patience: set the write deadline before each line "+
				"(conn.SetWriteDeadline(time.Now().Add(Patience))), not once for the whole chat.",
				me.why(), 3*Patience, Patience)
		}
		require.NoError(t, err, "the person typed \"second\" after a quiet spell: the peer should receive it")
		assert.Equal(t, "second\n", got, "the person typed \"second\" after a quiet spell")
		send(t, peer, "still here\n")
		assert.Equal(t, "still here\n", me.line(t, "the peer's line after a quiet spell"))
	})
}

// Leave no goroutine behind: when Chat returns (and its input is closed), everything it started has ended.
func TestTask8NoLeaks(t *testing.T) {
	// noLeaks fails the test if goroutines other than those in before are
	// still running, after giving them a moment to end.
	noLeaks := func(t *testing.T, before goleak.Option, after string) {
		t.Helper()
		if err := goleak.Find(before); err != nil {
			t.Errorf("%s, goroutines that Chat started are still running. Every goroutine must end: "+
				"the one printing before Chat returns, the one reading the input as soon as its Read returns "+
				"(a goroutine blocked sending on a channel nobody reads is stuck forever: select on a stop channel too).\n%v", after, err)
		}
	}

	t.Run("after exit", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		a, b := connect(t)
		A := startChat(t, "A", a)
		B := startChat(t, "B", b)
		A.say(t, "hi")
		require.Equal(t, "hi\n", B.line(t, "A's line"))
		A.say(t, "exit")
		errA, errB := bothReturn(t, A, B, a, b, "A typed exit")
		require.NoError(t, errA, "A typed exit")
		require.NoError(t, errB, "A typed exit; B's peer closed")
		B.typing.Close() // B's keyboard goroutine may still wait for B to type
		A.typing.Close()
		noLeaks(t, before, "after both Chats returned and their inputs were closed")
	})

	t.Run("after the input ends", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		a, b := connect(t)
		A := startChat(t, "A", a)
		B := startChat(t, "B", b)
		A.typing.Close()
		errA, errB := bothReturn(t, A, B, a, b, "A's input ended")
		require.NoError(t, errA, "A's input ended")
		require.NoError(t, errB, "A's input ended; B's peer closed")
		B.typing.Close()
		noLeaks(t, before, "after both Chats returned and their inputs were closed")
	})

	t.Run("after the peer never closes after the goodbye", func(t *testing.T) {
		shorten(t, 200*time.Millisecond)
		before := goleak.IgnoreCurrent()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		r := peerReader(peer, me)
		me.say(t, "exit")
		r.EOF(t, "the person typed exit")
		// The peer reads the goodbye and then does nothing: Chat gives up
		// after Patience and closes the connection, which ends the goroutine
		// that prints. That goroutine must be able to end.
		require.Error(t, me.wait(t, Patience+nettest.Step, "its goodbye, when the peer never closed"),
			"the peer never closed after the goodbye")
		me.typing.Close()
		noLeaks(t, before, fmt.Sprintf("after Chat gave up waiting for the peer to close (Patience is %v in this test) "+
			"and its input was closed", Patience))
	})

	t.Run("after the peer closes while the person types", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		peer.Close()
		require.NoError(t, me.wait(t, nettest.Step, "the peer closed"), "the peer closed")
		// The person, who has not noticed, types one more line. Chat's input
		// goroutine may read it, but must not send or print it, and must end.
		me.tryType("too late\n", 200*time.Millisecond)
		me.typing.Close()
		noLeaks(t, before, "after Chat returned and its input was closed")
		assert.Empty(t, me.screen.printed(), "Chat printed something, but the peer said nothing")
	})

	t.Run("after the connection is reset", func(t *testing.T) {
		before := goleak.IgnoreCurrent()
		conn, peer := connect(t)
		me := startChat(t, "Chat", conn)
		me.say(t, "anyone there?")
		peer.(*net.TCPConn).SetLinger(0)
		peer.Close()
		require.Error(t, me.wait(t, nettest.Step, "the connection was reset"), "the connection was reset")
		me.typing.Close()
		noLeaks(t, before, "after Chat returned and its input was closed")
	})
}
