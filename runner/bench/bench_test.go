package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// A whole run on lab 03, short: the reference stands in for the student,
// the minimal Go server runs beside them, and every contender gets every
// workload, with ratios against the reference.
func TestRunLab03(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three servers")
	}
	r := testkit.Shipped(t)
	var progress testkit.Buffer
	rep, err := Run(t.Context(), r, testkit.Lab(t, r, "03-hello-server"), Options{Ref: true, Duration: 900 * time.Millisecond, Rounds: 1, Progress: &progress})
	require.NoError(t, err)
	assert.Empty(t, rep.Failed)
	require.Len(t, rep.Phases, 3, "1, 10 and 100 connections")
	for _, p := range rep.Phases {
		require.Len(t, p.Results, 3, "%s: you, the reference and go-minimal", p.Name)
		for _, res := range p.Results {
			assert.Positive(t, res.Rate.Median, "%s, %s", p.Name, res.Contender)
			if res.Contender == Reference {
				assert.Nil(t, res.VsReference)
			} else {
				require.NotNil(t, res.VsReference)
				assert.Equal(t, 1, res.VsReference.Rate.N, "%s, %s: a ratio from the one round", p.Name, res.Contender)
			}
		}
	}
	assert.Contains(t, progress.String(), "round 1 of 1, 100 connections: go-minimal")
}

// Every server lab's workloads run against its reference: the load
// generators speak each lab's protocol as the reference does.
func TestEveryServerLab(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers per lab")
	}
	r := testkit.Shipped(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		if labrun.KindOf(l) != labrun.Server || l.Name == "03-hello-server" { // lab 03: TestRunLab03
			continue
		}
		t.Run(l.Name, func(t *testing.T) {
			rep, err := Run(t.Context(), r, l, Options{Ref: true, NoBaselines: true, Duration: 600 * time.Millisecond, Rounds: 1, Clients: []int{3}})
			require.NoError(t, err)
			require.Empty(t, rep.Failed)
			require.NotEmpty(t, rep.Phases)
			for _, p := range rep.Phases {
				require.Len(t, p.Results, 2, p.Name)
				assert.Positive(t, p.Results[0].Rate.Median, "%s: you", p.Name)
				assert.Positive(t, p.Results[1].Rate.Median, "%s: the reference", p.Name)
			}
		})
	}
}

// A skeleton's Serve returns at once, with its TODO: the report says so,
// from what the server printed, rather than only that the connection was
// refused or reset (the client's failure comes a moment before the
// server's exit).
func TestRunSkeletonSaysServeReturned(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a server")
	}
	r := testkit.Shipped(t)
	for range 3 { // the race it guards against was lost most of the time, not always
		var progress testkit.Buffer
		rep, err := Run(t.Context(), r, testkit.Lab(t, r, "03-hello-server"), Options{Duration: time.Second, Rounds: 1, Cmd: "netbook", Progress: &progress})
		require.NoError(t, err)
		require.Len(t, rep.Failed, 1)
		assert.Equal(t, You, rep.Failed[0].Contender)
		assert.Equal(t, "1 connection", rep.Failed[0].Workload)
		assert.Contains(t, rep.Failed[0].Error, "the server had exited with status 1")
		assert.Regexp(t, `Serve returned an error before the server was stopped:\n\s+TODO: implement Serve \(task 1\)`, rep.Failed[0].Error)
		assert.Contains(t, rep.Failed[0].Error, "netbook check 03 says what is missing")
		assert.NotContains(t, progress.String(), "building the reference", "the start check failed: nothing else is built")
		assert.NotContains(t, progress.String(), "round 1", "nor measured")
	}
}

