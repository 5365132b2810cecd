// Package testkit holds what the runner's tests share: this work tree and
// its labs, read in place, and a buffer that a process writes while the
// test reads it.
package testkit

import (
	"strings"
	"sync"
	"testing"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
)

// Tree is the work tree that holds the test's package. Tests only read it.
func Tree(t testing.TB) repo.Root {
	t.Helper()
	r, err := repo.Find(".")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Lab loads the lab called name (such as "03-hello-server") from r.
func Lab(t testing.TB, r repo.Root, name string) *labs.Lab {
	t.Helper()
	l, err := labs.Load(r, name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Buffer collects output that one goroutine (or a child process's copier)
// writes while another reads it.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
