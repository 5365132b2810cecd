package labrun

import (
	"bufio"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/fakego"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
)

// firstLab returns the first lab of the tree that keep accepts, or skips
// the test when there is none yet.
func firstLab(t *testing.T, r repo.Root, keep func(*labs.Lab) bool) *labs.Lab {
	t.Helper()
	all, _ := labs.LoadAll(r)
	for _, l := range all {
		if keep(l) {
			return l
		}
	}
	t.Skip("no such lab in this work tree yet")
	return nil
}

func build(t *testing.T, r repo.Root, l *labs.Lab, o Options) *Program {
	t.Helper()
	p, err := Build(t.Context(), r, l, o)
	require.NoError(t, err)
	t.Cleanup(func() { p.Remove() })
	return p
}

func TestKinds(t *testing.T) {
	r := testkit.Shipped(t)
	assert.Equal(t, NotRunnable, KindOf(testkit.Lab(t, r, "01-addresses")))
	assert.Equal(t, Server, KindOf(testkit.Lab(t, r, "03-hello-server")))
	assert.Equal(t, Client, KindOf(testkit.Lab(t, r, "04-http-client")))
	_, err := Build(t.Context(), r, testkit.Lab(t, r, "01-addresses"), Options{})
	assert.ErrorContains(t, err, "neither a server lab")
}

// The reference hello server, started as a real server: a raw client gets
// its answers, every connection and message is logged, and SIGINT stops it
// cleanly and frees its port.
func TestATCPServerRunsLogsAndStops(t *testing.T) {
	r := testkit.Shipped(t)
	p := build(t, r, testkit.Lab(t, r, "03-hello-server"), Options{Ref: true})
	assert.Equal(t, "the reference server", p.Who())
	var out testkit.Buffer
	s, err := p.Start(t.Context(), StartOptions{Stdout: &out})
	require.NoError(t, err)
	t.Cleanup(func() { s.Stop() })
	assert.Equal(t, "tcp", s.Network)
	assert.True(t, strings.HasPrefix(s.Addr, "127.0.0.1:"), s.Addr)

	c, err := net.DialTimeout("tcp", s.Addr, 2*time.Second)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "Welcome!\n", line)
	_, err = c.Write([]byte("Michael\n"))
	require.NoError(t, err)
	line, err = br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "Hello, Michael!\n", line)
	c.Close()

	require.NoError(t, s.Stop(), "a server stopped with SIGINT exits with status 0: %s", s.Output())
	assert.Equal(t, 0, s.ExitCode())
	log := out.String()
	assert.Contains(t, log, "listening on tcp "+s.Addr+"\n")
	assert.Regexp(t, `\d\d:\d\d:\d\d\.\d{3} \[#1 127\.0\.0\.1:\d+\] connected`, log)
	assert.Contains(t, log, `] read "Michael\n"`)
	assert.Contains(t, log, `] wrote "Hello, Michael!\n"`)
	assert.Contains(t, log, "Serve returned nil; bye")

	ln, err := net.Listen("tcp", s.Addr)
	require.NoError(t, err, "the port is free again once the server has stopped")
	ln.Close()
}

// Every server lab's reference, run as netbook up runs it (logging every
// read and write through its wrappers), follows each of the lab's
// sessions and stops cleanly: what a person sees with nc is what the tests
// check.
func TestEveryServerLabServesItsSessionsWhileLogging(t *testing.T) {
	r := testkit.Shipped(t)
	all, _ := labs.LoadAll(r)
	for _, l := range all {
		if KindOf(l) != Server {
			continue
		}
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			p := build(t, r, l, Options{Ref: true})
			paths, _ := filepath.Glob(filepath.Join(l.Dir, "testdata", "*.session"))
			for _, path := range paths {
				s, err := session.ParseFile(path)
				require.NoError(t, err)
				srv, err := p.Start(t.Context(), StartOptions{})
				require.NoError(t, err)
				res := session.Play(t.Context(), s, srv.Addr)
				assert.True(t, res.OK(), "%s: %s", path, res.Report())
				assert.NoError(t, srv.Stop(), "%s:\n%s", path, srv.Output())
				assert.Contains(t, srv.Output(), "] wrote ", "%s: the log shows what the server wrote", path)
			}
		})
	}
}

