//go:build !unix

package sandbox

import "os"

// lock does nothing where there is no flock.
func lock(f *os.File) {}

// tryLock reports false: without flock a live run cannot be told from a
// dead one, so nothing is swept.
func tryLock(f *os.File) bool { return false }
