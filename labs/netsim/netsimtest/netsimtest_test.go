package netsimtest

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
)

func TestTCPForwardsAndCloses(t *testing.T) {
	echo := nettest.Handle(t, func(c net.Conn) { io.Copy(c, c) })
	p := TCP(t, echo, netsim.TCPOptions{Fragment: 1})
	c := nettest.Dial(t, p.Addr())
	c.Write([]byte("hi\n"))
	assert.Equal(t, "hi\n", nettest.NewReader(c).Line(t, "the echo through the proxy"))
}

func TestUDPForwards(t *testing.T) {
	pc := nettest.ListenPacket(t)
	p := UDP(t, pc.LocalAddr().String(), netsim.UDPOptions{})
	c := nettest.DialUDP(t, p.Addr())
	c.Write([]byte("ping"))
	buf := make([]byte, 16)
	pc.SetReadDeadline(time.Now().Add(nettest.Step))
	n, _, err := pc.ReadFrom(buf)
	assert.NoError(t, err)
	assert.Equal(t, "ping", string(buf[:n]))
}
