package watch

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/style"
)

// netbook watch started with /dev/null as its input (in the background,
// by an editor's task runner) gets no keys: the screen must not say
// "press n to go on" or list keys that do nothing.
func TestNoKeysFromDevNull(t *testing.T) {
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	keys, raw, restore := Keys(t.Context(), f)
	t.Cleanup(restore)
	assert.False(t, raw)
	assert.Nil(t, keys, "no channel, so the first screen already knows there are no keys")
}

// From a pipe, keys still come: the first character of each line.
func TestKeysFromAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { r.Close(); w.Close() })
	keys, _, restore := Keys(t.Context(), r)
	t.Cleanup(restore)
	require.NotNil(t, keys)
	_, err = w.WriteString("next\n")
	require.NoError(t, err)
	select {
	case k := <-keys:
		assert.Equal(t, 'n', k)
	case <-time.After(time.Minute):
		t.Fatal("no key within a minute")
	}
	var b strings.Builder
	Render(&b, Screen{Result: &check.Result{Lab: "01-addresses", Status: check.Passed}, Keys: false, Next: "02-first-connection"}, style.Style{})
	assert.NotContains(t, b.String(), "press n")
}
