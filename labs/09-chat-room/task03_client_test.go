package chat

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/chatproto"
	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// testFakeServer is the test playing the server for a Client under test: a
// listener, and the server's end of the one connection the client makes.
type testFakeServer struct {
	ln   net.Listener
	conn net.Conn
	r    *nettest.Reader
}

// dialTestFake starts a listener, optionally puts a misbehaving network in
// front of it, connects a Client to it with Dial and accepts the connection.
func dialTestFake(t *testing.T, opts *netsim.TCPOptions) (*Client, *testFakeServer) {
	t.Helper()
	ln := nettest.Listen(t)
	addr := ln.Addr().String()
	if opts != nil {
		addr = netsimtest.TCP(t, addr, *opts).Addr()
	}
	c, err := Dial(addr)
	require.NoError(t, err, "Dial(%q): a server is listening there", addr)
	require.NotNil(t, c, "Dial returned no error but a nil *Client")
	t.Cleanup(func() {
		nettest.Within(t, nettest.Step, "Client.Close", func() { c.Close() })
	})
	conn := nettest.Accept(t, ln, "the client from Dial")
	return c, &testFakeServer{ln: ln, conn: conn, r: nettest.NewReader(conn)}
}

// write sends text to the client.
func (f *testFakeServer) write(t *testing.T, text string) {
	t.Helper()
	f.conn.SetWriteDeadline(time.Now().Add(nettest.Step))
	_, err := io.WriteString(f.conn, text)
	require.NoError(t, err, "the test's server writing %q", text)
}

// request reads one line from the client and decodes it.
func (f *testFakeServer) request(t *testing.T, what string) chatproto.Request {
	t.Helper()
	line := f.r.Line(t, what)
	var req chatproto.Request
	require.NoError(t, json.Unmarshal([]byte(line), &req),
		"%s should be one line of JSON, made with Encode; the client sent %q", what, line)
	return req
}

// testLogin runs c.Login(nickname) while the test answers as the server with
// reply (nothing if empty), and returns what Login returned.
func testLogin(t *testing.T, c *Client, f *testFakeServer, nickname, reply string) (int, error) {
	t.Helper()
	type result struct {
		id  int
		err error
	}
	done := make(chan result, 1)
	go func() {
		id, err := c.Login(nickname)
		done <- result{id, err}
	}()
	req := f.request(t, fmt.Sprintf("the login request of Login(%q)", nickname))
	require.Equal(t, chatproto.Request{Type: chatproto.TypeLogin, Nickname: nickname}, req,
		"Login(%q) should send {\"type\":\"login\",\"nickname\":%q}", nickname, nickname)
	if reply != "" {
		f.write(t, reply)
	}
	select {
	case r := <-done:
		return r.id, r.err
	case <-time.After(nettest.Step):
		t.Fatalf("Login(%q) did not return within %v after the server replied %q", nickname, nettest.Step, reply)
		return 0, nil
	}
}

// testReceive waits for the next message on c.Messages().
func testReceive(t *testing.T, c *Client, what string) chatproto.Message {
	t.Helper()
	ch := c.Messages()
	require.NotNil(t, ch, "Messages() returned a nil channel")
	select {
	case m, ok := <-ch:
		require.True(t, ok, "waiting for %s: the Messages channel was closed", what)
		return m
	case <-time.After(nettest.Step):
		t.Fatalf("waiting for %s: nothing arrived on Messages() within %v", what, nettest.Step)
		return chatproto.Message{}
	}
}

// testClosedWithin checks that c.Messages() is closed within Step (after
// draining anything still on it).
func testClosedWithin(t *testing.T, c *Client, why string) {
	t.Helper()
	deadline := time.After(nettest.Step)
	for {
		select {
		case _, ok := <-c.Messages():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("the Messages channel was not closed within %v %s", nettest.Step, why)
		}
	}
}

