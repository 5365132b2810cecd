package labrun

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
)

// Kind says how netbook can run a lab.
type Kind int

// The kinds of lab.
const (
	NotRunnable Kind = iota // neither a server nor a client with a driver
	Server                  // serve: tcp or serve: udp in its brief
	Client                  // ships testdata/netbook/client.go
)

// DriverFile is where a client lab keeps its driver, relative to the lab.
const DriverFile = "testdata/netbook/client.go"

// KindOf says whether l is a server lab, a client lab with a driver, or
// neither.
func KindOf(l *labs.Lab) Kind {
	switch {
	case l.Serve == "tcp" || l.Serve == "udp":
		return Server
	case fileExists(filepath.Join(l.Dir, DriverFile)):
		return Client
	}
	return NotRunnable
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// Options says which implementation to build.
type Options struct {
	// Ref builds the reference solution: the solution's files are mapped
	// over the student's.
	Ref bool
	// Overlay maps more files (absolute paths, as gotest.WriteOverlay
	// takes them), after the solution's; tests use it to build a
	// deliberately broken implementation.
	Overlay map[string]string
	// Lang is the language of a server's log (netbook up), English when
	// zero. The "listening on" line stays as it is: programs read it.
	Lang lang.Lang
}

// Program is a lab built into an executable in a temp directory; Remove
// deletes it.
type Program struct {
	Lab  *labs.Lab
	Kind Kind
	Ref  bool
	Path string // the executable
	dir  string
	rm   func() // removes dir and its lock (runner/sandbox.TempDir)
}

// Who names the implementation for messages: "your server", "the
// reference client".
func (p *Program) Who() string {
	role := "server"
	if p.Kind == Client {
		role = "client"
	}
	if p.Ref {
		return "the reference " + role
	}
	return "your " + role
}

// Remove deletes the executable and its temp directory.
func (p *Program) Remove() error { p.rm(); return nil }

//go:embed servermain.go.tmpl
var serverMainText string

var serverMain = template.Must(template.New("main").Parse(serverMainText))

// Build compiles lab l of the work tree r into a program: a server lab
// behind a generated main, a client lab's driver. The student's files are
// used as they are on disk, or the reference solution's with o.Ref. A
// compile error is returned as a *BuildError.
func Build(ctx context.Context, r repo.Root, l *labs.Lab, o Options) (*Program, error) {
	kind := KindOf(l)
	if kind == NotRunnable {
		return nil, fmt.Errorf("lab %s is neither a server lab (serve: tcp or udp in its brief) nor a client lab with a driver (%s); "+
			"its tests are how to run it: go test %s", l.Name, DriverFile, r.Pkg(l.Dir))
	}
	// A killed netbook's build dir is swept by the next one.
	dir, rm, err := sandbox.TempDir("netbook-lab-")
	if err != nil {
		return nil, err
	}
	p := &Program{Lab: l, Kind: kind, Ref: o.Ref, dir: dir, rm: rm, Path: filepath.Join(dir, l.Name)}
	if err := p.build(ctx, r, o); err != nil {
		p.Remove()
		return nil, err
	}
	return p, nil
}

// pkgDir is where the program's main package appears to be, in the labs
// module: a directory that does not exist on disk.
func (p *Program) pkgDir(r repo.Root) string {
	role := "server"
	if p.Kind == Client {
		role = "client"
	}
	return filepath.Join(r.Labs(), "internal", "netbookrun", p.Lab.Name, role)
}

func (p *Program) build(ctx context.Context, r repo.Root, o Options) error {
	replace := map[string]string{}
	main := filepath.Join(p.dir, "main.go")
	shown := generatedName
	if o.Ref {
		sol, err := p.Lab.SolutionFiles()
		if err != nil {
			return err
		}
		maps.Copy(replace, sol)
	}
	maps.Copy(replace, o.Overlay)
	if p.Kind == Server {
		src, err := generateServerMainIn(r, p.Lab, hasLogger(p.Lab.Dir, replace), o.Lang)
		if err != nil {
			return err
		}
		if err := os.WriteFile(main, src, 0o644); err != nil {
			return err
		}
	} else {
		main = filepath.Join(p.Lab.Dir, DriverFile)
		shown = filepath.ToSlash(filepath.Join("labs", p.Lab.Name, DriverFile))
	}
	replace[filepath.Join(p.pkgDir(r), "main.go")] = main
	overlay, err := gotest.WriteOverlay(p.dir, replace)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(r.Dir, p.pkgDir(r))
	if err != nil {
		return err
	}
	// The go command runs in a process group of its own, stopped whole
	// when ctx is done: no compiler outlives a Ctrl-C.
	out, _, err := proc.Output(ctx, "go", []string{"build", "-overlay", overlay, "-o", p.Path, "./" + filepath.ToSlash(rel)}, proc.Options{
		Dir:      r.Dir,
		Combined: true,
		Grace:    5 * time.Second,
		Setup:    func(cmd *exec.Cmd) { sandbox.GoWorkIn(cmd, p.dir) },
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return fmt.Errorf("unable to run go build (is Go installed and on PATH?): %w", err)
		}
		return &BuildError{Lab: p.Lab, Ref: p.Ref, Kind: p.Kind, Output: cleanBuildOutput(out, main, shown, r.Dir), Cmd: r.Command()}
	}
	return nil
}

// generateServerMain fills in the server main's template for l. logger
// says that the lab's package has a Server with a Logger (lab 10): the
// main then serves with one whose records are lines of its log.
func generateServerMain(r repo.Root, l *labs.Lab, logger bool) ([]byte, error) {
	return generateServerMainIn(r, l, logger, lang.English)
}

// generateServerMainIn is generateServerMain with the log in language in.
func generateServerMainIn(r repo.Root, l *labs.Lab, logger bool, in lang.Lang) ([]byte, error) {
	var b bytes.Buffer
	err := serverMain.Execute(&b, map[string]any{
		"Lab":     l.Name,
		"Network": l.Serve,
		"UDP":     l.Serve == "udp",
		"Import":  "github.com/netbook/netbook/labs/" + l.Name,
		"Logger":  logger,
		"T":       logWords(in),
	})
	if err != nil {
		return nil, err
	}
	return format.Source(b.Bytes())
}

// BuildError is a lab that does not compile.
type BuildError struct {
	Lab    *labs.Lab
	Ref    bool
	Kind   Kind
	Output string // what go build printed, without its "# package" lines
	Cmd    string // how the student runs netbook: "netbook", "go run ./cmd/netbook"
}

// Error says what does not compile and what to do about it.
func (e *BuildError) Error() string { return e.ErrorIn(lang.English) }

func (e *BuildError) cmd() string { return cmp.Or(e.Cmd, "netbook") }

// generatedName is how build errors name the generated main.
const generatedName = "netbook's generated main.go"

func serveSignature(l *labs.Lab) string {
	if l.Serve == "udp" {
		return "func Serve(conn net.PacketConn) error"
	}
	return "func Serve(ln net.Listener) error"
}

// cleanBuildOutput drops go build's "# package" headers and writes the
// main package's file as shown, and other absolute paths in the work tree
// (the solution's) relative to it. The go command names a file by whichever
// is shorter, its absolute path or its path relative to the directory it
// runs in, so the main file is looked for in both forms.
func cleanBuildOutput(out, main, shown, root string) string {
	names := []string{main}
	if rel, err := filepath.Rel(root, main); err == nil {
		names = append([]string{rel}, names...)
	}
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "# ") {
			continue
		}
		for _, name := range names {
			if strings.HasPrefix(line, name+":") || strings.Contains(line, " "+name+":") {
				line = strings.ReplaceAll(line, name, shown)
			}
		}
		keep = append(keep, strings.ReplaceAll(line, root+string(filepath.Separator), ""))
	}
	return strings.TrimSpace(strings.Join(keep, "\n")) + "\n"
}

