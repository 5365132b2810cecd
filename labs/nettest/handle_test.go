package nettest

import (
	"bufio"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandleServesEachConnection(t *testing.T) {
	addr := Handle(t, func(c net.Conn) {
		line, _ := bufio.NewReader(c).ReadString('\n')
		c.Write([]byte(strings.ToUpper(line)))
	})
	for _, word := range []string{"one\n", "two\n"} {
		c := Dial(t, addr)
		c.Write([]byte(word))
		assert.Equal(t, strings.ToUpper(word), NewReader(c).Line(t, "the reply"))
	}
}

func TestHandleWaitsForHandlersAtCleanup(t *testing.T) {
	started := make(chan struct{}, 1)
	var returned atomic.Bool
	failures := run(t, func(tb testing.TB) {
		addr := Handle(tb, func(c net.Conn) {
			defer returned.Store(true)
			started <- struct{}{}
			c.Read(make([]byte, 1)) // blocks until clean-up closes the connection
		})
		Dial(tb, addr)
		select {
		case <-started:
		case <-time.After(Step):
			t.Fatal("the handler never ran")
		}
	})
	assert.Empty(t, failures)
	assert.True(t, returned.Load(), "Handle's clean-up returned before the handler did")
}

func TestAnswer(t *testing.T) {
	addr := Answer(t, func(b []byte) []byte {
		if string(b) == "quiet" {
			return nil
		}
		return []byte(strings.ToUpper(string(b)))
	})
	c, err := net.Dial("udp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	buf := make([]byte, 64)

	c.Write([]byte("quiet"))
	c.Write([]byte("hi"))
	c.SetReadDeadline(time.Now().Add(Step))
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "HI", string(buf[:n]), "a nil reply sends nothing, so the next datagram's reply comes first")
}
