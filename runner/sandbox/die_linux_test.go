package sandbox

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// TestTestBinariesDieWithGoTest stands a shell in for go test: it starts
// a "test binary" (a shell that prints its pid and sleeps) through each
// -exec wrapper, and is then killed with SIGKILL, as go test is when
// netbook is killed. The test binary must die with it, not run on.
func TestTestBinariesDieWithGoTest(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	cases := []struct {
		name string
		env  string
	}{
		{"check", envDie + "=1"},   // DieWithParentExec
		{"grade", envExec + "={}"}, // ExecFlag, its layers off
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			goTest := exec.Command("/bin/sh", "-c", `"$0" /bin/sh -c 'echo $$; exec sleep 600' & wait`, self)
			goTest.Env = append(os.Environ(), c.env, EnvOff+"=network,files,limits")
			out, err := goTest.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, goTest.Start())
			t.Cleanup(func() { goTest.Process.Kill(); goTest.Wait() })

			// The pid comes once the wrapper has done its part.
			line, err := bufio.NewReader(out).ReadString('\n')
			require.NoError(t, err, "the test binary did not start")
			pid, err := strconv.Atoi(strings.TrimSpace(line))
			require.NoError(t, err, "%q", line)
			fd, err := unix.PidfdOpen(pid, 0)
			require.NoError(t, err)
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL); unix.Close(fd) })

			require.NoError(t, goTest.Process.Kill())
			goTest.Wait()
			assert.True(t, exited(t, fd, time.Minute), "the test binary outlived the go test that started it")
		})
	}
}

// exited waits up to d for the process of pidfd fd to end: the pidfd
// becomes readable when it does (nothing polls).
func exited(t *testing.T, fd int, d time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		require.NoError(t, err, "poll")
		if n > 0 {
			return true
		}
	}
}
