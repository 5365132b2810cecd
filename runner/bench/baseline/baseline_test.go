package baseline

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/netbook/netbook/labs/chatproto/chattest"
	"github.com/netbook/netbook/labs/nettest"
)

// The articles' room speaks the labs' protocol: ids, joins, messages to
// everyone else, leaves.
func TestThreadRoom(t *testing.T) {
	srv := nettest.Start(t, ThreadRoom)
	alice := chattest.Join(t, srv, "alice")
	bob := chattest.Join(t, srv, "bob")
	assert.Equal(t, 1, alice.ID)
	assert.Equal(t, 2, bob.ID)
	alice.Expect(t, chattest.Joined(bob), "bob logged in")
	carol := chattest.Join(t, srv, "carol")
	alice.Expect(t, chattest.Joined(carol), "carol logged in")
	bob.Expect(t, chattest.Joined(carol), "carol logged in")

	bob.Say(t, "hi")
	alice.Expect(t, chattest.From(bob, "hi"), "bob said hi")
	carol.Expect(t, chattest.From(bob, "hi"), "bob said hi")
	carol.Say(t, "hello")
	alice.Expect(t, chattest.From(carol, "hello"), "carol said hello")
	bob.Expect(t, chattest.From(carol, "hello"), "carol said hello: bob got nothing of his own before it")

	carol.Conn.Close()
	alice.Expect(t, chattest.Left(carol), "carol left")
	bob.Expect(t, chattest.Left(carol), "carol left")

	bob.SendRaw(t, "not json\n")
	bob.ExpectError(t, "a line that is not JSON")
	assert.NoError(t, srv.Stop(t), "ThreadRoom returns nil once its listener is closed")
}

func TestHelloLines(t *testing.T) {
	srv := nettest.Start(t, HelloLines)
	c := srv.Dial(t)
	assert.Equal(t, "Welcome!\n", c.Reader.Line(t, "the welcome"))
	c.Send(t, "Michael\n")
	assert.Equal(t, "Hello, Michael!\n", c.Reader.Line(t, "the answer to Michael"))
	c.Send(t, "exit\n")
	c.Reader.EOF(t, "after exit")
	assert.NoError(t, srv.Stop(t))
}
