package interp

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strconv"

	"github.com/traefik/yaegi/interp"
)

// A panic in a goroutine that interpreted code starts ends the program, as
// in Go; but the interpreter (yaegi v0.16.1) recovers it in the goroutine
// and panics again, so the Go runtime reports it with its own stack, and
// as "panic: <int Value> [recovered, repanicked]": the reflect.Value the
// interpreter holds, not the value. The REPL therefore starts each func
// literal that a go statement runs with a deferred guard (goGuard), which
// recovers the panic, reports it in Go's words (panicText) and ends the
// interpreter with ExitPanic, as the runtime would end a program.

// goGuard is the guard's name, and goGuardSrc defines it in a session.
const (
	goGuard    = "_netbookGoPanic"
	goGuardPkg = "netbookrepl"
	goGuardSrc = `import _netbookrepl "` + goGuardPkg + `"

func ` + goGuard + `(label string) {
	if r := recover(); r != nil {
		_netbookrepl.Crash(label, r)
	}
}`
)

// exit ends the interpreter after a goroutine's panic; tests replace it.
var exit = os.Exit

// goGuardExports is the native half of the guard: Crash writes the panic
// to errOut as the Go runtime would, with the goroutine's number, after
// label (the line of the go statement, piped: "line 3: "), and ends the
// interpreter.
func goGuardExports(errOut io.Writer) interp.Exports {
	crash := func(label string, v any) {
		fmt.Fprintf(errOut, "%spanic: %s\n%s: no stack trace in the REPL\n", label, goPanic(fmt.Sprint(panicValue(v))), goroutineHeader())
		exit(ExitPanic)
	}
	return interp.Exports{goGuardPkg + "/" + goGuardPkg: {"Crash": reflect.ValueOf(crash)}}
}

// goroutineHeader is the current goroutine's line as a stack trace starts
// it: "goroutine 23 [running]".
func goroutineHeader() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	if i := bytes.IndexByte(buf, ':'); i > 0 {
		return string(buf[:i])
	}
	return "goroutine ? [running]"
}

// guardGoroutines returns src with "defer _netbookGoPanic(LABEL);" at the
// start of the body of each func literal that a go statement runs
// ("go func() { ... }()"), at any depth, LABEL being label of the go
// statement's line in src (1 for the first), quoted; src as it is when it
// has none or does not parse. (A goroutine that runs a named function or
// a method is not guarded: its panic reads as the runtime reports it.)
func guardGoroutines(src string, label func(line int) string) string {
	for _, head := range []string{"package p\n", "package p; func _() {\n"} {
		tail := ""
		if head != "package p\n" {
			tail = "\n}"
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", head+src+tail, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		type guard struct{ at, line int }
		var gs []guard
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
					gs = append(gs, guard{fset.Position(lit.Body.Lbrace).Offset + 1 - len(head), fset.Position(g.Pos()).Line - 1})
				}
			}
			return true
		})
		// From the last, so that each offset still holds.
		sort.Slice(gs, func(i, j int) bool { return gs[i].at > gs[j].at })
		out := src
		for _, g := range gs {
			if g.at <= 0 || g.at > len(src) {
				return src
			}
			out = out[:g.at] + " defer " + goGuard + "(" + strconv.Quote(label(g.line)) + ");" + out[g.at:]
		}
		return out
	}
	return src
}

// blockLiteralCalls returns src with each of its statements that calls a
// func literal without results ("func() { n++ }()") in a block of its own,
// and whether it had any. The interpreter (yaegi v0.16.1) runs such a
// call twice when it is a statement of the input itself, and gives the
// func's address as the input's value; in a block it runs once. The bool
// says whether the last statement is one: the input then has no value.
func blockLiteralCalls(src string) (string, bool) {
	const head = "package p; func _() {\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", head+src+"\n}", parser.SkipObjectResolution)
	if err != nil {
		return src, false
	}
	type span struct{ start, end int }
	var calls []span
	last := false
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	for n, st := range body {
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok {
			continue
		}
		if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && lit.Type.Results == nil {
			calls = append(calls, span{fset.Position(es.Pos()).Offset - len(head), fset.Position(es.End()).Offset - len(head)})
			last = n == len(body)-1
		}
	}
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		if c.start < 0 || c.end > len(src) || c.start >= c.end {
			return src, false
		}
		src = src[:c.start] + "{ " + src[c.start:c.end] + " }" + src[c.end:]
	}
	return src, last
}
