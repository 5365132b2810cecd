package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/netbook/netbook/runner/bench"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

var benchCmd = &Command{
	Name:    "bench",
	Args:    "LAB",
	Summary: "measure your server against the reference (and the articles' designs) under load, side by side",
	Example: "go run ./cmd/netbook bench 10                 # your chat room, the reference, a thread-per-client room in Go and in Python\n" +
		"go run ./cmd/netbook bench 03 --duration 20s\n" +
		"go run ./cmd/netbook bench 10 --ref           # the reference against itself: every ratio should be near 1\n" +
		"go run ./cmd/netbook bench 10 --idle 10000  # ten thousand idle clients: the time their logins take, the memory each costs\n" +
		"go run ./cmd/netbook bench 10 --json",
	New: func() Runner { return &benchLab{} },
}

type benchLab struct {
	o      bench.Options
	idle   bool    // --idle was given
	rate   float64 // --rate, which o gets only when it was given
	asJSON bool
	svg    string
	fs     *flag.FlagSet // to tell the flags given from the defaults
}

func (b *benchLab) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&b.asJSON, "json", false, "print the figures as JSON")
	fs.StringVar(&b.svg, "svg", "", "also draw the latency chart as an SVG image into `FILE`")
	fs.DurationVar(&b.o.Duration, "duration", bench.DefaultDuration, "how long the measurements take in all (building and logging in come on top)")
	fs.IntVar(&b.o.Rounds, "rounds", bench.DefaultRounds, "how many times each server runs each workload, taking turns")
	b.fs = fs
	fs.Float64Var(&b.rate, "rate", bench.DefaultRate, "chat labs: the paced phase's deliveries per second (not with --idle)")
	fs.BoolVar(&b.o.Ref, "ref", false, "measure the reference in place of your code (the ratios should all be near 1)")
	fs.BoolVar(&b.o.NoBaselines, "no-baselines", false, "measure only your server and the reference")
	fs.BoolVar(&b.o.NoDelay, "nodelay", false, "chat labs: set TCP_NODELAY in the Python room, as Go does, instead of Nagle's algorithm (not with --idle or --no-baselines)")
	fs.Func("clients", fmt.Sprintf("the numbers of clients to measure with, each 1 to %d (2 or more for a chat room), such as 10,500 (default: the lab's)", bench.MaxClients), func(v string) error {
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			switch {
			case strings.TrimSpace(f) == "":
				return errors.New("a number is missing: write them between commas, such as 10,500")
			case err != nil:
				return fmt.Errorf("%q is not a number", f)
			}
			b.o.Clients = append(b.o.Clients, n)
		}
		return nil
	})
	// Not an IntVar: its default, 0, means "not idle", so that a typed 0
	// would run the usual workloads without a word.
	fs.Func("idle", fmt.Sprintf("chat labs: instead, log `N` clients in one after another (1 to %d) and leave them idle: how long that takes, and the server's memory per client", bench.MaxIdle), func(v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
		b.o.Idle, b.idle = n, true
		return nil
	})
}

