package interpbin

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"github.com/netbook/netbook/runner/replproto"
)

// passResults hands the interpreter w's handle, for its results.
func passResults(cmd *exec.Cmd, w *os.File) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.AdditionalInheritedHandles = append(cmd.SysProcAttr.AdditionalInheritedHandles, syscall.Handle(w.Fd()))
	cmd.Env = append(cmd.Env, replproto.ResultsEnv+"="+strconv.FormatUint(uint64(w.Fd()), 10))
	return nil
}

// ownGroup does nothing: the console sends Ctrl-C to the interpreter too,
// which stops its evaluation.
func ownGroup(*exec.Cmd) {}

// interrupt does nothing: the console has sent Ctrl-C to the interpreter
// already, and a time limit cannot send one, so an evaluation past it is
// stopped by a restart.
func interrupt(*exec.Cmd) {}

// killGroup kills the interpreter.
func killGroup(cmd *exec.Cmd) { cmd.Process.Kill() }
