//go:build unix

package sandbox

import (
	"os"
	"syscall"
)

// lock takes f's lock for as long as f is open.
func lock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

// tryLock reports whether f's lock was free (its holder is gone), taking it.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
