//go:build aix || linux || solaris || zos

package interpbin

import "golang.org/x/sys/unix"

// The requests that read and set a terminal's attributes, as in x/term.
const (
	ioctlReadTermios  = unix.TCGETS
	ioctlWriteTermios = unix.TCSETS
)
