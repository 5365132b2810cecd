package bench

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPercentiles(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 1000; i++ {
		s = append(s, time.Duration(i)*time.Microsecond)
	}
	got := percentiles(s, []float64{50, 99, 99.9, 100})
	assert.Equal(t, []time.Duration{500 * time.Microsecond, 990 * time.Microsecond, 999 * time.Microsecond, time.Millisecond}, got)
	assert.Nil(t, percentiles(nil, Percentiles), "no samples, no percentiles")
}

// A phase with more latencies than the cap keeps an even sample of them.
func TestLatenciesKeepAnEvenSample(t *testing.T) {
	l := newLatencies(100)
	for i := 1; i <= 10_000; i++ {
		l.add(time.Duration(i))
	}
	require.LessOrEqual(t, len(l.kept), 100)
	require.GreaterOrEqual(t, len(l.kept), 50)
	p := percentiles(l.kept, []float64{50})
	assert.InDelta(t, 5000, float64(p[0]), 300, "the median of 1..10000 from the sample kept")
}

func TestSpreadAndRatios(t *testing.T) {
	s := spread([]float64{3, math.NaN(), 1, 2})
	assert.Equal(t, Spread{Median: 2, Min: 1, Max: 3, N: 3}, s, "NaN rounds are left out")
	assert.Equal(t, 2.5, spread([]float64{4, 1, 2, 3}).Median, "an even count takes the mean of the middle two")
	assert.True(t, math.IsNaN(spread(nil).Median))

	// Round by round: the student's figure over the reference's in the
	// same round.
	r := ratios([]float64{10, 20, 30, math.NaN()}, []float64{5, 40, 0, 1})
	assert.Equal(t, 2.0, r[0])
	assert.Equal(t, 0.5, r[1])
	assert.True(t, math.IsNaN(r[2]), "a reference of 0 gives no ratio")
	assert.True(t, math.IsNaN(r[3]), "a missing round gives no ratio")
}

// summarise pairs each contender's rounds with the reference's.
func TestSummariseTakesRatiosPerRound(t *testing.T) {
	m := func(ops int64, cpu time.Duration, lat ...time.Duration) *Measurement {
		return &Measurement{Ops: ops, Elapsed: time.Second, CPU: cpu, Latency: lat}
	}
	cs := []*Contender{{Name: You}, {Name: Reference}, {Name: "broken"}}
	rounds := map[string][]*Measurement{
		You:       {m(100, 100*time.Millisecond, time.Millisecond), m(300, 300*time.Millisecond, time.Millisecond), nil},
		Reference: {m(200, 100*time.Millisecond, 2*time.Millisecond), m(200, 100*time.Millisecond, 2*time.Millisecond), m(200, 100*time.Millisecond, time.Millisecond)},
		"broken":  {nil, nil, nil},
	}
	p := summarise("1 connection", "requests", cs, rounds)
	require.Len(t, p.Results, 2, "a contender with no round at all is left out of the table")
	you := p.Results[0]
	assert.Equal(t, You, you.Contender)
	assert.Equal(t, 200.0, you.Rate.Median)
	require.NotNil(t, you.VsReference)
	assert.Equal(t, Spread{Median: 1, Min: 0.5, Max: 1.5, N: 2}, you.VsReference.Rate)
	assert.Equal(t, 2, you.VsReference.CPUPerOp.N)
	assert.InDelta(t, 2.0, you.VsReference.CPUPerOp.Median, 1e-9, "1 ms per request against 0.5 ms, in both rounds")
	assert.Equal(t, 0.5, you.VsReference.Latency[0].Seconds.Median)
	assert.True(t, you.Rounds[2].Missing)
	assert.Nil(t, p.Results[1].VsReference, "the reference is not compared with itself")
}

