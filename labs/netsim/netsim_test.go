package netsim

import (
	"errors"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// step bounds every blocking call in these tests.
const step = nettest.Step

// serveTCP is nettest.Handle for handlers that set TCP options (NoDelay,
// CloseWrite) on their connection.
func serveTCP(t *testing.T, handle func(c *net.TCPConn)) string {
	t.Helper()
	return nettest.Handle(t, func(c net.Conn) { handle(c.(*net.TCPConn)) })
}

func echo(b []byte) []byte { return b }

// startTCP and startUDP start a proxy for one test. (Lab tests use
// netsimtest.TCP and UDP, which netsim's own tests cannot import.)
func startTCP(t *testing.T, target string, o TCPOptions) *TCPProxy {
	t.Helper()
	p, err := ListenTCP(target, o)
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}

func startUDP(t *testing.T, target string, o UDPOptions) *UDPProxy {
	t.Helper()
	p, err := ListenUDP(target, o)
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}

// dialUDP returns a UDP socket connected to addr, closed when the test ends.
func dialUDP(t *testing.T, addr string) *net.UDPConn {
	t.Helper()
	c, err := net.Dial("udp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c.(*net.UDPConn)
}

// readDatagram reads one datagram within d, or returns "" on timeout.
func readDatagram(t *testing.T, c net.Conn, d time.Duration) (string, bool) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, maxDatagram)
	n, err := c.Read(buf)
	if nettest.IsTimeout(err) {
		return "", false
	}
	require.NoError(t, err)
	return string(buf[:n]), true
}

// proxyGoroutines returns the stacks of goroutines running this package's
// non-test code. Unlike goleak, it looks once and does not wait, so it
// proves that Close returned after, not before, the goroutines ended. It
// counts other tests' proxies too, so tests here do not run in parallel.
func proxyGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var found []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "/labs/netsim/") && !strings.Contains(g, "_test.go") {
			found = append(found, g)
		}
	}
	return found
}

func TestListenAddress(t *testing.T) {
	tests := []struct {
		addr  string
		allow bool
		want  string
		err   string
	}{
		{"", false, "127.0.0.1:0", ""},
		{"127.0.0.1:0", false, "127.0.0.1:0", ""},
		{"127.0.0.2:9000", false, "127.0.0.2:9000", ""},
		{"[::1]:0", false, "[::1]:0", ""},
		{"localhost:0", false, "localhost:0", ""},
		{":0", false, "", "refusing to listen on :0, which is not loopback"},
		{"0.0.0.0:0", false, "", "refusing to listen on 0.0.0.0:0"},
		{"192.0.2.1:80", false, "", "refusing to listen on 192.0.2.1:80"},
		{"example.com:80", false, "", "not loopback"},
		{"0.0.0.0:0", true, "0.0.0.0:0", ""},
		{"nonsense", false, "", "missing port"},
	}
	for _, tt := range tests {
		got, err := listenAddress(tt.addr, tt.allow)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, tt.addr)
			continue
		}
		assert.NoError(t, err, tt.addr)
		assert.Equal(t, tt.want, got)
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	_, err := ListenUDP("127.0.0.1:9", UDPOptions{Listen: "0.0.0.0:0"})
	assert.ErrorContains(t, err, "not loopback")
	_, err = ListenTCP("127.0.0.1:9", TCPOptions{Listen: ":0"})
	assert.ErrorContains(t, err, "not loopback")
}

func TestEventString(t *testing.T) {
	tests := []struct {
		e    Event
		want string
	}{
		{Event{At: 1500 * time.Microsecond, Conn: "127.0.0.1:5", Dir: ToServer, Kind: Dropped, Size: 12}, "+1.5ms 127.0.0.1:5 to server: dropped 12 bytes"},
		{Event{Conn: "#1 127.0.0.1:5", Kind: Accepted}, "+0s #1 127.0.0.1:5: accepted"},
		{Event{Conn: "c", Dir: ToClient, Kind: Delayed, Size: 3, Delay: 20 * time.Millisecond}, "+0s c to client: delayed 3 bytes by 20ms"},
		{Event{Conn: "c", Dir: ToClient, Kind: Sent, Size: 1}, "+0s c to client: sent 1 byte"},
		{Event{Conn: "c", Dir: ToClient, Kind: HalfClosed}, "+0s c to client: half-closed"},
		{Event{Conn: "c", Kind: Failed, Err: errors.New("boom")}, "+0s c to server: failed: boom"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.String())
	}
}

func TestLogTo(t *testing.T) {
	var b strings.Builder
	LogTo(&b)(Event{Conn: "c", Kind: Sent, Size: 1})
	assert.Equal(t, "+0s c to server: sent 1 byte\n", b.String())
}
