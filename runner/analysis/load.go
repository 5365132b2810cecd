package analysis

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Why not packages.Load: with an overlay, go/packages type-checks every
// dependency from source (its export data "may be invalid"), which for a
// lab that imports net means parsing and checking a good part of the
// standard library: about 0.4 s of CPU on each Run. The overlay here only
// ever replaces the lab's own files, so the dependencies' export data
// stays good. load parses the lab's files itself (the overlay's versions),
// asks go list for the export data of what they import, and type-checks
// the package against it: one go list, and no compiling of the student's
// package either.

// load returns the type-checked package in dir, with contents standing in
// for the files it names.
func load(ctx context.Context, dir string, contents map[string][]byte) (*packages.Package, error) {
	bp, err := buildPackage(dir, contents)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	var parseErrs []error
	for _, name := range bp.GoFiles {
		filename := filepath.Join(dir, name)
		src, err := readFile(filename, contents)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			parseErrs = append(parseErrs, err)
			continue
		}
		files = append(files, f)
	}
	if len(parseErrs) > 0 {
		return nil, fmt.Errorf("%w: %v", ErrDoesNotCompile, errors.Join(parseErrs...))
	}
	pkgPath, err := importPath(dir)
	if err != nil {
		return nil, err
	}
	exports, err := exportFiles(ctx, dir, bp.Imports)
	if err != nil {
		return nil, err
	}

	imports := map[string]*types.Package{}
	importer := importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		if p := imports[path]; p != nil && p.Complete() {
			return p, nil
		}
		file, ok := exports[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r, err := gcexportdata.NewReader(bufio.NewReader(f))
		if err != nil {
			return nil, fmt.Errorf("reading export data for %q: %w", path, err)
		}
		return gcexportdata.Read(r, fset, imports, path)
	})
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Instances:    map[*ast.Ident]types.Instance{},
		Scopes:       map[ast.Node]*types.Scope{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		FileVersions: map[*ast.File]string{},
	}
	sizes := types.SizesFor("gc", runtime.GOARCH)
	var typeErrs []error
	conf := types.Config{
		Importer: importer,
		Sizes:    sizes,
		Error:    func(err error) { typeErrs = append(typeErrs, err) },
	}
	tpkg, _ := conf.Check(pkgPath, fset, files, info)
	if len(typeErrs) > 0 {
		return nil, fmt.Errorf("%w: %v", ErrDoesNotCompile, typeErrs[0])
	}
	var goFiles []string
	for _, name := range bp.GoFiles {
		goFiles = append(goFiles, filepath.Join(dir, name))
	}
	return &packages.Package{
		ID:              pkgPath,
		Name:            tpkg.Name(),
		PkgPath:         pkgPath,
		GoFiles:         goFiles,
		CompiledGoFiles: goFiles,
		Fset:            fset,
		Syntax:          files,
		Types:           tpkg,
		TypesInfo:       info,
		TypesSizes:      sizes,
		Imports:         map[string]*packages.Package{},
	}, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func readFile(name string, contents map[string][]byte) ([]byte, error) {
	if data, ok := contents[name]; ok {
		return data, nil
	}
	return os.ReadFile(name)
}

// buildPackage finds the package's Go files (not tests, build
// constraints applied) and what they import, seeing the overlay.
func buildPackage(dir string, contents map[string][]byte) (*build.Package, error) {
	ctxt := build.Default
	ctxt.CgoEnabled = false
	ctxt.OpenFile = func(name string) (io.ReadCloser, error) {
		data, err := readFile(name, contents)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	ctxt.ReadDir = func(d string) ([]fs.FileInfo, error) {
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil, err
		}
		var out []fs.FileInfo
		seen := map[string]bool{}
		for _, e := range entries {
			fi, err := e.Info()
			if err != nil {
				continue
			}
			seen[e.Name()] = true
			out = append(out, fi)
		}
		for name, data := range contents {
			if filepath.Dir(name) == filepath.Clean(d) && !seen[filepath.Base(name)] {
				out = append(out, overlayInfo{filepath.Base(name), int64(len(data))})
			}
		}
		return out, nil
	}
	bp, err := ctxt.ImportDir(dir, build.ImportComment)
	if err != nil {
		// No Go file, two package names...: nothing to analyse yet.
		return nil, fmt.Errorf("analysis: %s: %w: %v", dir, ErrDoesNotCompile, err)
	}
	return bp, nil
}

