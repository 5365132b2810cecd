package chat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/netbook/netbook/labs/chatproto"
	"github.com/netbook/netbook/labs/chatproto/chattest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session/sessiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The chat room of lab 09, still: its conversations, with the default settings.
func TestTask1StillAChatRoom(t *testing.T) {
	r := startTestRoom(t, &Server{})
	alice := chattest.Join(t, r.Server, "alice")
	bob := chattest.Join(t, r.Server, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")

	// A ping gets no answer: alice's next message is bob's.
	alice.Send(t, chatproto.Request{Type: TypePing})
	bob.Say(t, "after your ping")
	alice.Expect(t, chattest.From(bob, "after your ping"),
		"a {\"type\":\"ping\"} request gets no answer at all (not an error): alice's next message should be bob's")

	// The same in an order that leaves no doubt: bob hears what alice said
	// after her ping, so anything the server said back to the ping is
	// already on its way to alice before bob speaks.
	alice.Send(t, chatproto.Request{Type: TypePing})
	alice.Say(t, "I just pinged")
	bob.Expect(t, chattest.From(alice, "I just pinged"), "alice's message, sent after her ping")
	bob.Say(t, "noted")
	alice.Expect(t, chattest.From(bob, "noted"),
		"alice sent {\"type\":\"ping\"}, then a message that bob received, then bob answered: alice's next message should be bob's answer. "+
			"A ping gets no answer at all, not even an error: handle TypePing by doing nothing")

	// Lab 09's conversations, each with a fresh server: the package-level
	// Serve, with the defaults.
	sessiontest.TestGlob(t, "testdata/*.session", func(t *testing.T) string {
		return nettest.Start(t, Serve).Addr
	})
}

// Disconnect a client that falls silent, or stalls halfway through a message.
func TestTask2Idle(t *testing.T) {
	// A second: far more than a busy machine can delay the keep-alive pings
	// (every idle/10), and far less than the Step within which the test
	// expects the idle clients to be gone.
	const idle = time.Second
	r := startTestRoom(t, &Server{IdleTimeout: idle})
	alice := chattest.Join(t, r.Server, "alice")
	pinger := chattest.Join(t, r.Server, "pinger")
	alice.Expect(t, chattest.Joined(pinger), "pinger's login announced")

	// Alice and pinger stay alive with a ping every idle/10, from a
	// goroutine, until the test has seen what it waits for.
	pinged := testKeepAlive(t, idle, 15, alice, pinger)

	// One connects and says nothing; one logs in and stops halfway
	// through a message.
	silent := chattest.Dial(t, r.Server, "silent")
	half := chattest.Join(t, r.Server, "half")
	alice.Expect(t, chattest.Joined(half), "half's login announced")
	pinger.Expect(t, chattest.Joined(half), "half's login announced")
	half.SendRaw(t, `{"type":"broadcast","message":"I was about to s`)

	alice.Expect(t, chattest.Left(half),
		fmt.Sprintf("half sent half a message and nothing more: after IdleTimeout (%v) without a complete message, the server should disconnect it and announce that it left", idle))
	pinger.Expect(t, chattest.Left(half), "half was disconnected as idle")
	r.track.WaitClosed(t, half.Conn, "half stalled halfway through a message for longer than IdleTimeout")
	r.track.WaitClosed(t, silent.Conn, fmt.Sprintf("silent connected and sent nothing for longer than IdleTimeout (%v): set a read deadline IdleTimeout away before reading each message", idle))
	r.logs.waitWarn(t, ReasonIdle, "when a client is disconnected for being idle")

	// Before hanging up, the server says why.
	for _, p := range []*chattest.Peer{silent, half} {
		p.ExpectError(t, fmt.Sprintf("IdleTimeout (%v) passed with no complete message from %s. "+
			"Before hanging up, the server tells the client why, with chatproto.ErrorMessage: a client cut off without a word cannot tell a policy from a crash", idle, p.Name))
	}

	// What the two idle clients were told, if anything, ends with the end.
	for _, p := range []*chattest.Peer{silent, half} {
		p.Conn.SetReadDeadline(time.Now().Add(nettest.Step))
		_, err := io.ReadAll(p.Conn)
		require.False(t, nettest.IsTimeout(err), "%s: the server should close an idle connection", p.Name)
	}

	// Pinging kept alice and pinger in, well past IdleTimeout: half an
	// IdleTimeout past it at least, which leaves a server that set their
	// deadline once, when they joined, the time to have dropped them.
	select {
	case <-pinged:
	case <-time.After(15*idle/10 + nettest.Step):
		t.Fatalf("the test's pings did not go out within %v", 15*idle/10+nettest.Step)
	}
	alice.Say(t, "still here?")
	pinger.Expect(t, chattest.From(alice, "still here?"),
		"alice and pinger sent a ping every "+(idle/10).String()+": a ping is a complete message, so they must not be disconnected as idle")
}

// Refuse a message longer than MaxLine, and a 10 MB line, without disturbing the room.
func TestTask3MaxLine(t *testing.T) {
	const limit = 1000
	r := startTestRoom(t, &Server{MaxLine: limit})
	alice := chattest.Join(t, r.Server, "alice")
	bob := chattest.Join(t, r.Server, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")

	// A line of exactly MaxLine bytes (without its newline) is fine.
	exact := testLineOf(t, bob.ID, limit)
	bob.SendRaw(t, exact)
	got := alice.Next(t, fmt.Sprintf("bob's message, whose line is exactly MaxLine (%d) bytes", limit))
	require.Equal(t, bob.ID, got.SenderID,
		"a message of exactly MaxLine bytes (not counting its newline) must be accepted: give bufio.Scanner room for the message and its newline, MaxLine+1")

	// Nor does the server send a line longer than MaxLine: the others
	// read no longer ones.
	testLongMessage(t, limit, alice, bob)
	testLongNickname(t, r, limit, alice)

	// One byte more is too long: an error, then the door.
	bob.SendRaw(t, testLineOf(t, bob.ID, limit+1))
	alice.Expect(t, chattest.Left(bob), fmt.Sprintf("bob sent a line of %d bytes, one more than MaxLine: the server should disconnect him (and the room hears that he left)", limit+1))
	r.track.WaitClosed(t, bob.Conn, "bob sent a message longer than MaxLine")
	r.logs.waitWarn(t, ReasonTooLong, "when a client sends a message longer than MaxLine")

	// A line of exactly MaxLine bytes that is not JSON is not too long,
	// only malformed: an error message, and dan stays in the room.
	dan := chattest.Join(t, r.Server, "dan")
	alice.Expect(t, chattest.Joined(dan), "dan's login announced")
	dan.SendRaw(t, strings.Repeat("x", limit)+"\n")
	dan.Say(t, "still here")
	alice.Expect(t, chattest.From(dan, "still here"), fmt.Sprintf(
		"dan sent a line of exactly MaxLine (%d) bytes that is not JSON, then a message. "+
			"The line is not too long, not counting its newline: it is only not JSON, so dan gets an error and stays. "+
			"A line needs room for its newline too: give bufio.Scanner MaxLine+1 bytes", limit))
	dan.ExpectError(t, fmt.Sprintf("a line of exactly MaxLine (%d) bytes and its newline, which is not JSON", limit))

	// An object that ends at its brace, with no newline, counts too.
	carol := chattest.Join(t, r.Server, "carol")
	alice.Expect(t, chattest.Joined(carol), "carol's login announced")
	carol.SendRaw(t, strings.TrimSuffix(testLineOf(t, carol.ID, limit+1), "\n"))
	alice.Expect(t, chattest.Left(carol), fmt.Sprintf("carol sent an object of %d bytes with no newline after it: still longer than MaxLine", limit+1))
	carol.ExpectError(t, fmt.Sprintf("her object of %d bytes, longer than MaxLine (%d). "+
		"Before hanging up, the server tells the client why, with chatproto.ErrorMessage", limit+1, limit))
	carol.Reader.EOF(t, "carol: after telling her that her message was too long, the server hangs up")

	// The default limit, against a line of 10 MB, while the room chats.
	r = startTestRoom(t, &Server{})
	alice = chattest.Join(t, r.Server, "alice")
	bob = chattest.Join(t, r.Server, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")
	mallory := chattest.Dial(t, r.Server, "mallory")
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Go(func() {
		mallory.Conn.SetWriteDeadline(time.Now().Add(2 * nettest.Step))
		io.WriteString(mallory.Conn, `{"type":"broadcast","message":"`)
		chunk := strings.Repeat("x", 64*1024)
		for i := 0; i < 160; i++ { // 10 MB, and never a newline
			if _, err := io.WriteString(mallory.Conn, chunk); err != nil {
				return // the server hung up, as it should
			}
		}
	})
	for i := 0; i < 20; i++ {
		alice.Say(t, fmt.Sprintf("while mallory sends a long line, %d", i))
		bob.Expect(t, chattest.From(alice, fmt.Sprintf("while mallory sends a long line, %d", i)), "the room must go on while one client sends a 10 MB line")
	}
	r.track.WaitClosed(t, mallory.Conn,
		fmt.Sprintf("mallory sent a line of 10 MB: stop at MaxLine (%d bytes by default) and disconnect, rather than keep reading", DefaultMaxLine))
	r.logs.waitWarn(t, ReasonTooLong, "when a client sends a 10 MB line")
}

// testLineOf returns a broadcast from id whose line is exactly n bytes, plus
// its newline. It is made long by spaces before its closing brace, which
// JSON allows, so that the message itself stays short enough to relay.
func testLineOf(t *testing.T, id, n int) string {
	t.Helper()
	base, err := chatproto.Encode(chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: id, Message: "padded with spaces"})
	require.NoError(t, err)
	pad := n - (len(base) - 1)
	require.GreaterOrEqual(t, pad, 0)
	line := strings.TrimSuffix(string(base), "}\n") + strings.Repeat(" ", pad) + "}\n"
	require.Len(t, line, n+1)
	return line
}

// testLongMessage has alice say a message whose relayed line is exactly
// limit bytes (the server's MaxLine), which bob must get whole, then one a
// byte longer, which must be refused with an error message to alice and
// relayed to nobody, while alice stays connected. Both requests are
// shorter than limit: the relayed line, with the sender's id and nickname,
// is what is too long.
func testLongMessage(t *testing.T, limit int, alice, bob *chattest.Peer) {
	t.Helper()
	envelope, err := chatproto.Encode(chattest.From(alice, ""))
	require.NoError(t, err)
	fits := strings.Repeat("x", limit-(len(envelope)-1))
	tooLong := fits + "x"
	request, err := chatproto.Encode(chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: alice.ID, Message: tooLong})
	require.NoError(t, err)
	require.LessOrEqual(t, len(request)-1, limit, "the test's own request must fit in MaxLine")

	alice.Say(t, fits)
	line, err := bob.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("alice said a message of %d bytes, which relayed with her id and nickname makes a line of exactly MaxLine (%d) bytes, "+
			"not counting its newline. Bob waited for it: %s.\n"+
			"A relayed line of MaxLine bytes fits: refuse a broadcast only when its line, chatproto.Encode of the chatproto.Message "+
			"the others would get, is longer than MaxLine and its newline (len(line) > MaxLine+1)",
			len(fits), limit, nettest.Explain(err, chattest.Cut(line, 100)))
	}
	want, _ := chatproto.Encode(chattest.From(alice, fits))
	require.True(t, line == string(want),
		"alice said a message of %d bytes, and bob received a line of %d bytes, %q; wanted her message, relayed whole: "+
			"a line of exactly MaxLine (%d) bytes and its newline, which fits", len(fits), len(line), chattest.Cut(line, 100), limit)

	// One byte more, then a marker: bob's next line must be the marker.
	alice.Say(t, tooLong)
	alice.Say(t, "marker")
	line, err = bob.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("alice said a message too long to relay (a line of %d bytes with her id and nickname, MaxLine is %d), then \"marker\". "+
			"Bob waited for the marker: %s", limit+1, limit, nettest.Explain(err, chattest.Cut(line, 100)))
	}
	if left, _ := chatproto.Encode(chattest.Left(alice)); line == string(left) {
		t.Fatalf("alice said a message too long to relay (a line of %d bytes with her id and nickname, MaxLine is %d), and the server "+
			"disconnected her. Her request was shorter than MaxLine, so she broke no rule: answer her with chatproto.ErrorMessage, "+
			"relay the message to nobody, and keep reading from her", limit+1, limit)
	}
	require.True(t, len(line) <= limit+1,
		"alice said a message whose relayed line, with her id and nickname, would be %d bytes, one more than MaxLine (%d), and bob received "+
			"it: a line of %d bytes and its newline, %q. The others read no line longer than MaxLine (a client whose bufio.Scanner stops there loses its connection): "+
			"encode the chatproto.Message once, and when len(line) > MaxLine+1 (the newline does not count), answer its sender with "+
			"chatproto.ErrorMessage (say how long a message may be) and relay it to nobody", limit+1, limit, len(line)-1, chattest.Cut(line, 100))
	marker, _ := chatproto.Encode(chattest.From(alice, "marker"))
	require.True(t, line == string(marker),
		"after a message too long to relay, alice said \"marker\": bob's next message should be %q; got %q", marker, chattest.Cut(line, 100))
	line, err = alice.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("alice said a message too long to relay (a line of %d bytes with her id and nickname, MaxLine is %d), and waited for "+
			"an error message in reply: %s.\nAnswer its sender with chatproto.ErrorMessage (say how long a message may be)",
			limit+1, limit, nettest.Explain(err, chattest.Cut(line, 100)))
	}
	require.True(t, chattest.IsError(line),
		"alice said a message too long to relay (a line of %d bytes with her id and nickname, MaxLine is %d) and should get "+
			"chatproto.ErrorMessage(why) back; got %q", limit+1, limit, chattest.Cut(line, 100))
}

