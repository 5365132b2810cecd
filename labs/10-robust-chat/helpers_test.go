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
func testKeepAlive(t *testing.T, idle time.Duration, peers ...*chattest.Peer) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	t.Cleanup(func() { close(stop) }) // runs before wg.Wait
	wg.Go(func() {
		tick := time.NewTicker(idle / 10)
		defer tick.Stop()
		ping, _ := chatproto.Encode(chatproto.Request{Type: TypePing})
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				for _, p := range peers {
					p.Conn.SetWriteDeadline(time.Now().Add(nettest.Step))
					p.Conn.Write(ping)
				}
			}
		}
	})
}
