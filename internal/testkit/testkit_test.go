package testkit

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestTreeAndLab(t *testing.T) {
	r := Tree(t)
	if _, err := os.Stat(filepath.Join(r.Dir, "go.work")); err != nil {
		t.Fatalf("Tree found %s, which has no go.work: %v", r.Dir, err)
	}
	if l := Lab(t, r, "01-addresses"); l.Name != "01-addresses" {
		t.Fatalf("Lab loaded %q, want 01-addresses", l.Name)
	}
}

func TestBufferKeepsConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				b.Write([]byte("x"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if n := len(b.String()); n != 400 {
		t.Fatalf("the buffer holds %d bytes after 400 one-byte writes", n)
	}
}
