package interp

import (
	"archive/zip"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"io/ioutil" //nolint:staticcheck // the interpreter offers io/ioutil, so it wraps it
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
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

// checkAll is check for each name.
func (j jail) checkAll(op string, names ...string) error {
	for _, n := range names {
		if err := j.check(op, n); err != nil {
			return err
		}
	}
	return nil
}

// theJail is the jail of the program this process runs, for the methods of
// the interpreter's own types (Server.ListenAndServeTLS), which have no
// other way to reach it. Symbols sets it; a process runs one program.
var theJail atomic.Pointer[jail]

// activeJail is the process's jail; before Symbols it has no roots, and
// refuses every name.
func activeJail() jail {
	if j := theJail.Load(); j != nil {
		return *j
	}
	return jail{}
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

// tmpdirVars are the environment variables that name directories the
// standard library opens files in by itself: the temp dir (os.TempDir),
// which the parent points at the snippet's directory and where
// mime/multipart writes form files, and ZONEINFO, where time.LoadLocation
// reads.
var tmpdirVars = map[string]bool{"TMPDIR": true, "TMP": true, "TEMP": true, "ZONEINFO": true}

// envSymbols keep the temp dir where the parent put it.
func envSymbols() map[string]reflect.Value {
	refuse := func(op, key string) error {
		return &fs.PathError{Op: op, Path: key, Err: errors.New("a snippet cannot change where the standard library opens files by itself (its temp dir is its own directory)")}
	}
	return map[string]reflect.Value{
		"Setenv": reflect.ValueOf(func(key, value string) error {
			if tmpdirVars[key] {
				return refuse("setenv", key)
			}
			return os.Setenv(key, value)
		}),
		"Unsetenv": reflect.ValueOf(func(key string) error {
			if tmpdirVars[key] {
				return refuse("unsetenv", key)
			}
			return os.Unsetenv(key)
		}),
		"Clearenv": reflect.ValueOf(func() {
			keep := map[string]string{}
			for k := range tmpdirVars {
				if v, ok := os.LookupEnv(k); ok {
					keep[k] = v
				}
			}
			os.Clearenv()
			for k, v := range keep {
				os.Setenv(k, v)
			}
		}),
	}
}

func (j jail) zipSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"OpenReader": reflect.ValueOf(func(name string) (*zip.ReadCloser, error) {
			if err := j.check("open", name); err != nil {
				return nil, err
			}
			return zip.OpenReader(name)
		}),
	}
}

// parserSymbols check the file names go/parser reads when it is given no
// source.
func (j jail) parserSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"ParseFile": reflect.ValueOf(func(fset *token.FileSet, filename string, src any, mode parser.Mode) (*ast.File, error) {
			if src == nil {
				if err := j.check("open", filename); err != nil {
					return nil, err
				}
			}
			return parser.ParseFile(fset, filename, src, mode)
		}),
		"ParseExprFrom": reflect.ValueOf(func(fset *token.FileSet, filename string, src any, mode parser.Mode) (ast.Expr, error) {
			if src == nil {
				if err := j.check("open", filename); err != nil {
					return nil, err
				}
			}
			return parser.ParseExprFrom(fset, filename, src, mode)
		}),
		"ParseDir": reflect.ValueOf(func(fset *token.FileSet, path string, filter func(fs.FileInfo) bool, mode parser.Mode) (map[string]*ast.Package, error) {
			if err := j.check("open", path); err != nil {
				return nil, err
			}
			return parser.ParseDir(fset, path, filter, mode) //nolint:staticcheck // the interpreter offers it, so it checks it
		}),
	}
}

// templateSymbols check the names that text/template's or html/template's
// ParseFiles and ParseGlob read (the two packages have the same functions
// on different types). Their methods of the same names are refused by
// CheckSource (DeniedMethods).
func (j jail) templateSymbols(parseFiles, parseGlob any) map[string]reflect.Value {
	pf := reflect.ValueOf(parseFiles)
	pg := reflect.ValueOf(parseGlob)
	return map[string]reflect.Value{
		"ParseFiles": reflect.MakeFunc(pf.Type(), func(args []reflect.Value) []reflect.Value {
			names := args[0].Interface().([]string)
			if err := j.checkAll("open", names...); err != nil {
				return []reflect.Value{reflect.Zero(pf.Type().Out(0)), reflect.ValueOf(&err).Elem()}
			}
			return pf.CallSlice(args)
		}),
		"ParseGlob": reflect.MakeFunc(pg.Type(), func(args []reflect.Value) []reflect.Value {
			if err := j.check("glob", args[0].String()); err != nil {
				return []reflect.Value{reflect.Zero(pg.Type().Out(0)), reflect.ValueOf(&err).Elem()}
			}
			return pg.Call(args)
		}),
	}
}
