//go:build !unix

package snippets

import (
	"os"
	"os/exec"
)

func ownGroup(cmd *exec.Cmd) {}

func interrupt(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Signal(os.Interrupt)
	}
}

func kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
