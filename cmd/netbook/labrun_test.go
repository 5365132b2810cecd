package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/linewatch"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests cover the commands that run code on loopback: up, diff,
// assist and proxy. Where a real process matters (a signal to stop it, a
// port to free) they run netbook as a child: the test binary itself,
// re-executed into TestHelperNetbook.

// labTree is workTree with the named labs and their solutions copied too.
func labTree(t *testing.T, names ...string) string {
	t.Helper()
	return workTree(t, names...)
}

// TestHelperNetbook is netbook's main when the test binary is run by
// startNetbook; as a test it does nothing.
func TestHelperNetbook(t *testing.T) {
	if os.Getenv("NETBOOK_HELPER") != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(args, os.Stdout, os.Stderr))
}

// child is netbook running as a child process.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *linewatch.Lines // its standard output
	stderr *testkit.Buffer
	done   chan struct{}
}

// startNetbook runs netbook with args in the work tree root (the current
// directory), as a child process that is killed when the test ends.
func startNetbook(t *testing.T, args ...string) *child {
	t.Helper()
	return startNetbookEnv(t, nil, args...)
}

// startNetbookEnv is startNetbook with more environment variables.
func startNetbookEnv(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperNetbook$", "--"}, args...)...)
	cmd.Env = append(append(os.Environ(), "NETBOOK_HELPER=1"), env...)
	c := &child{cmd: cmd, stderr: &testkit.Buffer{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	// exec copies the child's output into the pipe, and Wait waits for
	// that copy, so nothing the child printed is lost.
	stdout, toWatch := io.Pipe()
	cmd.Stdout = toWatch
	c.out = linewatch.Watch(stdout)
	c.out.Also = func() string { return "netbook's standard error:\n" + c.stderr.String() }
	var err error
	c.stdin, err = cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	go func() {
		cmd.Wait()
		toWatch.Close()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// expect waits for an output line matching pattern and returns its
// submatches.
func (c *child) expect(t *testing.T, timeout time.Duration, pattern string) []string {
	t.Helper()
	return c.out.Expect(t, timeout, pattern)
}

// exit waits for netbook to exit and returns its status.
func (c *child) exit(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		t.Fatalf("netbook did not exit within %v; stderr:\n%s", timeout, c.stderr)
		return 0
	}
}

// buildTime bounds building a lab in a fresh work tree.
const buildTime = 2 * time.Minute

const step = 5 * time.Second

// netbook up --ref serves the reference on loopback: a raw client gets the
// protocol's answers, the log shows them, and SIGINT stops the server
// cleanly and frees its port.
func TestUpServesAndStopsOnSIGINT(t *testing.T) {
	labTree(t, "03-hello-server")
	nb := startNetbook(t, "up", "03", "--ref")
	addr := nb.expect(t, buildTime, `^listening on tcp (127\.0\.0\.1:\d+)$`)[1]

	c := nettest.Dial(t, addr)
	br := nettest.NewReader(c)
	assert.Equal(t, "Welcome!\n", br.Line(t, "the greeting"))
	c.Write([]byte("Michael\n"))
	assert.Equal(t, "Hello, Michael!\n", br.Line(t, "the answer to Michael"))
	nb.expect(t, step, `\[#1 127\.0\.0\.1:\d+\] read "Michael\\n"$`)
	c.Close()

	require.NoError(t, nb.cmd.Process.Signal(os.Interrupt))
	nb.expect(t, step, `Serve returned nil; bye$`)
	assert.Equal(t, 0, nb.exit(t, 10*time.Second), nb.stderr.String())
	assert.Contains(t, nb.stderr.String(), "The reference server is listening. Talk to it from another terminal with\n  nc 127.0.0.1 ")
	assert.Contains(t, nb.stderr.String(), "The reference server stopped cleanly.")
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err, "the port is free once netbook up has stopped")
	ln.Close()
}

func TestUpRefusesWhatItCannotServe(t *testing.T) {
	root := labTree(t, "03-hello-server", "04-http-client")
	code, _, errOut := netbook(t, "up", "03", "--addr", "0.0.0.0:8000")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "refusing to listen on 0.0.0.0:8000")
	assert.Contains(t, errOut, "--public")

	code, _, errOut = netbook(t, "up", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "lab 01-addresses is not a server lab")
	assert.Contains(t, errOut, "its tests try it: ", "it says what to run instead")
	code, _, errOut = netbook(t, "up", "04")
	assert.Equal(t, 1, code)
	assert.Contains(t, unwrapped(errOut), "diff 04 runs against the lab's scripted servers")
	code, _, _ = netbook(t, "up")
	assert.Equal(t, 2, code)

	path := filepath.Join(root, "labs", "03-hello-server", "server.go")
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(src, "\nfunc broken() int { return }\n"...), 0o644))
	code, _, errOut = netbook(t, "up", "03")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "your code in labs/03-hello-server does not compile")
	assert.Regexp(t, `labs/03-hello-server/server\.go:\d+:\d+: not enough return values`, errOut)
}

