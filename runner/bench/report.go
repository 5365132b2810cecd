package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/style"
)

// Report is what a run measured, as --json gives it. Times are in
// seconds, rates in operations per second.
type Report struct {
	Lab        string          `json:"lab"`
	CPUs       int             `json:"cpus"`
	LoadBefore float64         `json:"loadAverageBefore"` // the one-minute load average; -1 when unknown
	LoadAfter  float64         `json:"loadAverageAfter"`
	Rounds     int             `json:"rounds"`
	Duration   float64         `json:"durationSeconds"` // the measuring time asked for
	Seconds    float64         `json:"seconds"`         // the time the rounds took, logins and starts included
	Contenders []ContenderInfo `json:"contenders"`
	Phases     []Phase         `json:"phases"`
	Failed     []Failure       `json:"failed,omitempty"`
	Notes      []string        `json:"notes,omitempty"`
}

// ContenderInfo names a contender.
type ContenderInfo struct {
	Name  string `json:"name"`
	About string `json:"about"`
}

// Measured reports whether contender name was measured in every workload:
// false when the report lists a failure of it.
func (r *Report) Measured(name string) bool {
	for _, f := range r.Failed {
		if f.Contender == name {
			return false
		}
	}
	return true
}

// Failure is a contender that could not be measured, and why.
type Failure struct {
	Contender string `json:"contender"`
	Workload  string `json:"workload,omitempty"`
	Error     string `json:"error"`
}

// Phase is one measurement, over every contender and round.
type Phase struct {
	Name    string   `json:"name"`
	Unit    string   `json:"unit"` // what one operation is: "requests", "deliveries"
	Results []Result `json:"results"`
}

// Result is one contender's figures in one phase: each the median of the
// rounds, with the lowest and highest.
type Result struct {
	Contender string       `json:"contender"`
	Rate      Spread       `json:"rate"`
	CPUPerOp  Spread       `json:"cpuPerOp"` // the server's CPU seconds per operation
	Latency   []Percentile `json:"latency"`
	// WritesPerOp is the server's write system calls per operation,
	// where they could be counted: how well it batches.
	WritesPerOp *Spread `json:"writesPerOp,omitempty"`
	// MemPerClient is the server's memory per client, in bytes, where the
	// workload measures it (idle clients).
	MemPerClient *Spread `json:"memPerClient,omitempty"`
	// VsReference divides this contender's figures by the reference's,
	// round by round (absent for the reference itself).
	VsReference *Ratios `json:"vsReference,omitempty"`
	Rounds      []Round `json:"rounds"`
}

// Percentile is one latency percentile (in seconds, or a ratio).
type Percentile struct {
	P       float64 `json:"p"`
	Seconds Spread  `json:"value"`
}

// Ratios are a contender's figures divided by the reference's.
type Ratios struct {
	Rate         Spread       `json:"rate"`
	CPUPerOp     Spread       `json:"cpuPerOp"`
	Latency      []Percentile `json:"latency"`
	MemPerClient *Spread      `json:"memPerClient,omitempty"`
}

// Round is one round's raw measurement.
type Round struct {
	Missing        bool    `json:"missing,omitempty"` // the contender failed or was left out
	Ops            int64   `json:"ops,omitempty"`
	Seconds        float64 `json:"seconds,omitempty"`
	CPUSeconds     float64 `json:"cpuSeconds,omitempty"`     // the server's; -1 when unknown
	LoadCPUSeconds float64 `json:"loadCPUSeconds,omitempty"` // the load generator's (netbook's own)
	Writes         int64   `json:"writes,omitempty"`         // the server's write system calls; -1 when not counted
	Lost           int64   `json:"lost,omitempty"`
	Cut            int64   `json:"cut,omitempty"`            // still under way when the phase's time was up (Measurement.Cut)
	Stalled        int64   `json:"stalled,omitempty"`        // under way with no progress when the phase's time was up (Measurement.Stalled)
	StalledSeconds float64 `json:"stalledSeconds,omitempty"` // the shortest time without progress among them
}

// MarshalJSON writes NaN (a figure no round gave) as null.
func (s Spread) MarshalJSON() ([]byte, error) {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(struct {
		Median any `json:"median"`
		Min    any `json:"min"`
		Max    any `json:"max"`
		N      int `json:"n"`
	}{num(s.Median), num(s.Min), num(s.Max), s.N})
}

