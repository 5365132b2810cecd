package grade

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// A student's code runs inside the test binary, before and beside the
// book's tests, so it can fake a run: print the lines go test -json reads
// as "=== RUN" and "--- PASS" for every task, then end the process with
// status 0 before a real test runs. No check from outside the process can
// tell such lines from the testing package's own. What grade can do is
// read the code for what a fake needs and no lab does: ending the process
// itself, another standard output, the test framework's words, a way past
// Go's types, the test binary's arguments. It says where, and the instructor reads the code;
// the points stand, since log.Fatal in a server is a mistake, not a fraud.

// reach are, by import path, what ends the process with a status of the
// code's choosing (or replaces it with another program, syscall.Exec),
// makes a system call of its own, puts another file behind the standard
// output, or reads or sets the test binary's arguments; a lab's code needs
// none of them. A nil list flags the import itself.
// (log.Fatal and panics are not here: a lab's code may panic by mistake.
// After a fake's lines they end the run outside every task, which fill
// flags from the run itself: beforeClosing.)
var reach = map[string][]string{
	"os":                    {"Exit", "Args", "Executable", "StartProcess", "Getpid"},
	"os/exec":               nil, // runs the test binary again (-test.list names every test) or another program
	"syscall":               {"Exit", "Exec", "Syscall", "Syscall6", "RawSyscall", "RawSyscall6", "Dup2", "Dup3"},
	"golang.org/x/sys/unix": {"Exit", "Exec", "Syscall", "Syscall6", "RawSyscall", "RawSyscall6", "Dup2", "Dup3"},
	"testing":               nil,
	"unsafe":                nil,
	"flag":                  nil, // flag.Set("test.run", ...): the test binary's flags
	"C":                     nil, // cgo: C's exit, and any system call
	"plugin":                nil,
	"debug/elf":             nil, // reads a binary's symbols: the tests' names, the hidden ones too
	"debug/macho":           nil,
	"debug/pe":              nil,
	"debug/gosym":           nil,
}

// framing are the test framework's words, which a lab's code never
// prints: a literal that holds one is shown.
var framing = []string{"=== RUN", "--- PASS", "--- FAIL", "--- SKIP", "\x16", "=== PAUSE", "=== CONT"}

// marker is the byte go test -json needs before a line of the framework's
// (^V, 0x16): code that builds it from a number (string(rune(0x16)),
// []byte{22}) rather than writing it in a string is shown too.
const marker = 0x16

// suspect lists, as "file:line: what", what the student's Go files (by
// name) do that a faked test run needs and no lab does. Files that do not
// parse are left to the compiler.
func suspect(files map[string][]byte) []string {
	var out []string
	names := make([]string, 0, len(files))
	for name := range files {
		if strings.HasSuffix(name, ".go") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, files[name], parser.ParseComments)
		if err != nil {
			continue
		}
		at := func(p token.Pos, what string) {
			out = append(out, fmt.Sprintf("%s:%d: %s", name, fset.Position(p).Line, what))
		}
		local := map[string]string{} // the name a file gives an import, to its path
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			name := path[strings.LastIndex(path, "/")+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			local[name] = path
			funcs, ok := reach[path]
			switch {
			case ok && funcs == nil:
				at(imp.Pos(), "imports "+path)
			case ok && name == ".":
				// import . "os": Exit and Args without the package's
				// name, which the selectors below look for.
				at(imp.Pos(), "imports "+path+" with a dot, so that its names (Exit, Args...) stand alone")
			}
		}
		for _, g := range f.Comments {
			for _, c := range g.List {
				if strings.HasPrefix(c.Text, "//go:linkname") {
					at(c.Pos(), "has a //go:linkname directive")
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok {
						if id, ok := sel.X.(*ast.Ident); ok && local[id.Name] == "os" && (sel.Sel.Name == "Stdout" || sel.Sel.Name == "Stderr") {
							at(n.Pos(), "assigns os."+sel.Sel.Name)
						}
					}
				}
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && slices.Contains(reach[local[id.Name]], n.Sel.Name) {
					at(n.Pos(), "uses "+local[id.Name]+"."+n.Sel.Name)
				}
			case *ast.CallExpr:
				// string(rune(0x16)), byte(22): the marker from a number.
				if id, ok := n.Fun.(*ast.Ident); ok && len(n.Args) == 1 && isMarker(n.Args[0]) &&
					slices.Contains([]string{"rune", "byte", "int32", "uint8", "string"}, id.Name) {
					at(n.Pos(), "makes the test framework's marker byte (0x16) from a number")
				}
			case *ast.CompositeLit:
				// []byte{22, '=', ...}
				if slices.ContainsFunc(n.Elts, isMarker) {
					at(n.Pos(), "makes the test framework's marker byte (0x16) from a number")
				}
			case *ast.BasicLit:
				if n.Kind == token.CHAR {
					if r, _, _, err := strconv.UnquoteChar(strings.Trim(n.Value, "'"), '\''); err == nil && r == marker {
						at(n.Pos(), "has the test framework's marker byte (0x16) in a rune")
					}
				}
				if n.Kind != token.STRING {
					break
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					break
				}
				for _, w := range framing {
					if strings.Contains(s, w) {
						at(n.Pos(), fmt.Sprintf("has the test framework's words %q in a string", w))
						break
					}
				}
				if strings.Contains(s, "/proc/") {
					// /proc/self/exe, /proc/PID/exe: the test binary, whose
					// tests' names (the hidden ones too) a fake can read.
					at(n.Pos(), "names a process's files (/proc/) in a string")
				}
			}
			return true
		})
	}
	return out
}

// isMarker reports whether e is an integer literal of the marker's value.
func isMarker(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(lit.Value, "_", ""), 0, 64)
	return err == nil && v == marker
}
