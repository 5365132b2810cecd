package up

import (
	"bufio"
	"context"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
)

func lab(t *testing.T, name string) (repo.Root, *labs.Lab) {
	t.Helper()
	r := testkit.Shipped(t)
	return r, testkit.Lab(t, r, name)
}

// Run serves until its context is done, passing the server's output on,
// and then stops the server cleanly.
func TestRunServesUntilCancelled(t *testing.T) {
	r, l := lab(t, "03-hello-server")
	outR, outW := io.Pipe()
	var errOut strings.Builder
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, r, l, Options{Ref: true, Stdout: outW, Stderr: &errOut, Cmd: "netbook"})
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	require.True(t, lines.Scan())
	m := regexp.MustCompile(`^listening on tcp (127\.0\.0\.1:\d+)$`).FindStringSubmatch(lines.Text())
	require.NotNil(t, m, lines.Text())

	c, err := net.DialTimeout("tcp", m[1], 5*time.Second)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "Welcome!\n", line)
	c.Close()
	require.True(t, lines.Scan())
	assert.Regexp(t, `\[#1 127\.0\.0\.1:\d+\] connected$`, lines.Text())

	cancel()
	go io.Copy(io.Discard, outR)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	assert.Contains(t, errOut.String(), "building 03-hello-server (the reference solution)")
	assert.Contains(t, errOut.String(), "The reference server stopped cleanly.")
}

func TestRunRefusesWhatItCannotServe(t *testing.T) {
	r, l := lab(t, "03-hello-server")
	err := Run(t.Context(), r, l, Options{Addr: "0.0.0.0:0", Stdout: io.Discard, Stderr: io.Discard})
	assert.ErrorContains(t, err, "refusing to listen on 0.0.0.0:0")
	err = Run(t.Context(), r, l, Options{Addr: "127.0.0.1", Stdout: io.Discard, Stderr: io.Discard})
	assert.ErrorContains(t, err, "not an address")
	_, l = lab(t, "01-addresses")
	err = Run(t.Context(), r, l, Options{Stdout: io.Discard, Stderr: io.Discard})
	assert.ErrorContains(t, err, "not a server lab")
}
