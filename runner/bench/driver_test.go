package bench

import (
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
)

// A lab 11 server that never answers (the skeleton's) leaves the load
// program's stream waiting past the end of the run: the report says so,
// instead of "the first with:" and nothing.
func TestStreamWorkloadSaysWhyAStreamWasNotAnswered(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lab 11's load program and waits out its grace period")
	}
	r := testkit.Shipped(t)
	d, err := buildDriver(t.Context(), r, testkit.Lab(t, r, "11-reliable-stream"), rstreamDriver)
	require.NoError(t, err)
	t.Cleanup(d.remove)

	silent, err := net.ListenPacket("udp", "127.0.0.1:0") // reads nothing, answers nothing
	require.NoError(t, err)
	t.Cleanup(func() { silent.Close() })
	s := &Server{Network: "udp", Addr: silent.LocalAddr().String(), Pid: os.Getpid()}

	w := streamWorkload(&d, 1, 1024)
	_, err = w.run(t.Context(), s, 100*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no stream was answered: 1 still under way when the load program stopped: still no answer from the server",
		"a stream still waiting when the time is up is cut short, not failed")
	assert.Contains(t, err.Error(), "(1 still connecting: the server never answered its SYN)")

	// The start check waits for one stream, checkWait and no more.
	err = w.check(t.Context(), s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a first client's stream of 1 KiB was not answered: still no answer from the server")
	assert.Contains(t, err.Error(), "(1 still connecting: the server never answered its SYN)")
}

// progressFunc is an io.Writer that calls f with each progress line.
type progressFunc func(line string)

func (f progressFunc) Write(p []byte) (int, error) { f(string(p)); return len(p), nil }

// Interrupted while lab 11's load program runs (Ctrl-C, or the terminal
// closing), Run stops with the context's error: the load program it
// killed is not the reference failing (nor yours: the report of a
// contender that fails is not what an interrupted run ends with).
func TestRunInterruptedDuringAWorkload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lab 11 twice and its load program")
	}
	r := testkit.Shipped(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var once sync.Once
	progress := progressFunc(func(line string) {
		if strings.HasPrefix(line, "round 1 of 1, 1 client: reference") {
			once.Do(func() { time.AfterFunc(500*time.Millisecond, cancel) })
		}
	})
	_, err := Run(ctx, r, testkit.Lab(t, r, "11-reliable-stream"), Options{Ref: true, NoBaselines: true, Duration: 4 * time.Second, Rounds: 1, Clients: []int{1}, Progress: progress})
	require.ErrorIs(t, err, context.Canceled)
	assert.NotContains(t, err.Error(), "the reference failed")
}
