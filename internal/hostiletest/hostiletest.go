//go:build linux

// Package hostiletest holds what the hostile-snippet tests of
// runner/snippets (netbook run) and runner/interpbin (netbook repl) share:
// the things a hostile snippet must not reach, and the checks that it did
// not. Tests only.
package hostiletest

import (
	"bufio"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netbook/netbook/runner/sandbox"
	"github.com/stretchr/testify/require"
)

// Target listens on one of the host's non-loopback addresses, where a
// snippet must never connect.
type Target struct {
	Addr string // HOST:PORT
	ln   *net.TCPListener
}

// NewTarget listens on the first non-loopback IPv4 address of the host, or
// returns a TEST-NET address nothing listens on (then only the message can
// be checked) when there is none. The listener closes when the test ends.
func NewTarget(t *testing.T) *Target {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: ipn.IP})
		if err != nil {
			continue
		}
		t.Cleanup(func() { ln.Close() })
		return &Target{Addr: ln.Addr().String(), ln: ln}
	}
	t.Log("no non-loopback address to listen on: the network cases check the message only")
	return &Target{Addr: "192.0.2.1:443"}
}

// Accepted returns how many connections reached the target since the last
// call (any that did is queued in the kernel by the time the snippet has
// exited).
func (tg *Target) Accepted() int {
	if tg.ln == nil {
		return 0
	}
	return Accepted(tg.ln)
}

// UnixListener listens on a Unix socket at path until the test ends.
func UnixListener(t *testing.T, path string) *net.UnixListener {
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return ln
}

// Accepted returns how many connections are waiting on ln.
func Accepted(ln interface {
	Accept() (net.Conn, error)
	SetDeadline(time.Time) error
}) int {
	n := 0
	for {
		ln.SetDeadline(time.Now().Add(50 * time.Millisecond))
		c, err := ln.Accept()
		if err != nil {
			return n
		}
		c.Close()
		n++
	}
}

// Victim is a process of the test's that a snippet must not signal.
type Victim struct {
	Pid  int
	done chan struct{}
}

// NewVictim starts one, killed when the test ends.
func NewVictim(t *testing.T) *Victim {
	cmd := exec.Command("sleep", "300")
	require.NoError(t, cmd.Start())
	v := &Victim{Pid: cmd.Process.Pid, done: make(chan struct{})}
	go func() { cmd.Wait(); close(v.done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-v.done })
	return v
}

// Alive reports whether the victim still runs.
func (v *Victim) Alive() bool {
	select {
	case <-v.done:
		return false
	default:
		return syscall.Kill(v.Pid, 0) == nil
	}
}

// HostListening returns the TCP ports listening in the test's (the host's)
// network namespace, from /proc/net/tcp and tcp6.
func HostListening(t *testing.T) map[int]bool {
	ports := map[int]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || fields[3] != "0A" { // 0A: TCP_LISTEN
				continue
			}
			_, hexPort, _ := strings.Cut(fields[1], ":")
			if p, err := strconv.ParseUint(hexPort, 16, 16); err == nil {
				ports[int(p)] = true
			}
		}
	}
	return ports
}

// SkipUncovered skips a case whose OS layer (network, files, signals or
// limits) this machine does not offer, unless the language-level fence
// covers it (fence), saying which layer and why.
func SkipUncovered(t *testing.T, layer string, fence bool) {
	t.Helper()
	rep := sandbox.Probe()
	on := map[string]bool{"network": rep.NetworkOn, "files": rep.FilesOn, "signals": rep.SignalsOn, "limits": rep.LimitsOn}
	if !on[layer] && !fence {
		t.Skipf("the %s layer of the OS sandbox is unavailable here (%s), and the language-level fence does not cover this case", layer, rep.Missing)
	}
}

// Secret is the text of the file WriteSecret writes, which no snippet's
// output may contain.
const Secret = "TOPSECRET"

// WriteSecret writes a file named secret in dir, outside any snippet's
// temp dir, and returns its path.
func WriteSecret(t *testing.T, dir string) string {
	path := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(path, []byte(Secret+"\n"), 0o644))
	return path
}