// testLongNickname has a client log in with a nickname one byte longer
// than MaxNickname, which must be refused, then with one of exactly
// MaxNickname bytes, which must not be; alice is in the room already.
func testLongNickname(t *testing.T, r *testRoom, limit int, alice *chattest.Peer) {
	t.Helper()
	long := chattest.Dial(t, r.Server, strings.Repeat("n", MaxNickname+1))
	long.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: long.Name})
	line, err := long.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("a client logged in with a nickname of %d bytes, longer than MaxNickname (%d), and waited for the reply: %s",
			len(long.Name), MaxNickname, nettest.Explain(err, chattest.Cut(line, 100)))
	}
	if strings.HasPrefix(line, `{"id":`) {
		t.Fatalf("a client logged in with a nickname of %d bytes and the server accepted it, replying %q.\n"+
			"Refuse a nickname longer than MaxNickname (%d bytes: len(nickname) > MaxNickname) with chatproto.ErrorMessage: "+
			"every announcement and every relayed message carries the nickname, so a long one would make lines longer than MaxLine",
			len(long.Name), strings.TrimSpace(line), MaxNickname)
	}
	require.True(t, chattest.IsError(line),
		"a login with a nickname of %d bytes, longer than MaxNickname (%d), should get chatproto.ErrorMessage(why) back; got %q",
		len(long.Name), MaxNickname, chattest.Cut(line, 100))

	// MaxNickname counts bytes: 22 Chinese characters are 66 of them.
	chinese := strings.Repeat("张", MaxNickname/3+1)
	long.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: chinese})
	line, err = long.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("a client logged in with a nickname of %d Chinese characters, %d bytes, and waited for the reply: %s",
			utf8.RuneCountInString(chinese), len(chinese), nettest.Explain(err, chattest.Cut(line, 100)))
	}
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
	long.Name = strings.Repeat("n", MaxNickname)
	long.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: long.Name})
	line, err = long.Reader.TryLine(nettest.Step)
	if err != nil {
		t.Fatalf("a client whose login was refused for a nickname of %d bytes tried again with one of exactly MaxNickname (%d) bytes, "+
			"and waited for the reply: %s", MaxNickname+1, MaxNickname, nettest.Explain(err, chattest.Cut(line, 100)))
	}
	_, err = fmt.Sscanf(line, `{"id":%d}`, &long.ID)
	require.NoError(t, err, "a client whose login was refused for a nickname of %d bytes tried again with one of exactly MaxNickname (%d) bytes, "+
		"which must be accepted (refuse only len(nickname) > MaxNickname); the server replied %q", MaxNickname+1, MaxNickname, chattest.Cut(line, 100))
	alice.Expect(t, chattest.Joined(long), fmt.Sprintf("a client logged in with a nickname of exactly MaxNickname (%d) bytes (MaxLine is %d)", MaxNickname, limit))
}

