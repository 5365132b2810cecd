package testkit

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/netbook/netbook/runner/labs"
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

// Whatever this tree's labs hold, the copy's are the book's as shipped.
func TestPristine(t *testing.T) {
	r := Pristine(t, Only("00", "01"))
	sums, err := labs.ReadSums(r)
	if err != nil {
		t.Fatal(err)
	}
	l := Lab(t, r, "01-addresses")
	if !sums.Pristine(l) {
		t.Fatal("the copy of lab 01 is not the skeleton as shipped")
	}
	if changed := sums.Changed(l, ""); len(changed) > 0 {
		t.Fatalf("the copy of lab 01 differs from the book in %v", changed)
	}
	if _, err := os.Stat(filepath.Join(r.Labs(), "02-first-connection")); !os.IsNotExist(err) {
		t.Fatalf("lab 02 was not kept, yet it is in the copy (%v)", err)
	}
}

func TestOnly(t *testing.T) {
	keep := Only("01")
	for rel, want := range map[string]bool{
		"go.work": true, "labs": true, "labs/go.mod": true, "labs/nettest/nettest.go": true,
		"labs/01-addresses": true, "labs/01-addresses/addresses.go": true, "solutions/01-addresses": true,
		"chapters/01-networks-and-ports.md": true, "chapters/embed.go": true,
		"labs/02-first-connection": false, "solutions/10-robust-chat/server.go": false, "chapters/00-start-here.md": false,
	} {
		if keep(rel) != want {
			t.Errorf("Only(\"01\")(%q) = %v, want %v", rel, !want, want)
		}
	}
}
