package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/netbook/netbook/labs/chatproto"
	"github.com/netbook/netbook/labs/chatproto/chattest"
	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session/sessiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// testPlay plays one session file against a fresh server.
func testPlay(t *testing.T, file string) {
	t.Helper()
	srv := nettest.Start(t, Serve)
	sessiontest.Test(t, "testdata/"+file, srv.Addr)
}

// Log clients in with ids 1, 2, 3..., and tell the room who joined.
func TestTask5Login(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := chattest.Join(t, srv, "alice")
	assert.Equal(t, 1, alice.ID, "the first client to log in should get id 1 (0 is System's)")
	bob := chattest.Join(t, srv, "bob")
	assert.Equal(t, 2, bob.ID, "the second client to log in should get id 2")
	alice.Expect(t, chattest.Joined(bob),
		"when bob logs in, everyone already in the room gets chatproto.Announcement(chatproto.JoinedText(2, \"bob\")) from System")
	require.False(t, srv.Done(), "Serve returned while its listener was open")

	testPlay(t, "login.session")
	testReplyBeforeJoin(t)
}

// testReplyBeforeJoin logs alice in, then bob, in a room of their own, and
// checks that the room starts writing bob's reply before it tells alice
// that bob joined. Once alice knows bob is in the room she may write to
// him, and what she says must not reach him before his id. The listener
// holds the room's announcement to alice until the room has written to
// bob, so a room that announces first is caught every time, not only when
// alice's answer wins a race.
func testReplyBeforeJoin(t *testing.T) {
	t.Helper()
	ln := &testReplyFirstListener{bobIn: make(chan struct{}), bobWritten: make(chan struct{})}
	srv := nettest.Start(t, func(l net.Listener) error {
		ln.Listener = l
		return Serve(ln)
	})
	alice := chattest.Join(t, srv, "alice")
	bob := chattest.Dial(t, srv, "bob")
	bob.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: bob.Name})
	// The listener holds an announcement made too soon for up to
	// nettest.Step; the reply comes after it.
	line, err := bob.Reader.TryLine(2 * nettest.Step)
	if ln.announcedFirst.Load() {
		t.Fatalf("when bob logged in, the room told alice that bob joined before it wrote bob's reply ({\"id\":N}).\n" +
			"Once alice knows bob is in the room she may write to him, and her message must not reach him before his id. " +
			"Under the room's lock, without releasing it in between: write the reply to the newcomer first, " +
			"then announce the newcomer to the others, then add it to the room")
	}
	if err != nil {
		t.Fatalf("waiting for the reply to bob's login: %s", nettest.Explain(err, line))
	}
	require.Equal(t, "{\"id\":2}\n", line, "the reply to bob's login, the second in a fresh room")
	bob.ID = 2
	alice.Expect(t, chattest.Joined(bob), "when bob logs in, alice (already in the room) hears it from System")
}

// testReplyFirstListener accepts as its Listener does; the first
// connection is alice's, the second bob's. Once bob is connected, the
// room's first write to alice (the announcement of bob's login) waits, up
// to nettest.Step, for the room to start writing to bob (his reply), and
// records it if it waited in vain.
type testReplyFirstListener struct {
	net.Listener
	accepted       atomic.Int32
	bobIn          chan struct{} // closed once bob's connection is accepted
	bobWritten     chan struct{} // closed at the room's first write to bob
	bobOnce        sync.Once
	aliceChecked   atomic.Bool // alice's first write since bob came in has been checked
	announcedFirst atomic.Bool // it waited for bob's reply in vain
}

func (l *testReplyFirstListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return c, err
	}
	switch l.accepted.Add(1) {
	case 1:
		return &testAliceConn{Conn: c, l: l}, nil
	case 2:
		close(l.bobIn)
		return &testBobConn{Conn: c, l: l}, nil
	}
	return c, nil
}

// testAliceConn is alice's connection, as the room sees it.
type testAliceConn struct {
	net.Conn
	l *testReplyFirstListener
}

func (c *testAliceConn) Write(p []byte) (int, error) {
	select {
	case <-c.l.bobIn:
		if c.l.aliceChecked.CompareAndSwap(false, true) {
			wait := time.NewTimer(nettest.Step)
			select {
			case <-c.l.bobWritten:
			case <-wait.C:
				c.l.announcedFirst.Store(true)
			}
			wait.Stop()
		}
	default:
	}
	return c.Conn.Write(p)
}

// testBobConn is bob's connection, as the room sees it.
type testBobConn struct {
	net.Conn
	l *testReplyFirstListener
}

