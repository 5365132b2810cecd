//go:build unix

package snippets

import (
	"os/exec"
	"syscall"
)

// ownGroup starts cmd in a process group of its own, so that everything it
// starts can be stopped with it.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup sends sig to cmd's process group.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, sig)
	}
}

// interrupt asks the group to stop, as Ctrl-C would.
func interrupt(cmd *exec.Cmd) { signalGroup(cmd, syscall.SIGINT) }

// kill stops the group at once.
func kill(cmd *exec.Cmd) { signalGroup(cmd, syscall.SIGKILL) }
