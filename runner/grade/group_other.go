//go:build !unix

package grade

import "os/exec"

func ownGroup(cmd *exec.Cmd) {}

// killGroup kills cmd (without process groups, only cmd itself).
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
