package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
)

// Options tune Run.
type Options struct {
	// Duration is how long the measurements take in all, shared out
	// among every workload, contender and round (DefaultDuration when
	// zero). Building and logging clients in come on top.
	Duration time.Duration
	// Rounds is how many times each contender runs each workload, taking
	// turns (DefaultRounds when zero).
	Rounds int
	// Rate is the paced phase's deliveries per second in a chat lab
	// (DefaultRate when zero; anything else is refused where it would do
	// nothing, see CheckFlags).
	Rate float64
	// Clients, when not empty, replaces the lab's numbers of clients (1, 10
	// and 100; 10, 100 and 500 for the chat rooms).
	Clients []int
	// Ref measures the reference in the student's place: a check of the
	// benchmark itself, whose ratios should all be near 1.
	Ref bool
	// NoBaselines leaves out everything but the student's server and the
	// reference.
	NoBaselines bool
	// NoDelay runs the Python room with TCP_NODELAY, as Go sets it on every
	// TCP connection, instead of the default Nagle's algorithm. It changes
	// that baseline and nothing else.
	NoDelay bool
	// Idle, in a chat lab, replaces the workloads with one: Idle clients
	// logged in one after another and left idle, to measure how long the
	// logins take and the server's memory per idle client (the student's
	// server and the reference only).
	Idle int
	// Progress, if not nil, gets a line as each stage begins.
	Progress io.Writer
	// Cmd is how to invoke netbook in the commands a message suggests.
	Cmd string
}

// MaxClients bounds Options.Clients.
const MaxClients = 2000

// Defaults for Options.
const (
	DefaultDuration = 30 * time.Second
	DefaultRounds   = 3
)

