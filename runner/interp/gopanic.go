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
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// A panic in a goroutine that interpreted code starts ends the program, as
// in Go; but the interpreter (yaegi v0.16.1) recovers it in the goroutine
// and panics again, so the Go runtime reports it with its own stack, and
// as "panic: <int Value> [recovered, repanicked]": the reflect.Value the
// interpreter holds, not the value. The REPL and Run therefore guard each
// go statement (guardGoroutines): the func literal that the goroutine
// runs starts with a deferred guard (goGuard), which recovers the panic,
// has the native Go of goGuardPkg report it in Go's words (panicText)
// with the go statement's line, and end the interpreter with ExitPanic,
// as the runtime would end a program.

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
// and the line of its go statement.
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

// guardGoroutines returns src, an input at the prompt, with its go
// statements guarded, at any depth, each with the label of its line in
// src (1 for the first), quoted as LABEL below:
//
//   - a func literal's ("go func(x int) { ... }(1)") gets the guard at the
//     start of its body: "go func(x int) { defer _netbookGoPanic(LABEL); ... }(1)";
//   - any other call ("go f(g(), <-ch, 1)", "go s.serve(c)", "go fn(x)",
//     "go close(ch)") becomes a func literal, called at once, that
//     evaluates the function value and the arguments, as Go does before
//     the goroutine starts, then starts the goroutine with the guard:
//     "func() { _nbgf := f; _nbg0 := g(); _nbg1 := <-ch; go func() {
//     defer _netbookGoPanic(LABEL); _nbgf(_nbg0, _nbg1, 1) }() }()".
//
// A constant argument (written out on one line, or one t knows) is passed
// as it is, so that an untyped constant takes the parameter's type; a
// builtin (close, panic) and a package's function are called by name; a
// method's receiver is taken as the method value would take it (see
// goTypes.receiver), and g() as the only argument hands on each of its
// results. A go statement whose receiver's type, or whose g()'s count of
// results, t cannot tell is left as typed.
//
// The goroutine is started by a go statement of the interpreter's (yaegi
// v0.16.1), which makes its frame in the caller's goroutine; Go's code
// that calls an interpreted function in a goroutine of its own makes it
// there, reading the session's frame without its lock as the next line
// writes it: a data race (see TestREPLGoStatementStartsNoRace). What the
// rewrite makes may still not compile (a named untyped constant of a
// session for an int64): nothing then runs, and the caller runs src as
// written. src is returned as it is when it does not parse. It also
// reports whether it guarded any.
func guardGoroutines(src string, label func(line int) string, t goTypes) (string, bool) {
	in, ok := parseInput(src)
	if !ok {
		return src, false
	}
	return guardFile(in.fset, in.file, src, len(in.head), 1, label, t)
}

// goTypes is what the guard knows of the expressions of a go statement.
type goTypes struct {
	info    *gotypes.Info                           // their types, as far as go/types could tell; or nil
	decl    map[token.Pos]ast.Expr                  // the type written for a name declared at the position (a parameter's, a receiver's)
	pkg     func(name string) bool                  // whether name is an imported package's
	session func(name string) (reflect.Value, bool) // the value of a name an earlier prompt declared
	self    *gotypes.Package                        // the package type-checked; or nil
	imports map[string]string                       // the name a package is imported as, by path, where the import names it
	scope   func(token.Pos) *gotypes.Scope          // the innermost scope at a position; or nil
}

