package snippets

import (
	"os/exec"

	"github.com/netbook/netbook/runner/proc"
)

// Process groups are runner/proc's, shared with the lab runner (netbook up
// and diff): each snippet runs in a group of its own, so stopping it stops
// everything it started.

func ownGroup(cmd *exec.Cmd) { proc.OwnGroup(cmd) }

func interrupt(cmd *exec.Cmd) { proc.Interrupt(cmd) }

func kill(cmd *exec.Cmd) { proc.Kill(cmd) }