// Lab 11's skeleton listens (its Serve is given) and answers nothing: the
// start check, through the load program built before it, says so at once,
// and nothing else is built or measured.
func TestRunLab11SkeletonFailsAtTheStartCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a server and a load program")
	}
	r := testkit.Shipped(t)
	var progress testkit.Buffer
	rep, err := Run(t.Context(), r, testkit.Lab(t, r, "11-reliable-stream"), Options{Duration: time.Second, Rounds: 1, Clients: []int{1}, Cmd: "netbook", Progress: &progress})
	require.NoError(t, err)
	require.Len(t, rep.Failed, 1)
	assert.Equal(t, You, rep.Failed[0].Contender)
	assert.Contains(t, rep.Failed[0].Error, "a first client's stream of 1 KiB was not answered")
	assert.Contains(t, rep.Failed[0].Error, "the server never answered its SYN")
	assert.Contains(t, rep.Failed[0].Error, "netbook check 11 says what is missing")
	assert.Contains(t, progress.String(), "checking that your server starts and answers a first client")
	assert.NotContains(t, progress.String(), "building the reference", "the start check failed: nothing else is built")
	assert.NotContains(t, progress.String(), "round 1", "nor measured")
}

// The start check of every server lab's workloads passes on the
// reference, so it speaks each lab's protocol as the measurements do, and
// fails on the skeleton (lab 11's, whose Serve is given, listens and
// answers nothing).
func TestStartCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers per lab")
	}
	r := testkit.Shipped(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		if labrun.KindOf(l) != labrun.Server {
			continue
		}
		t.Run(l.Name, func(t *testing.T) {
			su, err := suiteFor(l, DefaultRate, []int{3})
			require.NoError(t, err)
			ws := su.workloads
			if su.python {
				ws = append(ws, idleWorkload(3))
			}
			if su.driverSrc != nil {
				su.driver, err = buildDriver(t.Context(), r, l, su.driverSrc)
				require.NoError(t, err)
				t.Cleanup(su.driver.remove)
			}
			c, err := labContender(t.Context(), r, l, You, true, "the reference", serverLimits(Options{}.withDefaults()))
			require.NoError(t, err)
			t.Cleanup(c.cleanup)
			for _, w := range ws {
				require.NotNil(t, w.check, "%s: a workload without a check lets a skeleton that listens through to its first measurement", w.Name)
				assert.NoError(t, checkStart(t.Context(), c, w), w.Name)
			}
			skeleton, err := labContender(t.Context(), r, l, You, false, "the skeleton", serverLimits(Options{}.withDefaults()))
			require.NoError(t, err)
			t.Cleanup(skeleton.cleanup)
			for _, w := range ws {
				err := checkStart(t.Context(), skeleton, w)
				require.Error(t, err, w.Name)
				if l.Name == "11-reliable-stream" {
					assert.Contains(t, err.Error(), "the server never answered its SYN", w.Name)
					continue
				}
				assert.Contains(t, err.Error(), "TODO", "%s: what the skeleton printed", w.Name)
			}
		})
	}
}

// A server that dies does not answer: asked to collect its garbage, it
// is not waited for until collectLimit.
func TestCollectStopsWaitingWhenTheServerExits(t *testing.T) {
	exited := make(chan struct{})
	close(exited)
	col := newCollector()
	col.tell = func(string) error { return nil } // written before it died
	col.exited = exited
	err := col.collect(t.Context())
	assert.EqualError(t, err, "the server stopped before it collected its garbage")
}

func TestRunRefusesLabsWithoutWorkloads(t *testing.T) {
	r := testkit.Shipped(t)
	_, err := Run(t.Context(), r, testkit.Lab(t, r, "01-addresses"), Options{})
	assert.ErrorContains(t, err, "no workload for lab 01-addresses")
	_, err = Run(t.Context(), r, testkit.Lab(t, r, "03-hello-server"), Options{Idle: 10})
	assert.ErrorContains(t, err, "--idle is for the chat labs")
}

// What a chat room cannot be measured with is refused before anything is
// built: one client is a talker with nobody to listen (it used to fail in
// the first measurement, and with --ref as "a bug in the book or in
// netbook bench"), and --clients means nothing to --idle.
func TestRunRefusesChatClientsItCannotMeasure(t *testing.T) {
	r := testkit.Shipped(t)
	for _, name := range []string{"09-chat-room", "10-robust-chat"} {
		for _, o := range []Options{{Clients: []int{1}}, {Clients: []int{10, 1}, Ref: true}} {
			var progress testkit.Buffer
			o.Progress = &progress
			_, err := Run(t.Context(), r, testkit.Lab(t, r, name), o)
			assert.ErrorContains(t, err, "--clients 1: a chat room needs 2 clients or more", name)
			assert.Empty(t, progress.String(), "%s: nothing built", name)
		}
		_, err := Run(t.Context(), r, testkit.Lab(t, r, name), Options{Idle: 100, Clients: []int{10}})
		assert.ErrorContains(t, err, "--clients and --idle do not go together", name)
	}
}

