package bench

import (
	"math"
	"slices"
	"time"
)

// Percentiles are the latency percentiles a report shows, in order.
var Percentiles = []float64{50, 90, 99, 99.9}

// latencies collects the latencies of one phase, up to a cap: a phase
// that makes millions of requests keeps an evenly spread sample of them
// (every k-th), which is plenty for a p99.9.
type latencies struct {
	cap   int
	every int64 // keep one in every
	seen  int64
	kept  []time.Duration
}

func newLatencies(capacity int) *latencies {
	return &latencies{cap: capacity, every: 1}
}

// add records one latency.
func (l *latencies) add(d time.Duration) {
	l.seen++
	if l.seen%l.every != 0 {
		return
	}
	if len(l.kept) == l.cap {
		// Full: keep every other one, and from now on one in twice as many.
		half := l.kept[:0]
		for i := 1; i < len(l.kept); i += 2 {
			half = append(half, l.kept[i])
		}
		l.kept = half
		l.every *= 2
		if l.seen%l.every != 0 {
			return
		}
	}
	l.kept = append(l.kept, d)
}

// merge adds o's latencies to l's.
func (l *latencies) merge(o *latencies) {
	for _, d := range o.kept {
		l.add(d)
	}
}

// percentiles returns the latency at each of ps (nearest rank), or nil
// when nothing was recorded.
func percentiles(samples []time.Duration, ps []float64) []time.Duration {
	if len(samples) == 0 {
		return nil
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	out := make([]time.Duration, len(ps))
	for i, p := range ps {
		rank := int(math.Ceil(p/100*float64(len(s))-1e-9)) - 1 // 99.9% of 1000 is 999, not 999.0000001
		out[i] = s[min(max(rank, 0), len(s)-1)]
	}
	return out
}

// Spread is one figure over several rounds: its median, lowest and highest.
type Spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	N      int     `json:"n"` // how many rounds gave a value
}

// spread summarises values; NaNs (rounds without the figure) are left out.
func spread(values []float64) Spread {
	var v []float64
	for _, x := range values {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return Spread{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	slices.Sort(v)
	m := v[len(v)/2]
	if len(v)%2 == 0 {
		m = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return Spread{Median: m, Min: v[0], Max: v[len(v)-1], N: len(v)}
}

// ratios divides a by b round by round: the figures of two contenders
// measured in the same round, one right after the other, so that whatever
// else the machine was doing then weighs on both. A round where either is
// missing gives NaN.
func ratios(a, b []float64) []float64 {
	out := make([]float64, min(len(a), len(b)))
	for i := range out {
		if b[i] == 0 || math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			out[i] = math.NaN()
			continue
		}
		out[i] = a[i] / b[i]
	}
	return out
}