// Never wait for a client that does not read: drop it when its queue fills.
func TestTask4SlowReader(t *testing.T) {
	r := startTestRoom(t, &Server{QueueLen: 32})
	slow := chattest.Join(t, r.Server, "slow") // logs in, then never reads again
	alice := chattest.Join(t, r.Server, "alice")
	bob := chattest.Join(t, r.Server, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")
	testFlood(t, alice, bob, slow, 16<<10, 16<<20)
	r.track.WaitClosed(t, slow.Conn, "slow never read what the room sent it")
	r.logs.waitWarn(t, ReasonTooSlow, "when a client is disconnected because its queue is full")

	// A client that reads just fast enough that no write to it ever times
	// out: every write to it takes nine tenths of its deadline.
	alice.Expect(t, chattest.Left(slow), "alice, too, hears that slow left")
	drip := chattest.Join(t, r.Server, "drip")
	alice.Expect(t, chattest.Joined(drip), "drip's login announced")
	bob.Expect(t, chattest.Joined(drip), "drip's login announced")
	r.gates.of(t, drip.Conn).drip()
	testFlood(t, alice, bob, drip, 100, 200*100)
	r.track.WaitClosed(t, drip.Conn, "every write to drip took nine tenths of its deadline")

	// WriteTimeout bounds each write, not the time a client spends in the
	// room: a client that has been in it longer still gets every message.
	const writeTimeout = 200 * time.Millisecond
	r = startTestRoom(t, &Server{WriteTimeout: writeTimeout})
	alice = chattest.Join(t, r.Server, "alice")
	bob = chattest.Join(t, r.Server, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")
	time.Sleep(3 * writeTimeout) // a quiet room: nobody says anything
	alice.Say(t, "anyone still here?")
	if line, err := bob.Reader.TryLine(nettest.Step); err != nil {
		t.Fatalf("waiting for alice's message: %s.\n"+
			"bob had been in the room for %v, three times WriteTimeout (%v), and reads everything at once. "+
			"WriteTimeout bounds one write: set the deadline just before each write (conn.SetWriteDeadline(time.Now().Add(WriteTimeout))), "+
			"not once for the whole connection", nettest.Explain(err, line), 3*writeTimeout, writeTimeout)
	} else {
		assert.Equal(t, chattest.From(alice, "anyone still here?"), chattest.DecodeMessage(t, "bob", line), "alice's message after a quiet spell")
	}
}

// testStall is the longest a well-behaved client may wait for the next message
// while the room is busy. Loopback delivers in microseconds, even on a
// loaded machine; a room that waits for a slow client's write waits for
// its write deadline (DefaultWriteTimeout, 10s) or for ever, and a room
// that waits for room in a full queue waits as long. Half the write
// deadline tells the two apart however busy the machine is.
const testStall = DefaultWriteTimeout / 2

// testFlood has talker send messages of size bytes as fast as to reads them,
// until to hears that slow left the room (slow does not keep up), and
// checks that to receives every message, in order, none later than stall.
// It gives up after limit bytes, not after some time: slow should have been
// dropped long before, however fast or slow the machine.
func testFlood(t *testing.T, talker, to, slow *chattest.Peer, size, limit int) {
	t.Helper()
	const window = 16 // messages sent ahead of what to has read
	text := strings.Repeat("x", size)
	sent, received := 0, 0
	dropped := false
	expected := func(i int) chatproto.Message {
		return chatproto.Message{SenderID: talker.ID, SenderNickname: talker.Name, Message: fmt.Sprintf("%06d %s", i, text)}
	}
	for !dropped || received < sent {
		for !dropped && sent-received < window {
			require.Less(t, sent*size, limit,
				"%s sent %d messages (%d KB) to the room and %s, who does not keep up, is still in it: the server must disconnect a client whose queue is full (QueueLen) at once, not queue for it without end, nor wait for its writes",
				talker.Name, sent, limit>>10, slow.Name)
			talker.Say(t, expected(sent).Message)
			sent++
		}
		line, err := to.Reader.TryLine(testStall)
		if err != nil {
			why := "nothing arrived"
			if !nettest.IsTimeout(err) {
				why = nettest.Explain(err, line)
			}
			t.Fatalf("%s waited %v for message %d of %s's: %s.\n"+
				"%s does not keep up, so a write to it blocks: a server that writes to clients directly, "+
				"or under the room's lock, stalls the whole room. Give each client a writer goroutine and a queue, and never wait on the queue.",
				to.Name, testStall, received, talker.Name, why, slow.Name)
		}
		m := chattest.DecodeMessage(t, to.Name, line)
		if m.SenderID == chatproto.SystemID {
			require.Equal(t, chattest.Left(slow), m, "the only announcement %s should hear during the flood is that %s left", to.Name, slow.Name)
			dropped = true
			continue
		}
		require.Equal(t, expected(received).Message[:6], m.Message[:min(6, len(m.Message))],
			"%s's messages must reach %s in order, every one", talker.Name, to.Name)
		require.Equal(t, expected(received), m)
		received++
	}
	// After the flood, the room is as good as new.
	talker.Say(t, "after the flood")
	to.Expect(t, chatproto.Message{SenderID: talker.ID, SenderNickname: talker.Name, Message: "after the flood"}, "the room goes on after the slow client is gone")
}

// Write what is queued for a client in one go, not one write per message.
func TestTask5Batching(t *testing.T) {
	r := startTestRoom(t, &Server{QueueLen: 100})
	alice := chattest.Join(t, r.Server, "alice")
	bob := chattest.Join(t, r.Server, "bob")
	carol := chattest.Join(t, r.Server, "carol")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")
	alice.Expect(t, chattest.Joined(carol), "carol's login announced")
	bob.Expect(t, chattest.Joined(carol), "carol's login announced")

	// Carol's socket is full, as far as the server can tell: its writes to
	// her block. Messages for her pile up in her queue meanwhile.
	gate := r.gates.of(t, carol.Conn)
	gate.hold()
	const n = 50
	for i := 0; i < n; i++ {
		alice.Say(t, fmt.Sprintf("message %d", i))
	}
	for i := 0; i < n; i++ { // once bob has them all, carol's are all queued
		bob.Expect(t, chattest.From(alice, fmt.Sprintf("message %d", i)), "alice's messages reach bob while carol's writes are held")
	}
	before := gate.writeCalls()
	gate.release()
	for i := 0; i < n; i++ {
		carol.Expect(t, chattest.From(alice, fmt.Sprintf("message %d", i)), "carol receives every message once her writes go through, in order")
	}
	writes := gate.writeCalls() - before
	assert.LessOrEqual(t, writes, 5,
		"%d messages were waiting in carol's queue, and the server called Write %d times to send them: "+
			"the writer should take everything already queued and send it in one go (a bufio.Writer, Flush when the queue is empty)", n-1, writes)
}

// Shut down gracefully: tell everyone, deliver what is queued, close, all within the deadline.
func TestTask6Shutdown(t *testing.T) {
	// The test's clients join with chattest.JoinAddr, not Join: a Join
	// peer's reads stop as soon as Serve returns, and after Shutdown it
	// should.
	r := startTestRoom(t, &Server{})
	chattest.Join(t, r.Server, "canary") // says at once if Serve has returned
	alice := chattest.JoinAddr(t, r.Addr, "alice")
	bob := chattest.JoinAddr(t, r.Addr, "bob")
	carol := chattest.JoinAddr(t, r.Addr, "carol")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")
	alice.Expect(t, chattest.Joined(carol), "carol's login announced")
	bob.Expect(t, chattest.Joined(carol), "carol's login announced")
	stranger := chattest.DialAddr(t, r.Addr, "stranger") // connected, not logged in
	stranger.Say(t, "may I?")                            // an error back says the server has taken it in
	stranger.ExpectError(t, "a broadcast before logging in")

	// Ten messages wait in carol's queue when the shutdown begins.
	gate := r.gates.of(t, carol.Conn)
	gate.hold()
	for i := 0; i < 10; i++ {
		alice.Say(t, fmt.Sprintf("before the shutdown %d", i))
		bob.Expect(t, chattest.From(alice, fmt.Sprintf("before the shutdown %d", i)), "alice's message to bob")
	}
	type result struct {
		err     error
		elapsed time.Duration
	}
	done := make(chan result, 1)
	finished := make(chan struct{})
	t.Cleanup(func() { <-finished }) // before the goroutine check...
	t.Cleanup(gate.release)          // ...and after this release, if the test fails early
	go func() {
		defer close(finished)
		ctx, cancel := context.WithTimeout(context.Background(), 2*nettest.Step)
		defer cancel()
		start := time.Now()
		err := r.srv.Shutdown(ctx)
		done <- result{err, time.Since(start)}
	}()
	bye := chatproto.Announcement(ShutdownText)
	for _, p := range []*chattest.Peer{alice, bob, stranger} {
		p.Expect(t, bye, "Shutdown tells every client, logged in or not, chatproto.Announcement(ShutdownText)")
		p.Reader.EOF(t, p.Name+": after telling it the server is shutting down, Shutdown should close the connection")
	}
	gate.release()
	for i := 0; i < 10; i++ {
		carol.Expect(t, chattest.From(alice, fmt.Sprintf("before the shutdown %d", i)),
			"Shutdown must deliver what was queued for a client before it tells it goodbye: carol's writes were held, and ten messages were waiting")
	}
	carol.Expect(t, bye, "after what was queued, ShutdownText")
	carol.Reader.EOF(t, "carol: after ShutdownText, the connection closes")
	var res result
	select {
	case res = <-done:
	case <-time.After(3 * nettest.Step):
		t.Fatalf("Shutdown did not return within %v, its deadline", 2*nettest.Step)
	}
	require.NoError(t, res.err, "every client was served and closed: Shutdown should return nil")
	assert.NoError(t, r.Stop(t), "Serve should return nil once Shutdown has closed its listener")
	r.track.WaitAllClosed(t, "after Shutdown")
	_, err := net.DialTimeout("tcp", r.Addr, nettest.Step)
	assert.Error(t, err, "after Shutdown the listener is closed: nobody new can connect")

	// A client whose writes never go through cannot hold Shutdown past its deadline.
	r = startTestRoom(t, &Server{})
	alice = chattest.JoinAddr(t, r.Addr, "alice")
	dave := chattest.JoinAddr(t, r.Addr, "dave")
	alice.Expect(t, chattest.Joined(dave), "dave's login announced")
	r.gates.of(t, dave.Conn).hold()
	erin := chattest.JoinAddr(t, r.Addr, "erin") // dave's writer is now stuck on "erin joined"
	alice.Expect(t, chattest.Joined(erin), "erin's login announced")
	const deadline = 300 * time.Millisecond
	err, elapsed := r.shutdown(t, deadline) // fails the test if Shutdown outlives its deadline by far
	require.Error(t, err, "dave's writes never went through, so Shutdown could not finish delivering: at its deadline it should close what is left and return ctx.Err()")
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "Shutdown should return ctx.Err(), context.DeadlineExceeded; it returned %v after %v (the deadline was %v)", err, elapsed, deadline)
	for _, p := range []*chattest.Peer{alice, erin} {
		p.Expect(t, bye, p.Name+" still hears the goodbye")
		p.Reader.EOF(t, p.Name+": after the goodbye, the connection closes")
	}
	r.track.WaitAllClosed(t, "after Shutdown's deadline, every connection must be closed")
}

// Everyone at once: misbehaving clients galore, and back to baseline after.
func TestTask7Everyone(t *testing.T) {
	const idle = time.Second // see TestTask2Idle
	r := startTestRoom(t, &Server{IdleTimeout: idle, QueueLen: 32, WriteTimeout: time.Second})
	alice := chattest.Join(t, r.Server, "alice")
	bob := chattest.Join(t, r.Server, "bob")
	alice.Expect(t, chattest.Joined(bob), "bob's login announced")

	// Keep alice and bob from being idle.
	testKeepAlive(t, idle, 0, alice, bob)
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait) // registered before the peers below, so it runs after they are closed

	// The misbehaving: one says nothing, one stalls halfway, one sends
	// a line of 10 MB, one leaves with messages unread, one never reads.
	silent := chattest.Dial(t, r.Server, "silent")
	half := chattest.Dial(t, r.Server, "half")
	half.SendRaw(t, `{"type":"login","nick`)
	mallory := chattest.Dial(t, r.Server, "mallory")
	wg.Go(func() {
		mallory.Conn.SetWriteDeadline(time.Now().Add(2 * nettest.Step))
		chunk := strings.Repeat("y", 64*1024)
		for i := 0; i < 160; i++ {
			if _, err := io.WriteString(mallory.Conn, chunk); err != nil {
				return
			}
		}
	})
	leaver := chattest.Join(t, r.Server, "leaver")
	slow := chattest.Join(t, r.Server, "slow")
	for _, p := range []*chattest.Peer{alice, bob} {
		p.Expect(t, chattest.Joined(leaver), "leaver's login announced")
		p.Expect(t, chattest.Joined(slow), "slow's login announced")
	}
	alice.Say(t, "unread by leaver")
	bob.Expect(t, chattest.From(alice, "unread by leaver"), "alice's message")
	leaver.Conn.Close() // with a message unread: the server's end sees a reset
	for _, p := range []*chattest.Peer{alice, bob} {
		p.Expect(t, chattest.Left(leaver), "leaver left with a message unread")
	}

	// Meanwhile alice floods bob, and slow must go.
	testFlood(t, alice, bob, slow, 16<<10, 16<<20)

	for _, p := range []*chattest.Peer{silent, half, mallory, slow} {
		r.track.WaitClosed(t, p.Conn, p.Name+" misbehaved")
	}
	err, _ := r.shutdown(t, nettest.Step)
	require.NoError(t, err, "Shutdown with only well-behaved clients left")
	r.track.WaitAllClosed(t, "after Shutdown")
	// The goroutine check runs when the test's cleanups are done.

	t.Run("a listener that fails now and then", testAcceptFailures)
}

