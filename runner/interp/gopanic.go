package interp

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	gotypes "go/types"
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
// interpreter holds, not the value. The REPL and Run therefore guard each
// go statement (guardGoroutines): a func literal that a go statement runs
// starts with a deferred guard (goGuard), and a named function's call
// ("go f(x)") runs through the native Go of goGuardPkg. Either recovers
// the panic, reports it in Go's words (panicText) with the go statement's
// line, and ends the interpreter with ExitPanic, as the runtime would end
// a program.

// goGuard is the guard's name; goGuardPkg the native half's package,
// imported as goGuardAs; goGuardFunc defines the guard, and goGuardSrc
// defines it in a session.
const (
	goGuard    = "_netbookGoPanic"
	goGuardPkg = "netbookrepl"
	goGuardAs  = "_netbookrepl"
	goGuardSrc = `import ` + goGuardAs + ` "` + goGuardPkg + `"

` + goGuardFunc
	goGuardFunc = `func ` + goGuard + `(label string) { if r := recover(); r != nil { ` + goGuardAs + `.Crash(label, r) } }`
)

// exit ends the interpreter after a goroutine's panic; tests replace it.
var exit = os.Exit

// goGuardExports is the native half of the guard. Crash writes the panic
// to errOut as the Go runtime would, with the goroutine's number, and ends
// the interpreter; label says where the go statement is: in the REPL it
// comes first (piped: "line 3: ", on a terminal nothing); in a run (repl
// false) it is the file's position ("c02s1.go:9"), under "created by the
// go statement", where Go names the function that started the goroutine
// and the line of its go statement. Go(label, f, args...) starts
// f(args...) in a goroutine with the same guard, and reports whether it
// could (see callable); when it could not, the go statement runs as
// written, unguarded.
func goGuardExports(errOut io.Writer, repl bool) interp.Exports {
	crash := func(label string, v any) {
		msg := goPanic(fmt.Sprint(panicValue(v)))
		if repl {
			fmt.Fprintf(errOut, "%spanic: %s\n%s: no stack trace in the REPL\n", label, msg, goroutineHeader())
		} else {
			fmt.Fprintf(errOut, "panic: %s\n\n%s:\n\t(no stack trace: the interpreter keeps none)\ncreated by the go statement\n\t%s\n", msg, goroutineHeader(), label)
		}
		exit(ExitPanic)
	}
	start := func(label string, f any, args ...any) bool {
		fn, in, ok := callable(f, args)
		if !ok {
			return false
		}
		go func() {
			defer func() {
				if r := recover(); r != nil {
					crash(label, r)
				}
			}()
			fn.Call(in)
		}()
		return true
	}
	return interp.Exports{goGuardPkg + "/" + goGuardPkg: {"Crash": reflect.ValueOf(crash), "Go": reflect.ValueOf(start)}}
}

// callable returns f and args as reflect.Call takes them, or false when
// it cannot be sure to pass them as the interpreter would: f's parameters
// of the interpreter's own interface types, and an interpreted value for
// an interface parameter (handed over, it would lose its methods).
func callable(f any, args []any) (reflect.Value, []reflect.Value, bool) {
	fn := reflect.ValueOf(f)
	if fn.Kind() != reflect.Func || fn.IsNil() {
		return fn, nil, false
	}
	t := fn.Type()
	if t.IsVariadic() && len(args) < t.NumIn()-1 || !t.IsVariadic() && len(args) != t.NumIn() {
		return fn, nil, false
	}
	in := make([]reflect.Value, len(args))
	for k, a := range args {
		var pt reflect.Type
		if t.IsVariadic() && k >= t.NumIn()-1 {
			pt = t.In(t.NumIn() - 1).Elem()
		} else {
			pt = t.In(k)
		}
		if a == nil {
			switch pt.Kind() {
			case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice, reflect.UnsafePointer:
				in[k] = reflect.Zero(pt)
				continue
			}
			return fn, nil, false
		}
		v := reflect.ValueOf(a)
		switch {
		case pt.Kind() == reflect.Interface && !native(v.Type()):
			return fn, nil, false
		case v.Type().AssignableTo(pt):
		case numeric(v.Kind()) && numeric(pt.Kind()) || v.Kind() == reflect.String && pt.Kind() == reflect.String:
			v = v.Convert(pt) // an untyped constant, given its default type
		default:
			return fn, nil, false
		}
		in[k] = v
	}
	return fn, in, true
}