func TestAUDPServerRuns(t *testing.T) {
	r := testkit.Shipped(t)
	l := firstLab(t, r, func(l *labs.Lab) bool { return l.Serve == "udp" })
	p := build(t, r, l, Options{Ref: true})
	s, err := p.Start(t.Context(), StartOptions{Serving: true})
	require.NoError(t, err)
	t.Cleanup(func() { s.Stop() })
	assert.Equal(t, "udp", s.Network)
	waitServing(t, s)
	c, err := net.Dial("udp", s.Addr)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = c.Write([]byte("hello"))
	require.NoError(t, err)
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	require.NoError(t, err, "a UDP server lab answers a datagram")
	assert.NotZero(t, n)
	require.NoError(t, s.Stop())
	assert.Contains(t, s.Output(), `] read "hello"`)
}

// A server whose Serve returns at once (every skeleton's does) is reported
// with what it returned.
func TestASkeletonServerSaysWhatServeReturned(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("03"))
	p := build(t, r, testkit.Lab(t, r, "03-hello-server"), Options{})
	s, err := p.Start(t.Context(), StartOptions{Serving: true})
	require.NoError(t, err)
	t.Cleanup(func() { s.Stop() })
	select {
	case <-s.Done():
	case <-time.After(time.Minute):
		t.Fatalf("the skeleton's server did not stop by itself within a minute: %s", s.Output())
	}
	select {
	case <-s.Serving():
		t.Errorf("the skeleton's Serve never waits for a client, yet Serving is closed: %s", s.Output())
	default:
	}
	assert.Equal(t, 1, s.ExitCode())
	assert.Contains(t, s.Output(), "Serve returned an error before the server was stopped:\n  TODO")
	for line := range strings.Lines(s.Output()) { // netbook up shows them
		assert.LessOrEqual(t, len(strings.TrimRight(line, "\n")), 80, "%q", line)
	}
	assert.Error(t, s.Stop())
}

func TestACompileErrorNamesTheFileAndLine(t *testing.T) {
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	broken := filepath.Join(t.TempDir(), "server.go")
	src, err := os.ReadFile(filepath.Join(l.SolutionDir, "server.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(broken, append(src, "\nfunc broken() int { return }\n"...), 0o644))
	_, err = Build(t.Context(), r, l, Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): broken}})
	var be *BuildError
	require.ErrorAs(t, err, &be)
	assert.Regexp(t, `server\.go:\d+:\d+: not enough return values`, err.Error())
	assert.Contains(t, err.Error(), "your code in labs/03-hello-server does not compile")
	assert.Contains(t, err.Error(), "("+r.Command()+" check 03 shows the same errors", "the command is spelled as the student runs netbook")
	assert.NotContains(t, be.Output, "# github.com", "go build's package headers are left out")
}

// A Serve with the wrong signature is explained.
func TestAWrongServeSignature(t *testing.T) {
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	wrong := filepath.Join(t.TempDir(), "server.go")
	require.NoError(t, os.WriteFile(wrong, []byte("package hello\n\nimport \"net\"\n\nfunc Serve(ln net.Listener) {}\n"), 0o644))
	_, err := Build(t.Context(), r, l, Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): wrong}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), generatedName)
	assert.Contains(t, err.Error(), "func Serve(ln net.Listener) error")
}

func TestAClientDriverRuns(t *testing.T) {
	r := testkit.Shipped(t)
	p := build(t, r, testkit.Lab(t, r, "04-http-client"), Options{Ref: true})
	assert.Equal(t, "the reference client", p.Who())
	out, err := p.Run(t.Context(), []string{"127.0.0.1:1", "no-such-session"}, 10*time.Second, sandbox.Limits{})
	require.NoError(t, err)
	assert.Equal(t, 2, out.ExitCode, "an unknown session is a usage error")
	assert.Contains(t, out.Stderr, "no-such-session")
}