func (b *benchLab) Run(ctx context.Context, e *env, args []string) error {
	l, err := e.namedLab(e.labArgs("bench", args, false), "server lab")
	if err != nil {
		return err
	}
	// The flags' defaults are the real ones, so a value that bench.Run
	// would take for "the default" was typed: say so rather than run for
	// the default's time.
	switch {
	case b.o.Duration <= 0:
		return fmt.Errorf("%w: --duration %v: want a positive time, such as 10s", errUsage, b.o.Duration)
	case b.o.Rounds < 1:
		return fmt.Errorf("%w: --rounds %d: want 1 or more", errUsage, b.o.Rounds)
	case !(b.rate > 0):
		return fmt.Errorf("%w: --rate %v: want a positive number of deliveries per second", errUsage, b.rate)
	case b.idle && (b.o.Idle < 1 || b.o.Idle > bench.MaxIdle):
		return fmt.Errorf("%w: --idle %d: want a number of clients, 1 to %d", errUsage, b.o.Idle, bench.MaxIdle)
	case b.idle && len(b.o.Clients) > 0:
		return fmt.Errorf("%w: --clients and --idle do not go together: --idle %d is the number of clients", errUsage, b.o.Idle)
	}
	for i, n := range b.o.Clients {
		switch {
		case n < 1 || n > bench.MaxClients:
			return fmt.Errorf("%w: --clients %d: want 1 to %d clients", errUsage, n, bench.MaxClients)
		case slices.Contains(b.o.Clients[:i], n):
			return fmt.Errorf("%w: --clients: %d is there twice; name each number once", errUsage, n)
		}
	}
	if b.given("rate") {
		b.o.Rate = b.rate
	}
	if err := bench.CheckFlags(l, b.o); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if b.svg != "" {
		// Before the run, not after it: a name that cannot be written
		// would otherwise cost the whole run.
		if fi, err := os.Stat(filepath.Dir(b.svg)); err != nil || !fi.IsDir() {
			return fmt.Errorf("%w: --svg %s: there is no folder %s to write it in", errUsage, b.svg, filepath.Dir(b.svg))
		}
	}
	if !b.o.Ref {
		e.warnNotPassing(ctx, l)
	}
	o := b.o
	o.Progress, o.Cmd = e.stderr, e.cmd()
	rep, err := bench.Run(ctx, e.root, l, o)
	if err != nil {
		return err
	}
	// A run that measured nothing keeps nothing: the last report kept (the
	// web book's chart) stays. So does a run of the reference in the
	// student's place, whose "you" is not the student's server.
	measured := len(rep.Phases) > 0
	switch {
	case measured && b.o.Ref:
		fmt.Fprintln(e.stderr, "With --ref the report is not kept: the web book's chart stays your server's.")
	case measured:
		if path, err := bench.Save(e.root, rep); err != nil {
			printError(e.stderr, "netbook bench", "could not keep the report: "+err.Error())
		} else {
			fmt.Fprintf(e.stderr, "The report is kept in %s.\n", e.root.Rel(path))
		}
	}
	if b.asJSON {
		if err := rep.WriteJSON(e.stdout); err != nil {
			return err
		}
	} else {
		rep.WriteText(e.stdout)
	}
	// After the report: when the image cannot be written, the figures
	// are still shown.
	if b.svg != "" && measured {
		if err := writeSVG(b.svg, rep); err != nil {
			return fmt.Errorf("--svg: %w", err)
		}
	}
	if !rep.Measured(bench.You) {
		return exitError(1) // the report says why
	}
	return nil
}

// given reports whether the flag name was on the command line.
func (b *benchLab) given(name string) bool {
	found := false
	if b.fs != nil {
		b.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	}
	return found
}

// warnNotPassing says so on stderr when the last check of the student's
// lab l, on its files as they are, did not pass every task: a server that
// is not right yet can measure well for the wrong reasons (a room that
// sends each message back to its sender, one that drops some). A lab
// changed since its last check goes unremarked: bench does not run tests.
func (e *env) warnNotPassing(ctx context.Context, l *labs.Lab) {
	w, err := e.workbook(ctx, false)
	if err != nil {
		return
	}
	p, err := w.Find(l.Name)
	if err != nil || p == nil || !p.Known || p.Status == workbook.Done || p.Passed == 0 {
		return // the skeleton fails at once, and bench says why
	}
	fmt.Fprintf(e.stderr, "%s\n", style.Wrap(fmt.Sprintf("Note: labs/%s passed %d of %d tasks when last checked; a server that is not right yet can measure well for the wrong reasons. %s check %02d says what is missing.",
		l.Name, p.Passed, p.Total, e.cmd(), l.Number), 80))
}

func writeSVG(path string, rep *bench.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.WriteSVG(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
