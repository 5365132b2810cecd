package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// TempDir makes a temp directory for one run, named prefix (such as
// "netbook-run-") and a random suffix, and returns it with the function
// that removes it. Next to it, a lock file (the same name plus ".lock")
// stays locked while this netbook lives: should netbook be killed before
// it removes the directory, the next netbook's Sweep does. (On systems
// without flock the directory is only removed by the function.)
func TempDir(prefix string) (dir string, remove func(), err error) {
	f, err := os.CreateTemp("", prefix+"*.lock")
	if err != nil {
		return "", nil, err
	}
	// Lock before the directory exists, so that Sweep never removes a
	// live one.
	lock(f)
	dir = strings.TrimSuffix(f.Name(), ".lock")
	if err := os.Mkdir(dir, 0o700); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", nil, err
	}
	return dir, func() {
		os.RemoveAll(dir)
		f.Close() // before the remove: Windows removes no open file
		os.Remove(f.Name())
	}, nil
}

// GoWorkIn has the go command that cmd runs keep its work directory
// (go-build...) in dir, a TempDir. A go command killed with its context
// cannot remove that directory itself; dir's remove function, or the next
// Sweep, then does.
func GoWorkIn(cmd *exec.Cmd, dir string) {
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "GOTMPDIR="+dir)
}

// Sweep removes the temp directories of netbook runs whose netbook died
// before removing them (their lock file is no longer locked), and returns
// how many it removed. It is cheap; netbook calls it at every start.
func Sweep() int {
	locks, _ := filepath.Glob(filepath.Join(os.TempDir(), "netbook-*.lock"))
	n := 0
	for _, l := range locks {
		f, err := os.OpenFile(l, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if tryLock(f) {
			os.RemoveAll(strings.TrimSuffix(l, ".lock"))
			os.Remove(l)
			n++
		}
		f.Close()
	}
	return n
}