// typesOf type-checks f, with the packages imp gives, and returns what
// go/types could tell of its expressions, errors or not, and the types
// written for its parameters, receivers and variables.
func typesOf(fset *token.FileSet, f *ast.File, imp gotypes.Importer) goTypes {
	if w, ok := imp.(interface{ wantFrom(*ast.File) }); ok {
		w.wantFrom(f)
	}
	info := &gotypes.Info{
		Types:  map[ast.Expr]gotypes.TypeAndValue{},
		Uses:   map[*ast.Ident]gotypes.Object{},
		Defs:   map[*ast.Ident]gotypes.Object{},
		Scopes: map[ast.Node]*gotypes.Scope{},
	}
	conf := gotypes.Config{Importer: imp, Error: func(error) {}}
	pkg, _ := conf.Check(f.Name.Name, fset, []*ast.File{f}, info)
	decl := map[token.Pos]ast.Expr{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			for _, id := range n.Names {
				decl[id.Pos()] = n.Type
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				if n.Type != nil {
					decl[id.Pos()] = n.Type
				}
			}
		}
		return true
	})
	t := goTypes{info: info, decl: decl, self: pkg, imports: map[string]string{}}
	for _, im := range f.Imports {
		if p, err := strconv.Unquote(im.Path.Value); err == nil && im.Name != nil {
			t.imports[p] = im.Name.Name
		}
	}
	if pkg != nil {
		t.scope = func(p token.Pos) *gotypes.Scope { return pkg.Scope().Innermost(p) }
	}
	return t
}

// constant reports whether x is a constant: written out (see
// literalConst), or one go/types knows.
func (t goTypes) constant(x ast.Expr) bool {
	if literalConst(x) {
		return true
	}
	if t.info == nil {
		return false
	}
	tv, ok := t.info.Types[x]
	return ok && tv.Value != nil
}

// results returns how many results call has, or -1 when it cannot tell.
func (t goTypes) results(call *ast.CallExpr) int {
	if t.info != nil {
		if tv, ok := t.info.Types[call]; ok && tv.Type != nil && tv.Type != gotypes.Typ[gotypes.Invalid] {
			if tuple, ok := tv.Type.(*gotypes.Tuple); ok {
				return tuple.Len()
			}
			return 1
		}
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		switch gotypes.Universe.Lookup(id.Name).(type) {
		case *gotypes.TypeName, *gotypes.Builtin:
			return 1 // a conversion, len(s)
		}
		if t.session == nil {
			return -1
		}
		if v, ok := t.session(id.Name); ok && v.Kind() == reflect.Func {
			return v.Type().NumOut()
		}
	}
	return -1
}

// receiver says how the guard takes x, the receiver of a go statement's
// method call, for the goroutine to call the method on, as Go takes it
// when it evaluates the method value x.m: "&" (x is a variable holding a
// value: its address, which a method with a pointer receiver needs),
// "=" (a pointer, an interface or a value that is no variable: a copy),
// or "" when it cannot tell.
func (t goTypes) receiver(x ast.Expr) string {
	if t.info != nil {
		if tv, ok := t.info.Types[x]; ok && tv.Type != nil && tv.Type != gotypes.Typ[gotypes.Invalid] {
			switch tv.Type.Underlying().(type) {
			case *gotypes.Pointer, *gotypes.Interface, *gotypes.Map, *gotypes.Chan, *gotypes.Signature:
				return "="
			}
			if tv.Addressable() {
				return "&"
			}
			return "="
		}
	}
	switch x := ast.Unparen(x).(type) {
	case *ast.CallExpr, *ast.CompositeLit:
		return "=" // no variable
	case *ast.Ident:
		// Declared with a type go/types does not know (one of an
		// earlier prompt's): what is written tells a pointer.
		if t.info != nil && t.info.Uses[x] != nil {
			switch t.decl[t.info.Uses[x].Pos()].(type) {
			case nil:
			case *ast.StarExpr:
				return "="
			default:
				return "&"
			}
		}
		if t.session == nil {
			return ""
		}
		v, ok := t.session(x.Name)
		switch k := v.Kind(); {
		case !ok:
			return ""
		case k == reflect.Pointer || k == reflect.Interface || k == reflect.Map || k == reflect.Chan || k == reflect.Func:
			return "="
		default:
			return "&"
		}
	}
	return ""
}