func TestUnits(t *testing.T) {
	assert.Equal(t, "delivery", singular("deliveries"))
	assert.Equal(t, "request", singular("requests"))
	assert.Equal(t, "800k", si(800_000))
	assert.Equal(t, "3.52M", si(3_521_000))
	assert.Equal(t, "–", si(math.NaN()))
	assert.Equal(t, "310ns", duration(310e-9))
	assert.Equal(t, "9.8ms", duration(9.8e-3))
	assert.Equal(t, "9.77 KB", bytesize(10_000))
	assert.Equal(t, "0.97×", ratio(0.971))
	assert.Equal(t, "15×", ratio(15.2))
	// At the edges of the forms, the form of the value as shown.
	assert.Equal(t, "0.10", trimRatio(0.0996))
	assert.Equal(t, "0.099", trimRatio(0.0994))
	assert.Equal(t, "10", trimRatio(9.996))
	assert.Equal(t, "9.99", trimRatio(9.994))
	assert.Equal(t, "1000", perThousand(1))
	assert.Equal(t, "12", perThousand(0.0123))
	assert.Equal(t, "0.51", perThousand(0.000512))
	assert.Equal(t, "1 client", plural(1, "client"))
	assert.Equal(t, "500 clients", plural(500, "client"))
}

// sampleReport is a two-round report of lab 03, your server against the
// reference, with one contender that could not be measured.
func sampleReport() *Report {
	rep := &Report{
		Lab: "03-hello-server", CPUs: 2, Rounds: 2, LoadBefore: 1.5, LoadAfter: 2, Seconds: 3,
		Contenders: []ContenderInfo{{You, "your server"}, {Reference, "the reference"}, {"python-threads", "the articles' room in Python: a thread per client, each writing every message to every member in turn, under a lock"}},
	}
	mk := func(ops int64, lat time.Duration) *Measurement {
		return &Measurement{Ops: ops, Elapsed: time.Second, CPU: time.Duration(ops) * time.Microsecond, Latency: []time.Duration{lat, 2 * lat}, Writes: ops}
	}
	cs := []*Contender{{Name: You}, {Name: Reference}, {Name: "python-threads"}}
	uncounted := mk(100_000, time.Millisecond)
	uncounted.Writes = -1
	rep.Phases = []Phase{summarise("10 connections", "requests", cs, map[string][]*Measurement{
		You:              {mk(90_000, time.Millisecond), mk(110_000, time.Millisecond)},
		Reference:        {mk(100_000, time.Millisecond), mk(100_000, time.Millisecond)},
		"python-threads": {uncounted, nil},
	})}
	rep.Failed = []Failure{{Contender: "go-minimal", Error: "it did not start"},
		{Contender: "go-sleepy", Workload: "1 connection", Error: "connecting client 1 of 1: dial tcp 127.0.0.1:38313: connect: connection refused"}}
	return rep
}

// A student's room that writes each delivery on its own is told so, and
// where the book shows how to batch; a small gap is not remarked on.
func TestWritesNote(t *testing.T) {
	mk := func(ops, writes int64) *Measurement {
		return &Measurement{Ops: ops, Elapsed: time.Second, CPU: time.Second, Latency: []time.Duration{time.Millisecond}, Writes: writes}
	}
	cs := []*Contender{{Name: You}, {Name: Reference}}
	phases := []Phase{
		summarise("500 clients, flooding", "deliveries", cs, map[string][]*Measurement{
			You:       {mk(100_000, 100_000)},
			Reference: {mk(100_000, 1_200)},
		}),
		summarise("500 clients, paced", "deliveries", cs, map[string][]*Measurement{
			You:       {mk(100_000, 100_000)},
			Reference: {mk(100_000, 15_000)},
		}),
	}
	note := writesNote(phases)
	assert.Contains(t, note, "your server made 1000 write calls per 1,000 deliveries (500 clients, flooding), the reference 12.", "the phase where the gap is widest")
	assert.Contains(t, note, "Chapter 10")

	phases[0].Results[0].WritesPerOp.Median = 0.02
	phases[1].Results[0].WritesPerOp.Median = 0.2
	assert.Empty(t, writesNote(phases), "less than three times the reference's writes")
	assert.Empty(t, writesNote(sampleReport().Phases), "as many writes as the reference")
}

