// Package chattest is what the chat labs' tests (labs 09 and 10) share: a
// Peer, the test's own client of the chat server under test.
//
// A Peer speaks package chatproto in raw JSON lines over a plain
// connection, so that a server's tests do not depend on the lab's own
// client. It is built on package nettest: every read and write has a
// deadline of nettest.Step, every connection is closed when the test ends,
// and every failure says in plain words what arrived, what was wanted, and
// what to look at next.
package chattest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/chatproto"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/require"
)

// Peer is one client of the server under test, driven by the test.
type Peer struct {
	Name   string          // the nickname it logs in with, and what failures call it
	Conn   net.Conn        // its connection, closed when the test ends
	Reader *nettest.Reader // reads Conn a line at a time, each within nettest.Step
	ID     int             // the id its login got; 0 until then
}

// Dial connects a peer to srv; it is not logged in. Its reads fail at once
// if srv's Serve returns while they wait.
func Dial(t testing.TB, srv *nettest.Server, name string) *Peer {
	t.Helper()
	c := srv.Dial(t)
	return &Peer{Name: name, Conn: c.Conn, Reader: c.Reader}
}

// DialAddr connects a peer to addr (a proxy in front of the server, say);
// it is not logged in. Unlike Dial's, its reads do not fail the moment a
// Serve returns: for tests in which Serve returning is expected, or that
// know only an address.
func DialAddr(t testing.TB, addr, name string) *Peer {
	t.Helper()
	conn := nettest.Dial(t, addr)
	return &Peer{Name: name, Conn: conn, Reader: nettest.NewReader(conn)}
}

// Join connects a peer to srv, as Dial does, and logs it in as name.
func Join(t testing.TB, srv *nettest.Server, name string) *Peer {
	t.Helper()
	p := Dial(t, srv, name)
	p.Login(t)
	return p
}

// JoinAddr connects a peer to addr, as DialAddr does, and logs it in as
// name.
func JoinAddr(t testing.TB, addr, name string) *Peer {
	t.Helper()
	p := DialAddr(t, addr, name)
	p.Login(t)
	return p
}

// SendRaw writes text to the server as it is.
func (p *Peer) SendRaw(t testing.TB, text string) {
	t.Helper()
	p.Conn.SetWriteDeadline(time.Now().Add(nettest.Step))
	_, err := io.WriteString(p.Conn, text)
	require.NoError(t, err, "%s sending %q to the server", p.Name, text)
}

// Send writes v as one line of JSON, made by chatproto.Encode.
func (p *Peer) Send(t testing.TB, v any) {
	t.Helper()
	line, err := chatproto.Encode(v)
	require.NoError(t, err)
	p.SendRaw(t, string(line))
}

// Say broadcasts text, with the peer's own id as sender_id.
func (p *Peer) Say(t testing.TB, text string) {
	t.Helper()
	p.Send(t, chatproto.Broadcast{Type: chatproto.TypeBroadcast, SenderID: p.ID, Message: text})
}

// Login logs the peer in with its name, records the id it gets and returns
// it. The reply must be the first thing the server sends the peer.
func (p *Peer) Login(t testing.TB) int {
	t.Helper()
	p.Send(t, chatproto.Login{Type: chatproto.TypeLogin, Nickname: p.Name})
	line := p.Reader.Line(t, fmt.Sprintf("the reply to %s's login, {\"id\":N}", p.Name))
	var reply struct {
		ID *int `json:"id"`
	}
	err := json.Unmarshal([]byte(line), &reply)
	require.NoError(t, err, "the reply to %s's login should be JSON like {\"id\":1}; the server sent %q", p.Name, line)
	if reply.ID == nil && strings.Contains(line, `"error: `) {
		login := `{"type":"login","nickname":"` + p.Name + `"}`
		if p.hungUp() {
			require.Failf(t, "the server hung up at once", "the server answered %s's login %q with %q and then closed the connection: "+
				"it disconnected %s at once instead of answering the login.\n"+
				"A limit that ends a connection at once is a limit of zero: a Server field left at zero takes its default "+
				"(a zero IdleTimeout means DefaultIdleTimeout, not a read deadline of now).",
				p.Name, login, line, p.Name)
		}
		require.Failf(t, "the server refused a login", "the server answered %s's login %q with %q.\n"+
			"If the login arrived in pieces, or together with other messages, remember that one Read is not one message: scan with Split.",
			p.Name, login, line)
	}
	require.NotNil(t, reply.ID, "the reply to %s's login should be {\"id\":N}, the first thing the server sends it; it sent %q", p.Name, line)
	require.Positive(t, *reply.ID, "the reply to %s's login gave id %d: ids start at 1 (0 is System)", p.Name, *reply.ID)
	p.ID = *reply.ID
	return p.ID
}

