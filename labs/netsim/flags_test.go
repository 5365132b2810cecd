package netsim

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseProbability(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		err  bool
	}{
		{"0", 0, false}, {"0.25", 0.25, false}, {"1", 1, false},
		{"10%", 0.1, false}, {"100%", 1, false}, {" 5% ", 0.05, false},
		{"1.5", 0, true}, {"-0.1", 0, true}, {"150%", 0, true}, {"half", 0, true}, {"", 0, true}, {"NaN", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseProbability(tt.in)
		if tt.err {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.InDelta(t, tt.want, got, 1e-12, tt.in)
	}
}

func TestParseDelay(t *testing.T) {
	tests := []struct {
		in            string
		delay, jitter time.Duration
		err           bool
	}{
		{"20ms", 20 * time.Millisecond, 0, false},
		{"20ms±5ms", 20 * time.Millisecond, 5 * time.Millisecond, false},
		{"20ms+-5ms", 20 * time.Millisecond, 5 * time.Millisecond, false},
		{"1s ± 250ms", time.Second, 250 * time.Millisecond, false},
		{"0s", 0, 0, false},
		{"20", 0, 0, true}, {"-5ms", 0, 0, true}, {"20ms±", 0, 0, true}, {"20ms±-1ms", 0, 0, true}, {"soon", 0, 0, true},
	}
	for _, tt := range tests {
		d, j, err := ParseDelay(tt.in)
		if tt.err {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.delay, d, tt.in)
		assert.Equal(t, tt.jitter, j, tt.in)
	}
}

func parseFlags(t *testing.T, args ...string) (*Flags, error) {
	t.Helper()
	var f Flags
	fs := flag.NewFlagSet("netbook proxy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.Register(fs)
	return &f, fs.Parse(args)
}

func TestFlags(t *testing.T) {
	f, err := parseFlags(t, "--drop", "10%", "--dup", "0.05", "--reorder", "0.2", "--delay", "20ms±5ms", "--seed", "7")
	require.NoError(t, err)
	u, err := f.UDP()
	require.NoError(t, err)
	assert.Equal(t, UDPOptions{Drop: 0.1, Duplicate: 0.05, Reorder: 0.2,
		Delay: 20 * time.Millisecond, Jitter: 5 * time.Millisecond, Seed: 7}, u)
	_, err = f.TCP()
	assert.ErrorContains(t, err, "--drop, --dup and --reorder apply to UDP")

	f, err = parseFlags(t, "--fragment", "3", "--coalesce", "--delay", "1ms")
	require.NoError(t, err)
	tc, err := f.TCP()
	require.NoError(t, err)
	assert.Equal(t, TCPOptions{Fragment: 3, Coalesce: true, Delay: time.Millisecond}, tc)
	_, err = f.UDP()
	assert.ErrorContains(t, err, "--fragment and --coalesce reshape a TCP byte stream")

	_, err = parseFlags(t, "--drop", "2")
	assert.ErrorContains(t, err, `"2" is not between 0 and 1`)
	_, err = parseFlags(t, "--delay", "fast")
	assert.ErrorContains(t, err, `"fast" is not a delay`)
	f, _ = parseFlags(t, "--fragment", "-1")
	_, err = f.TCP()
	assert.Error(t, err)
}
