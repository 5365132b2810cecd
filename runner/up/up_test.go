package up

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/linewatch"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
)

func lab(t *testing.T, name string) (repo.Root, *labs.Lab) {
	t.Helper()
	r := testkit.Shipped(t)
	return r, testkit.Lab(t, r, name)
}

// Run serves until its context is done, passing the server's output on,
// and then stops the server cleanly.
func TestRunServesUntilCancelled(t *testing.T) {
	r, l := lab(t, "03-hello-server")
	outR, outW := io.Pipe()
	var errOut strings.Builder
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, r, l, Options{Ref: true, Stdout: outW, Stderr: &errOut, Cmd: "netbook"})
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	require.True(t, lines.Scan())
	m := regexp.MustCompile(`^listening on tcp (127\.0\.0\.1:\d+)$`).FindStringSubmatch(lines.Text())
	require.NotNil(t, m, lines.Text())
	require.True(t, lines.Scan())
	assert.Regexp(t, `^\S+ Serve called Accept: it is waiting for clients$`, lines.Text())

	c, err := net.DialTimeout("tcp", m[1], 5*time.Second)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "Welcome!\n", line)
	c.Close()
	require.True(t, lines.Scan())
	assert.Regexp(t, `\[#1 127\.0\.0\.1:\d+\] connected$`, lines.Text())

	cancel()
	go io.Copy(io.Discard, outR)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	assert.Contains(t, errOut.String(), "building 03-hello-server (the reference solution)")
	assert.Contains(t, errOut.String(), "The reference server stopped cleanly.")
}

// runRef runs up on lab name's reference, with its log and what up says on
// one terminal (a pipe: its writes are safe together, and in order). stop
// cancels the run, calls expect (what must come out before Run returns),
// and waits for Run to return without an error.
func runRef(t *testing.T, name string) (out *linewatch.Lines, stop func(expect func())) {
	r, l := lab(t, name)
	pr, term := io.Pipe()
	out = linewatch.Watch(pr)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, r, l, Options{Ref: true, Stdout: term, Stderr: term, Cmd: "netbook"})
		term.Close()
	}()
	return out, func(expect func()) {
		cancel()
		if expect != nil {
			expect()
		}
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after its context was cancelled")
		}
	}
}

// A UDP server is serving once its Serve calls ReadFrom; up says so, and
// where to talk to it, and its stop comes after the server's last line.
func TestRunSaysWhereToTalkToAUDPServer(t *testing.T) {
	out, stop := runRef(t, "06-udp-echo")
	out.Expect(t, time.Minute, `^listening on udp 127\.0\.0\.1:\d+$`)
	out.Expect(t, time.Minute, `^\S+ Serve called ReadFrom: it is waiting for clients$`)
	out.Expect(t, time.Minute, `^The reference server is listening\. Talk to it from another terminal with$`)
	out.Expect(t, time.Minute, `^  nc -u 127\.0\.0\.1 \d+$`)
	stop(func() {
		out.Expect(t, time.Minute, `Serve returned nil; bye$`)
		out.Expect(t, time.Minute, `^The reference server stopped cleanly\.$`)
	})
}

// Where to talk to the server comes after the server's own "listening on"
// line, with both on one terminal (its log is passed on in the background).
func TestRunSaysWhereToTalkAfterTheServerListens(t *testing.T) {
	out, stop := runRef(t, "03-hello-server")
	out.Expect(t, time.Minute, `^listening on tcp 127\.0\.0\.1:\d+$`)
	out.Expect(t, time.Minute, `^\S+ Serve called Accept: it is waiting for clients$`)
	out.Expect(t, time.Minute, `^The reference server is listening\. Talk to it`)
	stop(nil)
}

