package hello

import (
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session/sessiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Welcome each client as it connects.
func TestTask1Welcome(t *testing.T) {
	s := start(t)
	for i := 1; i <= 3; i++ {
		c := s.Dial(t)
		welcome(t, c, fmt.Sprintf("the welcome for client %d", i))
		c.Close()
	}
}

// Answer each line NAME with "Hello, NAME!", for as long as the client talks.
func TestTask2Hello(t *testing.T) {
	s := start(t)
	c := s.Dial(t)
	welcome(t, c, "the welcome")
	// Article 001's client, and two more.
	for _, name := range []string{"Michael", "Tracy", "Sarah", "张三", "Jean-Luc Picard"} {
		got := s.ask(t, c, name+"\n")
		if bytewise := latin1(name); bytewise != name && got == "Hello, "+bytewise+"!\n" {
			t.Fatalf("the client sent %q and the server answered %q: each byte of the name became a character of its own.\n"+
				"In UTF-8 a Chinese character is three bytes, and string(b) of one byte b is the character numbered b. "+
				"Collect the line's bytes and make text of them all at once (string(line), or read lines with bufio.Scanner).", name+"\n", got)
		}
		require.Equal(t, "Hello, "+name+"!\n", got,
			"the client sent %q and the server answered %q: answer each line NAME with \"Hello, NAME!\\n\" and keep the connection open for the next line",
			name+"\n", got)
	}
}

// latin1 is what text becomes when each of its bytes is taken for a
// character of its own: string(b) of a byte b.
func latin1(text string) string {
	var r []rune
	for _, b := range []byte(text) {
		r = append(r, rune(b))
	}
	return string(r)
}

// Read lines, not Reads: a name can arrive in pieces, and two names in one piece.
func TestTask3LinesNotReads(t *testing.T) {
	s := start(t)

	// A proxy between the client and the server passes everything on one
	// byte at a time, 5 ms apart, as a slow network may.
	p := netsimtest.TCP(t, s.Addr, netsim.TCPOptions{Fragment: 1})
	c := s.via(t, p.Addr())
	welcome(t, c, "the welcome, through a proxy that passes one byte at a time")
	for _, name := range []string{"Michael", "张三"} {
		got := s.ask(t, c, name+"\n")
		require.Equal(t, "Hello, "+name+"!\n", got,
			"the client sent %q, which reached the server one byte at a time, and the server answered %q.\n"+
				"One Read returns whatever has arrived, which may be a piece of a line: read whole lines "+
				"(bufio.Scanner, or bufio.Reader's ReadString('\\n')) and answer each one once its \"\\n\" has come.",
			name+"\n", got)
	}
	c.Close()

	// Two lines in one write arrive together.
	d := s.Dial(t)
	welcome(t, d, "the welcome")
	d.Send(t, "Tracy\nSarah\n")
	for i, name := range []string{"Tracy", "Sarah"} {
		got, err := d.TryLine(nettest.Step)
		switch {
		case err == nil:
		case s.Done():
			t.Fatalf("waiting for the reply to %q: %s", name+"\n", s.why())
		case i == 1 && got == "" && nettest.IsTimeout(err):
			t.Fatalf("the client sent two lines in one write, \"Tracy\\nSarah\\n\", and the server answered the first and never the second (%s).\n"+
				"Both lines came in one piece. A bufio.Reader or Scanner made anew for each line takes the next line into its buffer "+
				"with its own, and that line is lost when it is dropped: make one before the loop, and read every line of the conversation from it.",
				nettest.Explain(err, got))
		default:
			t.Fatalf("waiting for the reply to %q, sent in one write with another line: %s", name+"\n", nettest.Explain(err, got))
		}
		require.Equal(t, "Hello, "+name+"!\n", got,
			"the client sent two lines in one write, \"Tracy\\nSarah\\n\", and the server answered %q.\n"+
				"One Read can return several lines at once: answer each line on its own.", got)
	}
}

// Lines as nc and telnet send them: "\r\n" ends a line too, and an empty line is an empty name.
func TestTask4LineEnds(t *testing.T) {
	s := start(t)
	c := s.Dial(t)
	welcome(t, c, "the welcome")
	for _, tc := range []struct{ send, want, why string }{
		{"Michael\r\n", "Hello, Michael!\n", "telnet and nc -C end lines with \"\\r\\n\": the \"\\r\" is part of the line end, not of the name"},
		{"\n", "Hello, !\n", "an empty line is an empty name, and it gets its reply like any other"},
		{"\r\n", "Hello, !\n", "an empty line from telnet is just \"\\r\\n\": an empty name"},
		{" Tracy \n", "Hello,  Tracy !\n", "only the line end is removed: spaces are part of the name"},
		{"EXIT\n", "Hello, EXIT!\n", "only a line that is exactly \"exit\" ends the conversation; \"EXIT\" is a name"},
		{"exit please\r\n", "Hello, exit please!\n", "only a line that is exactly \"exit\" ends the conversation"},
	} {
		c.Send(t, tc.send)
		got := c.Line(t, fmt.Sprintf("the reply to %q (%s)", tc.send, tc.why))
		require.Equal(t, tc.want, got, "the client sent %q and the server answered %q: %s", tc.send, got, tc.why)
	}
}

// Hang up on exit, and when the client leaves without it: close every connection.
func TestTask5HangUp(t *testing.T) {
	s := start(t)

	// exit ends the conversation: no reply, and what follows is ignored.
	a := s.Dial(t)
	welcome(t, a, "the welcome")
	a.Send(t, "Sarah\nexit\nTracy\n")
	assert.Equal(t, "Hello, Sarah!\n", a.Line(t, "the reply to \"Sarah\\n\""))
	a.EOF(t, "the client sent \"exit\\n\" (and then \"Tracy\\n\"): after exit the server should close the connection (conn.Close()) without another word")
	s.conns.WaitClosed(t, a, "after exit")

	// telnet's exit.
	a2 := s.Dial(t)
	welcome(t, a2, "the welcome")
	a2.Send(t, "exit\r\n")
	a2.EOF(t, "the client sent \"exit\\r\\n\", as telnet does: that is exit too, and the server should close the connection")

	// The client closes its sending half: the server answers and hangs up.
	b := s.Dial(t)
	welcome(t, b, "the welcome")
	b.Send(t, "Tracy\n")
	require.NoError(t, b.Conn.(*net.TCPConn).CloseWrite())
	assert.Equal(t, "Hello, Tracy!\n", b.Line(t, "the reply to \"Tracy\\n\", sent just before the client closed its sending half"))
	closesAfterLastReply(t, b, "Tracy\n")
	s.conns.WaitClosed(t, b, "after the client closed its end without exit")

	// The last line of a stream need not end in "\n".
	c := s.Dial(t)
	welcome(t, c, "the welcome")
	c.Send(t, "Sarah")
	require.NoError(t, c.Conn.(*net.TCPConn).CloseWrite())
	got := c.Line(t, "the reply to \"Sarah\", a last line without \"\\n\" before the client closed its end "+
		"(answer what arrived before EOF too: bufio.Scanner does, ReadString returns it with io.EOF)")
	assert.Equal(t, "Hello, Sarah!\n", got)
	c.EOF(t, "after answering the last line the server should close the connection")
	s.conns.WaitClosed(t, c, "after the client closed its end without exit")

	// The client hangs up at once, without a word.
	d := s.Dial(t)
	welcome(t, d, "the welcome")
	d.Close()
	s.conns.WaitClosed(t, d, "after a client hung up without saying exit")

	// The client resets the connection (as one that closes with bytes unread does).
	e := s.Dial(t)
	welcome(t, e, "the welcome")
	require.Equal(t, "Hello, Michael!\n", s.ask(t, e, "Michael\n"))
	require.NoError(t, e.Conn.(*net.TCPConn).SetLinger(0)) // Close sends a reset (RST), not an orderly end
	e.Close()
	s.conns.WaitClosed(t, e, "after a client's connection was reset")

	// None of that stops the server.
	f := s.Dial(t)
	welcome(t, f, "the welcome for the next client, after all the others left")
	require.Equal(t, "Hello, Ada!\n", s.ask(t, f, "Ada\n"))
	f.Close()
	s.conns.WaitAllClosed(t, "after every client left")
}

// closesAfterLastReply checks that the server, having answered the last
// line of a client that closed its sending half, sends nothing more and
// closes its end too.
func closesAfterLastReply(t *testing.T, c *nettest.Client, sent string) {
	t.Helper()
	line, err := c.TryLine(nettest.Step)
	switch {
	case line == "Hello, !\n":
		t.Fatalf("the client sent %q and closed its end; the server answered it, then sent %q, a reply to no line at all.\n"+
			"At the end of the stream ReadString returns \"\" with io.EOF: what comes with io.EOF is a last line only when it is not empty. "+
			"Answer that, then close the connection (conn.Close()) without another word.", sent, line)
	case line != "":
		t.Fatalf("the client sent %q and closed its end without exit; after answering it the server should close its end too (conn.Close()), "+
			"but %q arrived first", sent, line)
	case errors.Is(err, io.EOF):
	case nettest.IsTimeout(err):
		t.Fatalf("the client sent %q and closed its end (the server read EOF) without saying exit; the connection stayed open for %v.\n"+
			"The server should close its end too (conn.Close())", sent, nettest.Step)
	default:
		t.Fatalf("the client sent %q and closed its end without exit; expected the server to close its end cleanly (EOF), got %v", sent, err)
	}
}

// Serve many clients at once, each with its own replies, in any order.
func TestTask6ManyAtOnce(t *testing.T) {
	s := start(t)
	names := []string{"Michael", "Tracy", "Sarah", "张三", "Ada"}
	n := len(names)
	clients := make([]*nettest.Client, n)
	for i := range clients {
		clients[i] = s.Dial(t)
	}

	// The last to connect is welcomed while the others wait in silence.
	welcomeAll(t, s, clients)

	// Everybody speaks, first first; the replies are read last first.
	for i, c := range clients {
		c.Send(t, names[i]+"\n")
	}
	for i := n - 1; i >= 0; i-- {
		reply(t, clients[i], i, names, clients[i].Line(t, fmt.Sprintf("the reply to client %d's %q", i+1, names[i]+"\n")))
	}

	// A name in two pieces, with another client's line in between.
	clients[1].Send(t, "Ma")
	clients[3].Send(t, "Tom\n")
	assert.Equal(t, "Hello, Tom!\n", clients[3].Line(t, "the reply to client 4's \"Tom\\n\""))
	clients[1].Send(t, "ry\n")
	assert.Equal(t, "Hello, Mary!\n", clients[1].Line(t, "the reply to client 2's \"Ma\" + \"ry\\n\""),
		"each connection's bytes are its own: client 2's line was \"Mary\", whatever client 4 sent in between")

	// They leave in another order than they came.
	for _, i := range []int{2, 0, 4, 1, 3} {
		clients[i].Send(t, "exit\n")
		clients[i].EOF(t, fmt.Sprintf("client %d sent exit; the server should close its connection (and only that one)", i+1))
	}

	// And fifty more at once, each answered on its own connection.
	const many = 50
	crowd := make([]*nettest.Client, many)
	who := make([]string, many)
	for i := range crowd {
		crowd[i] = s.Dial(t)
		who[i] = fmt.Sprintf("guest %d", i+1)
	}
	for i := many - 1; i >= 0; i-- {
		welcome(t, crowd[i], fmt.Sprintf("the welcome for guest %d of %d, all connected at once", i+1, many))
		crowd[i].Send(t, who[i]+"\nexit\n")
	}
	for i, c := range crowd {
		reply(t, c, i, who, c.Line(t, fmt.Sprintf("the reply to %q", who[i])))
		c.EOF(t, fmt.Sprintf("guest %d sent exit", i+1))
	}
	s.conns.WaitAllClosed(t, "after every client said exit")
}

// welcomeAll reads each client's welcome, the last client's first, and
// when one does not come, says whether the server is serving one client at
// a time or sent the welcome to another client.
func welcomeAll(t *testing.T, s *server, clients []*nettest.Client) {
	t.Helper()
	n := len(clients)
	for i := n - 1; i >= 0; i-- {
		line, err := clients[i].TryLine(nettest.Step)
		switch {
		case err == nil && line == Welcome:
			continue
		case s.Done():
			t.Fatalf("waiting for the welcome for client %d of %d: %s", i+1, n, s.why())
		case err == nil:
			t.Fatalf("client %d of %d received %q; the first thing the server sends each client should be Welcome, %q", i+1, n, line, Welcome)
		}
		// Nothing came. Did it go to a client that was already welcomed?
		for j := n - 1; j > i; j-- {
			if extra, err := clients[j].TryLine(50 * time.Millisecond); err == nil {
				t.Fatalf("client %d of %d received no welcome, and client %d received %q after its own.\n"+
					"Each client's words must go on its own connection: give each handler its own conn "+
					"(as an argument), never a variable that all handlers share.", i+1, n, j+1, extra)
			}
		}
		t.Fatalf("waiting for the welcome for client %d of %d, while the other %d are connected and silent: %s.\n"+
			"A server that talks to one client at a time never gets to it: give each connection a goroutine of its own, "+
			"and go straight back to Accept.", i+1, n, n-1, nettest.Explain(err, line))
	}
}

// reply checks that client i, who sent names[i], got its own reply, and
// says so plainly when it got another client's.
func reply(t *testing.T, c *nettest.Client, i int, names []string, got string) {
	t.Helper()
	if want := "Hello, " + names[i] + "!\n"; got == want {
		return
	}
	for j, other := range names {
		if j != i && got == "Hello, "+other+"!\n" {
			t.Fatalf("client %d sent %q and received %q, the reply to client %d.\n"+
				"Each reply must go back on the connection its line came from: give each handler its own conn "+
				"(as an argument), never a variable that all handlers share.", i+1, names[i]+"\n", got, j+1)
		}
	}
	t.Fatalf("client %d sent %q and received %q; want %q", i+1, names[i]+"\n", got, "Hello, "+names[i]+"!\n")
}

// Return when the listener closes; conversations already going carry on, then end cleanly.
func TestTask7ListenerCloses(t *testing.T) {
	before := goleak.IgnoreCurrent()
	s := start(t)
	a, b := s.Dial(t), s.Dial(t)
	welcome(t, a, "the welcome for client a")
	welcome(t, b, "the welcome for client b")
	require.Equal(t, "Hello, Michael!\n", s.ask(t, a, "Michael\n"))

	s.ln.Close()
	select {
	case <-s.returned:
	case <-time.After(nettest.Step):
		t.Fatalf("Serve did not return within %v after its listener was closed, while 2 clients were still connected.\n"+
			"Closing the listener is how a server is told to stop taking clients: when Accept fails with net.ErrClosed, "+
			"return nil at once, without waiting for the conversations already going (they end on their own).", nettest.Step)
	}
	require.NoError(t, s.err, "Serve should return nil when its listener is closed: that is how it is told to stop, not a failure")

	// Serve has returned, so read without giving up when it does.
	ra, rb := nettest.NewReader(a.Conn), nettest.NewReader(b.Conn)
	b.Send(t, "Tracy\n")
	assert.Equal(t, "Hello, Tracy!\n", rb.Line(t, "the reply to \"Tracy\\n\" after Serve returned (closing the listener stops new clients only: "+
		"conversations already going should carry on; do not close them when Serve returns)"))
	a.Send(t, "exit\n")
	ra.EOF(t, "client a sent exit after Serve returned; its handler should still close the connection")
	b.Close()
	s.conns.WaitAllClosed(t, "after Serve returned and both clients left")

	// Nothing of the server may still be running: no accept loop, no handler.
	if err := goleak.Find(before); err != nil {
		t.Fatalf("Serve has returned and every client has left, but goroutines of the server are still running.\n"+
			"Each handler must return when its conversation ends, and any goroutine it starts must end with it.\n%v", err)
	}
}

// Play the scripted conversations in testdata/*.session.
func TestTask8Sessions(t *testing.T) {
	sessiontest.TestGlobUntil(t, "testdata/*.session", func(t *testing.T) (string, <-chan error) {
		// A Serve that returns early stops the session at once, with
		// what it returned, instead of leaving it to time out.
		s := start(t)
		stopped := make(chan error, 1)
		go func() {
			select {
			case <-s.returned:
				stopped <- fmt.Errorf("Serve returned while its listener was still open: %v", s.err)
			case <-t.Context().Done():
			}
		}()
		return s.Addr, stopped
	})
}

// Outlive Accept errors such as "too many open files": back off, retry, keep serving.
func TestTask9AcceptBackoff(t *testing.T) {
	fl := &flakyListener{}
	const fails = 4
	recovered := fl.failNext(fails)
	s := start(t, func(ln net.Listener) net.Listener {
		fl.Listener, fl.err = ln, emfile(ln)
		return fl
	})

	// Wait for Serve to get through the failures, or to give up.
	waitRecovery := func(fails int, recovered <-chan struct{}) {
		t.Helper()
		select {
		case <-recovered:
		case <-s.returned:
			if !fl.called() {
				t.Fatalf("Serve returned before it called Accept: %v", s.err)
			}
			t.Fatalf("Accept failed with %q, and Serve returned: %v.\n"+
				"Running out of file descriptors is an error a server can outlive: connections close, descriptors come back. "+
				"Log it, wait a moment (MinBackoff, doubling while the errors go on) and call Accept again.", fl.err, s.err)
		case <-time.After(nettest.Step):
			t.Fatalf("Accept failed %d times in a row with %q, and Serve did not get past that within %v.\n"+
				"Back off briefly: MinBackoff after the first error, twice as long after each further one, never more than MaxBackoff.",
				fails, fl.err, nettest.Step)
		}
		for i, gap := range fl.gaps() {
			want := MinBackoff << i
			if want > MaxBackoff {
				want = MaxBackoff
			}
			if gap < want {
				advice := "Retrying at once spins: while the error lasts, the loop burns a CPU core and floods the log. " +
					"Wait MinBackoff after the first error in a row, twice as long after each further one, up to MaxBackoff."
				if i > 0 {
					advice = "While the errors go on, wait longer each time: MinBackoff after the first error in a row, " +
						"twice as long after each further one, up to MaxBackoff."
				}
				t.Fatalf("Accept failed with %q (failure %d in a row), and Serve called it again %v later; it should wait at least %v.\n%s",
					fl.err, i+1, gap.Round(time.Microsecond), want, advice)
			}
		}
	}
	waitRecovery(fails, recovered)

	a := s.Dial(t)
	welcome(t, a, "the welcome, once Accept works again")
	require.Equal(t, "Hello, Michael!\n", s.ask(t, a, "Michael\n"))

	// A second spell of errors, while client a is still talking: it
	// starts once Serve has accepted client b, and client c waits in the
	// kernel's queue until Serve gets through it.
	recovered = fl.failNext(2)
	b, c := s.Dial(t), s.Dial(t)
	waitRecovery(2, recovered)
	welcome(t, b, "the welcome for client b")
	welcome(t, c, "the welcome for client c, who connected during the second spell of errors")
	require.Equal(t, "Hello, Tracy!\n", s.ask(t, b, "Tracy\n"))
	require.Equal(t, "Hello, 张三!\n", s.ask(t, c, "张三\n"))
	require.Equal(t, "Hello, Sarah!\n", s.ask(t, a, "Sarah\n"), "client a's conversation should go on through the errors")
	require.False(t, s.Done(), "Serve returned while its listener was still open")

	// The listener is closed: that error ends Serve, as ever.
	s.ln.Close()
	select {
	case <-s.returned:
		require.NoError(t, s.err, "Serve should return nil when its listener is closed")
	case <-time.After(nettest.Step):
		t.Fatalf("Serve did not return within %v after its listener was closed: back off only on errors other than net.ErrClosed", nettest.Step)
	}

	// The same errors on a fake clock: how long Serve waits each time.
	nettest.CheckBackoff(t, nettest.Backoff{Serve: Serve, Min: MinBackoff, Max: MaxBackoff, Err: emfile(s.ln),
		Server: "the server", LetIn: "a client is accepted"})
}
