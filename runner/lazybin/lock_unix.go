//go:build unix

package lazybin

import (
	"context"
	"fmt"
	"os"
	"syscall"
)

// lock takes an exclusive lock on path, waiting for another process that
// holds it, until ctx ends.
func lock(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("unable to lock the cache of netbook's binaries: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }()
	select {
	case err := <-done:
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("unable to lock the cache of netbook's binaries: %w", err)
		}
		return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
	case <-ctx.Done():
		// Closing the file releases the lock if the goroutine gets it later.
		go func() { <-done; f.Close() }()
		return nil, ctx.Err()
	}
}
