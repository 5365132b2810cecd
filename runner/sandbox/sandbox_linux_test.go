package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// needLayers skips a test of an OS layer this machine does not offer,
// saying which and why.
func needLayers(t *testing.T, network, files bool) {
	t.Helper()
	probed()
	if network && probe.netErr != nil {
		t.Skipf("network layer unavailable here: %v", probe.netErr)
	}
	if files && probe.landlock == 0 {
		t.Skipf("file-system layer unavailable here: no Landlock (%v)", probe.llErr)
	}
}

func wrappedOutput(t *testing.T, o Options, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = o.Dir
	Wrap(cmd, o)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestOnlyLoopback(t *testing.T) {
	needLayers(t, true, false)
	out, err := wrappedOutput(t, Options{Dir: t.TempDir()}, "/bin/cat", "/proc/net/dev")
	require.NoError(t, err, out)
	assert.Equal(t, []string{"lo"}, interfaces(out))
}

// interfaces lists the interfaces of /proc/net/dev's text.
func interfaces(dev string) []string {
	var ifaces []string
	for _, line := range strings.Split(dev, "\n")[2:] {
		if name, _, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			ifaces = append(ifaces, name)
		}
	}
	return ifaces
}

func TestFilesOutsideAreRefused(t *testing.T) {
	needLayers(t, false, true)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine"), []byte("ok\n"), 0o644))
	out, err := wrappedOutput(t, Options{Dir: dir}, "/bin/cat", "mine")
	require.NoError(t, err, out)
	assert.Equal(t, "ok\n", out)
	out, err = wrappedOutput(t, Options{Dir: dir}, "/bin/cat", "/etc/passwd")
	assert.Error(t, err)
	assert.Contains(t, out, "Permission denied")

	outside := t.TempDir()
	out, err = wrappedOutput(t, Options{Dir: dir}, "/bin/sh", "-c", "echo x > "+outside+"/planted && echo y > mine")
	assert.Error(t, err, out)
	assert.Contains(t, out, "Permission denied")
	assert.NoFileExists(t, filepath.Join(outside, "planted"))
}

// TestLayersTurnedOff is a machine without the OS layers (as where the
// kernel refuses user namespaces and has no Landlock): the report says so
// and a wrapped program still runs, with the host's network and files.
func TestLayersTurnedOff(t *testing.T) {
	t.Setenv(EnvOff, "network,files,limits")
	probe.once = sync.Once{}
	t.Cleanup(func() { os.Unsetenv(EnvOff); probe.once = sync.Once{}; probed() })

	r := Probe()
	assert.False(t, r.NetworkOn || r.FilesOn || r.SignalsOn || r.LimitsOn, "%+v", r)
	assert.Contains(t, r.Missing, "network isolation: unavailable (turned off by NETBOOK_SANDBOX_OFF), the language-level fence still applies")
	assert.Contains(t, r.Missing, "file-system isolation: unavailable (turned off by NETBOOK_SANDBOX_OFF)")

	out, err := wrappedOutput(t, Options{Dir: t.TempDir()}, "/bin/cat", "/proc/net/dev")
	require.NoError(t, err, out)
	host, err := os.ReadFile("/proc/net/dev")
	require.NoError(t, err)
	assert.Equal(t, interfaces(string(host)), interfaces(out), "the program sees the host's interfaces")
	out, err = wrappedOutput(t, Options{Dir: t.TempDir()}, "/bin/cat", "/etc/hostname")
	assert.NoError(t, err, "the program reads a file outside its dir: %s", out)
}

// TestExplainJudgesACrashByItsMemory: the Go runtime sometimes faults
// instead of saying "out of memory"; a failed program that held nearly
// its whole limit is explained as the memory limit, one that did not is
// not.
func TestExplainJudgesACrashByItsMemory(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", "exit 2")
	require.Error(t, cmd.Run())
	crash := "SIGSEGV: segmentation violation\nPC=0x43ca3d m=0 sigcode=1 addr=0x0\n"
	small := Limits{Memory: 64 << 10, CPU: Default.CPU, FileSize: Default.FileSize, OpenFiles: 64, Threads: 64}
	assert.Contains(t, Explain(cmd.ProcessState, crash, small), "more than 0 MiB of memory")
	assert.Empty(t, Explain(cmd.ProcessState, crash, Default), "a crash far below the limit is not the limit's")
	assert.Equal(t, "SIGSEGV: segmentation violation\n", TrimFatal(crash))
}

