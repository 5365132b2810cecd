package sandbox

import (
	"fmt"
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
	var f *os.File
	for try := 0; ; try++ {
		if try == 10 {
			return "", nil, fmt.Errorf("unable to make a temp directory in %s: another netbook's sweep took each lock file made for it", os.TempDir())
		}
		f, err = os.CreateTemp("", prefix+"*.lock")
		if err != nil {
			return "", nil, err
		}
		if testHookLockCreated != nil {
			testHookLockCreated(f.Name())
		}
		// Lock before the directory exists, so that Sweep never removes a
		// live one. Between the file's creation and its lock another
		// netbook's Sweep may have taken the file for a dead run's: its
		// lock then fails, or the name no longer leads to this file, and
		// that Sweep removes (or has removed) the name and the directory.
		// Start again under a new name.
		if lock(f) && sameFile(f, f.Name()) {
			break
		}
		f.Close()
	}
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

// testHookLockCreated, when set, is called between the creation of
// TempDir's lock file and its lock, where a Sweep may come between.
var testHookLockCreated func(lockPath string)

// sameFile reports whether name still leads to f (it was not removed,
// nor removed and made again, since f was opened).
func sameFile(f *os.File, name string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(name)
	return err == nil && os.SameFile(a, b)
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
		// A lock file removed since it was opened (its run ended, or
		// another Sweep took it) may name another run's by now.
		if tryLock(f) && sameFile(f, l) {
			os.RemoveAll(strings.TrimSuffix(l, ".lock"))
			os.Remove(l)
			n++
		}
		f.Close()
	}
	return n
}
