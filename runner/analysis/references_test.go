package analysis_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/labs"
)

// Every reference solution is what a student compares their work with:
// an analyzer that finds fault with one is wrong, not the solution.
func TestReferencesAreClean(t *testing.T) {
	r := testkit.Tree(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			overlay, err := l.SolutionFiles()
			require.NoError(t, err)
			findings, err := analysis.Run(context.Background(), l.Dir, l.StudentFiles(), overlay)
			require.NoError(t, err)
			for _, f := range findings {
				t.Errorf("solutions/%s/%s:%d:%d: %s: %s", l.Name, f.File, f.Line, f.Column, f.Analyzer, f.Message)
			}
		})
	}
}

// The skeletons are where every student starts: advice about code the
// student has not written yet would be noise.
func TestSkeletonsAreClean(t *testing.T) {
	r := testkit.Tree(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		if !l.Pristine(mustSums(t, r)) {
			continue // the work tree's lab has been changed: not a skeleton
		}
		findings, err := analysis.Run(context.Background(), l.Dir, l.StudentFiles(), nil)
		require.NoError(t, err, l.Name)
		assert.Empty(t, findings, l.Name)
	}
}

func mustSums(t *testing.T, r interface{ Labs() string }) labs.Sums {
	t.Helper()
	_, err := os.Stat(filepath.Join(r.Labs(), "skeletons.sum"))
	require.NoError(t, err)
	sums, err := labs.ReadSums(testkit.Tree(t))
	require.NoError(t, err)
	return sums
}
