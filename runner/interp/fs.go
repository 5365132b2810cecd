package interp

import (
	"errors"
	"io/fs"
	"io/ioutil" //nolint:staticcheck // the interpreter offers io/ioutil, so it wraps it
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"
)

// ErrOutside is the error of a file operation on a name outside the run's
// directory.
var ErrOutside = errors.New("outside the snippet's directory: netbook's interpreter keeps files in its temp dir (use a relative name)")

// jail confines file names to a directory tree.
type jail struct {
	roots []string // the directory as given and with symlinks resolved
}

func newJail(dir string) (jail, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return jail{}, err
	}
	j := jail{roots: []string{abs}}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		j.roots = append(j.roots, real)
	}
	return j, nil
}

// check returns a *fs.PathError when name is outside the jail. A relative
// name is taken from the current directory, which interpreted code cannot
// change (os.Chdir is gone).
func (j jail) check(op, name string) error {
	p := name
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return &fs.PathError{Op: op, Path: name, Err: err}
		}
		p = filepath.Join(wd, p)
	}
	p = filepath.Clean(p)
	for _, r := range j.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return nil
		}
	}
	return &fs.PathError{Op: op, Path: name, Err: ErrOutside}
}

// dir is check for a directory argument where "" means the temp dir, which
// the child's TMPDIR puts inside the jail.
func (j jail) dir(op, dir string) error {
	if dir == "" {
		dir = os.TempDir()
	}
	return j.check(op, dir)
}

// errFS is a file system whose every operation fails.
type errFS struct{ err error }

func (e errFS) Open(string) (fs.File, error) { return nil, e.err }

func (j jail) osSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Create": reflect.ValueOf(func(name string) (*os.File, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return os.Create(name)
		}),
		"Open": reflect.ValueOf(func(name string) (*os.File, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return os.Open(name)
		}),
		"OpenFile": reflect.ValueOf(func(name string, flag int, perm os.FileMode) (*os.File, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return os.OpenFile(name, flag, perm)
		}),
		"ReadFile": reflect.ValueOf(func(name string) ([]byte, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return os.ReadFile(name)
		}),
		"WriteFile": reflect.ValueOf(func(name string, data []byte, perm os.FileMode) error {
			if err := j.check("open", name); err != nil {
				return err
			}
			return os.WriteFile(name, data, perm)
		}),
		"Remove": reflect.ValueOf(func(name string) error {
			if err := j.check("remove", name); err != nil {
				return err
			}
			return os.Remove(name)
		}),
		"RemoveAll": reflect.ValueOf(func(name string) error {
			if err := j.check("unlinkat", name); err != nil {
				return err
			}
			return os.RemoveAll(name)
		}),
		"Rename": reflect.ValueOf(func(from, to string) error {
			if err := j.check("rename", from); err != nil {
				return err
			}
			if err := j.check("rename", to); err != nil {
				return err
			}
			return os.Rename(from, to)
		}),
		"Mkdir": reflect.ValueOf(func(name string, perm os.FileMode) error {
			if err := j.check("mkdir", name); err != nil {
				return err
			}
			return os.Mkdir(name, perm)
		}),
		"MkdirAll": reflect.ValueOf(func(name string, perm os.FileMode) error {
			if err := j.check("mkdir", name); err != nil {
				return err
			}
			return os.MkdirAll(name, perm)
		}),
		"MkdirTemp": reflect.ValueOf(func(dir, pattern string) (string, error) {
			if err := j.dir("mkdirtemp", dir); err != nil {
				return "", err
			}
			return os.MkdirTemp(dir, pattern)
		}),
		"CreateTemp": reflect.ValueOf(func(dir, pattern string) (*os.File, error) {
			if err := j.dir("createtemp", dir); err != nil {
				return nil, err
			}
			return os.CreateTemp(dir, pattern)
		}),
		"ReadDir": reflect.ValueOf(func(name string) ([]os.DirEntry, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return os.ReadDir(name)
		}),
		"Stat": reflect.ValueOf(func(name string) (os.FileInfo, error) {
			if err := j.check("stat", name); err != nil {
				return nil, err
			}
			return os.Stat(name)
		}),
		"Lstat": reflect.ValueOf(func(name string) (os.FileInfo, error) {
			if err := j.check("lstat", name); err != nil {
				return nil, err
			}
			return os.Lstat(name)
		}),
		"Readlink": reflect.ValueOf(func(name string) (string, error) {
			if err := j.check("readlink", name); err != nil {
				return "", err
			}
			return os.Readlink(name)
		}),
		"Chmod": reflect.ValueOf(func(name string, mode os.FileMode) error {
			if err := j.check("chmod", name); err != nil {
				return err
			}
			return os.Chmod(name, mode)
		}),
		"Chtimes": reflect.ValueOf(func(name string, atime, mtime time.Time) error {
			if err := j.check("chtimes", name); err != nil {
				return err
			}
			return os.Chtimes(name, atime, mtime)
		}),
		"Truncate": reflect.ValueOf(func(name string, size int64) error {
			if err := j.check("truncate", name); err != nil {
				return err
			}
			return os.Truncate(name, size)
		}),
		"DirFS": reflect.ValueOf(func(dir string) fs.FS {
			if err := j.check("open", dir); err != nil {
				return errFS{err}
			}
			return os.DirFS(dir)
		}),
	}
}

func (j jail) ioutilSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"ReadFile": reflect.ValueOf(func(name string) ([]byte, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return ioutil.ReadFile(name)
		}),
		"WriteFile": reflect.ValueOf(func(name string, data []byte, perm fs.FileMode) error {
			if err := j.check("open", name); err != nil {
				return err
			}
			return ioutil.WriteFile(name, data, perm)
		}),
		"ReadDir": reflect.ValueOf(func(name string) ([]fs.FileInfo, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return ioutil.ReadDir(name)
		}),
		"TempDir": reflect.ValueOf(func(dir, pattern string) (string, error) {
			if err := j.dir("mkdirtemp", dir); err != nil {
				return "", err
			}
			return ioutil.TempDir(dir, pattern)
		}),
		"TempFile": reflect.ValueOf(func(dir, pattern string) (*os.File, error) {
			if err := j.dir("createtemp", dir); err != nil {
				return nil, err
			}
			return ioutil.TempFile(dir, pattern)
		}),
	}
}

func (j jail) filepathSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Walk": reflect.ValueOf(func(root string, fn filepath.WalkFunc) error {
			if err := j.check("lstat", root); err != nil {
				return err
			}
			return filepath.Walk(root, fn)
		}),
		"WalkDir": reflect.ValueOf(func(root string, fn fs.WalkDirFunc) error {
			if err := j.check("lstat", root); err != nil {
				return err
			}
			return filepath.WalkDir(root, fn)
		}),
		"Glob": reflect.ValueOf(func(pattern string) ([]string, error) {
			if err := j.check("glob", pattern); err != nil {
				return nil, err
			}
			return filepath.Glob(pattern)
		}),
		"EvalSymlinks": reflect.ValueOf(func(name string) (string, error) {
			if err := j.check("lstat", name); err != nil {
				return "", err
			}
			return filepath.EvalSymlinks(name)
		}),
	}
}

func (j jail) httpSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"ServeFile": reflect.ValueOf(func(w http.ResponseWriter, r *http.Request, name string) {
			if err := j.check("open", name); err != nil {
				http.Error(w, err.Error(), http.StatusForbidden)
				return
			}
			http.ServeFile(w, r, name)
		}),
	}
}
