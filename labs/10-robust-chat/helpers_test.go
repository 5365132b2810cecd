package chat

import (
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/chatproto"
	"github.com/netbook/netbook/labs/chatproto/chattest"
	"github.com/netbook/netbook/labs/nettest"
)

// testKeepAlive pings the server for each peer every idle/10 until the test
// ends, so that well-behaved peers which only listen are not dropped as
// idle while the test watches the misbehaving ones. A peer is dropped only
// if its pings stop for nine tenths of idle: with the tests' idle of a
// second, no busy machine holds a goroutine back that long.
//
// The channel it returns is closed once rounds rounds of pings have gone
// out, which is at least rounds*idle/10 after the call.
func testKeepAlive(t *testing.T, idle time.Duration, rounds int, peers ...*chattest.Peer) <-chan struct{} {
	pinged := make(chan struct{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	t.Cleanup(func() { close(stop) }) // runs before wg.Wait
	wg.Go(func() {
		tick := time.NewTicker(idle / 10)
		defer tick.Stop()
		ping, _ := chatproto.Encode(chatproto.Request{Type: TypePing})
		for n := 1; ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
				for _, p := range peers {
					p.Conn.SetWriteDeadline(time.Now().Add(nettest.Step))
					p.Conn.Write(ping)
				}
				if n == rounds {
					close(pinged)
				}
			}
		}
	})
	return pinged
}