// More clients than a process may have files open are refused before
// anything is built, in words: the run would otherwise stop in the middle
// with "too many open files", and blame the server, or the reference as
// "a bug in the book or in netbook bench".
func TestCheckOpenFiles(t *testing.T) {
	ws := []Workload{requestWorkload(100, helloConversation), idleWorkload(5000)}
	err := checkOpenFiles(ws, 4096)
	require.Error(t, err)
	assert.Equal(t, "5000 clients need about 5064 open files, in netbook and in the server alike, and a process may open 4096 here (the hard limit, ulimit -Hn): "+
		"measure with fewer clients (--clients, --idle), or raise that limit", err.Error())
	assert.NoError(t, checkOpenFiles(ws, 5064))
	assert.NoError(t, checkOpenFiles(ws[:1], 1024), "100 clients fit in 1024 files")
	for _, w := range []Workload{chatWorkload(7, 1), connectWorkload(7, checkGreeting), datagramWorkload(7, echoRequest, echoAnswer), streamWorkload(nil, 7, 1)} {
		assert.Equal(t, 7, w.clients, w.Name)
	}
}

// room.py, when python3 is installed: it starts, says where it listens,
// and carries a chat workload.
func TestPythonRoom(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	c, err := pythonContender("python", "the articles' room")
	require.NoError(t, err)
	t.Cleanup(c.cleanup)
	s, err := c.start(t.Context())
	require.NoError(t, err)
	t.Cleanup(s.kill)
	assert.True(t, strings.HasPrefix(s.Addr, "127.0.0.1:"), s.Addr)
	ms, err := chatWorkload(4, 10_000).run(t.Context(), s, 300*time.Millisecond)
	require.NoError(t, err)
	for _, m := range ms {
		checkMeasurement(t, m)
	}
}

// The Go servers netbook builds, a lab's and a baseline, collect their
// garbage when asked and say so; the idle workload asks before it reads
// their memory.
func TestGoServersCollectWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers")
	}
	r := testkit.Shipped(t)
	lab, err := labContender(t.Context(), r, testkit.Lab(t, r, "10-robust-chat"), Reference, true, "the reference", serverLimits(Options{}.withDefaults()))
	require.NoError(t, err)
	t.Cleanup(lab.cleanup)
	threads, err := baselineContender(t.Context(), r, "go-threads", "thread-room", "a thread per client")
	require.NoError(t, err)
	t.Cleanup(threads.cleanup)
	for _, c := range []*Contender{lab, threads} {
		s, err := c.start(t.Context())
		require.NoError(t, err, c.Name)
		t.Cleanup(s.kill)
		require.NotNil(t, s.collect, c.Name)
		require.NoError(t, s.collect(t.Context()), c.Name)
		assert.Contains(t, s.output(), "collected: heap ", c.Name)
		ms, err := idleWorkload(20).run(t.Context(), s, 0)
		require.NoError(t, err, c.Name)
		assert.EqualValues(t, 20, ms[0].Ops, c.Name)
		assert.Equal(t, 3, strings.Count(s.output(), "collected: "), "%s: the idle workload asks before each of its two memory readings", c.Name)
	}
}

// What a server printed last is what a failure quotes, from both its
// streams, however much it printed before: a server that logs every
// request and then panics shows the panic, not the first of its logs.
// A line is clipped, so that a long log line does not fill the screen.
func TestTailKeepsTheLastLines(t *testing.T) {
	out := newTail(tailLines)
	for i := range 100_000 {
		fmt.Fprintf(out, "request %d %s\n", i, strings.Repeat("x", 100))
	}
	fmt.Fprintf(out, "%s\n", strings.Repeat("y", 10_000))
	fmt.Fprintf(out, "panic: boom\n")
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, tailLines)
	assert.Equal(t, "panic: boom", lines[len(lines)-1])
	assert.Equal(t, tailCols, style.Cols(lines[len(lines)-2]), "clipped")
	assert.True(t, strings.HasPrefix(lines[0], fmt.Sprintf("request %d ", 100_000-tailLines+2)), lines[0])
	assert.Empty(t, newTail(tailLines).String(), "nothing printed")
}

