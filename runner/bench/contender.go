package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/bench/baseline"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// The contenders' names, as the report and --json give them.
const (
	You       = "you"
	Reference = "reference"
)

// Contender is one server a benchmark measures: the student's, the
// reference, or a baseline. Each unit of a run starts it afresh, so that
// nothing one measurement left behind (clients still leaving, memory)
// weighs on the next.
type Contender struct {
	Name  string `json:"name"`  // "you", "reference", "go-threads", "python"
	About string `json:"about"` // what it is, in a few words

	start   func(ctx context.Context) (*Server, error)
	cleanup func()
}

// Server is a contender running as a process of its own on 127.0.0.1.
type Server struct {
	Network string // "tcp" or "udp"
	Addr    string
	Pid     int

	done    <-chan struct{} // closed when the server has exited
	kill    func()
	output  func() string                   // the last lines it printed (see tail)
	exit    func() int                      // its exit status, or -1 while it runs or when a signal ended it
	collect func(ctx context.Context) error // nil: the server cannot be asked to collect its garbage
	why     func() string                   // which limit stopped it, in words, or ""; nil: it runs without limits
	memory  int64                           // its memory limit in bytes, or 0 when it runs without one
	who     string                          // "your server", "the reference server"; "" for a baseline
	// sendsUncounted: the server sends with send(2), which Linux does not
	// count among a process's writes (the Python room's sendall).
	sendsUncounted bool
}

// collector asks a Go server that netbook built (a lab's, or a baseline)
// to collect its garbage and return the memory freed to the system, and
// waits for its answer: it writes "collect" to the server's standard input
// and watches its standard output, as a tee, for the line "collected: ...".
type collector struct {
	tell   func(line string) error
	done   chan struct{}
	exited <-chan struct{} // closed when the server has exited
}

func newCollector() *collector { return &collector{done: make(chan struct{}, 1)} }

// Write receives the server's output a line at a time.
func (c *collector) Write(line []byte) (int, error) {
	if bytes.HasPrefix(line, []byte("collected: ")) {
		select {
		case c.done <- struct{}{}:
		default:
		}
	}
	return len(line), nil
}

// collect asks, and waits up to collectLimit for the answer, or until
// the server has exited: one that died will not answer.
func (c *collector) collect(ctx context.Context) error {
	if err := c.tell("collect"); err != nil {
		return fmt.Errorf("asking the server to collect its garbage: %w", err)
	}
	t := time.NewTimer(collectLimit)
	defer t.Stop()
	select {
	case <-c.done:
		return nil
	case <-c.exited:
		select {
		case <-c.done: // it answered, then exited
			return nil
		default:
		}
		return errors.New("the server stopped before it collected its garbage")
	case <-t.C:
		return fmt.Errorf("the server did not collect its garbage within %v", collectLimit)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// collectLimit bounds the wait for a server's garbage collection.
const collectLimit = 30 * time.Second

// CPU is the CPU time the server has used so far.
func (s *Server) CPU() (time.Duration, error) { return ProcessCPU(s.Pid) }

// Writes is how many write system calls the server has made so far. Only
// a TCP server that writes with write(2) has a count: a UDP server sends
// with sendto(2), the Python room with send(2), and what Linux counts for
// them is only the odd write of the runtime or a log.
func (s *Server) Writes() (int64, error) {
	if s.Network != "tcp" || s.sendsUncounted {
		return 0, errNotCounted
	}
	return ProcessWrites(s.Pid)
}

// errNotCounted says why a server's writes are left out.
var errNotCounted = errors.New("this server sends with calls Linux does not count as writes")

// labContender builds lab l, the student's code or the reference, to run
// within limits (see serverLimits).
func labContender(ctx context.Context, r repo.Root, l *labs.Lab, name string, ref bool, about string, limits sandbox.Limits) (*Contender, error) {
	p, err := labrun.Build(ctx, r, l, labrun.Options{Ref: ref})
	if err != nil {
		return nil, err
	}
	return &Contender{
		Name:  name,
		About: about,
		start: func(ctx context.Context) (*Server, error) {
			col, out := newCollector(), newTail(tailLines)
			// out before col: once collect has seen "collected: ", the
			// line is in what the server printed.
			s, err := p.Start(ctx, labrun.StartOptions{Quiet: true, Ready: 10 * time.Second, Stdout: io.MultiWriter(out, col), Stderr: out, Limits: limits})
			if err != nil {
				return nil, err
			}
			col.tell, col.exited = s.Tell, s.Done()
			memory := int64(0)
			if sandbox.Probe().LimitsOn {
				memory = limits.Memory
			}
			return &Server{Network: s.Network, Addr: s.Addr, Pid: s.Pid(), done: s.Done(), kill: s.Kill, output: out.String, exit: s.ExitCode,
				collect: col.collect, why: s.Why, memory: memory, who: s.Who}, nil
		},
		cleanup: func() { p.Remove() },
	}, nil
}

// baselineContender builds package baseline's server program once and
// runs it as serve -server server.
func baselineContender(ctx context.Context, r repo.Root, name, server, about string) (*Contender, error) {
	dir, remove, err := sandbox.TempDir("netbook-bench-")
	if err != nil {
		return nil, err
	}
	exe := filepath.Join(dir, "serve")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", exe, "./runner/bench/baseline/serve")
	cmd.Dir = r.Dir
	sandbox.GoWorkIn(cmd, dir)
	sandbox.DieWithParent(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		remove()
		return nil, fmt.Errorf("building netbook bench's baseline servers: %v\n%s", err, out)
	}
	return &Contender{
		Name:  name,
		About: about,
		start: func(ctx context.Context) (*Server, error) {
			col := newCollector()
			s, err := startCommand(ctx, name, col, exe, "-server", server)
			if err == nil {
				s.collect = col.collect
			}
			return s, err
		},
		cleanup: remove,
	}, nil
}

// errNoPython says why the Python room is left out.
var errNoPython = errors.New("python3 is not on PATH: the Python room is left out")

// pythonContender runs room.py with python3, when there is one.
func pythonContender(name, about string, args ...string) (*Contender, error) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return nil, errNoPython
	}
	dir, remove, err := sandbox.TempDir("netbook-bench-")
	if err != nil {
		return nil, err
	}
	script := filepath.Join(dir, "room.py")
	if err := os.WriteFile(script, baseline.PythonRoom, 0o644); err != nil {
		remove()
		return nil, err
	}
	return &Contender{
		Name:  name,
		About: about,
		start: func(ctx context.Context) (*Server, error) {
			s, err := startCommand(ctx, name, nil, py, append([]string{script}, args...)...)
			if s != nil {
				s.sendsUncounted = true
			}
			return s, err
		},
		cleanup: remove,
	}, nil
}