// guardFile is guardGoroutines for f, parsed from src after a head of
// base bytes and lines lines. Every line after a go statement keeps its
// number: the lines a rewritten call drops come first in its func literal.
func guardFile(fset *token.FileSet, f *ast.File, src string, base, lines int, label func(line int) string, t goTypes) (string, bool) {
	off := func(p token.Pos) int { return fset.Position(p).Offset - base }
	var gos []*ast.GoStmt // in the order they start
	bad := false
	ast.Inspect(f, func(n ast.Node) bool {
		if g, ok := n.(*ast.GoStmt); ok {
			if off(g.Pos()) < 0 || off(g.End()) > len(src) {
				bad = true
			}
			gos = append(gos, g)
		}
		return true
	})
	if bad || len(gos) == 0 {
		return src, false
	}
	var text func(start, end int) string
	guard := func(g *ast.GoStmt) string {
		quoted := strconv.Quote(label(fset.Position(g.Pos()).Line - lines))
		defers := "defer " + goGuard + "(" + quoted + ");"
		start, end := off(g.Pos()), off(g.End())
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
			at := off(lit.Body.Lbrace) + 1
			return text(start, at) + " " + defers + text(at, end)
		}
		var names, values, args []string
		capture := func(name string, x ast.Expr) {
			names, values = append(names, name), append(values, text(off(x.Pos()), off(x.End())))
		}
		callee := "_nbgf"
		switch fun := ast.Unparen(g.Call.Fun).(type) {
		case *ast.Ident:
			if isBuiltin(fun.Name) {
				callee = fun.Name
			} else {
				capture(callee, fun)
			}
		case *ast.SelectorExpr:
			x, _ := fun.X.(*ast.Ident)
			if x != nil && t.pkg != nil && t.pkg(x.Name) {
				// A package's function: no value to take.
				callee = src[off(fun.Pos()):off(fun.End())]
				break
			}
			// The receiver as Go takes it for the method value: the
			// interpreter's (yaegi v0.16.1) method value reads its
			// receiver only when it is called, and of a pointer to one
			// of Go's types it panics as it is stored ("reflect.Set:
			// value of type func(string) (int, error) is not assignable
			// to type func(*bytes.Buffer, string) (int, error)").
			switch t.receiver(fun.X) {
			case "=":
				capture("_nbgr", fun.X)
			case "&":
				names = append(names, "_nbgr")
				values = append(values, "&"+text(off(fun.X.Pos()), off(fun.X.End())))
			default:
				return src[start:off(g.Call.Pos())] + text(off(g.Call.Pos()), end) // left as it is
			}
			callee = "_nbgr." + fun.Sel.Name
		default:
			capture(callee, g.Call.Fun)
		}
		// g() as the only argument hands on all its results.
		tupled := false
		if call, ok := ast.Unparen(oneArg(g.Call)).(*ast.CallExpr); ok && !g.Call.Ellipsis.IsValid() {
			n := t.results(call)
			if n < 1 {
				return src[start:off(g.Call.Pos())] + text(off(g.Call.Pos()), end) // left as it is
			}
			if n > 1 {
				tuple := make([]string, n)
				for k := range tuple {
					tuple[k] = "_nbg" + strconv.Itoa(k)
				}
				names = append(names, strings.Join(tuple, ", "))
				values = append(values, text(off(call.Pos()), off(call.End())))
				args, tupled = tuple, true
			}
		}
		for k, a := range g.Call.Args {
			if tupled {
				break
			}
			from, to := off(a.Pos()), off(a.End())
			if t.constant(a) && !strings.Contains(src[from:to], "\n") {
				args = append(args, src[from:to])
				continue
			}
			name := "_nbg" + strconv.Itoa(k)
			capture(name, a)
			args = append(args, name)
		}
		call := "(" + strings.Join(args, ", ")
		if g.Call.Ellipsis.IsValid() {
			call += "..."
		}
		call += ")"
		// One by one: "a, b := f, <-ch" gives f the value nil (yaegi
		// v0.16.1).
		out := ""
		for k, name := range names {
			out += name + " := " + values[k] + "; "
		}
		out += "go func() { " + defers + " " + callee + call + " }() }()"
		pad := strings.Count(src[start:end], "\n") - strings.Count(out, "\n")
		return "func() {" + strings.Repeat("\n", max(pad, 0)) + " " + out
	}
	// text is src[start:end] with the go statements in it guarded.
	text = func(start, end int) string {
		var b strings.Builder
		at := start
		for _, g := range gos {
			if s, e := off(g.Pos()), off(g.End()); s >= at && e <= end {
				b.WriteString(src[at:s])
				b.WriteString(guard(g))
				at = e
			}
		}
		b.WriteString(src[at:end])
		return b.String()
	}
	out := text(0, len(src))
	return out, out != src
}