// testAcceptFailures runs Serve on a listener whose Accept fails three
// times, gives a connection, then fails again, in a synctest bubble: the
// clock is fake, so the waits between the calls are measured exactly and
// take no time at all.
func testAcceptFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := &testScriptedListener{script: []bool{false, false, false, true, false}, done: make(chan struct{}), closed: make(chan struct{})}
		served := make(chan error, 1)
		go func() { served <- new(Server).Serve(l) }()
		select {
		case <-l.done:
		case err := <-served:
			t.Fatalf("Serve returned %v after its listener's Accept failed with %q.\n"+
				"Only net.ErrClosed means the listener is closed. Any other Accept error passes (out of file descriptors, say): "+
				"wait a little and accept again", err, testErrAccept)
		}
		l.Close()
		select {
		case err := <-served:
			assert.NoError(t, err, "Serve should return nil once its listener is closed")
		case <-time.After(nettest.Step):
			t.Fatalf("Serve did not return within %v after its listener was closed", nettest.Step)
		}
		l.closePeers()

		calls := l.times()
		wait := func(after int) time.Duration { return calls[after+1].Sub(calls[after]) }
		assert.Positive(t, wait(0),
			"Accept failed with %q and Serve called it again at once. The error will not go away by itself in a microsecond: "+
				"a loop that retries at once spins at full speed. Sleep a little (a few milliseconds) before accepting again", testErrAccept)
		assert.LessOrEqual(t, wait(4), wait(0),
			"Serve waited %v after Accept's first failure, %v, %v after the next two, but %v after a failure that followed a success: "+
				"after a success, the wait starts again from the shortest (set the back-off back to its first value when Accept succeeds)",
			wait(0), wait(1), wait(2), wait(4))
	})
}