func (c *testBobConn) Write(p []byte) (int, error) {
	c.l.bobOnce.Do(func() { close(c.l.bobWritten) })
	return c.Conn.Write(p)
}

// Relay each message to every other client, never back to its sender.
func TestTask6Relay(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := chattest.Join(t, srv, "alice")
	bob := chattest.Join(t, srv, "bob")
	alice.Expect(t, chattest.Joined(bob), "when bob logs in, alice (already in the room) hears it from System")

	alice.Say(t, "hello bob")
	bob.Expect(t, chattest.From(alice, "hello bob"), "alice's message, with her id and nickname")

	// The test cannot wait for "nothing": it sends a marker from bob, which
	// must be the very next thing alice receives.
	bob.Say(t, "marker")
	alice.Expect(t, chattest.From(bob, "marker"), "bob's marker should be alice's next message: a sender never gets its own message back")

	testPlay(t, "chat.session")
}

// Announce who leaves, however they leave.
func TestTask7Leave(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := chattest.Join(t, srv, "alice")
	bob := chattest.Join(t, srv, "bob")
	alice.Expect(t, chattest.Joined(bob), "System announces each login to the others")
	bob.Conn.Close()
	alice.Expect(t, chattest.Left(bob), "when a logged-in client hangs up, System tells everyone left")

	// A client that says goodbye with a half-close (it will send nothing
	// more, but could still read) has left: the server closes its end too.
	carol := chattest.Join(t, srv, "carol")
	alice.Expect(t, chattest.Joined(carol), "carol's login announced")
	require.NoError(t, carol.Conn.(*net.TCPConn).CloseWrite(), "carol half-closing her connection")
	alice.Expect(t, chattest.Left(carol), "carol closed her sending half: she has left the room")
	// She can still read: what she gets now, the server sent her after she left.
	if line, err := carol.Reader.TryLine(nettest.Step); err == nil || line != "" {
		if m, ok := testDecode(line); ok && m == chattest.Left(carol) {
			t.Fatalf("carol half-closed her connection, so she still reads, and she received %q: the announcement of her own leaving.\n"+
				"A departure is news for the others: take the member out of the room first, then announce it to everyone left "+
				"(or skip the one leaving, as a relay skips its sender)", chattest.Cut(line, 100))
		}
		t.Fatalf("carol left the room (she half-closed her connection and her leaving was announced), and then received %q: "+
			"after a client leaves, send it nothing more and close its connection", chattest.Cut(line, 100))
	} else if nettest.IsTimeout(err) {
		t.Fatalf("carol left the room (she half-closed her connection and her leaving was announced), "+
			"but the server kept its end of her connection open for %v. Close a client's connection as soon as it leaves, "+
			"with defer conn.Close() in the handler: every way out of it closes the connection", nettest.Step)
	} else if !errors.Is(err, io.EOF) {
		t.Fatalf("carol left the room (she half-closed her connection): expected the server to close its end cleanly (EOF), got %v", err)
	}

	testPlay(t, "joinleave.session")
}

// testDecode decodes line as a chatproto.Message, reporting whether it is one.
func testDecode(line string) (chatproto.Message, bool) {
	var m chatproto.Message
	return m, json.Unmarshal([]byte(line), &m) == nil
}

// Trust the connection, not the message: ignore the sender_id a client claims.
func TestTask8SenderID(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := chattest.Join(t, srv, "alice")
	bob := chattest.Join(t, srv, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")

	bob.Send(t, chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: alice.ID, Message: "I am alice"})
	got := alice.Next(t, "bob's message, which claims to be alice's")
	require.NotEqual(t, alice.ID, got.SenderID,
		"bob sent sender_id %d (alice's) and the server believed him: use the id of the connection the message came on, not the one it claims", alice.ID)
	require.Equal(t, chattest.From(bob, "I am alice"), got, "the message is bob's, whatever it claims")

	testPlay(t, "spoof.session")
}

// Answer what the server cannot accept with an error message, and carry on.
func TestTask9Errors(t *testing.T) {
	srv := nettest.Start(t, Serve)
	p := chattest.Dial(t, srv, "alice")
	p.SendRaw(t, "this is not JSON\n")
	p.ExpectError(t, `sending "this is not JSON"`)
	p.Login(t)
	require.False(t, srv.Done(), "Serve returned after a bad message")

	// Too long for the room: the server never sends a line longer than
	// MaxMessage, since the others read no longer ones.
	bob := testLongNickname(t, srv, p)
	testLongMessage(t, p, bob)

	testPlay(t, "errors.session")
}

