package analysis_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/check"
)

// TestTiming measures what the analyzers add to a warm netbook check, the
// issue's budget being 0.3 s: NETBOOK_ANALYSIS_TIMING=5 go test
// ./runner/analysis -run Timing -v. Each round edits the student's file (a
// new comment, through an overlay) so that go test really rebuilds and
// reruns, as after a student's save, and times check alone, check then
// Run, and check and Run side by side, in turn, so that the machine's load
// weighs on all three alike. Every Run starts with no cached export data,
// as the one in a netbook check process does (netbook watch's later Runs
// are cheaper). It reports medians; it asserts nothing
// (timing is a benchmark's business, not a test's).
func TestTiming(t *testing.T) {
	rounds := 0
	fmt.Sscan(os.Getenv("NETBOOK_ANALYSIS_TIMING"), &rounds)
	if rounds <= 0 {
		t.Skip("set NETBOOK_ANALYSIS_TIMING=ROUNDS to measure")
	}
	r := testkit.Shipped(t)
	for _, name := range []string{"03-hello-server", "10-robust-chat"} {
		l := testkit.Lab(t, r, name)
		solution, err := l.SolutionFiles()
		require.NoError(t, err)
		tmp := t.TempDir()
		var alone, seq, par, lint, dseq, dpar []time.Duration
		for i := -1; i < rounds; i++ { // round -1 warms the caches
			overlay := map[string]string{}
			for from, to := range solution {
				data, err := os.ReadFile(to)
				require.NoError(t, err)
				edited := filepath.Join(tmp, fmt.Sprintf("%d-%s", i+1, filepath.Base(to)))
				require.NoError(t, os.WriteFile(edited, fmt.Appendf(data, "\n// edit %d\n", i), 0o644))
				overlay[from] = edited
			}
			ctx := context.Background()
			checkOnly := func() {
				res, err := check.Run(ctx, r, l, check.Options{Overlay: overlay})
				require.NoError(t, err)
				require.Equal(t, check.Passed, res.Status, "the reference must pass")
			}
			analyse := func() {
				analysis.ForgetExports() // as in a fresh netbook check process
				_, err := analysis.Run(ctx, l.Dir, l.StudentFiles(), overlay)
				require.NoError(t, err)
			}
			start := time.Now()
			checkOnly()
			a := time.Since(start)

			// Edit again, so the next check is not a cached result.
			for from, to := range overlay {
				data, _ := os.ReadFile(to)
				edited := to + ".2"
				require.NoError(t, os.WriteFile(edited, append(data, "// again\n"...), 0o644))
				overlay[from] = edited
			}
			start = time.Now()
			checkOnly()
			mid := time.Now()
			analyse()
			s, ln := time.Since(start), time.Since(mid)

			for from, to := range overlay {
				data, _ := os.ReadFile(to)
				edited := to + ".3"
				require.NoError(t, os.WriteFile(edited, append(data, "// and again\n"...), 0o644))
				overlay[from] = edited
			}
			start = time.Now()
			var wg sync.WaitGroup
			wg.Go(analyse)
			checkOnly()
			wg.Wait()
			p := time.Since(start)
			if i >= 0 {
				alone, seq, par, lint = append(alone, a), append(seq, s), append(par, p), append(lint, ln)
				dseq, dpar = append(dseq, s-a), append(dpar, p-a)
			}
		}
		m := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
		t.Logf("%s, medians of %d rounds: check %v; Run (as in a fresh process) %v, ratio %.2f; "+
			"check then Run %v (added, paired by round: %v); check and Run side by side %v (added: %v)",
			name, rounds, m(alone), m(lint), float64(m(alone)+m(lint))/float64(m(alone)),
			m(seq), m(dseq), m(par), m(dpar))
	}
}
