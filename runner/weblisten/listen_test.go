package weblisten

import (
	"context"
	"net"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListenRefusesBeyondLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:0"} {
		_, _, err := Listen(context.Background(), addr, false)
		assert.ErrorIs(t, err, ErrNotLoopback, addr)
		assert.ErrorContains(t, err, "--public", addr)
	}
	ln, fell, err := Listen(context.Background(), "localhost:0", false)
	require.NoError(t, err)
	ln.Close()
	assert.False(t, fell)
}

// netbook serve checks --addr before it builds the web book, which may take
// a minute: a port out of range must be refused then, not after the build.
func TestCheckRefusesAPortOutOfRange(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1:port"} {
		err := Check(context.Background(), addr, false)
		assert.ErrorContains(t, err, "65535", addr)
	}
	assert.NoError(t, Check(context.Background(), "127.0.0.1:0", false))
	assert.NoError(t, Check(context.Background(), DefaultAddr, false))
}

func TestListenFallsBackWhenTheDefaultPortIsTaken(t *testing.T) {
	held, err := net.Listen("tcp", DefaultAddr)
	if err == nil { // else someone else holds it, which is as good
		t.Cleanup(func() { held.Close() })
	}
	ln, fell, err := Listen(context.Background(), DefaultAddr, false)
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	assert.True(t, fell)
	assert.NotEqual(t, DefaultAddr, ln.Addr().String())
	assert.True(t, ln.Addr().(*net.TCPAddr).IP.IsLoopback())

	_, _, err = Listen(context.Background(), ln.Addr().String(), false)
	assert.Error(t, err, "a port the student chose is never swapped for another")
}

func TestURLHidesNothingButCarriesTheToken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	u, err := url.Parse(URL(ln, "abc"))
	require.NoError(t, err)
	assert.Equal(t, "abc", u.Query().Get("token"))
	assert.Equal(t, ln.Addr().String(), u.Host)
}
