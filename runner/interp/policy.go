package interp

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// Denied is every standard-library package the interpreter leaves out on
// purpose, with the reason a student sees.
var Denied = map[string]string{
	"os/exec":         "snippets cannot start other programs",
	"syscall":         "snippets cannot make system calls directly",
	"unsafe":          "interpreted code has no unsafe memory access",
	"plugin":          "snippets cannot load compiled code",
	"runtime/cgo":     "interpreted code cannot call C",
	"net/http/cgi":    "it starts other programs",
	"log/syslog":      "it writes to the system log",
	"go/build":        "it runs the go command",
	"go/importer":     "it runs the go command and reads compiled packages",
	"debug/buildinfo": "it reads executables from disk",
	"debug/dwarf":     "it reads executables from disk",
	"debug/elf":       "it reads executables from disk",
	"debug/gosym":     "it reads executables from disk",
	"debug/macho":     "it reads executables from disk",
	"debug/pe":        "it reads executables from disk",
	"debug/plan9obj":  "it reads executables from disk",
	"os/user":         "it reads the system's user and group files",
	"testing":         "a snippet is a program; tests run with go test (and testing.T's Chdir and Setenv would leave the snippet's directory)",
}

// DeniedSymbols is every name removed from a package the interpreter
// otherwise offers, keyed "path.Name", with the reason.
var DeniedSymbols = map[string]string{
	"os.Chdir":               "a snippet stays in its own directory",
	"os.Chown":               "a snippet cannot change who owns a file",
	"os.Lchown":              "a snippet cannot change who owns a file",
	"os.Link":                "links could reach files outside the snippet's directory",
	"os.Symlink":             "links could reach files outside the snippet's directory",
	"os.NewFile":             "a snippet opens files by name, inside its directory",
	"os.StartProcess":        "snippets cannot start other programs",
	"os.FindProcess":         "snippets cannot signal other programs",
	"os.Process":             "snippets cannot signal other programs, and a Process made by hand would reach any pid",
	"os.ProcAttr":            "snippets cannot start other programs",
	"net.FileConn":           "snippets open sockets with net.Dial and net.Listen, on loopback",
	"net.FileListener":       "snippets open sockets with net.Dial and net.Listen, on loopback",
	"net.FilePacketConn":     "snippets open sockets with net.Dial and net.Listen, on loopback",
	"net/http.Dir":           "it serves any file on the disk; serve from os.DirFS(\".\") with http.FS",
	"net.ListenIP":           "snippets use TCP and UDP on loopback",
	"net.DialIP":             "snippets use TCP and UDP on loopback",
	"net.ListenUnix":         "snippets use TCP and UDP on loopback",
	"net.DialUnix":           "snippets use TCP and UDP on loopback",
	"net.ListenUnixgram":     "snippets use TCP and UDP on loopback",
	"net.ListenMulticastUDP": "snippets use TCP and UDP on loopback",
}

// DeniedMethods is every method name that interpreted code may not call on
// a value, with the reason. The package functions of the same name are
// wrapped and checked; a method cannot be, since its receiver's type is the
// standard library's own.
var DeniedMethods = map[string]string{
	"ParseFiles": "the method reads files by name without netbook's check; call template.ParseFiles(names...), which keeps names inside the snippet's directory",
	"ParseGlob":  "the method reads files by name without netbook's check; call template.ParseGlob(pattern), which keeps names inside the snippet's directory",
}

// Available reports whether an import path can be used, given the packages
// the interpreter has (the keys of its symbol table, "net/http").
type Available func(path string) bool

// CheckSource parses a program (or, with file "" and a REPL line, a piece of
// one) and reports the first import or name that the interpreter does not
// offer, as "file:line:col: message". It returns nil when it cannot parse
// the source: the interpreter then reports the syntax error itself.
func CheckSource(file, src string, has Available) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	return newChecker(has).file(fset, f)
}

// checker refuses denied imports, package symbols and methods. It
// remembers the imports it has seen, so that a REPL's later lines are
// checked against its earlier imports.
type checker struct {
	has   Available
	names map[string]string // local name -> import path
}

func newChecker(has Available) *checker {
	return &checker{has: has, names: map[string]string{}}
}

func (c *checker) file(fset *token.FileSet, f *ast.File) error {
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		if err := checkImport(p, c.has); err != nil {
			return fmt.Errorf("%s: %w", position(fset, im.Pos()), err)
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		c.names[name] = p
	}
	var found error
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || found != nil {
			return found == nil
		}
		x, isIdent := sel.X.(*ast.Ident)
		if p, isPkg := c.names[identName(x)]; isIdent && isPkg {
			if why, denied := DeniedSymbols[p+"."+sel.Sel.Name]; denied {
				found = fmt.Errorf("%s: %s.%s is not available in netbook's interpreter: %s",
					position(fset, sel.Pos()), x.Name, sel.Sel.Name, why)
			}
			return true
		}
		if why, denied := DeniedMethods[sel.Sel.Name]; denied {
			found = fmt.Errorf("%s: the method %s is not available in netbook's interpreter: %s",
				position(fset, sel.Sel.Pos()), sel.Sel.Name, why)
		}
		return true
	})
	return found
}

func identName(x *ast.Ident) string {
	if x == nil {
		return ""
	}
	return x.Name
}

func checkImport(p string, has Available) error {
	if why, ok := Denied[p]; ok {
		return fmt.Errorf("import %q is not allowed in netbook's interpreter: %s", p, why)
	}
	if !has(p) {
		first := p
		if i := strings.Index(p, "/"); i >= 0 {
			first = p[:i]
		}
		if strings.Contains(first, ".") {
			return fmt.Errorf("import %q is not available in netbook's interpreter: it has the standard library and no other modules; run this program with the Go toolchain (netbook run --toolchain)", p)
		}
		return fmt.Errorf("import %q is not available in netbook's interpreter: it knows Go 1.22's standard library, and %q is newer or unknown; run this program with the Go toolchain (netbook run --toolchain)", p, p)
	}
	return nil
}

func position(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	if p.Filename == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

// DeniedList is the denied packages, sorted, for help texts.
func DeniedList() []string {
	var l []string
	for p := range Denied {
		l = append(l, p)
	}
	sort.Strings(l)
	return l
}
