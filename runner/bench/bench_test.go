package bench

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
)

// A whole run on lab 03, short: the reference stands in for the student,
// the minimal Go server runs beside them, and every contender gets every
// workload, with ratios against the reference.
func TestRunLab03(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three servers")
	}
	r := testkit.Shipped(t)
	var progress testkit.Buffer
	rep, err := Run(t.Context(), r, testkit.Lab(t, r, "03-hello-server"), Options{Ref: true, Duration: 900 * time.Millisecond, Rounds: 1, Progress: &progress})
	require.NoError(t, err)
	assert.Empty(t, rep.Failed)
	require.Len(t, rep.Phases, 3, "1, 10 and 100 connections")
	for _, p := range rep.Phases {
		require.Len(t, p.Results, 3, "%s: you, the reference and go-minimal", p.Name)
		for _, res := range p.Results {
			assert.Positive(t, res.Rate.Median, "%s, %s", p.Name, res.Contender)
			if res.Contender == Reference {
				assert.Nil(t, res.VsReference)
			} else {
				require.NotNil(t, res.VsReference)
				assert.Equal(t, 1, res.VsReference.Rate.N, "%s, %s: a ratio from the one round", p.Name, res.Contender)
			}
		}
	}
	assert.Contains(t, progress.String(), "round 1 of 1, 100 connections: go-minimal")
}

func TestRunRefusesLabsWithoutWorkloads(t *testing.T) {
	r := testkit.Shipped(t)
	_, err := Run(t.Context(), r, testkit.Lab(t, r, "01-addresses"), Options{})
	assert.ErrorContains(t, err, "no workload for lab 01-addresses")
	_, err = Run(t.Context(), r, testkit.Lab(t, r, "03-hello-server"), Options{Idle: 10})
	assert.ErrorContains(t, err, "--idle is for the chat labs")
}

// room.py, when python3 is installed: it starts, says where it listens,
// and carries a chat workload.
func TestPythonRoom(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	c, err := pythonContender("python", "the articles' room")
	require.NoError(t, err)
	t.Cleanup(c.cleanup)
	s, err := c.start(t.Context())
	require.NoError(t, err)
	t.Cleanup(s.kill)
	assert.True(t, strings.HasPrefix(s.Addr, "127.0.0.1:"), s.Addr)
	ms, err := chatWorkload(4, 10_000).run(t.Context(), s, 300*time.Millisecond)
	require.NoError(t, err)
	for _, m := range ms {
		checkMeasurement(t, m)
	}
}