// A server that dies while a load generator that counts what goes missing
// (lab 11's streams, lab 06's datagrams) runs on it fails the unit, with
// how it ended and what it printed last, rather than being measured with
// a few operations "lost".
func TestRunUnitFailsWhenTheServerDiedUnderIt(t *testing.T) {
	done := make(chan struct{})
	c := &Contender{Name: You, start: func(context.Context) (*Server, error) {
		return &Server{done: done, kill: func() {}, output: func() string { return "panic: boom\n" }, exit: func() int { return 2 }}, nil
	}}
	w := Workload{Name: "3 clients", Phases: []string{"3 clients"}, Unit: "streams",
		run: func(context.Context, *Server, time.Duration) ([]Measurement, error) {
			close(done) // the server dies in the middle; the load generator counts the rest lost
			return []Measurement{{Ops: 5, Lost: 3, Elapsed: time.Second}}, nil
		}}
	ms, err := runUnit(t.Context(), c, w, time.Second)
	assert.Nil(t, ms, "no figures")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the server did not last to the end of the measurement; the server had exited with status 2")
	assert.Contains(t, err.Error(), "panic: boom")
}

// A failure quotes the last lines a server printed, and all of a panic's
// stack when it ended in one, from the line that says what went wrong.
func TestLastLines(t *testing.T) {
	var logs []string
	for i := range 40 {
		logs = append(logs, fmt.Sprintf("log %d", i))
	}
	assert.Equal(t, "log 37\nlog 38\nlog 39", lastLines(strings.Join(logs, "\n")+"\n", 3))
	stack := []string{"panic: boom", "", "goroutine 7 [running]:"}
	for i := range 10 {
		stack = append(stack, fmt.Sprintf("main.f%d()", i), fmt.Sprintf("\t/src/main.go:%d +0x1f", i))
	}
	got := lastLines(strings.Join(append(logs[:5], stack...), "\n"), 15)
	assert.True(t, strings.HasPrefix(got, "panic: boom\n"), got)
	assert.True(t, strings.HasSuffix(got, "main.go:9 +0x1f"), got)
}

// A server that keeps memory for every client until it passes its limit
// is stopped there, and the failure says so in words, with what to look
// for: not as a raw signal, nor as the Go runtime's stack dump.
func TestAServerStoppedAtItsMemoryLimitIsSaidInWords(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a server and fills 256 MiB")
	}
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine")
	}
	r := testkit.Pristine(t, testkit.Only("03"))
	l := testkit.Lab(t, r, "03-hello-server")
	leaky := `package hello

import (
	"errors"
	"net"
)

var (
	kept  [][]byte
	conns []net.Conn // or the collector would close a connection no goroutine holds
)

// Serve greets each client and then keeps a megabyte after another,
// and never lets them go.
func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			continue
		}
		conns = append(conns, conn)
		go func() {
			conn.Write([]byte("Welcome!\n"))
			for {
				b := make([]byte, 1<<20)
				for i := range b {
					b[i] = 1
				}
				kept = append(kept, b)
			}
		}()
	}
}
`
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "server.go"), []byte(leaky), 0o644))
	limits := serverLimits(Options{}.withDefaults())
	limits.Memory = 256 << 20
	c, err := labContender(t.Context(), r, l, You, false, "the leaky server", limits)
	require.NoError(t, err)
	t.Cleanup(c.cleanup)
	err = checkStart(t.Context(), c, requestWorkload(1, helloConversation))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "; your server used more than 256 MiB of memory and was stopped: does it keep something for every message or every client, and never let it go?")
	assert.NotContains(t, err.Error(), "goroutine ", "no stack dump")
}