// testLongNickname has bob log in with a nickname one byte longer than
// MaxNickname, which must be refused, then with one of exactly MaxNickname
// bytes, which must not be; alice is in the room already. It returns bob,
// logged in.
func testLongNickname(t *testing.T, srv *nettest.Server, alice *chattest.Peer) *chattest.Peer {
	t.Helper()
	bob := chattest.Dial(t, srv, strings.Repeat("b", MaxNickname+1))
	bob.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: bob.Name})
	line := bob.Reader.Line(t, fmt.Sprintf("the reply to a login with a nickname of %d bytes, longer than MaxNickname (%d)", len(bob.Name), MaxNickname))
	if strings.HasPrefix(line, `{"id":`) {
		t.Fatalf("a client logged in with a nickname of %d bytes and the server accepted it, replying %q.\n"+
			"Refuse a nickname longer than MaxNickname (%d bytes, len(nickname) > MaxNickname) with chatproto.ErrorMessage: "+
			"every announcement carries the nickname, so a long one would make lines longer than MaxMessage",
			len(bob.Name), strings.TrimSpace(line), MaxNickname)
	}
	require.True(t, chattest.IsError(line),
		"a login with a nickname of %d bytes, longer than MaxNickname (%d), should get chatproto.ErrorMessage(why) back; got %q",
		len(bob.Name), MaxNickname, chattest.Cut(line, 100))

	// MaxNickname counts bytes: 22 Chinese characters are 66 of them.
	chinese := strings.Repeat("张", MaxNickname/3+1)
	bob.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: chinese})
	line = bob.Reader.Line(t, fmt.Sprintf("the reply to a login with a nickname of %d Chinese characters, %d bytes", utf8.RuneCountInString(chinese), len(chinese)))
	if strings.HasPrefix(line, `{"id":`) {
		t.Fatalf("a client logged in with the nickname %q, %d characters but %d bytes, and the server accepted it, replying %q.\n"+
			"MaxNickname (%d) counts bytes (see protocol.go): refuse len(nickname) > MaxNickname, "+
			"not utf8.RuneCountInString(nickname) > MaxNickname (a Chinese character takes 3 bytes in UTF-8)",
			chinese, utf8.RuneCountInString(chinese), len(chinese), strings.TrimSpace(line), MaxNickname)
	}
	require.True(t, chattest.IsError(line),
		"a login with a nickname of %d bytes, longer than MaxNickname (%d), should get chatproto.ErrorMessage(why) back; got %q",
		len(chinese), MaxNickname, chattest.Cut(line, 100))

	// The same connection carries on, and a nickname of exactly
	// MaxNickname bytes is fine.
	bob.Name = strings.Repeat("b", MaxNickname)
	bob.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: bob.Name})
	line = bob.Reader.Line(t, fmt.Sprintf("the reply to a login with a nickname of exactly MaxNickname (%d) bytes", MaxNickname))
	_, err := fmt.Sscanf(line, `{"id":%d}`, &bob.ID)
	require.NoError(t, err, "a client whose login was refused for a nickname of %d bytes tried again with one of exactly MaxNickname (%d) bytes, "+
		"which must be accepted (refuse only len(nickname) > MaxNickname); the server replied %q", MaxNickname+1, MaxNickname, strings.TrimSpace(line))
	alice.Expect(t, chattest.Joined(bob), fmt.Sprintf("a client logged in with a nickname of exactly MaxNickname (%d) bytes", MaxNickname))
	return bob
}