// A skeleton's Serve returns at once: up says so, and what to do, and
// never says where to talk to a server that is gone (it did, 4 runs in 4,
// when it looked before the server had exited).
func TestRunSaysASkeletonsServeReturnedAtOnce(t *testing.T) {
	for _, name := range []string{"03-hello-server", "06-udp-echo"} {
		t.Run(name, func(t *testing.T) {
			r, l := lab(t, name)
			var errOut strings.Builder
			err := Run(t.Context(), r, l, Options{Stdout: io.Discard, Stderr: &errOut, Cmd: "netbook"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "your server stopped at once: its Serve returned before it waited\nfor a single client")
			assert.Contains(t, err.Error(), fmt.Sprintf("\n  netbook check %02d\n", l.Number))
			assert.NotContains(t, errOut.String(), "Talk to it", "nothing is listening any more")
			assert.NotContains(t, errOut.String(), "is listening")
			for i, line := range strings.Split("netbook up: "+err.Error(), "\n") {
				assert.LessOrEqual(t, len(line), 80, "line %d fits 80 columns: %q", i+1, line)
			}
		})
	}
}

// A Serve that neither waits for a client nor returns gets a note that
// says so (Serve is the student's: it may do anything first), and no
// advice to talk to it.
func TestRunSaysServeHasNotCalledAccept(t *testing.T) {
	defer func(d time.Duration) { serveWait = d }(serveWait)
	serveWait = time.Millisecond
	r, l := lab(t, "03-hello-server")
	stuck := filepath.Join(t.TempDir(), "server.go")
	require.NoError(t, os.WriteFile(stuck, []byte("package hello\n\nimport \"net\"\n\nfunc Serve(ln net.Listener) error { select {} }\n"), 0o644))
	errOut := &linewatch.Text{}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, r, l, Options{Stdout: io.Discard, Stderr: errOut, Cmd: "netbook",
			Build: labrun.Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): stuck}}})
	}()
	errOut.Expect(t, time.Minute, `Your server is listening, but its Serve has not called Accept\n`)
	cancel()
	select {
	case err := <-done:
		assert.Error(t, err, "Serve never returns, so the server does not stop cleanly")
	case <-time.After(time.Minute):
		t.Fatal("Run did not return after its context was cancelled")
	}
	assert.NotContains(t, errOut.String(), "Talk to it")
}

// Sync returns once the lines queued before it are written.
func TestAsyncLogSync(t *testing.T) {
	var out strings.Builder
	l := newAsyncLog(&out)
	l.Write([]byte("one\n"))
	l.Write([]byte("two\n"))
	require.True(t, l.Sync(time.Minute))
	assert.Equal(t, "one\ntwo\n", out.String())
	l.Close(time.Minute)
	assert.False(t, l.Sync(time.Minute), "closed: nothing to wait for")
}

func TestRunRefusesWhatItCannotServe(t *testing.T) {
	r, l := lab(t, "03-hello-server")
	err := Run(t.Context(), r, l, Options{Addr: "0.0.0.0:0", Stdout: io.Discard, Stderr: io.Discard})
	assert.ErrorContains(t, err, "refusing to listen on 0.0.0.0:0")
	err = Run(t.Context(), r, l, Options{Addr: "127.0.0.1", Stdout: io.Discard, Stderr: io.Discard})
	assert.ErrorContains(t, err, "not an address")
	_, l = lab(t, "01-addresses")
	err = Run(t.Context(), r, l, Options{Stdout: io.Discard, Stderr: io.Discard})
	assert.ErrorContains(t, err, "not a server lab")
}

// An address in use is said once, before anything is built, with a
// command that gets a free port; the server's own "cannot listen" and an
// error that quotes it again never come.
func TestRunSaysTheAddressIsInUse(t *testing.T) {
	for _, name := range []string{"03-hello-server", "06-udp-echo"} {
		t.Run(name, func(t *testing.T) {
			r, l := lab(t, name)
			var addr string
			if l.Serve == "udp" {
				c, err := net.ListenPacket("udp", "127.0.0.1:0")
				require.NoError(t, err)
				t.Cleanup(func() { c.Close() })
				addr = c.LocalAddr().String()
			} else {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				t.Cleanup(func() { ln.Close() })
				addr = ln.Addr().String()
			}
			var errOut strings.Builder
			err := Run(t.Context(), r, l, Options{Ref: true, Addr: addr, Stdout: io.Discard, Stderr: &errOut, Cmd: "netbook"})
			require.Error(t, err)
			assert.Equal(t, fmt.Sprintf("cannot listen on %s: another program uses that port (another netbook up, perhaps); "+
				"stop it, or let the kernel pick a free port: netbook up %02d --ref", addr, l.Number), err.Error())
			assert.Empty(t, errOut.String(), "nothing was built, and the server said nothing")
		})
	}
}