// A server that fills its memory almost to the limit and then stalls is
// not stopped by the limit: its client times out. The failure says the
// server was near its memory limit, and what to look for.
func TestAServerStalledNearItsMemoryLimitIsSaidInWords(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a server, fills 200 MiB and waits for a client's time-out")
	}
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine")
	}
	r := testkit.Pristine(t, testkit.Only("03"))
	l := testkit.Lab(t, r, "03-hello-server")
	hoarding := `package hello

import (
	"bytes"
	"errors"
	"net"
	"os"
	"runtime/debug"
	"strconv"
)

var (
	queue [][]byte   // what it means to send one day, and never does
	conns []net.Conn // or the collector would close a connection no goroutine holds
)

// Serve greets each client; at its first request it queues a megabyte
// after another until it has mapped four fifths of its memory limit (as
// VmData counts it, which the limit counts; GOMEMLIMIT is nine tenths of
// the limit), and then waits for ever, answering nobody.
func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			continue
		}
		conns = append(conns, conn)
		go func() {
			conn.Write([]byte("Welcome!\n"))
			conn.Read(make([]byte, 64))
			for limit := debug.SetMemoryLimit(-1) / 9 * 10; mapped() < limit/5*4; {
				b := make([]byte, 1<<20)
				for i := range b {
					b[i] = 1
				}
				queue = append(queue, b)
			}
			select {}
		}()
	}
}

// mapped is VmData, in bytes.
func mapped() int64 {
	status, _ := os.ReadFile("/proc/self/status")
	_, rest, _ := bytes.Cut(status, []byte("VmData:"))
	line, _, _ := bytes.Cut(rest, []byte("kB"))
	kb, _ := strconv.ParseInt(string(bytes.TrimSpace(line)), 10, 64)
	return kb << 10
}
`
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "server.go"), []byte(hoarding), 0o644))
	limits := serverLimits(Options{}.withDefaults())
	limits.Memory = 256 << 20
	c, err := labContender(t.Context(), r, l, You, false, "the hoarding server", limits)
	require.NoError(t, err)
	t.Cleanup(c.cleanup)
	err = checkStart(t.Context(), c, requestWorkload(1, helloConversation))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "reading the answer to request 1: the server did not answer", "the client timed out")
	assert.Regexp(t, `; your server was near its memory limit: it held \d+ MiB of its 256 MiB\. `, err.Error())
	assert.Contains(t, err.Error(), "Look for a queue that grows without bound")
	assert.NotContains(t, err.Error(), "was stopped", "the limit did not stop it")
}

// A server that fails a measurement far from its memory limit gets no
// word about memory.
func TestNearMemoryLimitNeedsMostOfTheLimit(t *testing.T) {
	self := &Server{Pid: os.Getpid(), who: "your server"}
	assert.Empty(t, nearMemoryLimit(self), "no limit, no words")
	data, err := ProcessData(os.Getpid())
	if err != nil {
		t.Skip("no /proc here:", err)
	}
	peak, err := ProcessPeakRSS(os.Getpid())
	require.NoError(t, err)
	peak = max(peak, data)
	self.memory = peak * 10
	assert.Empty(t, nearMemoryLimit(self), "a tenth of the limit is not near it")
	self.memory = peak
	assert.Contains(t, nearMemoryLimit(self), "your server was near its memory limit")
	assert.NoError(t, whyStopped(self, nil), "no failure, nothing to explain")
}

// The servers netbook builds get a CPU limit that no measurement of a
// correct server can reach: every CPU busy for the whole run and more.
func TestServerLimitsFitTheDuration(t *testing.T) {
	o := Options{Duration: 4 * time.Second}.withDefaults()
	l := serverLimits(o)
	assert.EqualValues(t, labrun.ServerMemory, l.Memory)
	assert.GreaterOrEqual(t, l.CPU, time.Duration(runtime.NumCPU())*(o.Duration+time.Minute))
	idle := serverLimits(Options{Idle: MaxIdle}.withDefaults())
	assert.Greater(t, idle.CPU, time.Duration(runtime.NumCPU())*idleLoginLimit, "the idle logins may take idleLoginLimit")
	assert.GreaterOrEqual(t, idle.Memory, int64(labrun.ServerMemory+MaxIdle*40<<10), "the reference's data came to about 40 KiB per idle client")
	assert.GreaterOrEqual(t, l.OpenFiles, MaxIdle+openFilesMargin)
}
