package bench

import (
	"context"
	"encoding/binary"
	"hash/crc32"
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
	assert.Contains(t, err.Error(), "no stream was answered: 1 stalled (no progress for ",
		"a stream the server never moved on is stalled, not failed, nor cut short by the time")
	assert.Contains(t, err.Error(), ") when the load program stopped: still no answer from the server")
	assert.Contains(t, err.Error(), "(1 still connecting: the server never answered its SYN)")

	// The start check waits for one stream, checkWait and no more.
	err = w.check(t.Context(), s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a first client's stream of 1 KiB was not answered: still no answer from the server",
		"2 s without progress is not yet a stall: a retransmission may wait that long")
	assert.Contains(t, err.Error(), "(1 still connecting: the server never answered its SYN)")
}

// A lab 11 server that acknowledges the first KiB of a stream and then
// nothing more leaves the stream stalled, not cut short by the run's time
// nor failed: the error says so, with how long it went without progress
// and at which stage.
func TestStreamWorkloadSaysAStreamStalled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lab 11's load program and waits out its grace period")
	}
	r := testkit.Shipped(t)
	d, err := buildDriver(t.Context(), r, testkit.Lab(t, r, "11-reliable-stream"), rstreamDriver)
	require.NoError(t, err)
	t.Cleanup(d.remove)

	s := stopsAcking(t, 1024)
	w := streamWorkload(&d, 1, 64<<10)
	// The stream stalls at once, and the run ends a second and the grace
	// period (3 s) later: well past the 2.5 s that make a stall, however
	// late the busy machine lets the stream start.
	_, err = w.run(t.Context(), s, time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no stream was answered: 1 stalled (no progress for ")
	assert.NotContains(t, err.Error(), "still under way when", "the stalled stream is not also counted as cut short")
	assert.Contains(t, err.Error(), "(1 still sending: the server stopped acknowledging its data)")
}

// stopsAcking is a fake lab 11 server on a UDP socket of its own: it
// answers each SYN and acknowledges data in order up to limit bytes per
// client, and then stays silent. Its goroutine stops with the test.
func stopsAcking(t *testing.T, limit int) *Server {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	const isn = 1000
	type peer struct{ next, got uint32 }
	go func() {
		defer close(done)
		peers := map[string]*peer{}
		b := make([]byte, 64<<10)
		for {
			n, from, err := pc.ReadFrom(b)
			if err != nil {
				return // closed by the cleanup
			}
			if n < 16 {
				continue
			}
			seq, flags, data := binary.BigEndian.Uint32(b[4:]), binary.BigEndian.Uint16(b[14:]), b[16:n]
			p := peers[from.String()]
			switch {
			case flags&2 != 0: // SYN
				p = &peer{next: seq + 1}
				peers[from.String()] = p
			case p != nil && len(data) > 0 && seq == p.next && p.got < uint32(limit):
				p.next += uint32(len(data))
				p.got += uint32(len(data))
			default:
				continue // past the limit, or nothing to acknowledge: silence
			}
			reply := make([]byte, 16)
			out := uint16(0x10) // ACK
			if flags&2 != 0 {
				out |= 2 // SYN|ACK
			}
			binary.BigEndian.PutUint32(reply[4:], isn)
			if out&2 == 0 {
				binary.BigEndian.PutUint32(reply[4:], isn+1)
			}
			binary.BigEndian.PutUint32(reply[8:], p.next)
			binary.BigEndian.PutUint16(reply[12:], 65535)
			binary.BigEndian.PutUint16(reply[14:], out)
			binary.BigEndian.PutUint32(reply[0:], crc32.ChecksumIEEE(reply[4:]))
			pc.WriteTo(reply, from)
		}
	}()
	return &Server{Network: "udp", Addr: pc.LocalAddr().String(), Pid: os.Getpid()}
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
