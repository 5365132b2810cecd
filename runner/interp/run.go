package interp

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	gotypes "go/types"
	"io"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/netbook/netbook/runner/replproto"
	"github.com/traefik/yaegi/interp"
)

// Exit statuses of Run besides the program's own.
const (
	ExitPanic   = 2 // the program panicked, as a compiled Go program exits
	ExitRefused = 3 // the program imports or uses something the interpreter denies
)

// Run interprets the program in file (a main package) with args, in the
// current directory, which is also the only directory it may touch. It
// returns the exit status: 0, the program's os.Exit code, 1 for an error
// that stops it from compiling, ExitPanic or ExitRefused.
func Run(file string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	src, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ex, has, err := Symbols(dir)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if err := CheckSource(file, string(src), has); err != nil {
		fmt.Fprintln(stderr, err)
		return ExitRefused
	}
	// The Go compiler refuses what is declared and not used; the
	// interpreter would run it.
	imp := newSymImporter(ex)
	if err := unusedWith(file, string(src), imp); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	// Its for loops behave as in Go 1.22 (see modernLoops), and its
	// goroutines are guarded, as in the REPL (see goGuard): the
	// interpreter reads what runs in place of the file. When what the
	// guard makes of a go statement does not compile (see
	// guardGoroutines), nothing ran, and the program runs without the
	// guard: as written, or with its loops rewritten (as written, a range
	// over an integer would crash the interpreter).
	modern, rewrote := modernProgram(file, string(src), imp)
	if guarded, ok := guardProgram(file, modern, imp); ok {
		if compiled, err := runFile(file, guarded, args, stdin, stdout, stderr, ex); compiled {
			return report(err, has, stderr)
		}
	}
	if !rewrote {
		modern = ""
	}
	_, err = runFile(file, modern, args, stdin, stdout, stderr, ex)
	return report(err, has, stderr)
}

// runFile interprets file, or guarded (what runs rewritten) in its place
// when it is not "", and returns the error it ended with, and false when
// guarded did not compile, so that nothing of it ran.
func runFile(file, guarded string, args []string, stdin io.Reader, stdout, stderr io.Writer, ex interp.Exports) (compiled bool, err error) {
	opts := interp.Options{
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Args: append([]string{file}, args...),
		Env:  os.Environ(),
	}
	uses := []interp.Exports{ex, exitingLog(stderr)}
	if guarded != "" {
		opts.SourcecodeFilesystem = fstest.MapFS{file: {Data: []byte(guarded)}}
		uses = append(uses, goGuardExports(stderr, false))
	}
	i := interp.New(opts)
	for _, u := range uses {
		if err := i.Use(u); err != nil {
			return true, err
		}
	}
	_, err = i.EvalPath(file)
	var p interp.Panic
	return guarded == "" || err == nil || errors.As(err, &p), err
}

// modernProgram returns src, the program in file, with its for loops
// rewritten to behave as in Go 1.22 (modernLoops), and whether it
// rewrote any; imp gives the imported packages' types.
func modernProgram(file, src string, imp gotypes.Importer) (string, bool) {
	if !fs.ValidPath(file) {
		return src, false
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil || !hasLoop(f) {
		return src, false
	}
	return modernLoops(fset, f, src, 0, typesOf(fset, f, imp))
}

// guardProgram returns src, the program in file, with its go statements
// guarded (guardGoroutines), each labelled with its position in file
// ("c02s1.go:9"), the guard's import on the package clause's line and the
// guard itself on the last import's, so that every line keeps its number;
// false when it has none to guard, or file is not a name the interpreter
// can be handed a source for. imp gives the imported packages' types.
func guardProgram(file, src string, imp gotypes.Importer) (string, bool) {
	if !fs.ValidPath(file) {
		return src, false
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return src, false
	}
	if !hasGo(f) {
		return src, false
	}
	t := typesOf(fset, f, imp)
	pkgs := map[string]bool{}
	for _, im := range f.Imports {
		if p, err := strconv.Unquote(im.Path.Value); err == nil {
			pkgs[p[strings.LastIndex(p, "/")+1:]] = true
		}
		if im.Name != nil {
			pkgs[im.Name.Name] = true
		}
	}
	label := func(line int) string { return fmt.Sprintf("%s:%d", file, line) }
	t.pkg = func(name string) bool { return pkgs[name] }
	out, ok := guardFile(fset, f, src, 0, 0, label, t)
	if !ok {
		return src, false
	}
	// The guard is declared before the code that defers it: declared
	// after (at the end of the file), its recover would recover nothing
	// (yaegi v0.16.1).
	pkg, imports := fset.Position(f.Name.End()).Offset, fset.Position(f.Name.End()).Offset
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			imports = fset.Position(g.End()).Offset
		}
	}
	out = out[:imports] + "; " + goGuardFunc + out[imports:]
	return out[:pkg] + "; import " + goGuardAs + ` "` + goGuardPkg + `"` + out[pkg:], true
}

// report prints an evaluation error the way a compiled program or the go
// command would, and returns the exit status.
func report(err error, has Available, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var p interp.Panic
	if errors.As(err, &p) {
		fmt.Fprint(stderr, panicText(p.Value, false))
		return ExitPanic
	}
	if path, ok := missingImport(err); ok {
		if e := checkImport(path, has); e != nil {
			fmt.Fprintln(stderr, e)
			return ExitRefused
		}
	}
	fmt.Fprintln(stderr, err)
	return 1
}

// noStack is what stands for the stack trace the Go runtime prints under
// a panic: yaegi keeps none of interpreted code (its frame lines give each
// function's first statement, not the one that panicked: netbook cuts
// them, see runner/interpbin's frames.go).
const noStack = "goroutine 1 [running]:\n\t(no stack trace: the interpreter keeps none)\n"

// panicText is a panic as the Go runtime reports it: "panic: VALUE" in
// Go's words, a blank line, and where the goroutine's stack would be. The
// REPL (repl true) keeps it to two lines: the line that panicked is the
// one just typed.
func panicText(v any, repl bool) string {
	msg := goPanic(fmt.Sprint(panicValue(v)))
	if repl {
		return fmt.Sprintf("panic: %s\ngoroutine 1 [running]: no stack trace in the REPL\n", msg)
	}
	return fmt.Sprintf("panic: %s\n\n%s", msg, noStack)
}

// goPanic is a panic's message in the Go runtime's words
// (replproto.GoPanic).
func goPanic(msg string) string { return replproto.GoPanic(msg) }

// panicValue formats a recovered value as the runtime prints it.
func panicValue(v any) any {
	// The interpreter recovers what interpreted code panicked with as a
	// reflect.Value: its String method would say "<int Value>".
	if rv, ok := v.(reflect.Value); ok {
		if !rv.IsValid() || !rv.CanInterface() {
			return v
		}
		v = rv.Interface()
	}
	switch v := v.(type) {
	case error:
		return v.Error()
	case fmt.Stringer:
		return v.String()
	}
	return v
}