// native reports whether values of t keep their methods when handed to
// compiled code: a named type of Go's, or a pointer to one (the
// interpreter's own types are unnamed structs to reflect).
func native(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name() != "" || t.Kind() <= reflect.Complex128 || t.Kind() == reflect.String
}

func numeric(k reflect.Kind) bool { return k >= reflect.Int && k <= reflect.Complex128 }

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

// guardGoroutines returns src with its go statements guarded, at any
// depth: "defer _netbookGoPanic(LABEL);" at the start of the body of each
// func literal that a go statement runs ("go func() { ... }()"), and each
// call of a named function or method whose arguments are plain values
// ("go f(x, 1)", "go s.serve(c)") as "if !_netbookrepl.Go(LABEL, f, x, 1)
// { go f(x, 1) }"; LABEL is label of the go statement's line in src (1 for
// the first), quoted. A call whose arguments call or receive is left as
// it is (were Go to refuse it, they would be evaluated twice), and src as
// it is when it does not parse. It also reports whether it guarded any.
func guardGoroutines(src string, label func(line int) string) (string, bool) {
	in, ok := parseInput(src)
	if !ok {
		return src, false
	}
	return guardFile(in.fset, in.file, src, len(in.head), 1, label)
}

// guardFile is guardGoroutines for f, parsed from src after a head of
// base bytes and lines lines.
func guardFile(fset *token.FileSet, f *ast.File, src string, base, lines int, label func(line int) string) (string, bool) {
	type edit struct {
		start, end int // src[start:end] is replaced (end == start: text is inserted)
		text       string
	}
	var es []edit
	off := func(p token.Pos) int { return fset.Position(p).Offset - base }
	ast.Inspect(f, func(n ast.Node) bool {
		g, ok := n.(*ast.GoStmt)
		if !ok {
			return true
		}
		quoted := strconv.Quote(label(fset.Position(g.Pos()).Line - lines))
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
			at := off(lit.Body.Lbrace) + 1
			es = append(es, edit{at, at, " defer " + goGuard + "(" + quoted + ");"})
			return true
		}
		if !plainCall(g.Call) {
			return true
		}
		start, end := off(g.Pos()), off(g.End())
		fun, lparen := off(g.Call.Fun.Pos()), off(g.Call.Lparen)
		if start < 0 || end > len(src) || !(start <= fun && fun < lparen && lparen < end) {
			return true
		}
		args := ""
		if len(g.Call.Args) > 0 {
			args = ", " + src[lparen+1:off(g.Call.Rparen)]
		}
		es = append(es, edit{start, end, "if !" + goGuardAs + ".Go(" + quoted + ", " + src[fun:lparen] + args + ") { " + src[start:end] + " }"})
		return false
	})
	// From the last, so that each offset still holds.
	sort.Slice(es, func(i, j int) bool { return es[i].start > es[j].start })
	out := src
	for _, e := range es {
		if e.start < 0 || e.end > len(out) || e.start > e.end {
			return src, false
		}
		out = out[:e.start] + e.text + out[e.end:]
	}
	return out, len(es) > 0
}

// plainCall reports whether call, a go statement's, calls a named
// function or method ("f", "s.serve", not a builtin) with arguments that
// are plain values: their evaluation calls and receives nothing, so that
// evaluating them twice changes nothing.
func plainCall(call *ast.CallExpr) bool {
	if call.Ellipsis.IsValid() {
		return false
	}
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		if _, builtin := gotypes.Universe.Lookup(fun.Name).(*gotypes.Builtin); builtin {
			return false
		}
	case *ast.SelectorExpr:
		if !plainValue(fun.X) {
			return false
		}
	default:
		return false
	}
	for _, a := range call.Args {
		if !plainValue(a) {
			return false
		}
	}
	return true
}

// plainValue reports whether evaluating x calls and receives nothing:
// names, literals, selectors, indexes and operators on them.
func plainValue(x ast.Expr) bool {
	plain := true
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr, *ast.FuncLit, *ast.TypeAssertExpr:
			plain = false
		case *ast.UnaryExpr:
			plain = plain && n.Op != token.ARROW
		}
		return plain
	})
	return plain
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