// overlayInfo describes a file that exists only in the overlay.
type overlayInfo struct {
	name string
	size int64
}

func (o overlayInfo) Name() string       { return o.name }
func (o overlayInfo) Size() int64        { return o.size }
func (o overlayInfo) Mode() fs.FileMode  { return 0o644 }
func (o overlayInfo) ModTime() time.Time { return time.Time{} }
func (o overlayInfo) IsDir() bool        { return false }
func (o overlayInfo) Sys() any           { return nil }

// importPath is the import path of the package in dir: its module's path
// and the folder's place in the module.
func importPath(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
					rel, err := filepath.Rel(d, dir)
					if err != nil {
						return "", err
					}
					return path.Join(strings.Trim(strings.TrimSpace(rest), `"`), filepath.ToSlash(rel)), nil
				}
			}
			return "", fmt.Errorf("analysis: %s has no module line", filepath.Join(d, "go.mod"))
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("analysis: %s is in no module", dir)
		}
	}
}

// exportCache remembers where go list said each import's export data
// is, by the folder it was asked from: netbook watch analyses the same
// lab again and again, and its imports rarely change. An entry is trusted
// while its file exists (the build cache keeps it).
var exportCache = struct {
	sync.Mutex
	byDir map[string]map[string]string
}{byDir: map[string]map[string]string{}}

// exportFiles returns the export data file of each import path (and of
// what they import), asking go list for the ones it does not know yet.
func exportFiles(ctx context.Context, dir string, imports []string) (map[string]string, error) {
	exportCache.Lock()
	known := exportCache.byDir[dir]
	if known == nil {
		known = map[string]string{}
		exportCache.byDir[dir] = known
	}
	var missing []string
	for _, p := range imports {
		if p == "unsafe" || p == "C" {
			continue
		}
		file, ok := known[p]
		if ok {
			if _, err := os.Stat(file); err == nil {
				continue
			}
		}
		missing = append(missing, p)
	}
	exportCache.Unlock()

	if len(missing) > 0 {
		found, err := goListExport(ctx, dir, missing)
		if err != nil {
			return nil, err
		}
		exportCache.Lock()
		for p, f := range found {
			known[p] = f
		}
		exportCache.Unlock()
	}
	exportCache.Lock()
	defer exportCache.Unlock()
	out := make(map[string]string, len(known))
	for p, f := range known {
		out[p] = f
	}
	return out, nil
}

// goListExport runs go list -export on the import paths, from dir (so
// that its module and workspace resolve them), and returns each one's
// export data file.
func goListExport(ctx context.Context, dir string, paths []string) (map[string]string, error) {
	slices.Sort(paths)
	args := append([]string{"list", "-e", "-export", "-json=ImportPath,Export,Error"}, paths...)
	// go list -export compiles what has no export data in the cache yet:
	// it runs in a process group of its own, stopped whole when ctx is
	// done, so that no compiler outlives a Ctrl-C.
	// The go command does not remove its work directory when SIGINT stops
	// it in the middle of a build: it keeps it in a temp dir of netbook's.
	work, remove, err := sandbox.TempDir("netbook-lint-")
	if err != nil {
		return nil, err
	}
	defer remove()
	stdout, stderr, err := proc.Output(ctx, "go", args, proc.Options{
		Dir:   dir,
		Grace: 5 * time.Second,
		Setup: func(cmd *exec.Cmd) { sandbox.GoWorkIn(cmd, work) },
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("analysis: go list in %s: %v: %s", dir, err, strings.TrimSpace(stderr))
	}
	out := map[string]string{}
	dec := json.NewDecoder(strings.NewReader(stdout))
	for {
		var p struct {
			ImportPath string
			Export     string
			Error      *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("analysis: reading go list's output: %w", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("%w: %s: %s", ErrDoesNotCompile, p.ImportPath, p.Error.Err)
		}
		out[p.ImportPath] = p.Export
	}
	return out, nil
}