// testErrAccept is what a testScriptedListener's failing Accept returns:
// the error a listener gives when the process has run out of file
// descriptors.
var testErrAccept = &net.OpError{Op: "accept", Net: "tcp", Err: errors.New("too many open files (made up by the test)")}

// testScriptedListener is a listener for a synctest bubble. Its Accept
// follows script, one call per entry: false fails with testErrAccept, true
// returns one end of a net.Pipe. After the script it closes done and waits
// for Close. It notes when (on the bubble's clock) each call came.
type testScriptedListener struct {
	script    []bool
	done      chan struct{}
	closed    chan struct{}
	closeOnce sync.Once

	mu    sync.Mutex
	calls []time.Time
	peers []net.Conn // the test's ends of the connections given out
}

func (l *testScriptedListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	n := len(l.calls)
	l.calls = append(l.calls, time.Now())
	l.mu.Unlock()
	switch {
	case n < len(l.script) && l.script[n]:
		server, client := net.Pipe()
		l.mu.Lock()
		l.peers = append(l.peers, client)
		l.mu.Unlock()
		return server, nil
	case n < len(l.script):
		return nil, testErrAccept
	case n == len(l.script):
		close(l.done)
	}
	<-l.closed
	return nil, net.ErrClosed
}

func (l *testScriptedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return nil
}

func (l *testScriptedListener) Addr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
}

// times returns when each call of Accept came.
func (l *testScriptedListener) times() []time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]time.Time(nil), l.calls...)
}

// closePeers closes the test's ends of the connections.
func (l *testScriptedListener) closePeers() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.peers {
		c.Close()
	}
}