// TestCleanBuildOutputNamesTheGeneratedMain checks both ways the go command
// may name the generated main: by its absolute path, or relative to the
// work tree when that is shorter (a work tree next to the temp dir).
func TestCleanBuildOutputNamesTheGeneratedMain(t *testing.T) {
	root := "/tmp/fresh"
	main := "/tmp/netbook-lab-123/main.go"
	for _, name := range []string{main, "../netbook-lab-123/main.go"} {
		out := "# github.com/netbook/netbook/labs/internal/netbookrun/03-hello-server/server\n" +
			name + ":30:38: cannot use lab.Serve\n" +
			"/tmp/fresh/labs/03-hello-server/server.go:12:2: declared and not used: x\n"
		got := cleanBuildOutput(out, main, generatedName, root)
		assert.Equal(t, generatedName+":30:38: cannot use lab.Serve\nlabs/03-hello-server/server.go:12:2: declared and not used: x\n", got, name)
	}
}

// go build keeps its work directory (go-build...) in the build's own temp
// dir: a build cut short (Ctrl-C, the terminal closed) kills go build,
// which then cannot remove it, and it goes with that dir, which Build
// removes (or the next netbook's sweep, if netbook was killed too).
func TestGoBuildWorksInTheBuildsTempDir(t *testing.T) {
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	broken := filepath.Join(t.TempDir(), "server.go")
	require.NoError(t, os.WriteFile(broken, []byte("package hello\n\nfunc broken() int { return }\n"), 0o644))
	t.Setenv("TMPDIR", tmp)
	t.Setenv("GOFLAGS", "-x") // go build says where it works: WORK=...

	_, err = Build(t.Context(), r, l, Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): broken}})
	var be *BuildError
	require.ErrorAs(t, err, &be)
	work := regexp.MustCompile(`(?m)^WORK=(\S+)$`).FindStringSubmatch(be.Output)
	require.NotNil(t, work, "go build -x names its work directory:\n%s", be.Output)
	rel, err := filepath.Rel(tmp, work[1])
	require.NoError(t, err)
	assert.Regexp(t, `^netbook-lab-[^/]+/go-build`, filepath.ToSlash(rel), "go build works inside the build's temp dir")
	left, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, left, "Build removed its temp dir, and go's work dir with it")
}

// A build cut short (Ctrl-C, the terminal closed) stops the go command
// with everything it started: a compiler that outlived netbook would go
// on using the CPU and writing into a temp dir that is gone.
func TestAStoppedBuildLeavesNoProcess(t *testing.T) {
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	t.Setenv("TMPDIR", t.TempDir())
	_, err := fakego.Install(t).Interrupt(func(ctx context.Context) error {
		p, err := Build(ctx, r, l, Options{})
		if p != nil {
			p.Remove()
		}
		return err
	})
	require.ErrorIs(t, err, context.Canceled)
}

// With Serving, a server says when its Serve first waits for a client,
// even with Quiet (netbook up --quiet), and says it once.
func TestServingSaysWhenServeWaits(t *testing.T) {
	r := testkit.Shipped(t)
	p := build(t, r, testkit.Lab(t, r, "03-hello-server"), Options{Ref: true})
	var out testkit.Buffer
	s, err := p.Start(t.Context(), StartOptions{Quiet: true, Serving: true, Stdout: &out})
	require.NoError(t, err)
	t.Cleanup(func() { s.Stop() })
	waitServing(t, s)
	for range 2 { // the hello server accepts again after each client
		c, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
		require.NoError(t, err)
		c.SetDeadline(time.Now().Add(5 * time.Second))
		_, err = bufio.NewReader(c).ReadString('\n')
		require.NoError(t, err)
		c.Close()
	}
	require.NoError(t, s.Stop())
	assert.Equal(t, 1, strings.Count(out.String(), "Serve called Accept: it is waiting for clients\n"), out.String())
	assert.NotContains(t, out.String(), "connected", "quiet: no connection is logged")
}