// hangUpWait is how long a peer that got an error looks for the end of
// the connection: enough for a close already on its way, which on
// loopback comes right behind the error, and little on a failure that has
// nothing more to come.
const hangUpWait = 250 * time.Millisecond

// hungUp reports whether the server closed the peer's connection, after
// what the peer has read, within hangUpWait.
func (p *Peer) hungUp() bool {
	rest, err := p.Reader.TryLine(hangUpWait)
	return rest == "" && err != nil && !nettest.IsTimeout(err)
}

// Next reads the next line the server sends the peer and decodes it as a
// chatproto.Message. what names the message the test waits for.
func (p *Peer) Next(t testing.TB, what string) chatproto.Message {
	t.Helper()
	line := p.Reader.Line(t, fmt.Sprintf("%s to receive %s", p.Name, what))
	return DecodeMessage(t, p.Name, line)
}

// DecodeMessage decodes line, which who received, as a chatproto.Message,
// with no fields but a Message's, and fails the test if it is not one.
func DecodeMessage(t testing.TB, who, line string) chatproto.Message {
	t.Helper()
	var m chatproto.Message
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&m),
		"%s received %q, which is not a message like {\"sender_id\":1,\"sender_nickname\":\"alice\",\"message\":\"hi\"}", who, line)
	return m
}

// Expect reads the next message and compares it with want; why tells the
// student what the message is and why it was due.
func (p *Peer) Expect(t testing.TB, want chatproto.Message, why string) {
	t.Helper()
	got := p.Next(because{t, why}, fmt.Sprintf("%+v", want))
	if got == want {
		return
	}
	if got.SenderID == p.ID && p.ID != 0 && got.Message != want.Message {
		require.Failf(t, "the server echoed a message back to its sender",
			"%s received its own message %q back; the server must relay a message to every client except the one that sent it (%s)", p.Name, got.Message, why)
	}
	require.Equal(t, want, got, "%s received the wrong message: %s", p.Name, why)
}

// because is t for a read that waits for a message: when nothing comes,
// the failure ends with why the message was due, which says what to do.
type because struct {
	testing.TB
	why string
}

func (b because) Fatalf(format string, args ...any) {
	b.TB.Helper()
	b.TB.Fatalf(format+"\n%s", append(args, b.why)...)
}

// ExpectError reads the next message and checks that it is an error from
// System; after says what the peer did to deserve it.
func (p *Peer) ExpectError(t testing.TB, after string) {
	t.Helper()
	got := p.Next(t, "an error message from System after "+after)
	require.True(t, isError(got),
		"after %s, %s should get chatproto.ErrorMessage(why), like {\"sender_id\":0,\"sender_nickname\":\"System\",\"message\":\"error: ...\"}; got %+v", after, p.Name, got)
}

// IsError reports whether line is an error message from System, as
// chatproto.ErrorMessage makes them.
func IsError(line string) bool {
	var m chatproto.Message
	return json.Unmarshal([]byte(line), &m) == nil && isError(m)
}

func isError(m chatproto.Message) bool {
	return m.SenderID == chatproto.SystemID && m.SenderNickname == chatproto.SystemName && strings.HasPrefix(m.Message, "error: ")
}

// Cut shortens a long line for a failure message: its first n bytes,
// then "..." if there was more.
func Cut(line string, n int) string {
	if len(line) <= n {
		return line
	}
	return line[:n] + "..."
}

// From returns the message the others receive when p says text.
func From(p *Peer, text string) chatproto.Message {
	return chatproto.Message{SenderID: p.ID, SenderNickname: p.Name, Message: text}
}

// Joined returns System's announcement that p logged in.
func Joined(p *Peer) chatproto.Message {
	return chatproto.Announcement(chatproto.JoinedText(p.ID, p.Name))
}

// Left returns System's announcement that p left.
func Left(p *Peer) chatproto.Message {
	return chatproto.Announcement(chatproto.LeftText(p.ID, p.Name))
}