// TestExplainTellsAThreadThatFoundNoMemory: a thread's stack is memory
// too, so a program that leaks until its memory is nearly all used fails
// to start a thread with only a few of them; that is the memory limit's
// doing, not the thread limit's. (The output is what a cgo server that
// leaked 400 MiB under a 512 MiB limit printed; a shell's exit stands in
// for the program, its resident memory measured against small limits.)
func TestExplainTellsAThreadThatFoundNoMemory(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", "exit 2")
	require.Error(t, cmd.Run())
	rss := maxRSS(cmd.ProcessState)
	require.Positive(t, rss)
	leak := "runtime/cgo: pthread_create failed: Resource temporarily unavailable\nSIGABRT: abort\nPC=0x7f3f9f44deec m=9 sigcode=18446744073709551610\n\ngoroutine 0 gp=0x0 m=9 mp=0xc000181008 [idle]:\n"
	bomb := "runtime/cgo: pthread_create failed: Resource temporarily unavailable\nSIGABRT: abort\nPC=0x7f3f9f44deec m=200 sigcode=18446744073709551610\n"
	limits := func(memory int64) Limits {
		return Limits{Memory: memory, CPU: Default.CPU, FileSize: Default.FileSize, OpenFiles: 64, Threads: 256}
	}
	full, half := limits(rss), limits(rss*3/2) // it held all of it; two thirds of it
	assert.Contains(t, Explain(cmd.ProcessState, leak, full), "of memory and was stopped")
	assert.Contains(t, Explain(cmd.ProcessState, leak, half), "of memory and was stopped", "few threads, half the memory held")
	assert.Contains(t, Explain(cmd.ProcessState, bomb, half), "started too many threads", "many threads")
	assert.Contains(t, Explain(cmd.ProcessState, leak, Default), "started too many threads", "little memory held")
}

// TestLimitsOnly: a lab's server under netbook up and bench gets the
// resource limits and nothing else: the host's interfaces, files
// anywhere, and the limits asked for.
func TestLimitsOnly(t *testing.T) {
	probed()
	if probe.self == "" || probe.limitsOff {
		t.Skip("no shim here, or the limits are turned off")
	}
	l := Limits{Memory: 256 << 20, CPU: 90 * time.Second, FileSize: 8 << 20, OpenFiles: 200, Threads: 64}
	o := Options{LimitsOnly: true, Limits: l}
	out, err := wrappedOutput(t, o, "/bin/sh", "-c", "ulimit -t; ulimit -f; ulimit -n; ulimit -d")
	require.NoError(t, err, out)
	// sh's ulimit speaks KiB, seconds and 512-byte blocks; the CPU limit's
	// soft side is the limit, its hard side a second more.
	rest, ok := strings.CutPrefix(out, "90\n16384\n200\n")
	require.True(t, ok, out)
	data, err := strconv.Atoi(strings.TrimSpace(rest))
	require.NoError(t, err, out)
	if raceShim {
		assert.GreaterOrEqual(t, data, 262144, "the limit, and the room ThreadSanitizer takes in the shim")
	} else {
		assert.Equal(t, 262144, data)
	}
	out, err = wrappedOutput(t, o, "/bin/cat", "/proc/net/dev")
	require.NoError(t, err, out)
	host, err := os.ReadFile("/proc/net/dev")
	require.NoError(t, err)
	assert.Equal(t, interfaces(string(host)), interfaces(out), "no network namespace")
	out, err = wrappedOutput(t, o, "/bin/cat", "/etc/passwd")
	assert.NoError(t, err, "no file-system fence: %s", out)
}
