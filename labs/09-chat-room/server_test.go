package chat

import (
	"fmt"
	"net"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// testPlay plays one session file against a fresh server.
func testPlay(t *testing.T, file string) {
	t.Helper()
	srv := nettest.Start(t, Serve)
	session.Test(t, "testdata/"+file, srv.Addr)
}

// Log clients in with ids 1, 2, 3..., and tell the room who joined.
func TestTask5Login(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := joinTestPeer(t, srv, "alice")
	assert.Equal(t, 1, alice.id, "the first client to log in should get id 1 (0 is System's)")
	bob := joinTestPeer(t, srv, "bob")
	assert.Equal(t, 2, bob.id, "the second client to log in should get id 2")
	alice.expect(t, testJoined(bob),
		"when bob logs in, everyone already in the room gets Announcement(JoinedText(2, \"bob\")) from System")
	require.False(t, srv.Done(), "Serve returned while its listener was open")

	testPlay(t, "login.session")
}

// Relay each message to every other client, never back to its sender.
func TestTask6Relay(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := joinTestPeer(t, srv, "alice")
	bob := joinTestPeer(t, srv, "bob")
	alice.expect(t, testJoined(bob), "when bob logs in, alice (already in the room) hears it from System")

	alice.say(t, "hello bob")
	bob.expect(t, testFrom(alice, "hello bob"), "alice's message, with her id and nickname")

	// The test cannot wait for "nothing": it sends a marker from bob, which
	// must be the very next thing alice receives.
	bob.say(t, "marker")
	alice.expect(t, testFrom(bob, "marker"), "bob's marker should be alice's next message: a sender never gets its own message back")

	testPlay(t, "chat.session")
}

// Announce who leaves, however they leave.
func TestTask7Leave(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := joinTestPeer(t, srv, "alice")
	bob := joinTestPeer(t, srv, "bob")
	alice.expect(t, testJoined(bob), "System announces each login to the others")
	bob.conn.Close()
	alice.expect(t, testLeft(bob), "when a logged-in client hangs up, System tells everyone left")

	testPlay(t, "joinleave.session")
}

// Trust the connection, not the message: ignore the sender_id a client claims.
func TestTask8SenderID(t *testing.T) {
	srv := nettest.Start(t, Serve)
	alice := joinTestPeer(t, srv, "alice")
	bob := joinTestPeer(t, srv, "bob")
	alice.expect(t, testJoined(bob), "bob's login announced")

	bob.send(t, Broadcast{Type: TypeBroadcast, SenderID: alice.id, Message: "I am alice"})
	got := alice.next(t, "bob's message, which claims to be alice's")
	require.NotEqual(t, alice.id, got.SenderID,
		"bob sent sender_id %d (alice's) and the server believed him: use the id of the connection the message came on, not the one it claims", alice.id)
	require.Equal(t, testFrom(bob, "I am alice"), got, "the message is bob's, whatever it claims")

	testPlay(t, "spoof.session")
}

// Answer what the server cannot accept with an error message, and carry on.
func TestTask9Errors(t *testing.T) {
	srv := nettest.Start(t, Serve)
	p := dialTestPeer(t, srv, "alice")
	p.sendRaw(t, "this is not JSON\n")
	p.expectError(t, `sending "this is not JSON"`)
	p.login(t)
	require.False(t, srv.Done(), "Serve returned after a bad message")

	testPlay(t, "errors.session")
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
			srv := nettest.Start(t, Serve)
			joinTestPeer(t, srv, "direct") // straight to the server first: if Serve has returned, this says so at once
			proxy := netsim.TCP(t, srv.Addr, tc.opts)
			a := dialTestPeerVia(t, proxy.Addr(), "alice")
			a.login(t)
			b := dialTestPeerVia(t, proxy.Addr(), "bob")
			b.login(t)
			a.expect(t, testJoined(b), "bob's login announced")
			// Three messages written at once.
			var burst string
			for i := 1; i <= 3; i++ {
				line, _ := Encode(Broadcast{Type: TypeBroadcast, SenderID: a.id, Message: fmt.Sprintf("message %d of 3", i)})
				burst += string(line)
			}
			a.sendRaw(t, burst)
			for i := 1; i <= 3; i++ {
				got := b.next(t, fmt.Sprintf("alice's message %d of 3 (%s)", i, tc.hint))
				require.Equal(t, testFrom(a, fmt.Sprintf("message %d of 3", i)), got, tc.hint)
			}

			// A whole conversation through the same network (in larger
			// pieces, to keep the test short).
			opts := tc.opts
			if opts.Fragment > 0 {
				opts.Fragment, opts.FragmentGap = 16, 2*time.Millisecond
			}
			session.Test(t, "testdata/chat.session", netsim.TCP(t, nettest.Start(t, Serve).Addr, opts).Addr())
		})
	}

	// The article's client sends no newline and waits for the answer.
	srv := nettest.Start(t, Serve)
	p := dialTestPeer(t, srv, "zhangsan")
	p.sendRaw(t, `{"type": "login", "nickname": "zhangsan"}`)
	line, err := p.r.TryLine(nettest.Step)
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