// testLongMessage has alice say a message whose relayed line is exactly
// MaxMessage bytes, which bob must get, then one a byte longer, which must
// be refused with an error message to alice and relayed to nobody.
func testLongMessage(t *testing.T, alice, bob *chattest.Peer) {
	t.Helper()
	envelope, err := chatproto.Encode(chattest.From(alice, ""))
	require.NoError(t, err)
	fits := strings.Repeat("x", MaxMessage-len(envelope))
	alice.Say(t, fits)
	line, err := bob.Reader.TryLine(nettest.Step)
	if err != nil {
		said := fmt.Sprintf("alice said a message of %d bytes, which relayed with her id and nickname makes a line of exactly MaxMessage (%d) bytes, "+
			"newline included. Bob waited for it: %s.\n", len(fits), MaxMessage, nettest.Explain(err, chattest.Cut(line, 100)))
		if reply, err := alice.Reader.TryLine(nettest.Step / 4); err == nil {
			t.Fatalf("%sAlice got %q instead. The relayed line fits: refuse a broadcast only when len(line) > MaxMessage, "+
				"line being chatproto.Encode of the chatproto.Message the others would get. And her request was shorter than MaxMessage, "+
				"so the server must read it whole: a bufio.Scanner with sc.Buffer(make([]byte, 0, 4096), MaxMessage) and sc.Split(Split) "+
				"(one Read is not one message)", said, chattest.Cut(reply, 200))
		}
		t.Fatalf("%sA relayed line of MaxMessage bytes fits: refuse a broadcast only when len(line) > MaxMessage, line being "+
			"chatproto.Encode of the chatproto.Message the others would get", said)
	}
	want, _ := chatproto.Encode(chattest.From(alice, fits))
	require.True(t, line == string(want), "alice said a message of %d bytes, and bob received a line of %d bytes, %q; "+
		"wanted her message, relayed whole: a line of exactly MaxMessage (%d) bytes, which fits. Her request was shorter than MaxMessage, "+
		"so the server must read it whole: a bufio.Scanner with sc.Buffer(make([]byte, 0, 4096), MaxMessage) and sc.Split(Split)",
		len(fits), len(line), chattest.Cut(line, 100), MaxMessage)

	tooLong := fits + "x"
	alice.Say(t, tooLong)
	line, err = alice.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("alice said a message of %d bytes, which relayed with her id and nickname would make a line of %d bytes, one more than MaxMessage. "+
			"She waited for an error message in reply: %s.\n"+
			"The others read lines of at most MaxMessage bytes (a client with sc.Buffer(..., MaxMessage) loses its connection on a longer one): "+
			"encode the chatproto.Message first (chatproto.Encode gives the whole line, newline included) and, when len(line) > MaxMessage, answer its sender with chatproto.ErrorMessage "+
			"(say how long a message may be) and relay it to nobody", len(tooLong), MaxMessage+1, nettest.Explain(err, chattest.Cut(line, 100)))
	}
	require.True(t, chattest.IsError(line),
		"alice said a message too long to relay (a line of %d bytes, MaxMessage is %d) and should get chatproto.ErrorMessage(why) back; got %q",
		MaxMessage+1, MaxMessage, chattest.Cut(line, 100))

	// Nobody heard it, and alice is still in the room.
	alice.Say(t, "marker")
	line, err = bob.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("alice's message was refused for being too long; then she said \"marker\", and bob waited for it: %s", nettest.Explain(err, chattest.Cut(line, 100)))
	}
	require.True(t, len(line) <= MaxMessage,
		"alice's message was too long to relay (a line of %d bytes, MaxMessage is %d), and bob received a line of %d bytes: "+
			"refuse it with an error message to alice, and relay it to nobody", MaxMessage+1, MaxMessage, len(line))
	marker, _ := chatproto.Encode(chattest.From(alice, "marker"))
	require.True(t, line == string(marker),
		"after her too-long message was refused, alice said \"marker\": she stays connected, and bob's next message should be %q; got %q",
		marker, chattest.Cut(line, 100))
}

// Frame messages: pieces and clumps of bytes, and objects without a newline.
func TestTask10Framing(t *testing.T) {
	// Through a proxy that cuts every message into pieces of 5 bytes, and
	// through one that delivers everything sent in a burst in one piece.
	for _, tc := range []struct {
		name string
		opts netsim.TCPOptions
		hint string
	}{
		{"fragmented", netsim.TCPOptions{Fragment: 5},
			"here every message arrives in pieces of 5 bytes, so one Read returns part of a message: let a bufio.Scanner with Split put them together"},
		{"coalesced", netsim.TCPOptions{Coalesce: true},
			"here messages sent one after another arrive together, so one Read returns several: let a bufio.Scanner with Split take them apart"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // the two networks side by side: each waits on its proxy's gaps
			srv := nettest.Start(t, Serve)
			chattest.Join(t, srv, "direct") // straight to the server first: if Serve has returned, this says so at once
			proxy := netsimtest.TCP(t, srv.Addr, tc.opts)
			a := chattest.DialAddr(t, proxy.Addr(), "alice")
			a.Login(t)
			b := chattest.DialAddr(t, proxy.Addr(), "bob")
			b.Login(t)
			a.Expect(t, chattest.Joined(b), "bob's login announced")
			// Three messages written at once.
			var burst string
			for i := 1; i <= 3; i++ {
				line, _ := chatproto.Encode(chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: a.ID, Message: fmt.Sprintf("message %d of 3", i)})
				burst += string(line)
			}
			a.SendRaw(t, burst)
			for i := 1; i <= 3; i++ {
				got := b.Next(t, fmt.Sprintf("alice's message %d of 3 (%s)", i, tc.hint))
				require.Equal(t, chattest.From(a, fmt.Sprintf("message %d of 3", i)), got, tc.hint)
			}

			// A whole conversation through the same network (in larger
			// pieces, to keep the test short).
			opts := tc.opts
			if opts.Fragment > 0 {
				opts.Fragment, opts.FragmentGap = 16, 2*time.Millisecond
			}
			sessiontest.Test(t, "testdata/chat.session", netsimtest.TCP(t, nettest.Start(t, Serve).Addr, opts).Addr())
		})
	}

	// The article's client sends no newline and waits for the answer.
	srv := nettest.Start(t, Serve)
	p := chattest.Dial(t, srv, "zhangsan")
	p.SendRaw(t, `{"type": "login", "nickname": "zhangsan"}`)
	line, err := p.Reader.TryLine(nettest.Step)
	if err != nil && srv.Done() {
		t.Fatalf("waiting for the reply to the article's login: Serve returned while its listener was still open")
	}
	if err != nil {
		t.Fatalf("the article's client sent {\"type\": \"login\", \"nickname\": \"zhangsan\"} with no newline and waited for {\"id\":1}: %s\n"+
			"An object ends at its closing brace: Split must return it without waiting for a newline.", nettest.Explain(err, line))
	}
	require.Equal(t, "{\"id\":1}\n", line, "the reply to the article's login")

	testPlay(t, "article.session")
}

