//go:build unix

package interpbin

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"github.com/netbook/netbook/runner/replproto"
)

// passResults hands the interpreter w as its file descriptor 3, for its
// results.
func passResults(cmd *exec.Cmd, w *os.File) error {
	cmd.ExtraFiles = []*os.File{w}
	cmd.Env = append(cmd.Env, replproto.ResultsEnv+"="+strconv.Itoa(3))
	return nil
}

// ownGroup puts the interpreter in a process group of its own, which is not
// the terminal's: Ctrl-C then reaches netbook alone, which decides what to
// stop, and the whole group can be killed.
func ownGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// interrupt asks the interpreter to stop its evaluation.
func interrupt(cmd *exec.Cmd) { cmd.Process.Signal(os.Interrupt) }

// killGroup kills the interpreter and everything in its process group.
func killGroup(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Process.Kill()
}