// Survive clients that vanish, many clients at once, and close everything when stopped.
func TestTask11Robust(t *testing.T) {
	// Registered first, so it runs last: after every connection is closed.
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	srv := nettest.Start(t, Serve)
	alice := joinTestPeer(t, srv, "alice")
	bob := joinTestPeer(t, srv, "bob")
	alice.expect(t, testJoined(bob), "bob's login announced")

	// Carol leaves in the middle of a message.
	carol := joinTestPeer(t, srv, "carol")
	alice.expect(t, testJoined(carol), "carol's login announced")
	bob.expect(t, testJoined(carol), "carol's login announced")
	carol.sendRaw(t, `{"type":"broadcast","message":"I was about to s`)
	carol.conn.Close()
	alice.expect(t, testLeft(carol), "carol hung up in the middle of a message: her half message is lost, her leaving is announced")
	bob.expect(t, testLeft(carol), "carol hung up in the middle of a message")

	// Dave leaves with unread messages waiting for him, and his connection
	// is reset rather than closed: a crashed program's goodbye.
	dave := joinTestPeer(t, srv, "dave")
	alice.expect(t, testJoined(dave), "dave's login announced")
	bob.expect(t, testJoined(dave), "dave's login announced")
	for i := 0; i < 20; i++ {
		alice.say(t, fmt.Sprintf("unread %d", i))
		bob.expect(t, testFrom(alice, fmt.Sprintf("unread %d", i)), "alice's messages still reach bob")
	}
	dave.conn.(*net.TCPConn).SetLinger(0)
	dave.conn.Close()
	alice.expect(t, testLeft(dave), "dave's connection was reset: he must be removed and his leaving announced")
	bob.expect(t, testLeft(dave), "dave's connection was reset")

	// The room is still fine.
	alice.say(t, "still here?")
	bob.expect(t, testFrom(alice, "still here?"), "after two clients vanished, the others chat on")
	erin := joinTestPeer(t, srv, "erin")
	assert.Equal(t, 5, erin.id, "ids are never reused: erin logs in fifth, so gets 5")

	// Many clients at once: unique ids, every message delivered, each
	// sender's messages in the order sent.
	testCrowd(t, srv, 12, 25)

	// Stopping the server closes every connection.
	require.NoError(t, srv.Stop(t), "Serve should return nil once its listener is closed")
	for _, p := range []*testPeer{alice, bob, erin} {
		p.conn.SetReadDeadline(time.Now().Add(nettest.Step))
		buf := make([]byte, 4096)
		for {
			_, err := p.conn.Read(buf)
			if err != nil {
				require.False(t, nettest.IsTimeout(err),
					"Serve returned but %s's connection is still open: when the listener closes, close every client's connection", p.name)
				break
			}
		}
	}
}

// testCrowd logs n clients in at once, has each say count messages at once, and
// checks what every client receives.
func testCrowd(t *testing.T, srv *nettest.Server, n, count int) {
	t.Helper()
	peers := make([]*testPeer, n)
	for i := range peers {
		peers[i] = dialTestPeer(t, srv, fmt.Sprintf("p%02d", i))
	}
	// Log them all in at once. (t.Fatal is for the test's own goroutine, so
	// the goroutines only report.)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Go(func() {
			line, _ := Encode(Login{Type: TypeLogin, Nickname: p.name})
			p.conn.SetWriteDeadline(time.Now().Add(nettest.Step))
			if _, err := p.conn.Write(line); err != nil {
				errs <- err
				return
			}
			reply, err := p.r.TryLine(nettest.Step)
			if err != nil {
				errs <- fmt.Errorf("%s waiting for the reply to its login: %s", p.name, nettest.Explain(err, reply))
				return
			}
			if _, err := fmt.Sscanf(reply, `{"id":%d}`, &p.id); err != nil {
				errs <- fmt.Errorf("%s expected {\"id\":N} as the reply to its login, got %q", p.name, reply)
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
		ids[i] = p.id
	}
	sort.Ints(ids)
	for i := 1; i < n; i++ {
		require.NotEqual(t, ids[i-1], ids[i],
			"%d clients logged in at once and two got id %d: take the next id and add the client to the room under one lock", n, ids[i])
	}

	// Each hears of those who logged in after it; drain those.
	for _, p := range peers {
		for _, q := range peers {
			if q.id > p.id {
				m := p.next(t, "the announcements of those who logged in after it")
				require.Equal(t, SystemID, m.SenderID, "%s expected join announcements from System, got %+v", p.name, m)
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
				line, _ := Encode(Broadcast{Type: TypeBroadcast, SenderID: p.id, Message: fmt.Sprintf("%s %d", p.name, i)})
				p.conn.SetWriteDeadline(time.Now().Add(nettest.Step))
				if _, err := p.conn.Write(line); err != nil {
					done <- report{p.name, fmt.Errorf("sending: %v", err)}
					return
				}
			}
		})
		wg.Go(func() {
			nextFrom := map[string]int{} // the number expected next from each sender
			for k := 0; k < (n-1)*count; k++ {
				line, err := p.r.TryLine(nettest.Step)
				if err != nil {
					done <- report{p.name, fmt.Errorf("after %d of the %d messages the others sent: %s", k, (n-1)*count, nettest.Explain(err, line))}
					return
				}
				var sender string
				var num int
				var m Message
				if err := testJSONLine(line, &m); err != nil || m.SenderNickname == p.name {
					done <- report{p.name, fmt.Errorf("received %q: expected the others' messages only", line)}
					return
				}
				if _, err := fmt.Sscanf(m.Message, "%s %d", &sender, &num); err != nil || sender != m.SenderNickname {
					done <- report{p.name, fmt.Errorf("received %q, which is not a message the others sent", line)}
					return
				}
				if num != nextFrom[sender] {
					done <- report{p.name, fmt.Errorf("received %q, but the next message from %s should be number %d: each sender's messages must arrive in the order sent", line, sender, nextFrom[sender])}
					return
				}
				nextFrom[sender]++
			}
			done <- report{p.name, nil}
		})
	}
	wg.Wait()
	close(done)
	for r := range done {
		require.NoError(t, r.err, "%d clients each sending %d messages at once: client %s", n, count, r.who)
	}
	for _, p := range peers {
		p.conn.Close()
	}
}