func waitServing(t *testing.T, s *Running) {
	t.Helper()
	select {
	case <-s.Serving():
	case <-s.Done():
		t.Fatalf("the server exited before its Serve waited for a client: %s", s.Output())
	case <-time.After(time.Minute):
		t.Fatalf("the server did not say that Serve waits for clients within a minute: %s", s.Output())
	}
}

// Lab 10's package has a Server with a Logger: its main gets one, so that
// netbook up shows the room's log. Lab 09's has none, and a lab 10 whose
// Server lost its Logger field builds without one (the build says what
// else is wrong).
func TestHasLogger(t *testing.T) {
	r := testkit.Shipped(t)
	chat := testkit.Lab(t, r, "10-robust-chat")
	assert.True(t, hasLogger(chat.Dir, nil), "the skeleton's Server")
	sol, err := chat.SolutionFiles()
	require.NoError(t, err)
	assert.True(t, hasLogger(chat.Dir, sol), "the reference's Server")
	assert.False(t, hasLogger(testkit.Lab(t, r, "09-chat-room").Dir, nil))
	noLogger := filepath.Join(t.TempDir(), "server.go")
	require.NoError(t, os.WriteFile(noLogger, []byte("package chat\n\nimport \"net\"\n\ntype Server struct{ MaxLine int }\n\nfunc (s *Server) Serve(ln net.Listener) error { return nil }\n"), 0o644))
	assert.False(t, hasLogger(chat.Dir, map[string]string{filepath.Join(chat.Dir, "server.go"): noLogger}))
}

// The lines that can say which limit stopped a server are kept however
// much it logged, each kind once.
func TestRuntimeLinesKeepWhatExplainNeeds(t *testing.T) {
	var r runtimeLines
	for i := range 1000 {
		r.Write([]byte("2024/01/01 accept: too many open files " + strings.Repeat("x", i%7) + "\n"))
		r.Write([]byte("a line of the server's own\n"))
	}
	r.Write([]byte("fatal error: runtime: out of memory\n"))
	r.Write([]byte("runtime stack:\n"))
	assert.Equal(t, "2024/01/01 accept: too many open files \nfatal error: runtime: out of memory\n", r.String())
	assert.Equal(t, "", explainServer("your server", ""))
	assert.Equal(t, "your server used more than 512 MiB of memory and was stopped: does it keep something for every message or every client, and never let it go?",
		explainServer("your server", "the program used more than 512 MiB of memory and was stopped"))
	assert.Equal(t, "the reference server used more than 10m0s of CPU time and was stopped: does a loop spin without waiting for anything, a read or a channel?",
		explainServer("the reference server", "the program used more than 10m0s of CPU time and was stopped"))
}

// The serving line reaches the log before Serving says so: netbook up
// waits for Serving, then writes where to talk to the server beside the
// log, and that must come after the line (it came before it, 1 run in 6
// under load, when the watch signalled first).
func TestServingWatchPassesTheLineOnFirst(t *testing.T) {
	w := &servingWatch{seen: make(chan struct{})}
	signalled := []bool{}
	w.out = writerFunc(func(p []byte) (int, error) {
		select {
		case <-w.seen:
			signalled = append(signalled, true)
		default:
			signalled = append(signalled, false)
		}
		return len(p), nil
	})
	w.Write([]byte("listening on udp 127.0.0.1:40000\n"))
	w.Write([]byte("12:00:00.000 Serve called ReadFrom: it is waiting for clients\n"))
	assert.Equal(t, []bool{false, false}, signalled, "each line written before Serving is closed")
	select {
	case <-w.seen:
	default:
		t.Fatal("the serving line did not close Serving")
	}
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
