//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos)

package interpbin

// keepNewlines does nothing where the terminal has no termios: on
// Windows, term.MakeRaw changes the console's input mode only.
func keepNewlines(fd int) bool { return false }
