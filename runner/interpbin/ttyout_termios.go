//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos

package interpbin

import "golang.org/x/sys/unix"

// keepNewlines turns the terminal's output processing back on, which
// term.MakeRaw turns off with the rest: a newline then still starts the
// next line at the left edge. What a goroutine prints while the prompt
// waits (a server's "accepted ...") reaches the terminal straight from the
// interpreter, past the line editor, which would otherwise show it as a
// staircase, each line starting where the one above ended. The line
// editor's own "\r\n" must then be written "\n" (newlines). It reports
// whether the terminal now adds the "\r" itself.
func keepNewlines(fd int) bool {
	t, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
	if err != nil {
		return false
	}
	t.Oflag |= unix.OPOST | unix.ONLCR
	return unix.IoctlSetTermios(fd, ioctlWriteTermios, t) == nil
}