// Survive clients that vanish or stop reading, many clients at once, and close everything when stopped.
func TestTask11Robust(t *testing.T) {
	// Registered first, so it runs last: after both parts below, and every
	// connection they made, are done.
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	// Two rooms side by side: the client that stops reading takes Timeout
	// to be hung up on, and the rest need not wait for it. When the rest
	// fails, the client that stops reading stops too: waiting out the
	// write deadline would only delay the report.
	robustFailed := make(chan struct{})
	t.Run("a client that stops reading", func(t *testing.T) {
		t.Parallel()
		testDeafClient(t, robustFailed)
	})
	t.Run("clients that vanish, a crowd, stopping", func(t *testing.T) {
		t.Parallel()
		defer func() { // runs on t.Fatal too
			if t.Failed() {
				close(robustFailed)
			}
		}()
		testRobustRoom(t)
	})
}

// testRobustRoom has clients vanish mid-message and by a reset, a crowd
// talk at once, an Accept fail, and the room stop.
func testRobustRoom(t *testing.T) {
	t.Helper()
	srv := nettest.Start(t, Serve)
	alice := chattest.Join(t, srv, "alice")
	bob := chattest.Join(t, srv, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")

	// Carol leaves in the middle of a message.
	carol := chattest.Join(t, srv, "carol")
	alice.Expect(t, chattest.Joined(carol), "carol's login announced")
	bob.Expect(t, chattest.Joined(carol), "carol's login announced")
	carol.SendRaw(t, `{"type":"broadcast","message":"I was about to s`)
	carol.Conn.Close()
	alice.Expect(t, chattest.Left(carol), "carol hung up in the middle of a message: her half message is lost, her leaving is announced")
	bob.Expect(t, chattest.Left(carol), "carol hung up in the middle of a message")

	// Dave leaves with unread messages waiting for him, and his connection
	// is reset rather than closed: a crashed program's goodbye.
	dave := chattest.Join(t, srv, "dave")
	alice.Expect(t, chattest.Joined(dave), "dave's login announced")
	bob.Expect(t, chattest.Joined(dave), "dave's login announced")
	for i := 0; i < 20; i++ {
		alice.Say(t, fmt.Sprintf("unread %d", i))
		bob.Expect(t, chattest.From(alice, fmt.Sprintf("unread %d", i)), "alice's messages still reach bob")
	}
	dave.Conn.(*net.TCPConn).SetLinger(0)
	dave.Conn.Close()
	alice.Expect(t, chattest.Left(dave), "dave's connection was reset: he must be removed and his leaving announced")
	bob.Expect(t, chattest.Left(dave), "dave's connection was reset")

	// The room is still fine.
	alice.Say(t, "still here?")
	bob.Expect(t, chattest.From(alice, "still here?"), "after two clients vanished, the others chat on")
	erin := chattest.Join(t, srv, "erin")
	assert.Equal(t, 5, erin.ID, "ids are never reused: erin logs in fifth, so gets 5")

	// Many clients at once: unique ids, every message delivered, each
	// sender's messages in the order sent.
	testCrowd(t, srv, 12, 25)

	// An Accept that fails for another reason than a closed listener (out
	// of file descriptors, say) is no reason to stop: rest a moment and
	// accept again.
	other := nettest.Start(t, func(ln net.Listener) error { return Serve(&testFlakyListener{Listener: ln}) })
	nina := chattest.Dial(t, other, "nina")
	nina.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: "nina"})
	if line, err := nina.Reader.TryLine(nettest.Step); err != nil {
		if other.Done() {
			t.Fatalf("Serve's first Accept failed with %q, and Serve returned instead of accepting again.\n"+
				"Only net.ErrClosed means the listener is closed. Any other Accept error concerns one connection "+
				"or a passing shortage (of file descriptors, say): wait a little (a few milliseconds, longer if it "+
				"happens again) and accept again", testErrAccept)
		}
		t.Fatalf("Serve's first Accept failed with %q; waiting for the reply to the next client's login: %s",
			testErrAccept, nettest.Explain(err, line))
	}
	require.NoError(t, other.Stop(t), "Serve should return nil once its listener is closed")

	// Stopping the server closes every connection.
	require.NoError(t, srv.Stop(t), "Serve should return nil once its listener is closed")
	for _, p := range []*chattest.Peer{alice, bob, erin} {
		p.Conn.SetReadDeadline(time.Now().Add(nettest.Step))
		buf := make([]byte, 4096)
		for {
			_, err := p.Conn.Read(buf)
			if err != nil {
				require.False(t, nettest.IsTimeout(err),
					"Serve returned but %s's connection is still open: when the listener closes, close every client's connection", p.Name)
				break
			}
		}
	}
}

