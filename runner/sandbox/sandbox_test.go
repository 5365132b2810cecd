package sandbox

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/netbook/netbook/runner/lang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExplainNamesTheLimit(t *testing.T) {
	l := Limits{Memory: 256 << 20, CPU: 3e9, FileSize: 1 << 20, OpenFiles: 64, Threads: 50}
	for out, want := range map[string]string{
		"fatal error: runtime: out of memory\n\nruntime stack:\n":                               "the program used more than 256 MiB of memory and was stopped",
		"runtime: program exceeds 50-thread limit\nfatal error: thread exhaustion\n":            "the program started too many threads",
		"error: write big: file too large\n":                                                    "larger than 1 MiB",
		"accept tcp: accept4: too many open files\n":                                            "more than 64 files and sockets",
		"runtime: goroutine stack exceeds 67108864-byte limit\nfatal error: stack overflow\n":   "the program's stack grew past 64 MiB, a stack overflow, and it was stopped: does a function call itself without end?",
		"runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n": "grew past 1000000000 bytes",
		"hello\n": "",
	} {
		if want == "" {
			assert.Empty(t, Explain(nil, out, l))
			continue
		}
		assert.Contains(t, Explain(nil, out, l), want)
	}
	assert.Contains(t, Explain(nil, "fatal error: runtime: out of memory\n", Limits{}), "512 MiB", "zero limits are the defaults")
	assert.Contains(t, Explain(nil, "fatal error: stack overflow\n", l), "the program's stack grew past its limit, a stack overflow", "no size named")
}

// netbook run and the web book say which limit stopped a program in the
// reader's language.
func TestExplainInTheReadersLanguage(t *testing.T) {
	l := Limits{Memory: 256 << 20, CPU: 3e9, FileSize: 1 << 20, OpenFiles: 64, Threads: 50}
	for out, want := range map[string]string{
		"fatal error: runtime: out of memory\n":                                                 "程序用了超过 256 MiB 的内存，被停下了",
		"runtime: program exceeds 50-thread limit\nfatal error: thread exhaustion\n":            "上限是 50 个线程，所有线程的栈共用 256 MiB 内存",
		"error: write big: file too large\n":                                                    "大于 1 MiB 的文件",
		"accept tcp: accept4: too many open files\n":                                            "超过 64 个文件和套接字",
		"runtime: goroutine stack exceeds 67108864-byte limit\nfatal error: stack overflow\n":   "程序的栈超过了 64 MiB，栈溢出了",
		"runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n": "超过了 1000000000 字节",
		"fatal error: stack overflow\n":                                                         "程序的栈超过了上限",
	} {
		assert.Contains(t, ExplainIn(lang.Chinese, nil, out, l), want)
	}
	assert.Empty(t, ExplainIn(lang.Chinese, nil, "hello\n", l))
}

func TestTrimFatalDropsTheStackDump(t *testing.T) {
	out := "working\nfatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw(...)\n"
	assert.Equal(t, "working\nfatal error: runtime: out of memory\n", TrimFatal(out))
	assert.Equal(t, "panic: boom\n\ngoroutine 1:\n", TrimFatal("panic: boom\n\ngoroutine 1:\n"), "other failures keep their stacks")
	assert.True(t, FatalLimit("fatal error: out of memory\n"))
	assert.True(t, FatalLimit("fatal error: stack overflow\n"), "the interpreter's stack limit is a limit: its dump runs to hundreds of lines")
	assert.False(t, FatalLimit("panic: out of memory in my cache\n"))
}

// TestSweepRemovesOnlyDeadRunsDirs makes a live run's dir, a dead run's
// (its lock file not held: its netbook died) and a dir that is not
// netbook's run dir: Sweep removes the dead one only.
func TestSweepRemovesOnlyDeadRunsDirs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock: nothing is swept")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	live, remove, err := TempDir("netbook-run-")
	require.NoError(t, err)
	t.Cleanup(remove)
	dead := filepath.Join(tmp, "netbook-run-123")
	require.NoError(t, os.Mkdir(dead, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dead, "c02s1.go"), nil, 0o644))
	require.NoError(t, os.WriteFile(dead+".lock", nil, 0o644))
	other := filepath.Join(tmp, "netbook-cache")
	require.NoError(t, os.Mkdir(other, 0o700))

	assert.Equal(t, 1, Sweep())
	assert.NoDirExists(t, dead)
	assert.NoFileExists(t, dead+".lock")
	assert.DirExists(t, live, "a live run's dir was swept")
	assert.DirExists(t, other)

	remove()
	assert.NoDirExists(t, live)
	assert.NoFileExists(t, live+".lock")
}

