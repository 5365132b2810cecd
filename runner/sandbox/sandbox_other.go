//go:build !linux

package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"

	"github.com/netbook/netbook/runner/lang"
)

// sigXCPU stands for SIGXCPU, which Explain never sees here.
const sigXCPU = syscall.Signal(24)

// DieWithParent does nothing here: only Linux kills a child when its
// parent dies.
func DieWithParent(cmd *exec.Cmd) {}

// DieWithParentExec is not available here: only Linux kills a child when
// its parent dies.
func DieWithParentExec() (exec, env string, ok bool) { return "", "", false }

// Wrap leaves cmd as it is: the OS layers are Linux's.
func Wrap(cmd *exec.Cmd, o Options) {}

// Probe says the OS layers are not available on this system.
func Probe() Report {
	no := fmt.Sprintf("not available on %s, the language-level fence still applies", runtime.GOOS)
	r := Report{
		Network:  no,
		Files:    no,
		Limits:   fmt.Sprintf("not available on %s; the run's timeout and output cap still apply", runtime.GOOS),
		Lifetime: "a child is stopped with its process group when netbook exits, is interrupted, or gets SIGHUP or SIGTERM; not when netbook is killed with SIGKILL",
	}
	r.miss(lang.MissingAll, runtime.GOOS)
	return r
}

// maxRSS is not known here.
func maxRSS(st *os.ProcessState) int64 { return 0 }

// shimPath is "": the OS layers are Linux's.
func shimPath() string { return "" }
