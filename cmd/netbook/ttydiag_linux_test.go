//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/sys/unix"
)

// describeTTY says what a failed terminal test needs to know: whether the
// terminal turns Ctrl-C into a signal, which process group it goes to, and
// which processes are in that group.
func describeTTY(master *os.File) string {
	var b strings.Builder
	fd := int(master.Fd())
	if tio, err := unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
		fmt.Fprintf(&b, "terminal: ISIG %v, ICANON %v, ECHO %v\n",
			tio.Lflag&unix.ISIG != 0, tio.Lflag&unix.ICANON != 0, tio.Lflag&unix.ECHO != 0)
	} else {
		fmt.Fprintf(&b, "terminal: unable to read its settings: %v\n", err)
	}
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil {
		fmt.Fprintf(&b, "foreground process group: unknown (%v)\n", err)
		return b.String()
	}
	fmt.Fprintf(&b, "foreground process group: %d\n", pgrp)
	out, _ := exec.Command("ps", "-o", "pid,ppid,pgid,sid,stat,args", "-g", fmt.Sprint(pgrp)).CombinedOutput()
	b.Write(out)
	return b.String()
}

// lineEditing reports whether the terminal whose master side is master
// edits lines itself (ICANON): true when cooked, false when raw.
func lineEditing(master *os.File) (bool, error) {
	tio, err := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
	if err != nil {
		return false, err
	}
	return tio.Lflag&unix.ICANON != 0, nil
}
