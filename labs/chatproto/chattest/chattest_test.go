package chattest

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"testing"

	"github.com/netbook/netbook/labs/chatproto"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRoom stands up a chat server that answers each line it reads with
// script[line] (the line without its "\n"), and anything it does not
// expect with "unexpected: " and the line. It returns the address to dial.
func fakeRoom(t *testing.T, script map[string]string) string {
	t.Helper()
	return nettest.Handle(t, func(c net.Conn) {
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			answer, ok := script[sc.Text()]
			if !ok {
				answer = "unexpected: " + sc.Text() + "\n"
			}
			if _, err := c.Write([]byte(answer)); err != nil {
				return
			}
		}
	})
}

// line is v as the room sends it.
func line(t *testing.T, v any) string {
	t.Helper()
	b, err := chatproto.Encode(v)
	require.NoError(t, err)
	return string(b)
}

const (
	aliceLogin = `{"type":"login","nickname":"alice"}`
	aliceSays  = `{"type":"broadcast","sender_id":3,"message":"hi"}`
)

func TestPeerTalksToARoom(t *testing.T) {
	bob := chatproto.Message{SenderID: 4, SenderNickname: "bob", Message: "hi alice"}
	addr := fakeRoom(t, map[string]string{
		aliceLogin: "{\"id\":3}\n",
		aliceSays:  line(t, bob),
		"nonsense": line(t, chatproto.ErrorMessage("malformed message")),
	})
	alice := JoinAddr(t, addr, "alice")
	assert.Equal(t, 3, alice.ID, "Login records the id the reply gives")

	alice.Say(t, "hi") // the room answers only the exact bytes of aliceSays
	alice.Expect(t, bob, "bob's answer")

	alice.SendRaw(t, "nonsense\n")
	alice.ExpectError(t, "nonsense")

	assert.Equal(t, chatproto.Message{SenderID: 3, SenderNickname: "alice", Message: "hello"}, From(alice, "hello"))
	assert.Equal(t, chatproto.Announcement("alice (3) joined the room"), Joined(alice))
	assert.Equal(t, chatproto.Announcement("alice (3) left the room"), Left(alice))
}

// failingCases are peers meeting servers that do wrong, each run in a
// test binary of its own by TestPeerFailuresSayWhatToDo, which checks what
// the failure says: a student reads exactly that.
var failingCases = map[string]struct {
	run  func(t *testing.T)
	want []string
}{
	"echo": {
		func(t *testing.T) {
			addr := fakeRoom(t, map[string]string{
				aliceLogin: "{\"id\":3}\n",
				aliceSays:  line(t, chatproto.Message{SenderID: 3, SenderNickname: "alice", Message: "hi"}),
			})
			alice := JoinAddr(t, addr, "alice")
			alice.Say(t, "hi")
			alice.Expect(t, chatproto.Message{SenderID: 4, SenderNickname: "bob", Message: "marker"}, "bob's marker")
		},
		[]string{"the server echoed a message back to its sender", `alice received its own message "hi" back`, "(bob's marker)"},
	},
	"silent": {
		func(t *testing.T) {
			alice := JoinAddr(t, fakeRoom(t, map[string]string{aliceLogin: "{\"id\":3}\n"}), "alice")
			alice.Expect(t, chatproto.Message{SenderID: 4, SenderNickname: "bob", Message: "marker"}, "bob's marker, which the room never sends")
		},
		[]string{"waiting for alice to receive {SenderID:4 SenderNickname:bob Message:marker} (up to 2s): nothing arrived before the deadline\n", "bob's marker, which the room never sends"},
	},
	"not a message": {
		func(t *testing.T) {
			addr := fakeRoom(t, map[string]string{aliceLogin: "{\"id\":3}\n", "whoami": "{\"id\":5}\n"})
			alice := JoinAddr(t, addr, "alice")
			alice.SendRaw(t, "whoami\n")
			alice.Next(t, "anything")
		},
		[]string{`alice received "{\"id\":5}\n", which is not a message like`},
	},
	"refused": {
		func(t *testing.T) {
			JoinAddr(t, fakeRoom(t, map[string]string{aliceLogin: line(t, chatproto.ErrorMessage("unknown message type"))}), "alice")
		},
		[]string{"the server answered alice's login", "one Read is not one message: scan with Split"},
	},
	"hung up": {
		func(t *testing.T) {
			addr := nettest.Handle(t, func(c net.Conn) {
				bufio.NewReader(c).ReadString('\n')
				c.Write([]byte(line(t, chatproto.ErrorMessage("nothing from you for 0s; goodbye"))))
			})
			JoinAddr(t, addr, "alice")
		},
		[]string{`the server answered alice's login`, `error: nothing from you for 0s; goodbye`, "and then closed the connection",
			"a Server field left at zero takes its default"},
	},
	"serve returned": {
		func(t *testing.T) {
			srv := nettest.Start(t, func(ln net.Listener) error { return errors.New("TODO: implement Serve") })
			Join(t, srv, "alice")
		},
		[]string{"Serve returned while its listener was still open", "TODO: implement Serve"},
	},
}

// TestFailingPeer runs one of failingCases when the environment names it,
// and is skipped otherwise.
func TestFailingPeer(t *testing.T) {
	name := os.Getenv("CHATTEST_FAILING")
	if name == "" {
		t.Skip("run by TestPeerFailuresSayWhatToDo")
	}
	failingCases[name].run(t)
}

func TestPeerFailuresSayWhatToDo(t *testing.T) {
	for name, tc := range failingCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 4*nettest.Step)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFailingPeer$", "-test.count=1")
			cmd.Env = append(os.Environ(), "CHATTEST_FAILING="+name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the failing test passed:\n%s", out)
			// The failure names the test's line, not the helper's: the
			// helpers call t.Helper.
			assert.Regexp(t, `(?m)^\s+chattest_test\.go:\d+: `, string(out))
			assert.NotRegexp(t, `(?m)^\s+chattest\.go:\d+: `, string(out))
			for _, want := range tc.want {
				assert.Contains(t, string(out), want)
			}
		})
	}
}

func TestIsErrorAndCut(t *testing.T) {
	line, err := chatproto.Encode(chatproto.ErrorMessage("log in first"))
	require.NoError(t, err)
	assert.True(t, IsError(string(line)))
	notice, err := chatproto.Encode(chatproto.Announcement("error: a user's word, not from System? it is from System"))
	require.NoError(t, err)
	assert.True(t, IsError(string(notice)), "System's text beginning error: is an error")
	said, err := chatproto.Encode(chatproto.Message{SenderID: 3, SenderNickname: "System", Message: "error: fake"})
	require.NoError(t, err)
	assert.False(t, IsError(string(said)), "only System (id 0) sends errors")
	assert.False(t, IsError("not json"))

	assert.Equal(t, "abc", Cut("abc", 3))
	assert.Equal(t, "ab...", Cut("abc", 2))
}