// Connect and log in: Login returns the id the server gives.
func TestTask3ClientLogin(t *testing.T) {
	// The quiet room's login comes first, so that its quiet spell (longer
	// than Timeout) runs while the cases below do; it is checked last.
	quiet, quietServer := dialTestFake(t, nil)
	_, err := testLogin(t, quiet, quietServer, "erin", "{\"id\":5}\n")
	require.NoError(t, err, "Login(\"erin\") after the server replied {\"id\":5}")
	// The read deadline Login set for the reply ends by this time at the
	// latest: Login set it before it read the reply, and has returned.
	quietFrom := time.Now()

	c, f := dialTestFake(t, nil)
	id, err := testLogin(t, c, f, "alice", "{\"id\":7}\n")
	require.NoError(t, err, "Login(\"alice\") after the server replied {\"id\":7}")
	assert.Equal(t, 7, id, "Login should return the id in the server's reply")

	// The reply arrives in pieces of 2 bytes: one Read is not one message.
	c, f = dialTestFake(t, &netsim.TCPOptions{Fragment: 2})
	id, err = testLogin(t, c, f, "bob", "{\"id\":12}\n")
	require.NoError(t, err, "Login(\"bob\") when the reply {\"id\":12} arrives 2 bytes at a time: read with a bufio.Scanner and Split, not a single Read")
	assert.Equal(t, 12, id, "Login should return the id in the server's reply, however it arrives")

	// The article's server: spaces, and no newline after the reply.
	c, f = dialTestFake(t, nil)
	id, err = testLogin(t, c, f, "zhangsan", `{"id": 3}`)
	require.NoError(t, err, "Login(\"zhangsan\") when the reply is {\"id\": 3} with no newline, as the article's server sends it: Split ends an object at its closing brace")
	assert.Equal(t, 3, id, "Login should return the id in the server's reply")

	// A refusal.
	c, f = dialTestFake(t, nil)
	_, err = testLogin(t, c, f, "mallory", "{\"sender_id\":0,\"sender_nickname\":\"System\",\"message\":\"error: the room is full\"}\n")
	require.Error(t, err, "the server answered the login with an error message, so Login should return an error")
	assert.Contains(t, err.Error(), "the room is full", "Login's error should say what the server said")

	// A server that hangs up instead of answering.
	c, f = dialTestFake(t, nil)
	done := make(chan error, 1)
	go func() {
		_, err := c.Login("carol")
		done <- err
	}()
	f.request(t, "the login request")
	f.conn.Close()
	select {
	case err := <-done:
		assert.Error(t, err, "the server closed the connection without a reply: Login should return an error")
	case <-time.After(nettest.Step):
		t.Fatal("the server closed the connection without a reply, and Login is still waiting")
	}

	// Nobody listening.
	ln := nettest.Listen(t)
	addr := ln.Addr().String()
	ln.Close()
	nettest.Within(t, nettest.Step, "Dial to a closed port", func() {
		c, err := Dial(addr)
		if err == nil {
			c.Close()
		}
		assert.Error(t, err, "nobody listens on %s: Dial should return the connection error", addr)
	})

	// Two cases that each wait for Timeout, side by side (the quiet room
	// has waited since its login, at the top).
	t.Run("a server that never answers", func(t *testing.T) {
		t.Parallel()
		c, f := dialTestFake(t, nil)
		done := make(chan error, 1)
		go func() {
			_, err := c.Login("dora")
			done <- err
		}()
		f.request(t, "the login request")
		// The test's server says nothing at all.
		select {
		case err := <-done:
			assert.Error(t, err, "the server never answered the login: Login should give up with an error")
		case <-time.After(Timeout + nettest.Step):
			t.Fatalf("the server never answered the login, and Login was still waiting after %v. "+
				"Wait for the reply with a read deadline: c.conn.SetReadDeadline(time.Now().Add(Timeout)), Timeout being %v",
				Timeout+nettest.Step, Timeout)
		}
	})
	t.Run("a quiet room after the login", func(t *testing.T) {
		t.Parallel()
		testQuietRoom(t, quiet, quietServer, quietFrom)
	})
}

