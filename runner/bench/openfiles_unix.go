//go:build unix

package bench

import "syscall"

// openFilesLimit is how many files and sockets this process may have open
// at once (the soft RLIMIT_NOFILE, which the Go runtime has raised to the
// hard one; a Go server started by netbook raises its own the same way).
func openFilesLimit() (uint64, bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, false
	}
	return uint64(r.Cur), true
}