// Run measures lab l: it builds the student's server, the reference and
// the lab's baselines, then runs every workload on each of them in turn,
// o.Rounds times, each time in a different order, and returns what it
// measured. A contender that fails (it does not build, start or answer)
// is reported and left out of the rest of the run; Run fails when the
// reference does, and, before anything else is built, when the student's
// server does not build (a comparison without it is no use to them).
// Before anything else is built, too (but a load program, which the check
// may need), the student's server is started and answers a first client
// (the workload's check): when it fails there, or in its first
// measurement (it runs first), the run stops with a report of that
// failure alone.
func Run(ctx context.Context, r repo.Root, l *labs.Lab, o Options) (*Report, error) {
	if err := CheckFlags(l, o); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	for _, n := range o.Clients {
		if n < 1 || n > MaxClients {
			return nil, fmt.Errorf("clients: %d, want 1 to %d", n, MaxClients)
		}
	}
	if o.Idle > 0 && len(o.Clients) > 0 {
		return nil, fmt.Errorf("--clients and --idle do not go together: --idle %d is the number of clients", o.Idle)
	}
	su, err := suiteFor(l, o.Rate, o.Clients)
	if err != nil {
		return nil, err
	}
	if o.Idle > 0 {
		if !su.python {
			return nil, fmt.Errorf("--idle is for the chat labs (09, 10): lab %s has no logins", l.Name)
		}
		if o.Idle > MaxIdle {
			return nil, fmt.Errorf("--idle %d: netbook bench opens at most %d clients", o.Idle, MaxIdle)
		}
		su = &suite{workloads: []Workload{idleWorkload(o.Idle)}}
	}
	if limit, ok := openFilesLimit(); ok {
		if err := checkOpenFiles(su.workloads, limit); err != nil {
			return nil, err
		}
	}
	progress := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, format+"\n", args...)
		}
	}
	limits := serverLimits(o)
	rep := &Report{Lab: l.Name, CPUs: runtime.NumCPU(), Rounds: o.Rounds, Duration: o.Duration.Seconds(), LoadBefore: loadAverage()}

	var cs []*Contender
	defer func() {
		for _, c := range cs {
			c.cleanup()
		}
	}()
	// buildLoad builds the suite's load program, if it has one, once.
	buildLoad := func() error {
		if su.driverSrc == nil || su.driver != nil {
			return nil
		}
		progress("building the load program (the lab's package with the reference's files)...")
		d, err := buildDriver(ctx, r, l, su.driverSrc)
		if ctx.Err() != nil {
			return ctx.Err() // interrupted: the build was stopped, nothing failed
		}
		if err != nil {
			return err
		}
		su.driver = d
		return nil
	}
	defer func() {
		if su.driver != nil {
			su.driver.remove()
		}
	}()
	add := func(c *Contender, err error, name string) {
		if err != nil {
			rep.Failed = append(rep.Failed, Failure{Contender: name, Error: err.Error()})
			return
		}
		cs = append(cs, c)
	}
	// youFailed reports the student's server failing workload w before
	// any of it was measured, and ends the run there: the others' figures
	// would only keep the student waiting for a comparison without them.
	youFailed := func(w Workload, err error, since time.Time) *Report {
		msg := err.Error() + fmt.Sprintf("\nDoes your server pass the lab's tests? %s check %02d says what is missing.", o.Cmd, l.Number)
		rep.Failed = append(rep.Failed, Failure{Contender: You, Workload: w.Name, Error: msg})
		rep.Notes = append(rep.Notes, "The reference and the baselines were not run: there is nothing to compare them with yet.")
		rep.Seconds = time.Since(since).Seconds()
		rep.LoadAfter = loadAverage()
		return rep
	}
	if o.Ref {
		progress("building the reference solution of lab %s, twice: it stands in for yours (--ref)...", l.Name)
		c, err := labContender(ctx, r, l, You, true, "the reference, in your place (--ref)", limits)
		add(c, err, You)
	} else {
		progress("building your server (labs/%s)...", l.Name)
		c, err := labContender(ctx, r, l, You, false, "your server, labs/"+l.Name, limits)
		if err != nil {
			return nil, err // it says which file and line, and what to do
		}
		add(c, nil, You)
		// Before anything else is built: a server that does not start or
		// answer (the skeleton's Serve returns at once) fails now, not
		// after the reference's and the baselines' builds. Only a load
		// program comes first, since the check speaks through it (lab
		// 11's skeleton listens, and only a first stream shows that it
		// answers nothing).
		if err := buildLoad(); err != nil {
			return nil, err
		}
		w, since := su.workloads[0], time.Now()
		if w.check != nil {
			progress("checking that your server starts and answers a first client...")
		} else {
			progress("checking that your server starts...")
		}
		if err := checkStart(ctx, c, w); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rep.Contenders = []ContenderInfo{{Name: c.Name, About: c.About}}
			return youFailed(w, err, since), nil
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	progress("building the reference (solutions/%s)...", l.Name)
	ref, err := labContender(ctx, r, l, Reference, true, "the reference solution, solutions/"+l.Name, limits)
	if err != nil {
		return nil, fmt.Errorf("the reference does not build: %w", err)
	}
	cs = append(cs, ref)
	if !o.NoBaselines {
		for _, b := range su.baselines {
			progress("building the baseline %s...", b.name)
			c, err := baselineContender(ctx, r, b.name, b.server, b.about)
			add(c, err, b.name)
		}
		if su.python {
			about, args := "the articles' room in Python: a thread per client, sendall to each member under a lock", []string(nil)
			if o.NoDelay {
				about, args = about+"; TCP_NODELAY set (--nodelay)", []string{"--nodelay"}
			}
			c, err := pythonContender("python", about, args...)
			if errors.Is(err, errNoPython) {
				rep.Notes = append(rep.Notes, err.Error())
			} else {
				add(c, err, "python")
			}
		}
	}
	if err := buildLoad(); err != nil {
		return nil, err
	}
	for _, c := range cs {
		rep.Contenders = append(rep.Contenders, ContenderInfo{Name: c.Name, About: c.About})
	}

	// One unit is one contender running one workload once.
	units := o.Rounds * len(su.workloads) * len(cs)
	budget := o.Duration / time.Duration(max(units, 1))
	results := map[string]map[string][]*Measurement{} // phase -> contender -> per round
	for _, w := range su.workloads {
		for _, p := range w.Phases {
			results[p] = map[string][]*Measurement{}
			for _, c := range cs {
				results[p][c.Name] = make([]*Measurement, o.Rounds)
			}
		}
	}
	failed := map[string]bool{}
	measured := map[string]bool{}
	start := time.Now()
	for round := range o.Rounds {
		for wi, w := range su.workloads {
			// Take turns, starting with a different contender each time,
			// so that none always runs first or right after the same one.
			k := (round + wi) % len(cs)
			order := append(cs[k:len(cs):len(cs)], cs[:k]...)
			for _, c := range order {
				if failed[c.Name] {
					continue
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				progress("round %d of %d, %s: %s", round+1, o.Rounds, w.Name, c.Name)
				ms, err := runUnit(ctx, c, w, budget)
				if ctx.Err() != nil {
					// Interrupted: whatever failed was stopped, not wrong.
					return nil, ctx.Err()
				}
				for i, m := range ms {
					results[w.Phases[i]][c.Name][round] = &m
				}
				if err == nil {
					measured[c.Name] = true
				}
				if err != nil {
					if c.Name == Reference {
						return nil, fmt.Errorf("the reference failed (a bug in the book or in netbook bench), %s: %w", w.Name, err)
					}
					failed[c.Name] = true
					if c.Name == You && !o.Ref && !measured[You] {
						// The student's server runs first, and failed
						// there although it passed the start check.
						return youFailed(w, err, start), nil
					}
					msg := err.Error()
					if c.Name == You && !o.Ref {
						msg += fmt.Sprintf("\nDoes your server pass the lab's tests? %s check %02d says what is missing.", o.Cmd, l.Number)
					}
					rep.Failed = append(rep.Failed, Failure{Contender: c.Name, Workload: w.Name, Error: msg})
				}
			}
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	rep.LoadAfter = loadAverage()
	for _, w := range su.workloads {
		for _, p := range w.Phases {
			rep.Phases = append(rep.Phases, summarise(p, w.Unit, cs, results[p]))
		}
	}
	if n := writesNote(rep.Phases); n != "" {
		rep.Notes = append(rep.Notes, n)
	}
	return rep, nil
}

// CheckFlags refuses options that would do nothing on lab l, before
// anything is built, rather than ignore them without a word: a Rate (one
// not zero) or NoDelay where there is no chat workload (a lab that is not
// a chat room, or with Idle), and NoDelay without the baselines, the only
// servers it changes. A lab bench has no workload for passes: Run says
// so.
func CheckFlags(l *labs.Lab, o Options) error {
	su, err := suiteFor(l, DefaultRate, nil)
	if err != nil {
		return nil
	}
	chat := su.python
	switch {
	case o.Rate != 0 && !chat:
		return fmt.Errorf("--rate paces the deliveries of the chat labs (09, 10): lab %s has no deliveries to pace; leave it out", l.Name)
	case o.Rate != 0 && o.Idle > 0:
		return fmt.Errorf("--rate does nothing with --idle: idle clients send no messages; leave one of them out")
	case o.NoDelay && !chat:
		return fmt.Errorf("--nodelay sets TCP_NODELAY in the Python room of the chat labs (09, 10): lab %s has no Python room; leave it out", l.Name)
	case o.NoDelay && o.Idle > 0:
		return fmt.Errorf("--nodelay does nothing with --idle: --idle measures your server and the reference only, not the Python room; leave one of them out")
	case o.NoDelay && o.NoBaselines:
		return fmt.Errorf("--nodelay does nothing with --no-baselines: it changes only the Python room, a baseline; leave one of them out")
	}
	return nil
}

// openFilesMargin is the files netbook and a server keep open besides
// their clients' connections: standard streams, pipes, the poller, the
// listener, a log.
const openFilesMargin = 64

// checkOpenFiles says so, before anything is built, when the workloads
// hold more connections open at once than a process may have files open
// (limit): the run would stop with "too many open files" in the middle,
// and seem to say that the server (the reference, even) is at fault.
func checkOpenFiles(ws []Workload, limit uint64) error {
	most := 0
	for _, w := range ws {
		most = max(most, w.clients)
	}
	if need := uint64(most + openFilesMargin); need > limit {
		return fmt.Errorf("%d clients need about %d open files, in netbook and in the server alike, and a process may open %d here (the hard limit, ulimit -Hn): "+
			"measure with fewer clients (--clients, --idle), or raise that limit", most, need, limit)
	}
	return nil
}

// manyWrites is how many times the reference's write calls per operation
// a student's server must make before the report remarks on it.
const manyWrites = 3

// writesNote says so when the student's server made many more write calls
// per operation than the reference, in the phase where the gap is widest:
// each is a system call, and on loopback it costs the server microseconds.
func writesNote(phases []Phase) string {
	var worst *Phase
	you, ref, gap := 0.0, 0.0, 0.0
	for i, p := range phases {
		y, r := writesOf(p, You), writesOf(p, Reference)
		if y >= manyWrites*r && r > 0 && y/r > gap {
			worst, you, ref, gap = &phases[i], y, r, y/r
		}
	}
	if worst == nil {
		return ""
	}
	note := fmt.Sprintf("your server made %s write calls per 1,000 %s (%s), the reference %s. Each write is a system call, and the server pays for it in CPU whatever it carries.",
		perThousand(you), worst.Unit, worst.Name, perThousand(ref))
	if worst.Unit == "deliveries" {
		note += ` Chapter 10, "Batching: one Write for everything waiting", shows how one write carries every message queued for a client.`
	}
	return note
}

// writesOf is contender c's median write calls per operation in p, or 0.
func writesOf(p Phase, c string) float64 {
	for _, res := range p.Results {
		if res.Contender == c && res.WritesPerOp != nil {
			return res.WritesPerOp.Median
		}
	}
	return 0
}

func (o Options) withDefaults() Options {
	if o.Duration <= 0 {
		o.Duration = DefaultDuration
	}
	if o.Rounds <= 0 {
		o.Rounds = DefaultRounds
	}
	if o.Rate <= 0 {
		o.Rate = DefaultRate
	}
	return o
}

// runUnit starts c afresh, runs w on it, and stops it.
func runUnit(ctx context.Context, c *Contender, w Workload, budget time.Duration) ([]Measurement, error) {
	s, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	defer s.kill()
	ms, err := w.run(ctx, s, budget)
	if err == nil && s.stopped(0) {
		// A load generator that counts what went missing (lost datagrams,
		// streams without an answer) may finish without an error when the
		// server died under it: its figures are not the server's.
		ms, err = nil, errors.New("the server did not last to the end of the measurement")
	}
	return ms, whyStopped(s, err)
}

// checkStart starts c, makes w's first exchange with it (w.check, when
// the workload has one), and stops it: the start check, which fails as
// the first measurement of a server that does not start or answer would.
func checkStart(ctx context.Context, c *Contender, w Workload) error {
	s, err := c.start(ctx)
	if err != nil {
		return err
	}
	defer s.kill()
	if w.check == nil {
		return nil
	}
	// Interrupted, a check that waits for an answer ends with the server.
	defer context.AfterFunc(ctx, s.kill)()
	return whyStopped(s, w.check(ctx, s))
}

// whyStopped adds to err, when the server has stopped by itself, which
// limit stopped it, or how it ended and the end of what it printed; when
// it still runs, whether it was near its memory limit (see nearMemoryLimit).
func whyStopped(s *Server, err error) error {
	if err == nil {
		return nil
	}
	if !s.stopped(exitWait) {
		if near := nearMemoryLimit(s); near != "" {
			return fmt.Errorf("%w; %s", err, near)
		}
		return err
	}
	if s.why != nil {
		if why := s.why(); why != "" {
			return fmt.Errorf("%w; %s", err, why)
		}
	}
	return fmt.Errorf("%w; %s, and the end of what it printed is:\n%s", err, howItStopped(s), indent(lastLines(s.output(), 15), "  "))
}

// nearMemoryLimit says, in words, that a server which failed a
// measurement without stopping is near its memory limit, and what to look
// for; "" when it is not, or when that cannot be told (no limit, no
// /proc). Near is three quarters of the limit or more, in what the limit
// counts (private memory mapped, VmData) or in the most it has held
// resident (VmHWM). Such a server is not stopped by the limit: the Go
// runtime, held to nine tenths of it (GOMEMLIMIT), collects garbage all
// the time and serves little, or an allocation it cannot make waits, so
// its clients time out instead.
func nearMemoryLimit(s *Server) string {
	if s.memory <= 0 {
		return ""
	}
	data, err1 := ProcessData(s.Pid)
	peak, err2 := ProcessPeakRSS(s.Pid)
	if err1 != nil || err2 != nil {
		return ""
	}
	held := max(data, peak)
	if held < s.memory/4*3 {
		return ""
	}
	who := s.who
	if who == "" {
		who = "the server"
	}
	return fmt.Sprintf("%s was near its memory limit: it held %d MiB of its %d MiB. "+
		"So near, a Go program spends its time collecting garbage and answers late or not at all. "+
		"Look for a queue that grows without bound: messages kept for a client that reads slower than the others talk, "+
		"or a map or slice that gains an entry for every message or client and never loses one",
		who, held>>20, s.memory>>20)
}

// serverLimits are the limits of the servers netbook builds (the
// student's, the reference): the memory of labrun.ServerMemory (and
// idleMemory more per idle client), and CPU time for every CPU of the
// machine busy for as long as one measurement may last (the whole run's
// duration, and the logins, the drains and the collections on top; an
// idle workload's logins may take idleLoginLimit), so that only a server
// gone wrong meets it. Open files: as many as the most clients bench
// opens need (no more than the hard limit netbook has: the shim lowers a
// limit, never raises it).
func serverLimits(o Options) sandbox.Limits {
	slack := 2 * time.Minute
	if o.Idle > 0 {
		slack += idleLoginLimit + 2*collectLimit
	}
	cpu := time.Duration(runtime.NumCPU()) * (o.Duration + slack)
	l := labrun.ServerLimits(cpu, MaxIdle+openFilesMargin)
	l.Memory += int64(o.Idle) * idleMemory
	return l
}

// idleMemory is the memory a server may use per idle client on top of
// labrun.ServerMemory. The limit counts every private mapping, the
// threads' 8 MiB stacks included (20 threads, 160 MiB, in the reference
// of lab 10 with 10,000 idle clients, whose data came to 425 MiB in all:
// 512 MiB alone would stop it at 20,000, or its collector, held to nine
// tenths of the limit, would skew its figures first).
const idleMemory = 64 << 10

// howItStopped says how a server that stopped by itself ended: its exit
// status, when it gave one (a panic's is 2, log.Fatal's 1, os.Exit(n)'s n).
func howItStopped(s *Server) string {
	if s.exit != nil {
		if code := s.exit(); code >= 0 {
			return fmt.Sprintf("the server had exited with status %d", code)
		}
	}
	return "the server had stopped"
}

// writesPerOp is each round's write system calls per operation, NaN where
// they were not counted.
func writesPerOp(ms []*Measurement) []float64 {
	var out []float64
	for _, m := range ms {
		v := math.NaN()
		if m != nil {
			v = m.WritesPerOp()
		}
		out = append(out, v)
	}
	return out
}

// summarise turns the rounds of one phase into its figures.
func summarise(name, unit string, cs []*Contender, rounds map[string][]*Measurement) Phase {
	p := Phase{Name: name, Unit: unit}
	figures := func(c string) (rate, cpu, mem []float64, lat [][]float64) {
		lat = make([][]float64, len(Percentiles))
		for _, m := range rounds[c] {
			if m == nil || m.MemPerClient <= 0 {
				mem = append(mem, math.NaN())
			} else {
				mem = append(mem, m.MemPerClient)
			}
			if m == nil {
				rate, cpu = append(rate, math.NaN()), append(cpu, math.NaN())
				for i := range lat {
					lat[i] = append(lat[i], math.NaN())
				}
				continue
			}
			rate, cpu = append(rate, m.Rate()), append(cpu, m.CPUPerOp())
			ps := percentiles(m.Latency, Percentiles)
			for i := range lat {
				v := math.NaN()
				if ps != nil {
					v = ps[i].Seconds()
				}
				lat[i] = append(lat[i], v)
			}
		}
		return rate, cpu, mem, lat
	}
	refRate, refCPU, refMem, refLat := figures(Reference)
	for _, c := range cs {
		if !slices.ContainsFunc(rounds[c.Name], func(m *Measurement) bool { return m != nil }) {
			continue // it failed from the start: the report says why
		}
		rate, cpu, mem, lat := figures(c.Name)
		r := Result{Contender: c.Name, Rate: spread(rate), CPUPerOp: spread(cpu)}
		if m := spread(mem); m.N > 0 {
			r.MemPerClient = &m
		}
		if w := spread(writesPerOp(rounds[c.Name])); w.N > 0 {
			r.WritesPerOp = &w
		}
		for i, p := range Percentiles {
			r.Latency = append(r.Latency, Percentile{P: p, Seconds: spread(lat[i])})
		}
		for _, m := range rounds[c.Name] {
			if m != nil {
				r.Rounds = append(r.Rounds, Round{Ops: m.Ops, Seconds: m.Elapsed.Seconds(), CPUSeconds: m.CPU.Seconds(),
					LoadCPUSeconds: m.LoadCPU.Seconds(), Writes: m.Writes, Lost: m.Lost, Cut: m.Cut,
					Stalled: m.Stalled, StalledSeconds: m.StalledFor.Seconds()})
			} else {
				r.Rounds = append(r.Rounds, Round{Missing: true})
			}
		}
		if c.Name != Reference {
			r.VsReference = &Ratios{Rate: spread(ratios(rate, refRate)), CPUPerOp: spread(ratios(cpu, refCPU))}
			if m := spread(ratios(mem, refMem)); m.N > 0 {
				r.VsReference.MemPerClient = &m
			}
			for i, p := range Percentiles {
				r.VsReference.Latency = append(r.VsReference.Latency, Percentile{P: p, Seconds: spread(ratios(lat[i], refLat[i]))})
			}
		}
		p.Results = append(p.Results, r)
	}
	return p
}

func indent(text, prefix string) string {
	return prefix + strings.ReplaceAll(text, "\n", "\n"+prefix)
}
