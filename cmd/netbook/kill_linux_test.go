package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// goneWithin bounds the wait for the children of a killed netbook to go.
// The kernel kills them (Pdeathsig) the moment netbook dies, and the test
// waits for each one's exit as an event (a pidfd), so this is not a claim
// about speed: only a child that escaped makes the test wait this long.
const goneWithin = time.Minute

// TestKilledNetbookLeavesNothing kills netbook run (a server and client
// pair whose client waits on its standard input), netbook repl (in a busy
// loop) and netbook up (a lab server) with SIGHUP and with SIGKILL: every
// process netbook started must be gone within two seconds, its temp dirs
// removed (SIGHUP) or removed by the next netbook to start (SIGKILL).
func TestKilledNetbookLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the interpreter and a lab")
	}
	cases := []struct {
		name  string
		args  []string
		input string // written to its standard input once it is ready
		ready string // the line that says it is ready
	}{
		{name: "run", args: []string{"run", "9:8", "--timeout", "5m"}, ready: `client \| connected to`},
		{name: "repl", args: []string{"repl"}, input: "fmt.Println(\"ready\")\n", ready: `ready`},
		{name: "up", args: []string{"up", "03", "--ref"}, ready: `listening on tcp 127\.0\.0\.1:\d+`},
	}
	for _, c := range cases {
		for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGKILL} {
			t.Run(c.name+"/"+sig.String(), func(t *testing.T) {
				tmp := t.TempDir()
				env := []string{"TMPDIR=" + tmp}
				nb := startNetbookEnv(t, env, c.args...)
				if c.input != "" {
					_, err := nb.stdin.Write([]byte(c.input))
					require.NoError(t, err)
				}
				nb.expect(t, 3*time.Minute, c.ready)
				if c.name == "repl" {
					_, err := nb.stdin.Write([]byte("for {}\n"))
					require.NoError(t, err)
				}
				kids := descendants(nb.cmd.Process.Pid)
				require.NotEmpty(t, kids, "netbook %s started no process", c.name)
				require.NotEmpty(t, leftovers(t, tmp), "netbook %s made no temp dir in %s", c.name, tmp)

				require.NoError(t, syscall.Kill(nb.cmd.Process.Pid, sig))
				nb.exit(t, time.Minute)
				assert.Empty(t, waitGone(t, kids, goneWithin), "processes netbook %s started outlived it by %v", c.name, goneWithin)

				if sig == syscall.SIGHUP {
					assert.NotContains(t, nb.stderr.String(), "context canceled", "the signal is named in words a student knows")
					assert.Empty(t, leftovers(t, tmp), "netbook %s left its temp dirs after SIGHUP", c.name)
					return
				}
				assert.NotEmpty(t, leftovers(t, tmp), "after SIGKILL the temp dirs are still there (nothing could remove them)")
				next := startNetbookEnv(t, env, "list")
				assert.Zero(t, next.exit(t, time.Minute), "netbook list failed:\n%s", next.stderr)
				assert.Empty(t, leftovers(t, tmp), "the next netbook did not sweep what the killed one left")
			})
		}
	}
}

// leftovers lists the netbook-* entries of dir.
func leftovers(t *testing.T, dir string) []string {
	m, err := filepath.Glob(filepath.Join(dir, "netbook-*"))
	require.NoError(t, err)
	return m
}

// descendants returns the pids of every process under pid, from /proc.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, pp, ok := stat(p); ok {
			children[pp] = append(children[pp], p)
		}
	}
	var all []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			all = append(all, c)
			queue = append(queue, c)
		}
	}
	return all
}

// stat reads a process's state (R, S, Z...) and parent from /proc/PID/stat.
func stat(pid int) (state string, ppid int, ok bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0, false
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(fields) < 2 {
		return "", 0, false
	}
	ppid, err = strconv.Atoi(fields[1])
	return fields[0], ppid, err == nil
}

// waitGone waits until every process in pids has ended, or d has passed,
// and returns those still alive. It opens a pidfd for each, which becomes
// readable when its process exits, whoever its parent is: nothing polls.
func waitGone(t *testing.T, pids []int, d time.Duration) []int {
	t.Helper()
	var fds []unix.PollFd
	byFd := map[int32]int{}
	for _, p := range pids {
		fd, err := unix.PidfdOpen(p, 0)
		if err == unix.ESRCH {
			continue // gone already
		}
		require.NoError(t, err, "pidfd_open %d", p)
		t.Cleanup(func() { unix.Close(fd) })
		fds = append(fds, unix.PollFd{Fd: int32(fd), Events: unix.POLLIN})
		byFd[int32(fd)] = p
	}
	deadline := time.Now().Add(d)
	for len(fds) > 0 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		if _, err := unix.Poll(fds, int(left.Milliseconds())+1); err != nil && err != unix.EINTR {
			require.NoError(t, err, "poll")
		}
		var still []unix.PollFd
		for _, f := range fds {
			if f.Revents == 0 {
				still = append(still, f)
			}
		}
		fds = still
	}
	var live []int
	for _, f := range fds {
		live = append(live, byFd[f.Fd])
	}
	return alive(live)
}

// alive returns those of pids that still run (a zombie has ended).
func alive(pids []int) []int {
	var live []int
	for _, p := range pids {
		if state, _, ok := stat(p); ok && state != "Z" {
			live = append(live, p)
		}
	}
	return live
}

// waitGone tells a process that lives on from one that has ended: the
// check above can fail.
func TestWaitGone(t *testing.T) {
	cmd := exec.Command("sleep", "600")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	assert.Equal(t, []int{cmd.Process.Pid}, waitGone(t, []int{cmd.Process.Pid}, 50*time.Millisecond), "a sleeping process is still alive")
	require.NoError(t, cmd.Process.Kill())
	assert.Empty(t, waitGone(t, []int{cmd.Process.Pid}, goneWithin), "a killed process (a zombie until reaped) is gone")
}
