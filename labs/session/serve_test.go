package session

import (
	"bufio"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveScript writes text to a session file in a temp dir and serves it.
func serveScript(t *testing.T, text string, opts ...Option) *Server {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.session")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return Serve(t, path, opts...)
}

// headline is the mismatch's one-line summary without the temp dir.
func headline(r *Result) string {
	return filepath.Base(r.Mismatch.Error())
}

// client dials addr, sends out, reads one line and closes: a client under
// test that follows the script below.
func client(t *testing.T, addr, out string) string {
	t.Helper()
	c := nettest.Dial(t, addr)
	defer c.Close()
	_, err := io.WriteString(c, out)
	require.NoError(t, err)
	c.SetReadDeadline(time.Now().Add(nettest.Step))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return line
}

const helloScript = `accept c
c <- hello\n
c -> hi there\n
c eof
`

func TestServePlaysTheServer(t *testing.T) {
	srv := serveScript(t, helloScript)
	assert.Equal(t, "hi there\n", client(t, srv.Addr, "hello\n"))
	r := srv.Result()
	require.True(t, r.OK(), r.Report())
	assert.Equal(t, srv.Addr, r.Addr)
	var kinds []EventKind
	for _, e := range r.Events("c") {
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []EventKind{Opened, Received, Sent, PeerClosed}, kinds)
	assert.Contains(t, r.Transcript[0].String(), "c opened from 127.0.0.1:", "Opened records the client's address")
}

func TestServeReportsWhatTheClientSent(t *testing.T) {
	srv := serveScript(t, helloScript)
	client(t, srv.Addr, "helo\n")
	r := srv.Result()
	require.NotNil(t, r.Mismatch)
	assert.True(t, r.Mismatch.Accepted)
	assert.Equal(t, "test.session:2: connection c received different bytes", headline(r))
	assert.Contains(t, r.Report(), `received: "helo\n"`)
}

func TestServeNamesTheClient(t *testing.T) {
	tests := []struct {
		name, script, send string
		leaveOpen          bool
		want               string
	}{
		{"closed early", "accept c\nc <- hello\\n", "hel", false,
			"test.session:2: connection c received only part of what was expected: the client closed the connection"},
		{"never closes", "accept c\nc eof", "", true,
			"test.session:2: connection c expected the client to close the connection, but it was still open after 100ms"},
		{"sends more", "accept c\nc eof", "extra", true,
			"test.session:2: connection c expected the client to close the connection, but more bytes arrived"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serveScript(t, tt.script, Timeout(100*time.Millisecond))
			c := nettest.Dial(t, srv.Addr)
			io.WriteString(c, tt.send)
			if !tt.leaveOpen {
				c.Close()
			}
			r := srv.Result()
			require.NotNil(t, r.Mismatch)
			assert.Equal(t, tt.want, headline(r))
		})
	}
}

func TestServeClientThatNeverConnects(t *testing.T) {
	srv := serveScript(t, helloScript)
	r := srv.Result()
	// Had the accept step waited out its timeout instead, the mismatch
	// would say so: this one is Result stopping it.
	require.NotNil(t, r.Mismatch)
	assert.Equal(t, "test.session:1: could not accept connection c: the client under test returned without connecting", headline(r))
}

func TestServeStopsWhenTheTestEnds(t *testing.T) {
	// The session waits for a client that never comes; the test's cleanup
	// must stop it (goleak in TestMain would catch its goroutine).
	srv := serveScript(t, helloScript)
	assert.NotEmpty(t, srv.Addr)
}

func TestPlayAccept(t *testing.T) {
	s := mustParse(t, "accept c\nc -> x")
	r := Play(t.Context(), s, "")
	require.NotNil(t, r.Mismatch)
	assert.Equal(t, "test.session:1: could not accept connection c: "+errNoListener.Error(), r.Mismatch.Error())

	ln := nettest.Listen(t)
	r = Play(t.Context(), s, "", Listener(ln), Timeout(50*time.Millisecond))
	require.NotNil(t, r.Mismatch)
	assert.Equal(t, "test.session:1: no client connected within 50ms (to accept connection c)", r.Mismatch.Error())
	assert.Equal(t, ln.Addr().String(), r.Addr)
}

func TestParseAccept(t *testing.T) {
	s := mustParse(t, "accept c # the client\nc -> hi\nc closewrite\nc eof")
	require.Len(t, s.Steps, 4)
	assert.Equal(t, Accept, s.Steps[0].Op)
	assert.Equal(t, "accept", Accept.String())
	assert.True(t, s.isAccepted("c"))
	assert.False(t, s.isUDP("c"))

	_, err := Parse("test.session", strings.NewReader("dial accept"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"accept" cannot name a connection`)
	_, err = Parse("test.session", strings.NewReader("accept c\naccept c"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection c was already opened at line 1")
}

// An exact expect counts bytes on an accepted connection too, however the
// client splits its writes.
func TestServeClientWritesByteByByte(t *testing.T) {
	srv := serveScript(t, helloScript)
	c, err := net.DialTimeout("tcp", srv.Addr, nettest.Step)
	require.NoError(t, err)
	defer c.Close()
	for _, b := range []byte("hello\n") {
		c.Write([]byte{b}) // a byte at a time: an exact expect counts bytes
	}
	c.SetReadDeadline(time.Now().Add(nettest.Step))
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "hi there\n", line)
	c.Close()
	assert.True(t, srv.Result().OK())
}