// testQuietSpell is how long the room stays quiet after the login, from
// the moment Login returned: longer than Timeout, by enough that a read
// deadline left on from the login has passed on any machine.
const testQuietSpell = Timeout + 200*time.Millisecond

// testQuietRoom checks that a client that logged in at from keeps its
// connection through a quiet spell longer than Timeout: the room says
// nothing until from+testQuietSpell, then one message, which must arrive.
// The client is watched all along, so one whose chat ends when a read
// deadline left on from the login passes fails as it does, not after the
// spell.
func testQuietRoom(t *testing.T, c *Client, f *testFakeServer, from time.Time) {
	t.Helper()
	ended := func(why string) {
		t.Fatalf("the Messages channel was closed %s, %v after Login returned, while the room was quiet (nobody said anything). "+
			"A quiet room is no broken connection. Is the read deadline set for the login's reply still on? "+
			"Clear it once the reply has come, c.conn.SetReadDeadline(time.Time{}), since a chat may be quiet for hours",
			why, time.Since(from).Round(10*time.Millisecond))
	}
	ch := c.Messages()
	require.NotNil(t, ch, "Messages() returned a nil channel")
	spell := time.NewTimer(time.Until(from.Add(testQuietSpell)))
	defer spell.Stop()
	select {
	case m, ok := <-ch:
		if !ok {
			ended("before the quiet spell was over")
		}
		t.Fatalf("nobody said anything, but %+v arrived on Messages()", m)
	case <-spell.C:
	}
	want := chatproto.Message{SenderID: 6, SenderNickname: "frank", Message: "sorry, I was away"}
	line, _ := chatproto.Encode(want)
	f.write(t, string(line))
	select {
	case got, ok := <-ch:
		if !ok {
			ended(fmt.Sprintf("after a quiet spell of %v, longer than Timeout (%v)", testQuietSpell, Timeout))
		}
		assert.Equal(t, want, got, "the first message after a quiet spell")
	case <-time.After(nettest.Step):
		t.Fatalf("after a quiet spell, the server sent a message and nothing arrived on Messages() within %v", nettest.Step)
	}
}