// testCrowd logs n clients in at once, has each say count messages at once, and
// checks what every client receives.
func testCrowd(t *testing.T, srv *nettest.Server, n, count int) {
	t.Helper()
	peers := make([]*chattest.Peer, n)
	for i := range peers {
		peers[i] = chattest.Dial(t, srv, fmt.Sprintf("p%02d", i))
	}
	// Log them all in at once. (t.Fatal is for the test's own goroutine, so
	// the goroutines only report.)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Go(func() {
			line, _ := chatproto.Encode(chatproto.Login{Type: chatproto.TypeLogin, Nickname: p.Name})
			p.Conn.SetWriteDeadline(time.Now().Add(nettest.Step))
			if _, err := p.Conn.Write(line); err != nil {
				errs <- err
				return
			}
			reply, err := p.Reader.TryLine(nettest.Step)
			if err != nil {
				errs <- fmt.Errorf("%s waiting for the reply to its login: %s", p.Name, nettest.Explain(err, reply))
				return
			}
			if _, err := fmt.Sscanf(reply, `{"id":%d}`, &p.ID); err != nil {
				errs <- fmt.Errorf("%s expected {\"id\":N} as the reply to its login, got %q", p.Name, reply)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err, "logging %d clients in at once", n)
	}
	ids := make([]int, n)
	for i, p := range peers {
		ids[i] = p.ID
	}
	sort.Ints(ids)
	for i := 1; i < n; i++ {
		require.NotEqual(t, ids[i-1], ids[i],
			"%d clients logged in at once and two got id %d: take the next id and add the client to the room under one lock", n, ids[i])
	}

	// Each hears of those who logged in after it; drain those.
	for _, p := range peers {
		for _, q := range peers {
			if q.ID > p.ID {
				m := p.Next(t, "the announcements of those who logged in after it")
				require.Equal(t, chatproto.SystemID, m.SenderID, "%s expected join announcements from System, got %+v", p.Name, m)
			}
		}
	}

	// Everyone talks at once while everyone listens.
	type report struct {
		who string
		err error
	}
	done := make(chan report, 2*n)
	for _, p := range peers {
		wg.Go(func() {
			for i := 0; i < count; i++ {
				line, _ := chatproto.Encode(chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: p.ID, Message: fmt.Sprintf("%s %d", p.Name, i)})
				p.Conn.SetWriteDeadline(time.Now().Add(nettest.Step))
				if _, err := p.Conn.Write(line); err != nil {
					done <- report{p.Name, fmt.Errorf("sending: %v", err)}
					return
				}
			}
		})
		wg.Go(func() {
			nextFrom := map[string]int{} // the number expected next from each sender
			for k := 0; k < (n-1)*count; k++ {
				line, err := p.Reader.TryLine(nettest.Step)
				if err != nil {
					done <- report{p.Name, fmt.Errorf("after %d of the %d messages the others sent: %s", k, (n-1)*count, nettest.Explain(err, line))}
					return
				}
				var sender string
				var num int
				var m chatproto.Message
				if err := json.Unmarshal([]byte(line), &m); err != nil || m.SenderNickname == p.Name {
					done <- report{p.Name, fmt.Errorf("received %q: expected the others' messages only", line)}
					return
				}
				if _, err := fmt.Sscanf(m.Message, "%s %d", &sender, &num); err != nil || sender != m.SenderNickname {
					done <- report{p.Name, fmt.Errorf("received %q, which is not a message the others sent", line)}
					return
				}
				if num != nextFrom[sender] {
					done <- report{p.Name, fmt.Errorf("received %q, but the next message from %s should be number %d: each sender's messages must arrive in the order sent", line, sender, nextFrom[sender])}
					return
				}
				nextFrom[sender]++
			}
			done <- report{p.Name, nil}
		})
	}
	wg.Wait()
	close(done)
	for r := range done {
		require.NoError(t, r.err, "%d clients each sending %d messages at once: client %s", n, count, r.who)
	}
	for _, p := range peers {
		p.Conn.Close()
	}
}

