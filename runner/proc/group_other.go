//go:build !unix

package proc

import (
	"os"
	"os/exec"
)

// ownGroup does nothing where there are no Unix process groups: stopping a
// child stops only the child.
func ownGroup(cmd *exec.Cmd) {}

// interrupt asks cmd to stop, as Ctrl-C would.
func interrupt(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Signal(os.Interrupt)
	}
}

// kill stops cmd at once.
func kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