// hasLogger reports whether the package in dir, with the files of replace
// in place of its own, has a type Server with a field Logger *slog.Logger
// and a method Serve(net.Listener) error on *Server, as lab 10's does: its
// Serve, new(Server).Serve(ln), logs nothing, and netbook up shows the
// room's own log when the main gives it a Logger.
func hasLogger(dir string, replace map[string]string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	field, method := false, false
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		if to, ok := replace[f]; ok {
			f = to
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return false // the build says what is wrong
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok && ts.Name.Name == "Server" {
						if st, ok := ts.Type.(*ast.StructType); ok {
							field = field || loggerField(st)
						}
					}
				}
			case *ast.FuncDecl:
				method = method || serveMethod(d)
			}
		}
	}
	return field && method
}

// loggerField reports whether st has a field Logger *slog.Logger.
func loggerField(st *ast.StructType) bool {
	for _, f := range st.Fields.List {
		star, ok := f.Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		sel, ok := star.X.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Logger" {
			continue
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "slog" {
			continue
		}
		for _, n := range f.Names {
			if n.Name == "Logger" {
				return true
			}
		}
	}
	return false
}

// serveMethod reports whether d is func (s *Server) Serve(x net.Listener) error.
func serveMethod(d *ast.FuncDecl) bool {
	if d.Name.Name != "Serve" || d.Recv == nil || len(d.Recv.List) != 1 {
		return false
	}
	star, ok := d.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	if id, ok := star.X.(*ast.Ident); !ok || id.Name != "Server" {
		return false
	}
	params, results := d.Type.Params.List, d.Type.Results
	if len(params) != 1 || len(params[0].Names) > 1 || results == nil || len(results.List) != 1 {
		return false
	}
	sel, ok := params[0].Type.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Listener" {
		return false
	}
	res, ok := results.List[0].Type.(*ast.Ident)
	return ok && res.Name == "error" && len(results.List[0].Names) <= 1
}