func TestReportText(t *testing.T) {
	rep := sampleReport()
	rep.Notes = []string{strings.Repeat("a note long enough to need more than one line of an 80-column terminal; ", 3)}
	var b strings.Builder
	rep.WriteText(&b)
	out := b.String()
	assert.Contains(t, out, "Note: a note", "the note is printed")
	for _, line := range strings.Split(out, "\n") {
		assert.LessOrEqual(t, style.Cols(line), 79, "every line fits an 80-column terminal: %q", line)
	}
	for _, want := range []string{
		"netbook bench 03-hello-server: 2 rounds",
		"load average 1.50 before, 2.00 after, 2 CPUs",
		"10 connections",
		"requests/s",
		"p99 latency", // in a table of its own: one would not fit
		"  python-threads  the articles' room in Python: a thread per client, each\n                  writing", // its continuation under its start
		"CPU per request",
		"100k 1.00× (0.90–1.10)",
		"● p50",
		"go-minimal could not be measured: it did not start",
		"(the server's write calls per 1,000 requests: you 1000, reference 1000)", // python-threads sends with send(2), not counted
	} {
		assert.Contains(t, out, want)
	}

	var js strings.Builder
	require.NoError(t, rep.WriteJSON(&js))
	var back map[string]any
	require.NoError(t, json.Unmarshal([]byte(js.String()), &back), "the JSON parses, NaN figures included (as null)")
	assert.Equal(t, "03-hello-server", back["lab"])
}

// The load generator's own CPU is a range over the rounds, and one figure
// when every round gave the same (one round, as with --rounds 1): never
// "64.4µs–64.4µs".
func TestReportTextOwnCPU(t *testing.T) {
	mk := func(loadCPU time.Duration) *Measurement {
		return &Measurement{Ops: 1000, Elapsed: time.Second, CPU: time.Millisecond, LoadCPU: loadCPU, Latency: []time.Duration{time.Millisecond}}
	}
	cs := []*Contender{{Name: You}, {Name: Reference}}
	text := func(rounds map[string][]*Measurement) string {
		rep := &Report{Lab: "03-hello-server", CPUs: 2, Rounds: len(rounds[You]), LoadBefore: -1, LoadAfter: -1,
			Contenders: []ContenderInfo{{You, "your server"}, {Reference, "the reference"}},
			Phases:     []Phase{summarise("1 connection", "requests", cs, rounds)}}
		var b strings.Builder
		rep.WriteText(&b)
		return b.String()
	}
	out := text(map[string][]*Measurement{You: {mk(64 * time.Millisecond)}, Reference: {mk(64 * time.Millisecond)}})
	assert.Contains(t, out, "(netbook's own CPU per request, the load generator: 64µs)")
	out = text(map[string][]*Measurement{You: {mk(60 * time.Millisecond), mk(70 * time.Millisecond)}, Reference: {mk(64 * time.Millisecond), mk(66 * time.Millisecond)}})
	assert.Contains(t, out, "(netbook's own CPU per request, the load generator: 60µs–70µs)")
}