// UnmarshalJSON reads what MarshalJSON writes: null is NaN again.
func (s *Spread) UnmarshalJSON(data []byte) error {
	var v struct {
		Median, Min, Max *float64
		N                int
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	num := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*s = Spread{Median: num(v.Median), Min: num(v.Min), Max: num(v.Max), N: v.N}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as tables, one per phase, and a chart of the
// latency percentiles.
func (r *Report) WriteText(w io.Writer) {
	rounds := "rounds"
	if r.Rounds == 1 {
		rounds = "round"
	}
	if len(r.Phases) == 0 {
		fmt.Fprintf(w, "netbook bench %s: nothing was measured.\n", r.Lab)
		r.writeFailures(w)
		return
	}
	fmt.Fprintf(w, "netbook bench %s: %d %s, the contenders taking turns;\n%s\n", r.Lab, r.Rounds, rounds, r.machine())
	width := 0
	for _, c := range r.Contenders {
		width = max(width, len(c.Name))
	}
	for _, c := range r.Contenders {
		fmt.Fprintln(w, hanging(fmt.Sprintf("  %-*s  ", width, c.Name), c.About))
	}
	fmt.Fprintln(w, style.Wrap("Each figure is the median of the rounds; a ratio divides it by the reference's in the same round (lowest–highest).", textWidth))
	for _, p := range r.Phases {
		fmt.Fprintln(w)
		r.writePhase(w, p, width)
	}
	fmt.Fprintln(w)
	r.writeChart(w, width)
	r.writeFailures(w)
}

// writeFailures writes why each contender that failed could not be
// measured, and the report's notes.
func (r *Report) writeFailures(w io.Writer) {
	for _, f := range r.Failed {
		where := ""
		if f.Workload != "" {
			where = " (" + f.Workload + ")"
		}
		fmt.Fprintf(w, "\n%s\n", style.Wrap(fmt.Sprintf("%s could not be measured%s: %s", f.Contender, where, f.Error), textWidth))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\n%s\n", style.Wrap("Note: "+n, textWidth))
	}
}

func (r *Report) machine() string {
	load := ""
	switch {
	case r.LoadBefore >= 0 && r.LoadAfter >= 0:
		load = fmt.Sprintf("load average %.2f before, %.2f after, ", r.LoadBefore, r.LoadAfter)
	}
	// A short run reads 0.4 s, not 0 s.
	secs := strconv.FormatFloat(r.Seconds, 'f', 0, 64)
	if r.Seconds < 9.95 {
		secs = strconv.FormatFloat(r.Seconds, 'f', 1, 64)
	}
	return fmt.Sprintf("%s%d CPUs, %s s", load, r.CPUs, secs)
}

func (r *Report) writePhase(w io.Writer, p Phase, width int) {
	one := singular(p.Unit)
	cols := []string{p.Unit + "/s", "CPU per " + one, "p50 latency", "p99 latency"}
	withMem := slices.ContainsFunc(p.Results, func(r Result) bool { return r.MemPerClient != nil })
	if withMem {
		cols = append(cols, "memory per client")
	}
	cells := [][]string{}
	for _, res := range p.Results {
		row := []string{
			cell(si(res.Rate.Median), ratioOf(res.VsReference, func(x *Ratios) Spread { return x.Rate })),
			cell(duration(res.CPUPerOp.Median), ratioOf(res.VsReference, func(x *Ratios) Spread { return x.CPUPerOp })),
			cell(duration(res.Latency[0].Seconds.Median), ratioOf(res.VsReference, func(x *Ratios) Spread { return x.Latency[0].Seconds })),
			cell(duration(res.Latency[2].Seconds.Median), ratioOf(res.VsReference, func(x *Ratios) Spread { return x.Latency[2].Seconds })),
		}
		if withMem {
			mem := "–"
			if res.MemPerClient != nil {
				mem = cell(bytesize(res.MemPerClient.Median), ratioOf(res.VsReference, func(x *Ratios) Spread {
					if x.MemPerClient == nil {
						return Spread{}
					}
					return *x.MemPerClient
				}))
			}
			row = append(row, mem)
		}
		cells = append(cells, row)
	}
	colWidth := make([]int, len(cols))
	for i, c := range cols {
		colWidth[i] = len(c)
		for _, row := range cells {
			colWidth[i] = max(colWidth[i], len([]rune(row[i])))
		}
	}
	fmt.Fprintf(w, "%s\n", p.Name)
	// One table if it fits in textWidth; else as many tables, one under
	// the other, as its columns need.
	for _, group := range columnGroups(2+width, colWidth) {
		row := func(name string, cells []string) {
			line := fmt.Sprintf("  %-*s", width, name)
			for _, i := range group {
				line += "  " + pad(cells[i], colWidth[i])
			}
			fmt.Fprintln(w, strings.TrimRight(line, " "))
		}
		row("", cols)
		for i, res := range p.Results {
			row(res.Contender, cells[i])
		}
		for _, name := range r.notIn(p) {
			fmt.Fprintf(w, "  %-*s  could not be measured (see below)\n", width, name)
		}
	}
	// The load generator's own cost: when it is close to the servers', the
	// machine, not the server, set the pace.
	var own []float64
	for _, res := range p.Results {
		for _, rd := range res.Rounds {
			if !rd.Missing && rd.Ops > 0 && rd.LoadCPUSeconds > 0 {
				own = append(own, rd.LoadCPUSeconds/float64(rd.Ops))
			}
		}
	}
	if s := spread(own); s.N > 0 {
		figure := duration(s.Min)
		if hi := duration(s.Max); hi != figure {
			figure += "–" + hi
		}
		fmt.Fprintln(w, hanging("  (", fmt.Sprintf("netbook's own CPU per %s, the load generator: %s)", one, figure)))
	}
	var tooLittle []string
	for _, res := range p.Results {
		if slices.ContainsFunc(res.Rounds, func(rd Round) bool { return !rd.Missing && rd.Ops > 0 && rd.CPUSeconds == 0 }) {
			tooLittle = append(tooLittle, res.Contender)
		}
	}
	if len(tooLittle) > 0 {
		fmt.Fprintln(w, hanging("  (", fmt.Sprintf("%s used less CPU time in a round than Linux counts, 10ms, so its CPU per %s is left out there; a longer --duration measures it)",
			strings.Join(tooLittle, ", "), one)))
	}
	var writes []string
	for _, res := range p.Results {
		if res.WritesPerOp != nil {
			writes = append(writes, res.Contender+" "+perThousand(res.WritesPerOp.Median))
		}
	}
	if len(writes) > 0 {
		fmt.Fprintln(w, hanging("  (", fmt.Sprintf("the server's write calls per 1,000 %s: %s)", p.Unit, strings.Join(writes, ", "))))
	}
	// totals lists each contender whose rounds add up to more than 0 of
	// what count picks: "netbook 3, reference 1".
	totals := func(count func(Round) int64) []string {
		var out []string
		for _, res := range p.Results {
			n := int64(0)
			for _, rd := range res.Rounds {
				n += count(rd)
			}
			if n > 0 {
				out = append(out, fmt.Sprintf("%s %d", res.Contender, n))
			}
		}
		return out
	}
	if lost := totals(func(rd Round) int64 { return rd.Lost }); len(lost) > 0 {
		fmt.Fprintln(w, hanging("  (", fmt.Sprintf("%s that never completed, over all rounds: %s)", p.Unit, strings.Join(lost, ", "))))
	}
	cut := totals(func(rd Round) int64 { return rd.Cut })
	if len(cut) > 0 {
		fmt.Fprintln(w, hanging("  (", fmt.Sprintf("%s still under way when a round's time was up, cut short and not counted, over all rounds: %s; a longer --duration lets them finish)",
			p.Unit, strings.Join(cut, ", "))))
	}
	if stalled := totals(func(rd Round) int64 { return rd.Stalled }); len(stalled) > 0 {
		fmt.Fprintln(w, hanging("  (", fmt.Sprintf("%s stalled: no progress for %s or more when a round's time was up (the server had stopped acknowledging or answering them), not counted, over all rounds: %s)",
			p.Unit, p.stalledFor(), strings.Join(stalled, ", "))))
	}
}

// stalledFor is the shortest time without progress of any round's
// stalled operations, in words.
func (p Phase) stalledFor() string {
	least := 0.0
	for _, res := range p.Results {
		for _, rd := range res.Rounds {
			if rd.Stalled > 0 && (least == 0 || rd.StalledSeconds < least) {
				least = rd.StalledSeconds
			}
		}
	}
	return roundStall(time.Duration(least * float64(time.Second))).String()
}

// notIn is the contenders with no figures in phase p: each failed in it,
// or in a workload before it, and the report says why at its end.
func (r *Report) notIn(p Phase) []string {
	var names []string
	for _, c := range r.Contenders {
		if !slices.ContainsFunc(p.Results, func(res Result) bool { return res.Contender == c.Name }) {
			names = append(names, c.Name)
		}
	}
	return names
}

// textWidth is the widest line of the text report: it reads on an
// 80-column terminal.
const textWidth = 79

// columnGroups splits a table's columns, of widths colWidth after a first
// column of width first, into groups that each make a table no wider than
// textWidth; a column wider than that on its own is a group of its own.
func columnGroups(first int, colWidth []int) [][]int {
	var groups [][]int
	var cur []int
	w := first
	for i, cw := range colWidth {
		if len(cur) > 0 && w+2+cw > textWidth {
			groups = append(groups, cur)
			cur, w = nil, first
		}
		cur = append(cur, i)
		w += 2 + cw
	}
	return append(groups, cur)
}

// hanging writes text after prefix, wrapped to textWidth, its continuation
// lines indented as far as the prefix reaches.
func hanging(prefix, text string) string {
	indent := strings.Repeat(" ", style.Cols(prefix))
	lines := strings.Split(style.Wrap(text, max(20, textWidth-len(indent))), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = indent + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// singular turns a unit into one of it: requests, request; deliveries,
// delivery.
func singular(unit string) string {
	if s, ok := strings.CutSuffix(unit, "ies"); ok {
		return s + "y"
	}
	return strings.TrimSuffix(unit, "s")
}

// perThousand writes a count per operation per thousand operations: 1000,
// 12, 0.5.
func perThousand(v float64) string {
	v *= 1000
	if v >= 10 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 2, 64)
}

// bytesize writes 9.8 KB, 1.2 MB (powers of 1024, as ps and top count).
func bytesize(b float64) string {
	switch {
	case math.IsNaN(b):
		return "–"
	case b >= 1<<20:
		return strconv.FormatFloat(b/(1<<20), 'g', 3, 64) + " MB"
	case b >= 1<<10:
		return strconv.FormatFloat(b/(1<<10), 'g', 3, 64) + " KB"
	}
	return strconv.FormatFloat(b, 'f', 0, 64) + " B"
}

// ratioOf formats one ratio of r, or "" for the reference.
func ratioOf(r *Ratios, f func(*Ratios) Spread) string {
	if r == nil {
		return ""
	}
	s := f(r)
	if s.N == 0 {
		return "–"
	}
	if s.N == 1 {
		return ratio(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", ratio(s.Median), trimRatio(s.Min), trimRatio(s.Max))
}

func cell(value, ratio string) string {
	if ratio == "" {
		return value
	}
	return value + " " + ratio
}

func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-len([]rune(s))))
}

// ratio writes 0.97×, 12×.
func ratio(v float64) string { return trimRatio(v) + "×" }

func trimRatio(v float64) string {
	if math.IsNaN(v) {
		return "?"
	}
	// The form is chosen by the value as it is shown, so that 0.0996
	// reads 0.10 as 0.101 does (not 0.1), and 9.996 reads 10 (not 10.00).
	if g := strconv.FormatFloat(v, 'g', 2, 64); shownAs(g) < 0.1 {
		return g
	}
	if f := strconv.FormatFloat(v, 'f', 2, 64); shownAs(f) < 10 {
		return f
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// shownAs is the value a number formatted by strconv stands for.
func shownAs(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// duration writes seconds as 0.31µs, 9.8ms, 1.2s.
func duration(sec float64) string {
	if math.IsNaN(sec) {
		return "–"
	}
	d := time.Duration(sec * float64(time.Second))
	unit, div := "s", float64(time.Second)
	switch {
	case d < time.Microsecond:
		unit, div = "ns", 1
	case d < time.Millisecond:
		unit, div = "µs", float64(time.Microsecond)
	case d < time.Second:
		unit, div = "ms", float64(time.Millisecond)
	}
	v := sec * float64(time.Second) / div
	return strconv.FormatFloat(v, 'g', 3, 64) + unit
}

// writeChart draws each phase's latency percentiles on one logarithmic
// axis shared by every phase: ● is p50, ╋ p99 and ┫ p99.9, with a line
// from p50 to p99.9; a longer line, or one further right, is a slower
// server.
func (r *Report) writeChart(w io.Writer, width int) {
	sc, ok := r.latencyScale()
	if !ok {
		return
	}
	// The chart takes what the names and the figures after it leave of
	// textWidth.
	labels := 0
	for _, p := range r.Phases {
		for _, res := range p.Results {
			if p50, p99, p999, ok := res.charted(); ok {
				labels = max(labels, len(chartLabel(p50, p99, p999)))
			}
		}
	}
	cols := max(24, textWidth-(2+width+2+2+labels))
	pos := func(v float64) int {
		return min(cols-1, max(0, int(math.Round(sc.at(v)*float64(cols-1)))))
	}
	fmt.Fprintln(w, "Latency percentiles (● p50, ╋ p99, ┫ p99.9; log scale):")
	axis := []rune(strings.Repeat(" ", cols+12))
	for _, t := range sc.ticks() {
		copy(axis[pos(t):], []rune(duration(t)))
	}
	fmt.Fprintf(w, "  %-*s  %s\n", width, "", strings.TrimRight(string(axis), " "))
	for _, p := range r.Phases {
		fmt.Fprintf(w, "  %s\n", p.Name)
		for _, res := range p.Results {
			p50, p99, p999, ok := res.charted()
			if !ok {
				fmt.Fprintf(w, "  %-*s  –\n", width, res.Contender)
				continue
			}
			line := []rune(strings.Repeat("·", cols))
			a, b, c := pos(p50), pos(p99), pos(p999)
			for i := a; i <= c; i++ {
				line[i] = '━'
			}
			for i := c + 1; i < cols; i++ {
				line[i] = ' '
			}
			line[c] = '┫'
			line[b] = '╋'
			line[a] = '●'
			fmt.Fprintf(w, "  %-*s  %s  %s\n", width, res.Contender, string(line), chartLabel(p50, p99, p999))
		}
		for _, name := range r.notIn(p) {
			fmt.Fprintf(w, "  %-*s  could not be measured\n", width, name)
		}
	}
}

// chartLabel is the figures at the end of a chart's line.
func chartLabel(p50, p99, p999 float64) string {
	return duration(p50) + ", " + duration(p99) + ", " + duration(p999)
}

// logScale maps latencies onto [0, 1] on a logarithmic axis from one
// power of ten to another; both charts (text and SVG) use it.
type logScale struct{ from, to float64 } // powers of ten

// latencyScale is the axis shared by every phase of r: from the power of
// ten below its fastest percentile to the one above its slowest. ok is
// false when no round measured a latency.
func (r *Report) latencyScale() (sc logScale, ok bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range r.Phases {
		for _, res := range p.Results {
			for _, l := range res.Latency {
				if v := l.Seconds.Median; !math.IsNaN(v) && v > 0 {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
		}
	}
	if math.IsInf(lo, 0) {
		return logScale{}, false
	}
	sc = logScale{math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))}
	if sc.to <= sc.from {
		sc.to = sc.from + 1
	}
	return sc, true
}

// at is where latency v (seconds) falls on the axis, from 0 to 1.
func (sc logScale) at(v float64) float64 {
	return min(1, max(0, (math.Log10(v)-sc.from)/(sc.to-sc.from)))
}

// ticks are the powers of ten the axis spans, in seconds.
func (sc logScale) ticks() []float64 {
	var t []float64
	for e := sc.from; e <= sc.to; e++ {
		t = append(t, math.Pow(10, e))
	}
	return t
}

// charted returns the percentiles a chart draws (p50, p99, p99.9); ok is
// false when a round did not measure them.
func (res Result) charted() (p50, p99, p999 float64, ok bool) {
	if len(res.Latency) < 4 {
		return 0, 0, 0, false
	}
	p50, p99, p999 = res.Latency[0].Seconds.Median, res.Latency[2].Seconds.Median, res.Latency[3].Seconds.Median
	ok = !math.IsNaN(p50) && !math.IsNaN(p99) && !math.IsNaN(p999) && p50 > 0
	return p50, p99, p999, ok
}
