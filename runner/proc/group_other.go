//go:build !unix

package proc

import (
	"os"
	"os/exec"
)

// OwnGroup does nothing where there are no Unix process groups: stopping a
// child stops only the child.
func OwnGroup(cmd *exec.Cmd) {}

// Interrupt asks cmd to stop, as Ctrl-C would.
func Interrupt(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Signal(os.Interrupt)
	}
}

// Kill stops cmd at once.
func Kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