// startCommand starts a baseline server and waits for its "listening on"
// line. It holds the server's standard input open: the server stops when
// it ends, and so when netbook does. A collector, if any, gets the
// server's standard input and a copy of its output.
func startCommand(ctx context.Context, who string, col *collector, exe string, args ...string) (*Server, error) {
	stdin, hold := io.Pipe()
	out := newTail(tailLines)
	o := proc.Options{Stdin: stdin, Match: proc.Listening, Stdout: out, Stderr: out}
	if col != nil {
		o.Stdout = io.MultiWriter(out, col) // out first, as in labContender
		col.tell = func(line string) error {
			_, err := io.WriteString(hold, line+"\n")
			return err
		}
	}
	p, err := proc.Start(ctx, exe, args, o)
	if err != nil {
		hold.Close()
		return nil, fmt.Errorf("unable to start %s: %w", who, err)
	}
	if col != nil {
		col.exited = p.Done()
	}
	kill := func() {
		hold.Close()
		p.Stop(0)
	}
	network, addr, err := p.Listening(ctx, 10*time.Second)
	if err != nil {
		kill()
		return nil, fmt.Errorf("%s did not start: %w\n%s", who, err, p.Output()+p.ErrOutput())
	}
	return &Server{Network: network, Addr: addr, Pid: p.Pid(), done: p.Done(), kill: kill, output: out.String, exit: p.ExitCode}, nil
}

// stopped reports whether the server has exited, waiting up to d for it
// to: a Serve that returns at once closes the socket a moment before its
// program exits, so the client's failure comes first. With d 0 it only
// looks.
func (s *Server) stopped(d time.Duration) bool {
	select {
	case <-s.done:
		return true
	default:
	}
	if d <= 0 {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-s.done:
		return true
	case <-t.C:
		return false
	}
}

// exitWait is how long a server whose client failed may take to exit
// before the report takes it for running. The generated main exits as
// soon as Serve has returned and no write is under way.
const exitWait = time.Second

// lastLines is the end of what a server printed, for an error message:
// its last n lines, or, when it ended in a panic or a fatal error, every
// line kept from the panic's first on, however deep its stack.
func lastLines(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	from := max(0, len(lines)-n)
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "panic: ") || strings.HasPrefix(lines[i], "fatal error: ") {
			from = min(from, i)
			break
		}
	}
	return strings.Join(lines[from:], "\n")
}

// tail keeps the last lines a server printed, on its standard output and
// its standard error alike, in the order they came, each clipped to
// tailCols columns. A server's own record (package proc's) keeps the first
// bytes it printed: a server that logs every request and then panics would
// show the logs and not the panic.
type tail struct {
	mu    sync.Mutex
	lines []string
	n     int
}

// Bounds of a tail: the lines kept, and how wide each may be.
const (
	tailLines = 50
	tailCols  = 160
)

func newTail(n int) *tail { return &tail{n: n} }

// Write receives the server's output a line at a time.
func (t *tail) Write(line []byte) (int, error) {
	text := style.Clip(strings.TrimRight(string(line), "\r\n"), tailCols)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == t.n {
		t.lines = append(t.lines[:0], t.lines[1:]...)
	}
	t.lines = append(t.lines, text)
	return len(line), nil
}

// String is the lines kept, each ending in a newline.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return ""
	}
	return strings.Join(t.lines, "\n") + "\n"
}
