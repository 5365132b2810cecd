package bench

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
)

// A lab whose protocol is more than a netbook load generator should speak
// itself (lab 11's reliable stream over UDP) is driven by a program built
// from the lab's own package with the reference solution's files: the
// server under test, the student's or the reference, always meets a
// correct client.

//go:embed drivers/rstream.go.txt
var rstreamDriver []byte

// driver is a load program built for one lab.
type driver struct {
	exe       string
	dir       string
	removeDir func() // sandbox.TempDir's: swept if netbook is killed
}

// buildDriver compiles src as a main package inside the labs module, with
// lab l's reference solution in place of the student's files, the way
// labrun builds a lab (go build -overlay; nothing is written into the work
// tree).
func buildDriver(ctx context.Context, r repo.Root, l *labs.Lab, src []byte) (*driver, error) {
	dir, removeDir, err := sandbox.TempDir("netbook-bench-")
	if err != nil {
		return nil, err
	}
	d := &driver{exe: filepath.Join(dir, "load"), dir: dir, removeDir: removeDir}
	main := filepath.Join(dir, "main.go")
	if err := os.WriteFile(main, src, 0o644); err != nil {
		d.remove()
		return nil, err
	}
	pkg := filepath.Join(r.Labs(), "internal", "netbookbench", l.Name)
	replace := map[string]string{filepath.Join(pkg, "main.go"): main}
	sol, err := l.SolutionFiles()
	if err != nil {
		d.remove()
		return nil, err
	}
	maps.Copy(replace, sol)
	overlay, err := gotest.WriteOverlay(dir, replace)
	if err != nil {
		d.remove()
		return nil, err
	}
	rel, err := filepath.Rel(r.Dir, pkg)
	if err != nil {
		d.remove()
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-overlay", overlay, "-o", d.exe, "./"+filepath.ToSlash(rel))
	cmd.Dir = r.Dir
	sandbox.GoWorkIn(cmd, dir)
	sandbox.DieWithParent(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		d.remove()
		return nil, fmt.Errorf("building netbook bench's load program for lab %s with the reference: %v\n%s", l.Name, err, out)
	}
	return d, nil
}

func (d *driver) remove() { d.removeDir() }

// driverResult is what a driver prints: one line of JSON.
type driverResult struct {
	Ops       int64   `json:"ops"`
	Seconds   float64 `json:"seconds"`
	Latencies []int64 `json:"latencyNs"`
	Failed    int64   `json:"failed"`
	Cut       int64   `json:"cut"`
	Stalled   int64   `json:"stalled"`
	StalledNs int64   `json:"stalledNs"`
	FirstErr  string  `json:"firstError"`
	CPUNs     int64   `json:"cpuNs"`
}

// streamWorkload has clients of lab 11's transport send streams of size
// bytes to the server, one after another, for the phase, through d. Its
// check is one stream of checkSize bytes, answered within checkWait.
func streamWorkload(d **driver, clients, size int) Workload {
	name := plural(clients, "client")
	return Workload{
		Name:    name,
		clients: clients,
		Phases:  []string{fmt.Sprintf("%s, streams of %d KiB", name, size>>10)},
		Unit:    "streams",
		run: func(ctx context.Context, s *Server, budget time.Duration) ([]Measurement, error) {
			ctx, cancel := context.WithTimeout(ctx, budget+30*time.Second)
			defer cancel()
			cpu := startCPU(s)
			res, err := (*d).run(ctx, s, "-clients", strconv.Itoa(clients), "-size", strconv.Itoa(size), "-duration", budget.String())
			m := Measurement{}
			cpu.stop(&m)
			if err != nil {
				return nil, err
			}
			switch {
			case res.Ops == 0 && res.Failed > 0:
				return nil, fmt.Errorf("no stream was answered: %d failed, %s when the load program stopped; the first failed with: %s",
					res.Failed, res.underWay(), res.FirstErr)
			case res.Ops == 0:
				return nil, fmt.Errorf("no stream was answered: %s when the load program stopped: %s", res.underWay(), res.FirstErr)
			}
			m.Ops, m.Elapsed, m.Lost, m.Cut = res.Ops, time.Duration(res.Seconds*float64(time.Second)), res.Failed, res.Cut
			m.Stalled, m.StalledFor = res.Stalled, time.Duration(res.StalledNs)
			m.LoadCPU = time.Duration(res.CPUNs)
			for _, ns := range res.Latencies {
				m.Latency = append(m.Latency, time.Duration(ns))
			}
			return []Measurement{m}, nil
		},
		check: func(ctx context.Context, s *Server) error {
			ctx, cancel := context.WithTimeout(ctx, checkWait+30*time.Second)
			defer cancel()
			// The one stream starts at once; -duration bounds the wait
			// for its answer, and the run ends as soon as it comes.
			res, err := (*d).run(ctx, s, "-clients", "1", "-max", "1", "-size", strconv.Itoa(checkSize),
				"-duration", checkWait.String(), "-grace", "0s")
			if err != nil {
				return err
			}
			if res.Ops == 0 {
				stalled := ""
				if res.Stalled > 0 {
					stalled = fmt.Sprintf(" (stalled: no progress for %v)", roundStall(time.Duration(res.StalledNs)))
				}
				return fmt.Errorf("a first client's stream of %d KiB was not answered%s: %s", checkSize>>10, stalled, res.FirstErr)
			}
			return nil
		},
	}
}

// The start check's stream: small, since it asks only whether the server
// answers at all, and a correct one answers it within milliseconds.
const (
	checkSize = 1024
	checkWait = 2 * time.Second
)

// underWay says how many streams were still under way: those the server
// had stopped moving on (stalled, and for how long at least) and those cut
// short while they moved.
func (res *driverResult) underWay() string {
	var parts []string
	if res.Stalled > 0 {
		parts = append(parts, fmt.Sprintf("%d stalled (no progress for %v)", res.Stalled, roundStall(time.Duration(res.StalledNs))))
	}
	if res.Cut > 0 || res.Stalled == 0 {
		parts = append(parts, fmt.Sprintf("%d still under way", res.Cut))
	}
	return strings.Join(parts, " and ")
}

// roundStall rounds how long a stream went without progress for words.
func roundStall(d time.Duration) time.Duration {
	return d.Round(100 * time.Millisecond)
}

// run runs the load program against s with args and reads what it printed.
func (d *driver) run(ctx context.Context, s *Server, args ...string) (*driverResult, error) {
	cmd := exec.CommandContext(ctx, d.exe, append([]string{"-addr", s.Addr}, args...)...)
	// Killed with netbook (SIGKILL), it would load a server that is gone
	// until its duration ends.
	sandbox.DieWithParent(cmd)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("the load program failed: %v\n%s", err, errOut.String())
	}
	var res driverResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("the load program printed %q: %v", out.String(), err)
	}
	return &res, nil
}