// netbook diff on a solved lab reports every session the same; with one
// byte of a reply changed, it names that byte.
func TestDiffSameThenOneByteOff(t *testing.T) {
	root := labTree(t, "03-hello-server")
	solve(t, root, "03-hello-server")
	before := treeHash(t, root)
	sessions, err := filepath.Glob(filepath.Join(root, "labs", "03-hello-server", "testdata", "*.session"))
	require.NoError(t, err)
	n := len(sessions)
	require.NotZero(t, n)
	code, out, errOut := netbook(t, "diff", "03")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, fmt.Sprintf("%d of %d sessions the same as the reference", n, n))
	assert.Equal(t, before, treeHash(t, root), "diff changes no file")

	path := filepath.Join(root, "labs", "03-hello-server", "server.go")
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(src), `"Hello, "`)
	require.NoError(t, os.WriteFile(path, bytes.Replace(src, []byte(`"Hello, "`), []byte(`"Hello; "`), 1), 0o644))
	code, out, _ = netbook(t, "diff", "03", "--json")
	assert.Equal(t, 1, code)
	var rep struct {
		Sessions []struct {
			Name, Status string
			Student      struct {
				Mismatch struct {
					Expected, Received string
					Offset             int
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.Len(t, rep.Sessions, n)
	differ := 0
	for _, s := range rep.Sessions {
		if s.Status == "differs" {
			differ++
			assert.Equal(t, 5, s.Student.Mismatch.Offset, s.Name)
			assert.Contains(t, s.Student.Mismatch.Received, "Hello; ", s.Name)
		}
	}
	assert.NotZero(t, differ, "a session gets a Hello reply")

	code, out, _ = netbook(t, "diff", "03")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "DIFFERS  one-client")
	assert.Contains(t, out, "^ first difference, at byte 5")

	code, _, errOut = netbook(t, "diff", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "nothing to diff")
}

// A server lab without scripted sessions (lab 11) has nothing to play:
// diff says so and how to run it by hand, without announcing a build it
// does not do.
func TestDiffWithoutSessions(t *testing.T) {
	workTree(t, "11")
	code, out, errOut := netbook(t, "diff", "11")
	assert.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "has no scripted sessions to play")
	assert.Contains(t, out, "up 11")
	assert.NotContains(t, errOut, "building")
}

// netbook assist tcp connect: what arrives is shown, what is typed is
// sent, the end of input half-closes, and the server's close ends it.
func TestAssistConnects(t *testing.T) {
	workTree(t)
	ln := nettest.Listen(t)
	nb := startNetbook(t, "assist", "tcp", "connect", ln.Addr().String())
	c := nettest.Accept(t, ln, "netbook assist")
	br := nettest.NewReader(c)

	c.Write([]byte("Welcome!\n\x00\x01"))
	addr := regexp.QuoteMeta(ln.Addr().String())
	nb.expect(t, step, `^\d\d:\d\d:\d\d\.\d{3} \[`+addr+`\] Welcome!$`)
	nb.expect(t, step, `\] "\\x00\\x01" \(no newline\)$`)
	nb.expect(t, step, `\]   hex 00 01$`)
	io.WriteString(nb.stdin, "Michael\n")
	assert.Equal(t, "Michael\n", br.Line(t, "the line typed"))
	nb.stdin.Close()
	br.EOF(t, "the end of netbook's input half-closes the connection")
	c.Close()
	nb.expect(t, step, `closed the connection$`)
	assert.Equal(t, 0, nb.exit(t, step))
}

// netbook proxy forwards through netsim, and prints its counters when it
// is stopped with SIGINT.
func TestProxyFragmentsAndSummarises(t *testing.T) {
	workTree(t)
	echo := nettest.Handle(t, func(c net.Conn) { io.Copy(c, c) })
	nb := startNetbook(t, "proxy", "--to", echo, "--fragment", "2")
	paddr := nb.expect(t, step, `^proxy tcp (127\.0\.0\.1:\d+) -> `+regexp.QuoteMeta(echo)+`$`)[1]
	c := nettest.Dial(t, paddr)
	c.Write([]byte("hello, proxy\n"))
	assert.Equal(t, "hello, proxy\n", nettest.NewReader(c).Line(t, "the echo through the proxy"))
	require.NoError(t, nb.cmd.Process.Signal(os.Interrupt))
	nb.expect(t, step, `^tcp 127\.0\.0\.1:\d+ -> .*: 1 connection .*to server: 13 bytes in \d+ reads?, 7 writes`)
	assert.Equal(t, 0, nb.exit(t, step))
}

func TestAssistAndProxyUsage(t *testing.T) {
	workTree(t)
	code, _, errOut := netbook(t, "assist", "tcp")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "say tcp or udp, listen or connect, and an address")
	code, _, errOut = netbook(t, "assist", "tcp", "listen", "0.0.0.0:0")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "refusing to listen on 0.0.0.0:0")
	code, _, errOut = netbook(t, "proxy", "--fragment", "3")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--to is missing")
	code, _, errOut = netbook(t, "proxy", "sctp", "--to", "127.0.0.1:9")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `"sctp" is not tcp or udp`)
	code, _, errOut = netbook(t, "proxy", "--to", "127.0.0.1:9", "--drop", "2")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not between 0 and 1")
	code, _, errOut = netbook(t, "proxy", "tcp", "--to", "127.0.0.1:9", "--drop", "0.5")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "apply to UDP")
}