// TestTempDirSurvivesASweepBetweenCreateAndLock has another netbook's
// Sweep come between the creation of TempDir's lock file and its lock,
// which it may take for a dead run's: once done, removing the name, and
// once under way, holding the lock while TempDir tries it, to remove the
// directory after. Either way the directory TempDir returns has its lock
// file, held, and is still there when that Sweep is over.
func TestTempDirSurvivesASweepBetweenCreateAndLock(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock: nothing is swept")
	}
	for _, midway := range []bool{false, true} {
		t.Setenv("TMPDIR", t.TempDir())
		var finish func() // the rest of a Sweep under way
		testHookLockCreated = func(l string) {
			testHookLockCreated = nil
			if !midway {
				Sweep()
				return
			}
			f, err := os.OpenFile(l, os.O_RDWR, 0)
			require.NoError(t, err)
			require.True(t, tryLock(f))
			finish = func() {
				os.RemoveAll(strings.TrimSuffix(l, ".lock"))
				os.Remove(l)
				f.Close()
			}
		}
		t.Cleanup(func() { testHookLockCreated = nil })
		dir, remove, err := TempDir("netbook-run-")
		require.NoError(t, err)
		if finish != nil {
			finish()
		}
		assert.DirExists(t, dir, "midway %v: a Sweep removed the directory TempDir returned", midway)
		assert.FileExists(t, dir+".lock", "midway %v: the directory has no lock file: a killed netbook's would never be swept", midway)
		assert.Zero(t, Sweep(), "midway %v: a later Sweep took the live run for a dead one", midway)
		assert.DirExists(t, dir)
		remove()
	}
}

// TestWrapKeepsTheProgram runs a command through Wrap wherever the tests
// run: the program runs, with its arguments, and says what it was told.
func TestWrapKeepsTheProgram(t *testing.T) {
	exe, err := exec.LookPath("go")
	require.NoError(t, err)
	cmd := exec.Command(exe, "env", "GOOS")
	dir := t.TempDir()
	// With telemetry on (the go command's default for a new home, "local"),
	// go may leave a child process writing counters in dir after it exits,
	// and t.TempDir's cleanup then fails on a directory that is not empty.
	config := filepath.Join(dir, ".config")
	require.NoError(t, os.MkdirAll(filepath.Join(config, "go", "telemetry"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(config, "go", "telemetry", "mode"), []byte("off"), 0o644))
	Wrap(cmd, Options{Dir: dir, Read: []string{filepath.Dir(filepath.Dir(exe))}})
	cmd.Env = append(cmd.Env, "GOCACHE="+dir, "HOME="+dir, "XDG_CONFIG_HOME="+config)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, runtime.GOOS+"\n", string(out))
	assert.NotEmpty(t, Probe().Network)
}

// TestReportFitsTheTerminal: netbook run --sandbox-report wraps each
// layer's words under the first word after its name, so that an 80-column
// terminal does not break them mid-word; width 0 leaves each layer on a line.
func TestReportFitsTheTerminal(t *testing.T) {
	r := Report{
		Network:  "a network namespace of its own with only loopback up (a pair shares one, through nsenter)",
		Files:    "Landlock ABI 7: the temp dir read-write; the program, system libraries and a few files of /etc read-only",
		Limits:   Default.String(),
		Lifetime: "a child is killed when netbook dies",
	}
	text := r.Text(60)
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		assert.LessOrEqual(t, len(line), 60, "%q", line)
	}
	assert.Contains(t, text, "network:     a network namespace of its own with only\n             loopback up")
	assert.Contains(t, text, "lifetime:    a child is killed when netbook dies\n")
	assert.Equal(t, "network:     "+r.Network+"\nfile system: "+r.Files+"\nresources:   "+r.Limits+"\nlifetime:    "+r.Lifetime+"\n", r.String())
}

