package netsim

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseProbability reads a probability written as a fraction ("0.1") or a
// percentage ("10%").
func ParseProbability(s string) (float64, error) {
	text, percent := strings.CutSuffix(strings.TrimSpace(s), "%")
	p, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a probability: write 0.1 or 10%%", s)
	}
	if percent {
		p /= 100
	}
	if err := checkProbability("the", p); err != nil {
		return 0, fmt.Errorf("%q is not between 0 and 1 (0%% and 100%%)", s)
	}
	return p, nil
}

// ParseDelay reads a delay with optional jitter: "20ms", "20ms±5ms", or
// "20ms+-5ms" for keyboards without ±. Each datagram or read then waits
// between 15ms and 25ms.
func ParseDelay(s string) (delay, jitter time.Duration, err error) {
	s = strings.TrimSpace(s)
	d, j, hasJitter := strings.Cut(s, "±")
	if !hasJitter {
		d, j, hasJitter = strings.Cut(s, "+-")
	}
	delay, err = time.ParseDuration(strings.TrimSpace(d))
	if err == nil && hasJitter {
		jitter, err = time.ParseDuration(strings.TrimSpace(j))
	}
	if err != nil || delay < 0 || jitter < 0 {
		return 0, 0, fmt.Errorf("%q is not a delay: write 20ms, or 20ms±5ms (or 20ms+-5ms) for jitter", s)
	}
	return delay, jitter, nil
}

// Flags is the command line of netbook proxy: Register adds the flags to a
// flag.FlagSet, and after parsing UDP or TCP turns them into options, so the
// command only wires.
type Flags struct {
	Drop, Duplicate, Reorder float64       // --drop, --dup, --reorder (UDP only)
	Delay, Jitter            time.Duration // --delay D±J
	Fragment                 int           // --fragment N (TCP only)
	Coalesce                 bool          // --coalesce (TCP only)
	Seed                     uint64        // --seed S
}

// Register defines --drop, --dup, --reorder, --delay, --fragment,
// --coalesce and --seed on fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	prob := func(p *float64) func(string) error {
		return func(s string) (err error) {
			*p, err = ParseProbability(s)
			return err
		}
	}
	fs.Func("drop", "UDP: lose this fraction of datagrams (0.1 or 10%)", prob(&f.Drop))
	fs.Func("dup", "UDP: deliver this fraction of datagrams twice", prob(&f.Duplicate))
	fs.Func("reorder", "UDP: hold back this fraction of datagrams until after the next one", prob(&f.Reorder))
	fs.Func("delay", "delay everything by D, or D±J with jitter (20ms, 20ms±5ms, 20ms+-5ms)", func(s string) (err error) {
		f.Delay, f.Jitter, err = ParseDelay(s)
		return err
	})
	fs.IntVar(&f.Fragment, "fragment", 0, "TCP: forward in writes of at most `N` bytes, a moment apart")
	fs.BoolVar(&f.Coalesce, "coalesce", false, "TCP: merge writes that come close together into one")
	fs.Uint64Var(&f.Seed, "seed", 0, "seed for the random decisions; the same seed repeats a run")
}

// UDP returns the UDP options the flags ask for, or an error naming a flag
// that only makes sense for TCP.
func (f *Flags) UDP() (UDPOptions, error) {
	if f.Fragment != 0 || f.Coalesce {
		return UDPOptions{}, errors.New("--fragment and --coalesce reshape a TCP byte stream; UDP keeps each datagram whole")
	}
	return UDPOptions{Drop: f.Drop, Duplicate: f.Duplicate, Reorder: f.Reorder,
		Delay: f.Delay, Jitter: f.Jitter, Seed: f.Seed}, nil
}

// TCP returns the TCP options the flags ask for, or an error naming a flag
// that only makes sense for UDP.
func (f *Flags) TCP() (TCPOptions, error) {
	if f.Drop != 0 || f.Duplicate != 0 || f.Reorder != 0 {
		return TCPOptions{}, errors.New("--drop, --dup and --reorder apply to UDP: TCP delivers every byte once and in order; try --fragment, --coalesce or --delay")
	}
	if f.Fragment < 0 {
		return TCPOptions{}, fmt.Errorf("--fragment %d: the size of a piece must be positive", f.Fragment)
	}
	return TCPOptions{Fragment: f.Fragment, Coalesce: f.Coalesce,
		Delay: f.Delay, Jitter: f.Jitter, Seed: f.Seed}, nil
}