// oneArg returns call's argument when it has one, or nil.
func oneArg(call *ast.CallExpr) ast.Expr {
	if len(call.Args) != 1 {
		return nil
	}
	return call.Args[0]
}

// hasGo reports whether n has a go statement.
func hasGo(n ast.Node) bool { return has[*ast.GoStmt](n) }

// has reports whether n holds a node of type T.
func has[T ast.Node](n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		_, is := n.(T)
		found = found || is
		return !found
	})
	return found
}

// isBuiltin reports whether name is one of Go's builtin functions.
func isBuiltin(name string) bool {
	_, ok := gotypes.Universe.Lookup(name).(*gotypes.Builtin)
	return ok
}

// literalConst reports whether x is a constant written out: literals, nil,
// true and false, and operators on them.
func literalConst(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return x.Name == "nil" || x.Name == "true" || x.Name == "false"
	case *ast.ParenExpr:
		return literalConst(x.X)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && x.Op != token.AND && literalConst(x.X)
	case *ast.BinaryExpr:
		return literalConst(x.X) && literalConst(x.Y)
	}
	return false
}

// blockStatements returns src with some of its statements in a block of
// their own, each for a fault of the interpreter's (yaegi v0.16.1) at the
// prompt, and whether the last statement is one of them (the input then
// has no value):
//
//   - a statement that calls a func literal without results ("func() {
//     n++ }()"): the interpreter runs such a call twice when it is a
//     statement of the input itself, and gives the func's address as the
//     input's value; in a block it runs once;
//   - a for, if, switch or select statement, or a block: at the prompt,
//     the interpreter keeps the variables its header declares in the
//     session after it ("for i := 0; i < 3; i++ {}", then "i" is 3), a
//     := in it sets the session's variable of that name instead of
//     declaring one ("k := 10", then "{ k := 3 }" or "for k := 0; ...",
//     and k is 3), and "if v, ok := m[k]; ok {}" fails ("undefined: ok").
//     In a func literal called at once (itself in a block) they are as in
//     Go: "i" is then "undefined: i".
func blockStatements(src string) (string, bool) {
	const head = "package p; func _() {\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", head+src+"\n}", parser.SkipObjectResolution)
	if err != nil {
		return src, false
	}
	type span struct {
		start, end int
		scope      bool // in a func literal too
	}
	var blocks []span
	last := false
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	for n, st := range body {
		if l, ok := st.(*ast.LabeledStmt); ok {
			st = l.Stmt
		}
		switch st.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.BlockStmt:
			blocks = append(blocks, span{fset.Position(body[n].Pos()).Offset - len(head), fset.Position(body[n].End()).Offset - len(head), true})
			last = n == len(body)-1
			continue
		}
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok {
			continue
		}
		if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && lit.Type.Results == nil {
			blocks = append(blocks, span{fset.Position(es.Pos()).Offset - len(head), fset.Position(es.End()).Offset - len(head), false})
			last = n == len(body)-1
		}
	}
	for i := len(blocks) - 1; i >= 0; i-- {
		c := blocks[i]
		if c.start < 0 || c.end > len(src) || c.start >= c.end {
			return src, false
		}
		open, end := "{ ", " }"
		if c.scope {
			open, end = "{ func() { ", " }() }"
		}
		src = src[:c.start] + open + src[c.start:c.end] + end + src[c.end:]
	}
	return src, last
}
