package chat

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netbook/netbook/labs/chatproto"
	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The client and the server together, through a network that cuts and joins.
func TestTask12Together(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) }) // registered first, so it runs last
	for _, opts := range []netsim.TCPOptions{{Fragment: 7}, {Coalesce: true}} {
		name := "fragmented"
		if opts.Coalesce {
			name = "coalesced"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the two networks side by side: each waits on its proxy's gaps
			srv := nettest.Start(t, Serve)
			proxy := netsimtest.TCP(t, srv.Addr, opts)
			people := map[string]*Client{}
			ids := map[string]int{}
			for _, name := range []string{"alice", "bob", "carol"} {
				c, err := Dial(proxy.Addr())
				require.NoError(t, err, "Dial")
				t.Cleanup(func() { nettest.Within(t, nettest.Step, "Close", func() { c.Close() }) })
				id, err := c.Login(name)
				require.NoError(t, err, "%s logging in", name)
				people[name], ids[name] = c, id
			}
			alice, bob, carol := people["alice"], people["bob"], people["carol"]
			assert.Equal(t, chatproto.Announcement(chatproto.JoinedText(ids["bob"], "bob")), testReceive(t, alice, "bob's login announced to alice"))
			assert.Equal(t, chatproto.Announcement(chatproto.JoinedText(ids["carol"], "carol")), testReceive(t, alice, "carol's login announced to alice"))
			assert.Equal(t, chatproto.Announcement(chatproto.JoinedText(ids["carol"], "carol")), testReceive(t, bob, "carol's login announced to bob"))

			for i := 1; i <= 5; i++ {
				require.NoError(t, alice.Send(fmt.Sprintf("message %d, {with} \"quotes\"", i)))
			}
			for _, who := range []*Client{bob, carol} {
				for i := 1; i <= 5; i++ {
					want := chatproto.Message{SenderID: ids["alice"], SenderNickname: "alice", Message: fmt.Sprintf("message %d, {with} \"quotes\"", i)}
					require.Equal(t, want, testReceive(t, who, fmt.Sprintf("alice's message %d", i)))
				}
			}
			require.NoError(t, bob.Send("bye"))
			assert.Equal(t, "bye", testReceive(t, alice, "bob's goodbye").Message)
			assert.Equal(t, "bye", testReceive(t, carol, "bob's goodbye").Message)

			nettest.Within(t, nettest.Step, "Close", func() { bob.Close() })
			testClosedWithin(t, bob, "after Close")
			for _, who := range []*Client{alice, carol} {
				got := testReceive(t, who, "the announcement that bob left")
				assert.Equal(t, chatproto.Announcement(chatproto.LeftText(ids["bob"], "bob")), got)
				assert.True(t, strings.HasSuffix(got.Message, "left the room"))
			}
		})
	}
}
