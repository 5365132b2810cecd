package bench

import (
	"context"
	"fmt"
	"math"
	"time"
)

// A Workload drives one running server for a while and measures it: one
// Measurement per phase (a chat workload logs its clients in once, then
// floods, then sends at a steady pace).
type Workload struct {
	Name string // "100 clients"
	// clients is how many connections (or sockets) the workload holds
	// open at once, in netbook and in the server alike.
	clients int
	// Phases names what run returns, in order: "100 clients, flooding".
	Phases []string
	// Unit is what one operation is: "requests", "deliveries".
	Unit string
	run  func(ctx context.Context, s *Server, budget time.Duration) ([]Measurement, error)
	// check is the workload's first exchange with a server that has just
	// started (one request, one connection, one login and one message
	// relayed, or announced, to a second client, lab 11's one stream
	// through the load program), failing as run would at its start: Run
	// makes it on the student's server before it builds anything else but
	// a load program. nil: the server is only started.
	check func(ctx context.Context, s *Server) error
}

// Measurement is what one phase of a workload measured on one server.
type Measurement struct {
	Ops     int64         // requests answered, messages delivered
	Elapsed time.Duration // from the first operation to the last
	// CPU is the server's CPU time over the phase, or -1 when it cannot be
	// read (no /proc). It counts in clock ticks of 10 ms: 0 is less than
	// one, too little to tell.
	CPU time.Duration
	// LoadCPU is the load generator's (netbook's) CPU time over the phase.
	LoadCPU time.Duration
	// Writes is how many write system calls the server made over the
	// phase, or -1 when they cannot be counted (no /proc, or a server that
	// sends with send(2) or sendto(2), which Linux does not count).
	Writes int64
	// Latency is a sample of how long operations took: a request's round
	// trip, a message's way from its sender to one receiver.
	Latency []time.Duration
	// MemPerClient is how much more memory (resident set) the server held
	// per client at the end than before the first, in bytes; 0 when the
	// workload does not measure it, -1 when it cannot be read.
	MemPerClient float64
	// Lost counts operations that never completed: UDP requests without
	// an answer, messages a disconnected client missed, streams that
	// failed.
	Lost int64
	// Cut counts operations still under way when the phase's time was up
	// and still moving (lab 11's streams, which a lost segment can hold up
	// for seconds of back-off): cut short by the duration, not lost; a
	// --duration too short for the machine leaves them.
	Cut int64
	// Stalled counts operations still under way when the phase's time was
	// up that the server had stopped moving on (lab 11's streams with no
	// new acknowledgement for longer than the transport's longest
	// retransmission timeout, 2 s, and a half second), and StalledFor is the
	// shortest time without progress among them: a server that stopped
	// answering, not a run too short.
	Stalled    int64
	StalledFor time.Duration
}

// Rate is operations per second.
func (m Measurement) Rate() float64 {
	if m.Elapsed <= 0 {
		return math.NaN()
	}
	return float64(m.Ops) / m.Elapsed.Seconds()
}

// CPUPerOp is the server's CPU time per operation, in seconds, or NaN
// when it is unknown: not read, or less than one clock tick in all (a slow
// server that made few operations), which is not 0.
func (m Measurement) CPUPerOp() float64 {
	if m.CPU <= 0 || m.Ops == 0 {
		return math.NaN()
	}
	return m.CPU.Seconds() / float64(m.Ops)
}

// WritesPerOp is how many write system calls the server made per
// operation, or NaN.
func (m Measurement) WritesPerOp() float64 {
	if m.Writes < 0 || m.Ops == 0 {
		return math.NaN()
	}
	return float64(m.Writes) / float64(m.Ops)
}

// cpuMeter reads the server's and the load generator's CPU time, and the
// server's write system calls, at the start of a phase and gives the
// differences at its end.
type cpuMeter struct {
	s             *Server
	server, own   time.Duration
	ok            bool
	writes        int64
	writesCounted bool
}

func startCPU(s *Server) *cpuMeter {
	m := &cpuMeter{s: s, own: selfCPU()}
	cpu, err := s.CPU()
	m.server, m.ok = cpu, err == nil
	writes, err := s.Writes()
	m.writes, m.writesCounted = writes, err == nil
	return m
}

// stop fills in m's CPU, LoadCPU and Writes. A phase without a single
// counted write sent nothing, or sent with calls Linux does not count:
// its Writes is unknown too.
func (c *cpuMeter) stop(m *Measurement) {
	m.LoadCPU = selfCPU() - c.own
	m.CPU = -1
	if c.ok {
		if cpu, err := c.s.CPU(); err == nil {
			m.CPU = cpu - c.server
		}
	}
	m.Writes = -1
	if c.writesCounted {
		if writes, err := c.s.Writes(); err == nil && writes > c.writes {
			m.Writes = writes - c.writes
		}
	}
}

// phaseError says which server failed how, for the report.
func phaseError(what string, err error) error {
	return fmt.Errorf("%s: %w", what, err)
}