// A log that nobody reads does not stop the server: a client's exchange
// completes while the reader sleeps, the lines that did not fit are
// dropped and counted, and the count is reported as Run returns and, to a
// reader who comes back, in the log itself.
func TestRunServesWhileItsLogIsNotRead(t *testing.T) {
	defer func(n int) { logQueue = n }(logQueue)
	logQueue = 64
	r, l := lab(t, "03-hello-server")
	outR, outW := io.Pipe() // read by nobody until the end
	t.Cleanup(func() { outR.Close() })
	errOut := &linewatch.Text{}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, r, l, Options{Ref: true, Stdout: outW, Stderr: errOut, Cmd: "netbook"}) }()
	addr := errOut.Expect(t, time.Minute, `nc (127\.0\.0\.1) (\d+)`)

	c, err := net.DialTimeout("tcp", net.JoinHostPort(addr[1], addr[2]), 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(time.Minute)))
	in := bufio.NewReader(c)
	line, err := in.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "Welcome!\n", line)
	const exchanges = 1000 // 2000 lines of log, far more than the pipe and the queue hold
	name := strings.Repeat("x", 150)
	for i := range exchanges {
		_, err := io.WriteString(c, name+"\n")
		require.NoError(t, err, "exchange %d", i)
		line, err := in.ReadString('\n')
		require.NoError(t, err, "exchange %d: the server stopped answering while its log was not read", i)
		require.Equal(t, "Hello, "+name+"!\n", line)
	}
	c.Close()

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(time.Minute):
		t.Fatal("Run did not return while its log was not read")
	}
	m := errOut.Expect(t, time.Second, `\.\.\. (\d+) log lines dropped in all \(output was not being read\)`)
	assert.NotEqual(t, "0", m[1])

	log := &linewatch.Text{}
	go io.Copy(log, outR)
	log.Expect(t, time.Minute, `^listening on tcp 127\.0\.0\.1:\d+\n`)
	log.Expect(t, time.Minute, `\n\.\.\. \d+ log lines dropped \(output was not being read\)\n`)
}

// A lab whose protocol nc cannot speak names its own client in its brief
// (talk:), and up shows that, with the server's address after it.
func TestTalkNamesTheLabsClient(t *testing.T) {
	assert.Equal(t, "Talk to it from another terminal with\n  nc 127.0.0.1 5000\nor\n  netbook assist tcp connect 127.0.0.1:5000",
		talk("netbook", "", "tcp", "127.0.0.1:5000"))
	assert.Equal(t, "Talk to it from another terminal with\n  nc -u 127.0.0.1 5000\nor\n  netbook assist udp connect 127.0.0.1:5000",
		talk("netbook", "", "udp", "127.0.0.1:5000"))
	_, l := lab(t, "11-reliable-stream")
	require.NotEmpty(t, l.Talk, "lab 11's brief names its client: nc cannot speak its segments")
	assert.Equal(t, "Talk to it from another terminal with\n  go run ./labs/11-reliable-stream/testdata/rsend -n 100000 127.0.0.1:5000",
		talk("netbook", l.Talk, "udp", "127.0.0.1:5000"))
}

// Another program that takes the port after up found it free, and before
// the server listens, is said once: in Run's error, with what to do, and
// not also as the server's own "cannot listen" line.
func TestRunSaysAPortTakenAfterTheCheckOnce(t *testing.T) {
	r, l := lab(t, "03-hello-server")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	defer func(f func(string)) { listenChecked = f }(listenChecked)
	listenChecked = func(a string) {
		taken, err := net.Listen("tcp", a)
		if err != nil {
			t.Skipf("port %s was taken by another program before the test could: %v", a, err)
		}
		t.Cleanup(func() { taken.Close() })
	}
	var out, errOut strings.Builder
	err = Run(t.Context(), r, l, Options{Ref: true, Addr: addr, Stdout: &out, Stderr: &errOut, Cmd: "netbook"})
	require.Error(t, err)
	assert.Equal(t, fmt.Sprintf("cannot listen on %s: another program uses that port (another netbook up, perhaps); "+
		"stop it, or let the kernel pick a free port: netbook up %02d --ref", addr, l.Number), err.Error())
	assert.NotContains(t, out.String()+errOut.String(), "cannot listen", "said once, in the error")
	assert.NotContains(t, out.String()+errOut.String(), "address already in use")
}

