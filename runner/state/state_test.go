package state

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".netbook", "state.json")
	s, err := Load(path)
	require.NoError(t, err)
	assert.Empty(t, s.HintLevels)

	s.SetShown("01-addresses", 1, 2)
	s.Read["01-networks-and-ports"] = true
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Results["01-addresses"] = Result{Hash: "abc", Passed: []int{1, 2}, Total: 6, At: at}
	require.NoError(t, s.Save())

	again, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, 2, again.Shown("01-addresses", 1))
	assert.True(t, again.Read["01-networks-and-ports"])
	assert.Equal(t, s.Results, again.Results)

	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temp files left behind")
}

func TestDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o644))
	_, err := Load(path)
	assert.ErrorContains(t, err, "delete it to start over")
	// What deleting it costs, said truly: not only the hints seen, but
	// the record of the labs done, which a lab done in another copy (its
	// files not here) has nowhere else.
	assert.ErrorContains(t, err, "the day each lab was done")
	assert.NotContains(t, err.Error(), "you lose only")
}

func TestHintLevelsPerTask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := Load(path)
	require.NoError(t, err)
	s.SetShown("01-addresses", 3, 2)
	require.NoError(t, s.Save())
	again, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, 2, again.Shown("01-addresses", 3))
	assert.Equal(t, 0, again.Shown("01-addresses", 1))
}

func TestDoneKeepsTheFirstTimeAndSurvivesASave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := Load(path)
	require.NoError(t, err)
	first := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	s.Passed("03-hello-server", first, map[string]string{"server.go": "aaa"})
	s.Passed("03-hello-server", first.Add(time.Hour), map[string]string{"server.go": "bbb"})
	assert.Equal(t, first, s.Done["03-hello-server"].At, "the first pass is when the lab was done")
	assert.Equal(t, "bbb", s.Done["03-hello-server"].Files["server.go"], "the fingerprints are of the latest files that passed")

	s.Restarted("03-hello-server")
	s.Restarted("05-snack-shop") // never done: nothing to record
	assert.False(t, s.Done["03-hello-server"].Stands())
	assert.NotContains(t, s.Done, "05-snack-shop")
	require.NoError(t, s.Save())

	again, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, s.Done, again.Done)
	again.Passed("03-hello-server", first.Add(2*time.Hour), map[string]string{"server.go": "ccc"})
	assert.True(t, again.Done["03-hello-server"].Stands(), "passing again ends a reset")
	assert.Equal(t, first, again.Done["03-hello-server"].At)
}