// testStall is the longest a client that reads everything may wait for the
// next message while another client in the room has stopped reading. A
// room that gives each write Timeout waits Timeout at most, once; one that
// writes with no deadline waits for ever. Five times Timeout tells the two
// apart however busy the machine is.
const testStall = 5 * Timeout

// testDeafClient has deaf log in to a room of its own and never read
// again, while alice says message after message of 16 KiB and bob reads
// each one. Once the room's writes to deaf block, deaf must be hung up on
// within its write deadline, its leaving announced, and bob must get
// every message, in order. It gives up after testDeafLimit bytes, not
// after some time: deaf's socket buffers fill long before that, however
// fast or slow the machine. They are made small (testSmallBuffers), so
// that they fill after a few messages rather than a few MiB of them:
// deaf is the same client with less room in its buffers, and the test
// spends its time on the write deadline, not on encoding MiB of JSON.
//
// A room that writes with a deadline may keep bob waiting until it
// passes, so bob waits up to testStall for each message. A room whose
// write to deaf has no deadline waits for ever once deaf's buffers are
// full: when bob has waited Step, as for any message, while such a write
// is under way (testDeafConn counts them), the test fails then.
//
// It stops, skipped, when otherFailed is closed: the test has failed
// already.
func testDeafClient(t *testing.T, otherFailed <-chan struct{}) {
	t.Helper()
	const size, window = 16 << 10, 4 // window: messages alice is ahead of bob
	ln := &testSmallBuffers{}
	srv := nettest.Start(t, func(l net.Listener) error {
		ln.Listener = l
		return Serve(ln)
	})
	deaf := chattest.Join(t, srv, "deaf") // logs in, then never reads again
	if tc, ok := deaf.Conn.(*net.TCPConn); ok {
		tc.SetReadBuffer(testSmallBuffer)
	}
	deafConn := ln.deaf.Load() // deaf's reply came, so the room has accepted it
	alice := chattest.Join(t, srv, "alice")
	bob := chattest.Join(t, srv, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")

	// When the other part fails, bob's connection is closed: his read
	// fails at once and the test stops.
	finished := make(chan struct{})
	t.Cleanup(func() { close(finished) })
	go func() {
		select {
		case <-otherFailed:
			bob.Conn.Close()
		case <-finished:
		}
	}()
	stopIfOtherFailed := func() {
		select {
		case <-otherFailed:
			t.Skip("skipped: the other part of this task failed, which is the one to fix first")
		default:
		}
	}

	text := strings.Repeat("x", size)
	said := func(i int) chatproto.Message { return chattest.From(alice, fmt.Sprintf("%06d %s", i, text)) }
	sent, received, dropped := 0, 0, false
	for !dropped || received < sent {
		for !dropped && sent-received < window {
			require.Less(t, sent*size, testDeafLimit,
				"alice said %d messages (%d MiB) and deaf, who has not read a byte since logging in, is still in the room. "+
					"A write to a client that does not read blocks once its buffers are full: give every write to a client a deadline "+
					"(conn.SetWriteDeadline(time.Now().Add(Timeout)) just before it) and hang up on the client when the write fails",
				sent, testDeafLimit>>20)
			stopIfOtherFailed()
			alice.Say(t, said(sent).Message)
			sent++
		}
		waited := nettest.Step
		line, err := bob.Reader.TryLine(nettest.Step)
		bare := deafConn != nil && deafConn.bare.Load() > 0
		if nettest.IsTimeout(err) && !bare {
			// The room's write to deaf has a deadline, or none is under
			// way: allow for the deadline.
			more, errMore := bob.Reader.TryLine(testStall - nettest.Step)
			line, err, waited = line+more, errMore, testStall
			bare = deafConn != nil && deafConn.bare.Load() > 0
		}
		if err != nil {
			stopIfOtherFailed()
			why := "nothing arrived"
			if !nettest.IsTimeout(err) {
				why = nettest.Explain(err, chattest.Cut(line, 100))
			}
			blocked := "a write to it blocked"
			if bare {
				blocked = "the room's write to it, which has no write deadline, blocked (and is blocked still: nothing ends it)"
			}
			t.Fatalf("bob waited %v for alice's message %d: %s.\n"+
				"deaf logged in and then stopped reading, so once its socket buffers were full %s, and the room waited with it. "+
				"Give every write to a client a deadline: conn.SetWriteDeadline(time.Now().Add(Timeout)) just before each Write. "+
				"When a write fails, close that client's connection: its handler's read then fails, and it leaves the room as any client does",
				waited, received+1, why, blocked)
		}
		m := chattest.DecodeMessage(t, "bob", line)
		if m.SenderID == chatproto.SystemID {
			require.Equal(t, chattest.Left(deaf), m,
				"while alice talks, the only announcement bob should hear is that deaf left (its write deadline passed)")
			dropped = true
			continue
		}
		require.True(t, m == said(received), "bob's next message should be alice's message %d of 16 KiB; got %q", received+1, chattest.Cut(line, 100))
		received++
	}
	alice.Expect(t, chattest.Left(deaf), "deaf stopped reading and was hung up on: alice hears that it left")
	alice.Say(t, "after deaf")
	bob.Expect(t, chattest.From(alice, "after deaf"), "the room goes on after the client that stopped reading is gone")
}

// testDeafLimit is how much testDeafClient says before it gives up on the
// room hanging up on a client that does not read.
const testDeafLimit = 64 << 20

// testSmallBuffer is the size testDeafClient asks for deaf's receive buffer
// and the room's send buffer to deaf. The kernel keeps a few KiB at least
// (and Linux doubles what it is asked for), so a few messages of 16 KiB
// fill both.
const testSmallBuffer = 4 << 10

// testSmallBuffers accepts as its Listener does, and gives the first
// connection, deaf's, a small send buffer, and to the room as a
// testDeafConn: every method of the *net.TCPConn, which also counts the
// writes under way that have no write deadline.
type testSmallBuffers struct {
	net.Listener
	accepted atomic.Int32
	deaf     atomic.Pointer[testDeafConn]
}

func (l *testSmallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return c, err
	}
	if tc, ok := c.(*net.TCPConn); ok && l.accepted.Add(1) == 1 {
		tc.SetWriteBuffer(testSmallBuffer)
		dc := &testDeafConn{TCPConn: tc}
		l.deaf.Store(dc)
		return dc, nil
	}
	return c, nil
}