// Lab 10's Serve logs nothing (its Server's Logger is nil): up gives it a
// Logger, and the room's records come as lines of the log.
func TestRunShowsTheRoomsOwnLog(t *testing.T) {
	out, stop := runRef(t, "10-robust-chat")
	m := out.Expect(t, time.Minute, `^  nc (127\.0\.0\.1) (\d+)$`)
	c, err := net.DialTimeout("tcp", net.JoinHostPort(m[1], m[2]), 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = io.WriteString(c, `{"type":"login","nickname":"ann"}`+"\n")
	require.NoError(t, err)
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, `{"id":1}`+"\n", line)
	out.Expect(t, time.Minute, `^\S+ \[log\] level=INFO msg="logged in" addr=127\.0\.0\.1:\d+ id=1 nickname=ann$`)
	stop(nil)
}

// A server that passes its memory limit is stopped, and up says so in
// words, with what to look for; the Go runtime's dump is cut.
func TestRunSaysTheServerUsedTooMuchMemory(t *testing.T) {
	defer func(l sandbox.Limits) { limits = l }(limits)
	limits.Memory = 256 << 20
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine")
	}
	r, l := lab(t, "03-hello-server")
	leak := testkit.LeakingHelloServer(t)
	var errOut strings.Builder
	err := Run(t.Context(), r, l, Options{Stdout: io.Discard, Stderr: &errOut, Cmd: "netbook",
		Build: labrun.Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): leak}}})
	require.Error(t, err)
	assert.Equal(t, "your server used more than 256 MiB of memory and was stopped: does it keep something for every message or every client, and never let it go?", err.Error())
	assert.NotContains(t, errOut.String(), "goroutine ", "the runtime's dump is cut")
}

// A server that spins past its CPU time is stopped, and up says so in
// words (the kernel's SIGKILL is no sentence for a student).
func TestRunSaysTheServerUsedTooMuchCPU(t *testing.T) {
	defer func(l sandbox.Limits) { limits = l }(limits)
	limits.CPU = time.Second
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine")
	}
	r, l := lab(t, "03-hello-server")
	spin := filepath.Join(t.TempDir(), "server.go")
	require.NoError(t, os.WriteFile(spin, []byte("package hello\n\nimport \"net\"\n\nvar n int\n\nfunc Serve(ln net.Listener) error {\n\tfor {\n\t\tn++\n\t}\n}\n"), 0o644))
	var errOut strings.Builder
	err := Run(t.Context(), r, l, Options{Stdout: io.Discard, Stderr: &errOut, Cmd: "netbook",
		Build: labrun.Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): spin}}})
	require.Error(t, err)
	assert.Equal(t, "your server used more than 1s of CPU time and was stopped: does a loop spin without waiting for anything, a read or a channel?", err.Error())
}

// TestStartFailedKeepsACancellation: a signal that stops netbook up while
// the server starts (the server has printed its "listening on" line, but
// Start has not yet seen it) reaches the command as context.Canceled, so
// that it names the signal instead of printing "context canceled".
func TestStartFailedKeepsACancellation(t *testing.T) {
	l := &labs.Lab{Name: "03-hello-server", Number: 3}
	err := startFailed(&labrun.StartError{Who: "the reference server", Err: context.Canceled, Output: "listening on tcp 127.0.0.1:40000\n"}, l, Options{})
	assert.ErrorIs(t, err, context.Canceled)

	err = startFailed(&labrun.StartError{Who: "your server", Err: fmt.Errorf("it exited (exit status 1) before it listened")}, l, Options{})
	assert.EqualError(t, err, "your server did not start: it exited (exit status 1) before it listened; what it printed above says more")
}