// TestExplainSaysAThreadBombIsThreads: a program that starts too many
// threads, and holds little memory, is told so, whichever limit their
// stacks met first (cgo's 8 MiB stacks fill 512 MiB at 64 threads, below
// the thread limit). How a leak that makes a thread start fail is told
// apart, by the memory the program held, is in sandbox_linux_test.go.
func TestExplainSaysAThreadBombIsThreads(t *testing.T) {
	for _, out := range []string{
		"runtime/cgo: pthread_create failed: Resource temporarily unavailable\nSIGABRT: abort\nPC=0x7f3f9f44deec m=60 sigcode=18446744073709551610\n",
		"runtime: failed to create new OS thread (have 9 already; errno=11)\nruntime: may need to increase max user processes (ulimit -u)\nfatal error: newosproc\n",
		"runtime: program exceeds 256-thread limit\nfatal error: thread exhaustion\n",
	} {
		assert.Contains(t, Explain(nil, out, Default), "started too many threads", "%q", out)
	}
}

// TestOffWords: NETBOOK_SANDBOX_OFF's words, whatever their case and
// spaces; a word that names no layer is ignored, and OffWarning names it
// and the words that work.
func TestOffWords(t *testing.T) {
	off, unknown := offLayers(" Network, limits,,netwrok ,file")
	assert.Equal(t, map[string]bool{"network": true, "limits": true}, off)
	assert.Equal(t, []string{"netwrok", "file"}, unknown)

	t.Setenv(EnvOff, "network,files")
	assert.Empty(t, OffWarning())
	t.Setenv(EnvOff, "")
	assert.Empty(t, OffWarning())
	t.Setenv(EnvOff, "netwrok")
	assert.Equal(t, `NETBOOK_SANDBOX_OFF=netwrok: netbook ignores "netwrok", which names no layer of the sandbox; it takes network, files and limits, separated by commas (NETBOOK_SANDBOX_OFF=network,limits)`, OffWarning())
	t.Setenv(EnvOff, "nets,file")
	assert.Contains(t, OffWarning(), `netbook ignores "nets" and "file", which name no layers of the sandbox`)
	assert.Equal(t, `NETBOOK_SANDBOX_OFF=nets,file：netbook 忽略了 "nets"、"file"，它们都不是沙箱的层；可用的有 network、files 和 limits，用逗号隔开（NETBOOK_SANDBOX_OFF=network,limits）`, OffWarningIn(lang.Chinese))
	t.Setenv(EnvOff, "netwrok")
	assert.Contains(t, OffWarningIn(lang.Chinese), `netbook 忽略了 "netwrok"，它不是沙箱的任何一层`)
}

// TestLimitsText: the report gives a run's limits and how a REPL
// session's differ, both from this package's own values.
func TestLimitsText(t *testing.T) {
	assert.Equal(t, "a run: memory 512 MiB, CPU time 2m0s, file size 64 MiB, 1024 open files, 256 threads; a REPL session: the same but CPU time 10m0s for the whole session",
		limitsText(Default, REPLLimits))
	assert.Equal(t, "a run: "+Default.String()+"; a REPL session: the same", limitsText(Default, Default))
	assert.Greater(t, REPLLimits.CPU, Default.CPU)
}

// The notice of the layers this machine does not offer is said in the
// reader's language; Missing stays the English.
func TestMissingInTheReadersLanguage(t *testing.T) {
	var r Report
	assert.Empty(t, r.MissingIn(lang.Chinese))
	r.miss(lang.MissingNetwork, errors.New("operation not permitted"))
	r.miss(lang.MissingLimitsOff, EnvOff)
	assert.Equal(t, "network isolation: unavailable (operation not permitted), the language-level fence still applies; resource limits: unavailable (turned off by NETBOOK_SANDBOX_OFF)", r.Missing)
	assert.Equal(t, r.Missing, r.MissingIn(lang.English))
	assert.Equal(t, "网络隔离：不可用（operation not permitted），语言层面的防护仍然有效；资源限制：不可用（被 NETBOOK_SANDBOX_OFF 关掉了）", r.MissingIn(lang.Chinese))
}