// A contender with no figures in a phase (it failed there, or in a
// workload before) has a row that says so, in the table and in the chart,
// rather than no row at all; why is at the end of the report.
func TestReportTextShowsWhoCouldNotBeMeasured(t *testing.T) {
	mk := func() *Measurement {
		return &Measurement{Ops: 1000, Elapsed: time.Second, CPU: 10 * time.Millisecond, Latency: []time.Duration{time.Millisecond}}
	}
	cs := []*Contender{{Name: You}, {Name: Reference}}
	rep := &Report{Lab: "03-hello-server", CPUs: 2, Rounds: 1, LoadBefore: -1, LoadAfter: -1,
		Contenders: []ContenderInfo{{You, "your server"}, {Reference, "the reference"}},
		Phases: []Phase{
			summarise("1 connection", "requests", cs, map[string][]*Measurement{You: {mk()}, Reference: {mk()}}),
			summarise("10 connections", "requests", cs, map[string][]*Measurement{You: {nil}, Reference: {mk()}}),
		},
		Failed: []Failure{{Contender: You, Workload: "10 connections", Error: "reading the answer to request 1: the server hung up"}},
	}
	var b strings.Builder
	rep.WriteText(&b)
	out := b.String()
	table := out[strings.Index(out, "\n10 connections\n"):strings.Index(out, "Latency percentiles")]
	assert.Contains(t, table, "  you        could not be measured (see below)")
	chart := out[strings.Index(out, "Latency percentiles"):]
	assert.Regexp(t, `10 connections\n  reference .*\n  you        could not be measured\n`, chart)
	assert.Contains(t, out, "you could not be measured (10 connections): reading the answer")
	assert.Equal(t, 1, strings.Count(table, "could not be measured"), "one row, in the one table")

	b.Reset()
	require.NoError(t, rep.WriteSVG(&b), "the chart, as the web book shows it")
	assert.Contains(t, b.String(), "10 connections, you: not measured")
}

// /proc counts CPU time in ticks of 10 ms: a phase in which the server
// used less than one (a slow server, few requests) has an unknown CPU per
// request, not 0ns, and no ratio of 0×; the report says why, and how to
// measure it.
func TestCPUBelowOneTickIsUnknown(t *testing.T) {
	assert.True(t, math.IsNaN(Measurement{Ops: 120, Elapsed: time.Second, CPU: 0}.CPUPerOp()))
	assert.InDelta(t, 1e-4, Measurement{Ops: 100, Elapsed: time.Second, CPU: 10 * time.Millisecond}.CPUPerOp(), 1e-12)
	cs := []*Contender{{Name: You}, {Name: Reference}}
	rep := &Report{Lab: "03-hello-server", CPUs: 2, Rounds: 1, LoadBefore: -1, LoadAfter: -1,
		Contenders: []ContenderInfo{{You, "your server"}, {Reference, "the reference"}},
		Phases: []Phase{summarise("1 connection", "requests", cs, map[string][]*Measurement{
			You:       {{Ops: 120, Elapsed: time.Second, CPU: 0, Latency: []time.Duration{20 * time.Millisecond}}},
			Reference: {{Ops: 90_000, Elapsed: time.Second, CPU: 600 * time.Millisecond, Latency: []time.Duration{10 * time.Microsecond}}},
		})}}
	you := rep.Phases[0].Results[0]
	require.Equal(t, You, you.Contender)
	assert.Zero(t, you.CPUPerOp.N, "no figure")
	assert.Zero(t, you.VsReference.CPUPerOp.N, "no ratio")
	var b strings.Builder
	rep.WriteText(&b)
	out := b.String()
	assert.NotContains(t, out, "0ns")
	assert.NotContains(t, out, " 0×")
	assert.Contains(t, out, "(you used less CPU time in a round than Linux counts, 10ms, so its CPU per\n   request is left out there; a longer --duration measures it)")
}

// The time the rounds took: a short run (--duration 300ms) reads 0.4 s,
// not 0 s.
func TestReportTextSeconds(t *testing.T) {
	for secs, want := range map[float64]string{0.4: "2 CPUs, 0.4 s", 9.2: "2 CPUs, 9.2 s", 31.2: "2 CPUs, 31 s"} {
		rep := sampleReport()
		rep.Seconds = secs
		var b strings.Builder
		rep.WriteText(&b)
		assert.Contains(t, b.String(), want)
	}
}

