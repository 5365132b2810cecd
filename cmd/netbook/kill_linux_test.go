package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goneWithin is how long the children of a killed netbook may take to go,
// as the issue asks: the kernel kills them (Pdeathsig) the moment netbook
// dies, so only a child that escaped is still there after it.
const goneWithin = 2 * time.Second

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
				deadline := time.Now().Add(goneWithin)
				for len(alive(kids)) > 0 && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond) // polling /proc: there is nothing to wait on
				}
				assert.Empty(t, alive(kids), "processes netbook %s started outlived it by %v", c.name, goneWithin)

				if sig == syscall.SIGHUP {
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
