// Package testkit holds what the runner's tests share: this work tree and
// its labs, read in place or copied as the book shipped them, and a buffer
// that a process writes while the test reads it.
package testkit

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/shipped"
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

// Pristine copies the parts of this work tree that keep accepts (paths
// relative to the root, slash-separated; nil keeps everything a test
// needs) into a temp dir, with the labs as the book shipped them: a
// student's work in the skeletons, an edited test and a student's own
// files in a lab are put back or left out, from labs/book.sum and git. So a
// test of a fresh clone's behaviour holds in a student's clone too. When
// the shipped files cannot be recovered (no git), the test is skipped with
// the reason. A test may edit the copy as a student would.
func Pristine(t testing.TB, keep func(rel string) bool) repo.Root {
	t.Helper()
	src := Tree(t)
	dst := repo.Root{Dir: t.TempDir()}
	// runner/bench/baseline: netbook bench builds its baseline servers
	// from the work tree it measures, as in a student's clone.
	for _, name := range []string{"go.mod", "go.sum", "go.work", "go.work.sum", "chapters", "labs", "solutions", "runner/bench/baseline"} {
		copyTree(t, src.Dir, dst.Dir, name, keep)
	}
	sums, err := labs.ReadSums(dst)
	if err != nil {
		t.Fatal(err)
	}
	var restore []labs.Shipped
	for _, f := range sums.Files {
		if keep != nil && !keep("labs/"+f.Path) {
			continue
		}
		if !sums.Matches(f) {
			restore = append(restore, f)
		}
	}
	data, err := shipped.Read(context.Background(), src, restore)
	if errors.Is(err, shipped.ErrUnrecoverable) {
		t.Skipf("this work tree's labs differ from the book as shipped, and %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range restore {
		path := filepath.Join(dst.Labs(), filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data[i], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removeOwnFiles(t, dst, sums)
	return dst
}

// Clone is a Pristine copy that is also a git repository, with everything
// committed, as a fresh clone of the book is: the shipped bytes of every
// file in labs/book.sum can be read back from its own git objects (package
// shipped), so commands that put the book's files back (reset) work in it
// as in a student's clone. Without git, the test is skipped.
func Clone(t testing.TB, keep func(rel string) bool) repo.Root {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: a fresh clone cannot be made")
	}
	r := Pristine(t, keep)
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "-A"},
		{"commit", "-q", "--no-verify", "-m", "the book as shipped"},
	} {
		cmd := exec.Command("git", append([]string{"-c", "user.name=netbook test", "-c", "user.email=test@netbook.invalid",
			"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"}, args...)...)
		cmd.Dir = r.Dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), r.Dir, err, out)
		}
	}
	return r
}

// Shipped is the work tree when its labs are exactly as the book shipped
// them (a fresh clone, CI), and otherwise a Pristine copy of it: tests that
// only read the labs get the book's, whatever a student has done, and pay
// for a copy only in a student's tree.
func Shipped(t testing.TB) repo.Root {
	t.Helper()
	r := Tree(t)
	sums, err := labs.ReadSums(r)
	if err != nil {
		t.Fatal(err)
	}
	all, err := labs.LoadAll(r)
	if err != nil {
		return Pristine(t, nil)
	}
	for _, l := range all {
		own, err := sums.Unknown(l)
		if err != nil || len(own) > 0 || len(sums.Changed(l, "")) > 0 {
			return Pristine(t, nil)
		}
	}
	return r
}

// Only keeps, for Pristine, the chapters, labs and solutions whose number
// is one of those given ("00", "01"), and everything that is not numbered
// (the shared packages, the modules' files).
func Only(numbers ...string) func(rel string) bool {
	return func(rel string) bool {
		parts := strings.Split(rel, "/")
		if len(parts) < 2 || (parts[0] != "chapters" && parts[0] != "labs" && parts[0] != "solutions") {
			return true
		}
		name := parts[1]
		if len(name) < 3 || name[0] < '0' || name[0] > '9' {
			return true
		}
		return slices.Contains(numbers, name[:2])
	}
}

// removeOwnFiles deletes the files of the book's labs that the book does
// not ship: a student's own.
func removeOwnFiles(t testing.TB, r repo.Root, sums *labs.Sums) {
	t.Helper()
	all, _ := labs.LoadAll(r)
	for _, l := range all {
		if !sums.Has(l) {
			continue // a lab being written, not yet summed
		}
		own, err := sums.Unknown(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range own {
			if err := os.Remove(filepath.Join(r.Labs(), filepath.FromSlash(rel))); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// copyTree copies srcRoot/name to dstRoot/name, leaving out the progress
// file, git's files and every path (relative to srcRoot, slash-separated)
// that keep rejects.
func copyTree(t testing.TB, srcRoot, dstRoot, name string, keep func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(srcRoot, name), func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == filepath.Join(srcRoot, name) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(srcRoot, path)
		rel = filepath.ToSlash(rel)
		if d.Name() == ".netbook" || d.Name() == ".git" || (keep != nil && !keep(rel)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dstRoot, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
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

// LeakingHelloServer writes, in a temp dir, a server.go for lab 03 whose
// Serve keeps a megabyte after another and never lets them go, and
// returns its path: an overlay for the lab's server.go, to see a memory
// limit stop a student's server (netbook up, diff, bench).
func LeakingHelloServer(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "server.go")
	const src = `package hello

import "net"

var keep [][]byte

func Serve(ln net.Listener) error {
	for {
		b := make([]byte, 1<<20)
		for i := range b {
			b[i] = 1
		}
		keep = append(keep, b)
	}
}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
