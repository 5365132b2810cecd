//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package interpbin

import "golang.org/x/sys/unix"

// The requests that read and set a terminal's attributes, as in x/term.
const (
	ioctlReadTermios  = unix.TIOCGETA
	ioctlWriteTermios = unix.TIOCSETA
)
