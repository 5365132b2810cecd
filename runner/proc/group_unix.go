//go:build unix

package proc

import (
	"os/exec"
	"syscall"

	"github.com/netbook/netbook/runner/sandbox"
)

// ownGroup makes cmd start in a process group of its own, so that
// everything it starts can be stopped with it, and die with netbook.
func ownGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	sandbox.DieWithParent(cmd)
}

// signalGroup sends sig to cmd's process group.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, sig)
	}
}

// interrupt asks cmd's process group to stop, as Ctrl-C would (SIGINT).
func interrupt(cmd *exec.Cmd) { signalGroup(cmd, syscall.SIGINT) }

// kill stops cmd's process group at once (SIGKILL).
func kill(cmd *exec.Cmd) { signalGroup(cmd, syscall.SIGKILL) }