// Streams still under way when a round's time was up (lab 11 with a short
// --duration on a busy machine) are reported as cut short, apart from the
// ones lost, in the text and in the JSON ("cut").
func TestReportTextTellsCutFromLost(t *testing.T) {
	mk := func(ops, lost, cut int64) *Measurement {
		return &Measurement{Ops: ops, Elapsed: time.Second, CPU: time.Second, Latency: []time.Duration{time.Millisecond}, Writes: -1, Lost: lost, Cut: cut}
	}
	cs := []*Contender{{Name: You}, {Name: Reference}}
	rep := &Report{Lab: "11-reliable-stream", CPUs: 2, Rounds: 2, Seconds: 4, Contenders: []ContenderInfo{{You, "your server"}, {Reference, "the reference"}},
		Phases: []Phase{summarise("100 clients, streams of 64 KiB", "streams", cs, map[string][]*Measurement{
			You:       {mk(40, 2, 0), mk(50, 0, 0)},
			Reference: {mk(45, 0, 3), mk(60, 0, 4)},
		})}}
	var b strings.Builder
	rep.WriteText(&b)
	out := unwrap(b.String())
	assert.Contains(t, out, "(streams that never completed, over all rounds: you 2)", "the reference lost none")
	assert.Contains(t, out, "(streams still under way when a round's time was up, cut short and not counted, over all rounds: reference 7; a longer --duration lets them finish)")

	var js strings.Builder
	require.NoError(t, rep.WriteJSON(&js))
	var back Report
	require.NoError(t, json.Unmarshal([]byte(js.String()), &back))
	ref := back.Phases[0].Results[1]
	require.Equal(t, Reference, ref.Contender)
	assert.Equal(t, []int64{3, 4}, []int64{ref.Rounds[0].Cut, ref.Rounds[1].Cut})
	assert.Zero(t, ref.Rounds[0].Lost)
	assert.Contains(t, js.String(), `"cut": 3`)
}

// Streams the server stopped moving on (lab 11, a server that stops
// acknowledging) are reported as stalled, with how long they went without
// progress, apart from the ones cut short by the time, in the text and in
// the JSON ("stalled", "stalledSeconds").
func TestReportTextTellsStalledFromCut(t *testing.T) {
	mk := func(ops, cut, stalled int64, idle time.Duration) *Measurement {
		return &Measurement{Ops: ops, Elapsed: time.Second, CPU: time.Second, Latency: []time.Duration{time.Millisecond}, Writes: -1,
			Cut: cut, Stalled: stalled, StalledFor: idle}
	}
	cs := []*Contender{{Name: You}, {Name: Reference}}
	rep := &Report{Lab: "11-reliable-stream", CPUs: 2, Rounds: 2, Seconds: 4, Contenders: []ContenderInfo{{You, "your server"}, {Reference, "the reference"}},
		Phases: []Phase{summarise("10 clients, streams of 64 KiB", "streams", cs, map[string][]*Measurement{
			You:       {mk(3, 0, 10, 3140*time.Millisecond), mk(2, 0, 9, 2960*time.Millisecond)},
			Reference: {mk(45, 1, 0, 0), mk(60, 0, 0, 0)},
		})}}
	var b strings.Builder
	rep.WriteText(&b)
	out := unwrap(b.String())
	assert.Contains(t, out, "(streams stalled: no progress for 3s or more when a round's time was up (the server had stopped acknowledging or answering them), not counted, over all rounds: you 19)")
	assert.Contains(t, out, "cut short and not counted, over all rounds: reference 1;", "the reference's stream was moving: cut short, not stalled")

	var js strings.Builder
	require.NoError(t, rep.WriteJSON(&js))
	assert.Contains(t, js.String(), `"stalled": 10`)
	assert.Contains(t, js.String(), `"stalledSeconds": 3.14`)
}

// unwrap joins a wrapped text's lines, for a test that looks for a
// sentence.
func unwrap(s string) string { return strings.Join(strings.Fields(s), " ") }
