package chat

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/require"
)

// testPeer is a test's own client of the server under test: raw JSON lines
// over a connection, so that the server tests do not depend on Client.
type testPeer struct {
	name string
	conn net.Conn
	r    *nettest.Reader
	id   int
}

// dialTestPeer connects a peer to the server; it is not logged in.
func dialTestPeer(t *testing.T, srv *nettest.Server, name string) *testPeer {
	t.Helper()
	c := srv.Dial(t)
	return &testPeer{name: name, conn: c.Conn, r: c.Reader}
}

// joinTestPeerAt connects a peer to the server at addr and logs it in. Unlike
// joinTestPeer's, its reads do not fail the moment Serve returns: for tests in
// which Serve returning is expected, as after Shutdown.
func joinTestPeerAt(t *testing.T, addr, name string) *testPeer {
	t.Helper()
	p := dialTestPeerVia(t, addr, name)
	p.login(t)
	return p
}

// dialTestPeerVia connects a peer to addr (a proxy in front of the server).
func dialTestPeerVia(t *testing.T, addr, name string) *testPeer {
	t.Helper()
	conn := nettest.Dial(t, addr)
	return &testPeer{name: name, conn: conn, r: nettest.NewReader(conn)}
}

// joinTestPeer connects a peer and logs it in as name.
func joinTestPeer(t *testing.T, srv *nettest.Server, name string) *testPeer {
	t.Helper()
	p := dialTestPeer(t, srv, name)
	p.login(t)
	return p
}

// sendRaw writes text to the server as it is.
func (p *testPeer) sendRaw(t *testing.T, text string) {
	t.Helper()
	p.conn.SetWriteDeadline(time.Now().Add(nettest.Step))
	_, err := io.WriteString(p.conn, text)
	require.NoError(t, err, "%s sending %q to the server", p.name, text)
}

// send writes v as one line of JSON.
func (p *testPeer) send(t *testing.T, v any) {
	t.Helper()
	line, err := Encode(v)
	require.NoError(t, err)
	p.sendRaw(t, string(line))
}

// say broadcasts text, with the peer's own id as sender_id.
func (p *testPeer) say(t *testing.T, text string) {
	t.Helper()
	p.send(t, Broadcast{Type: TypeBroadcast, SenderID: p.id, Message: text})
}

// login logs the peer in with its name and records the id it gets.
func (p *testPeer) login(t *testing.T) int {
	t.Helper()
	p.send(t, Login{Type: TypeLogin, Nickname: p.name})
	line := p.r.Line(t, fmt.Sprintf("the reply to %s's login, {\"id\":N}", p.name))
	var reply struct {
		ID *int `json:"id"`
	}
	err := json.Unmarshal([]byte(line), &reply)
	require.NoError(t, err, "the reply to %s's login should be JSON like {\"id\":1}; the server sent %q", p.name, line)
	if reply.ID == nil && strings.Contains(line, `"error: `) {
		require.Failf(t, "the server refused a login", "the server answered %s's login %q with %q.\n"+
			"If the login arrived in pieces, or together with other messages, remember that one Read is not one message: scan with Split.",
			p.name, `{"type":"login","nickname":"`+p.name+`"}`, line)
	}
	require.NotNil(t, reply.ID, "the reply to %s's login should be {\"id\":N}, the first thing the server sends it; it sent %q", p.name, line)
	require.Positive(t, *reply.ID, "the reply to %s's login gave id %d: ids start at 1 (0 is System)", p.name, *reply.ID)
	p.id = *reply.ID
	return p.id
}

// next reads the next line the server sends this peer and decodes it as a
// Message.
func (p *testPeer) next(t *testing.T, what string) Message {
	t.Helper()
	line := p.r.Line(t, fmt.Sprintf("%s to receive %s", p.name, what))
	return testDecodeMessage(t, p.name, line)
}

func testDecodeMessage(t *testing.T, who, line string) Message {
	t.Helper()
	var m Message
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&m),
		"%s received %q, which is not a message like {\"sender_id\":1,\"sender_nickname\":\"alice\",\"message\":\"hi\"}", who, line)
	return m
}

// expect reads the next message and compares it with want.
func (p *testPeer) expect(t *testing.T, want Message, why string) {
	t.Helper()
	got := p.next(t, fmt.Sprintf("%+v", want))
	if got == want {
		return
	}
	if got.SenderID == p.id && p.id != 0 && got.Message != want.Message {
		require.Failf(t, "the server echoed a message back to its sender",
			"%s received its own message %q back; the server must relay a message to every client except the one that sent it (%s)", p.name, got.Message, why)
	}
	require.Equal(t, want, got, "%s received the wrong message: %s", p.name, why)
}

// expectError reads the next message and checks it is an error from System.
func (p *testPeer) expectError(t *testing.T, after string) {
	t.Helper()
	got := p.next(t, "an error message from System after "+after)
	require.True(t, got.SenderID == SystemID && got.SenderNickname == SystemName && strings.HasPrefix(got.Message, "error: "),
		"after %s, %s should get ErrorMessage(why), like {\"sender_id\":0,\"sender_nickname\":\"System\",\"message\":\"error: ...\"}; got %+v", after, p.name, got)
}

func testFrom(p *testPeer, text string) Message {
	return Message{SenderID: p.id, SenderNickname: p.name, Message: text}
}

func testJoined(p *testPeer) Message { return Announcement(JoinedText(p.id, p.name)) }
func testLeft(p *testPeer) Message   { return Announcement(LeftText(p.id, p.name)) }

// testJSONLine decodes one line of JSON into v.
func testJSONLine(line string, v any) error {
	return json.Unmarshal([]byte(line), v)
}

// testKeepAlive pings the server for each peer every idle/5 until the test
// ends, so that well-behaved peers which only listen are not dropped as
// idle while the test watches the misbehaving ones.
func testKeepAlive(t *testing.T, idle time.Duration, peers ...*testPeer) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	t.Cleanup(func() { close(stop) }) // runs before wg.Wait
	wg.Go(func() {
		tick := time.NewTicker(idle / 5)
		defer tick.Stop()
		ping, _ := Encode(Request{Type: TypePing})
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				for _, p := range peers {
					p.conn.SetWriteDeadline(time.Now().Add(nettest.Step))
					p.conn.Write(ping)
				}
			}
		}
	})
}