// Send and receive: one line of JSON per message, whatever it says.
func TestTask4ClientChat(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) }) // registered first, so it runs last
	c, f := dialTestFake(t, nil)
	require.Error(t, c.Send("too early"), "Send before Login should return an error: the client has no id yet")
	_, err := testLogin(t, c, f, "alice", "{\"id\":7}\n")
	require.NoError(t, err, "Login")

	for _, text := range []string{
		"hello",
		`she said "hi" \o/`,
		"two\nlines",
		"<b>bold</b> & 你好",
		"",
	} {
		require.NoError(t, c.Send(text), "Send(%q)", text)
		req := f.request(t, fmt.Sprintf("the request of Send(%q)", text))
		require.Equal(t, chatproto.Request{Type: chatproto.TypeBroadcast, SenderID: 7, Message: text}, req,
			"Send(%q) after logging in as id 7 should send {\"type\":\"broadcast\",\"sender_id\":7,\"message\":...}, as one line (Encode escapes what needs escaping)", text)
	}

	// Several goroutines may send at once; every message leaves whole.
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := 0; i < 25; i++ {
				assert.NoError(t, c.Send(fmt.Sprintf("goroutine %d message %d", g, i)))
			}
		})
	}
	got := map[string]bool{}
	for i := 0; i < 100; i++ {
		req := f.request(t, fmt.Sprintf("message %d of the 100 that 4 goroutines sent at once", i+1))
		got[req.Message] = true
	}
	wg.Wait()
	assert.Len(t, got, 100, "4 goroutines each sent 25 different messages")

	// Messages arrive on the channel, in order, however the network cuts or
	// joins them, and the channel closes when the server hangs up.
	msgs := []chatproto.Message{
		chatproto.Announcement(chatproto.JoinedText(8, "bob")),
		{SenderID: 8, SenderNickname: "bob", Message: "hi alice"},
		{SenderID: 8, SenderNickname: "bob", Message: "{tricky} \"text\"\n"},
		chatproto.Announcement(chatproto.LeftText(8, "bob")),
	}
	for _, tc := range []struct {
		name string
		opts netsim.TCPOptions
		hint string
	}{
		{"fragmented", netsim.TCPOptions{Fragment: 3}, "messages arrived in pieces of 3 bytes"},
		{"coalesced", netsim.TCPOptions{Coalesce: true}, "messages arrived together, several in one Read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // the two networks side by side: each waits on its proxy's gaps
			c, f := dialTestFake(t, &tc.opts)
			_, err := testLogin(t, c, f, "alice", "{\"id\":7}\n")
			require.NoError(t, err, "Login")
			for _, m := range msgs {
				line, _ := chatproto.Encode(m)
				f.write(t, string(line))
			}
			for i, want := range msgs {
				got := testReceive(t, c, fmt.Sprintf("message %d of %d (%s)", i+1, len(msgs), tc.hint))
				require.Equal(t, want, got, "message %d on Messages() (%s)", i+1, tc.hint)
			}
			f.conn.Close()
			testClosedWithin(t, c, "after the server closed the connection")
		})
	}

	// Close hangs up, closes Messages and stops the reading goroutine.
	c, f = dialTestFake(t, nil)
	_, err = testLogin(t, c, f, "alice", "{\"id\":7}\n")
	require.NoError(t, err, "Login")
	nettest.Within(t, nettest.Step, "Close", func() {
		assert.NoError(t, c.Close(), "Close")
	})
	testClosedWithin(t, c, "after Close")
	f.r.EOF(t, "after Close, the server should see the connection closed")
	nettest.Within(t, nettest.Step, "a second Close", func() { c.Close() })

	// Close while nobody reads Messages and more messages wait than the
	// channel holds: the reader goroutine must not stay stuck sending.
	c, f = dialTestFake(t, nil)
	_, err = testLogin(t, c, f, "alice", "{\"id\":7}\n")
	require.NoError(t, err, "Login")
	ch := c.Messages()
	const unread = 200
	for i := 0; i < unread; i++ {
		line, _ := chatproto.Encode(chatproto.Message{SenderID: 8, SenderNickname: "bob", Message: fmt.Sprintf("unread %d", i)})
		f.write(t, string(line))
	}
	testWaitFull(t, ch)
	nettest.Within(t, nettest.Step, fmt.Sprintf("Close, while %d messages nobody read were waiting "+
		"(is the reader goroutine stuck sending on Messages? select on a channel that Close closes too)", unread), func() {
		c.Close()
	})
	// Close waits for the reader, so Messages is closed already: what is
	// left in it can be taken without waiting, and then it reports closed.
	for closed := false; !closed; {
		select {
		case _, ok := <-ch:
			closed = !ok
		default:
			t.Fatalf("Close returned, but the Messages channel was still open: " +
				"Close should wait for the reader goroutine, which closes Messages on its way out")
		}
	}

}

// testWaitFull waits, up to Step, until the channel holds as many messages
// as it can: then the reader goroutine has read one more and is waiting to
// send it. (An unbuffered channel is full at once.)
func testWaitFull(t *testing.T, ch <-chan chatproto.Message) {
	t.Helper()
	deadline := time.Now().Add(nettest.Step)
	for len(ch) < cap(ch) {
		if time.Now().After(deadline) {
			t.Fatalf("the test sent 200 messages and nobody read Messages(), but after %v the channel held only %d of its %d: "+
				"is the reader goroutine reading the connection?", nettest.Step, len(ch), cap(ch))
		}
		time.Sleep(time.Millisecond)
	}
}
