//go:build !unix

package sandbox

import "os"

// lock does nothing where there is no flock, and reports true.
func lock(f *os.File) bool { return true }

// tryLock reports false: without flock a live run cannot be told from a
// dead one, so nothing is swept.
func tryLock(f *os.File) bool { return false }