// testDeafConn is deaf's connection as the room sees it. It keeps the
// write deadline the room last set and counts, in bare, the Writes under
// way while none is set: such a Write, once deaf's buffers are full,
// never returns by itself.
type testDeafConn struct {
	*net.TCPConn
	mu       sync.Mutex
	deadline time.Time // the write deadline, as last set
	bare     atomic.Int32
}

func (c *testDeafConn) SetDeadline(d time.Time) error {
	c.mu.Lock()
	c.deadline = d
	c.mu.Unlock()
	return c.TCPConn.SetDeadline(d)
}

func (c *testDeafConn) SetWriteDeadline(d time.Time) error {
	c.mu.Lock()
	c.deadline = d
	c.mu.Unlock()
	return c.TCPConn.SetWriteDeadline(d)
}

func (c *testDeafConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	bare := c.deadline.IsZero()
	c.mu.Unlock()
	if bare {
		c.bare.Add(1)
		defer c.bare.Add(-1)
	}
	return c.TCPConn.Write(p)
}

// testErrAccept is what a testFlakyListener's first Accept returns: the
// error a listener gives when the process has run out of file descriptors.
var testErrAccept = &net.OpError{Op: "accept", Net: "tcp", Err: errors.New("too many open files (made up by the test)")}

// testFlakyListener is a listener whose first Accept fails with
// testErrAccept, as a real one does now and then, without being closed.
type testFlakyListener struct {
	net.Listener
	calls atomic.Int32
}

func (l *testFlakyListener) Accept() (net.Conn, error) {
	if l.calls.Add(1) == 1 {
		return nil, testErrAccept
	}
	return l.Listener.Accept()
}
