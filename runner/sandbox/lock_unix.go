//go:build unix

package sandbox

import (
	"os"
	"syscall"
)

// lock takes f's lock for as long as f is open. It reports false only when
// another process holds the lock; where the file system has no locks the
// file stays unlocked, as on systems without flock.
func lock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != syscall.EWOULDBLOCK
}

// tryLock reports whether f's lock was free (its holder is gone), taking it.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
