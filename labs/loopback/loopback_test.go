package loopback

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheck(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "127.0.0.2:80", "[::1]:9000", "localhost:8000", "LOCALHOST:1", "[::ffff:127.0.0.1]:5"} {
		warn, err := Check(addr, "listen on", false)
		assert.NoError(t, err, addr)
		assert.Empty(t, warn, addr)
	}
	for addr, says := range map[string]string{
		"0.0.0.0:8000":    "every network interface",
		":8000":           "every network interface",
		"[::]:8000":       "every network interface",
		"192.168.1.5:80":  "192.168.1.5 is not a loopback address",
		"example.com:80":  "a name, not an IP address",
		"10.0.0.1:0":      "add --public",
		"127.0.0.1":       "not an address",
		"127.0.0.1:80:80": "not an address",
	} {
		_, err := Check(addr, "listen on", false)
		if assert.Error(t, err, addr) {
			assert.Contains(t, err.Error(), says, addr)
		}
	}
	warn, err := Check("0.0.0.0:8000", "listen on", true)
	assert.NoError(t, err)
	assert.Contains(t, warn, "warning: about to listen on 0.0.0.0:8000")
	_, err = Check("nonsense", "connect to", true)
	assert.Error(t, err, "--public does not make a bad address good")
}

func TestPorts(t *testing.T) {
	assert.Equal(t, "dial 127.0.0.1:PORT and [::1]:PORT, not 10.0.0.1:80 or 127.0.0.1:123456",
		Ports("dial 127.0.0.1:54012 and [::1]:80, not 10.0.0.1:80 or 127.0.0.1:123456"))
}
