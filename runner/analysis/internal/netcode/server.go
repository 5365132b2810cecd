package netcode

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Analyzer computes the Info every netbook analyzer starts from. It
// reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "netcode",
	Doc:        "collects a package's connections, accept loops and per-connection goroutines for netbook's analyzers",
	Run:        run,
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	ResultType: reflect.TypeOf((*Info)(nil)),
}

// Info describes one package for the analyzers.
type Info struct {
	Pass     *analysis.Pass
	Types    *Types
	Inspect  *inspector.Inspector
	Lab      string   // the lab's folder name, or ""
	Contract Contract // the lab's contract; the zero Contract outside labs
	// Datagram is true when the package works with UDP (a PacketConn, a
	// UDPConn, a "udp" network): there a net.Conn may well be a datagram
	// socket, where one Read is one message.
	Datagram bool

	Decls   map[*types.Func]*ast.FuncDecl // the package's functions and methods
	Funcs   []ast.Node                    // every FuncDecl and FuncLit, outermost first
	Accepts []*Accept
	// Launches are the goroutines started for one connection each.
	Launches []*Launch
	// handler holds the functions that run in per-connection goroutines:
	// the launched functions and everything they call in this package.
	handler map[ast.Node]bool
	calls   map[*types.Func][]Call // who calls each function of the package
}

// Accept is one call of a listener's Accept.
type Accept struct {
	Call   *ast.CallExpr
	Assign *ast.AssignStmt // conn, err := ln.Accept(), or nil
	Func   ast.Node        // the FuncDecl or FuncLit it is in
	Conn   *types.Var      // the variable that holds the connection, or nil
	Err    *types.Var      // the variable that holds the error, or nil
	Loop   ast.Stmt        // the innermost for or range statement around it in Func, or nil
}

// Launch is a goroutine started for one connection.
type Launch struct {
	Node   ast.Node      // the go statement, or the wg.Go(...) call
	Call   *ast.CallExpr // the call that runs in the goroutine
	Target ast.Node      // the FuncDecl or FuncLit that runs, if known
	Accept *Accept
	// Direct is true when the goroutine is given the accepted connection
	// itself (as an argument or a captured variable), not something that
	// holds it.
	Direct bool
	// Param is the connection inside Target: the parameter it arrives in,
	// or the captured variable; nil when not Direct or unknown.
	Param *types.Var
	// In is the function the go statement is in.
	In ast.Node
}

// Call is one static call of a package function.
type Call struct {
	Call *ast.CallExpr
	In   ast.Node // the FuncDecl or FuncLit the call is in
}

func run(pass *analysis.Pass) (any, error) {
	info := &Info{
		Pass:    pass,
		Types:   NewTypes(pass.Pkg),
		Inspect: pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
		Lab:     Lab(pass.Pkg),
		Decls:   map[*types.Func]*ast.FuncDecl{},
		handler: map[ast.Node]bool{},
		calls:   map[*types.Func][]Call{},
	}
	info.Contract = Contracts[info.Lab]
	ti := pass.TypesInfo

	info.Inspect.Preorder([]ast.Node{(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)}, func(n ast.Node) {
		if d, ok := n.(*ast.FuncDecl); ok {
			if d.Body == nil {
				return
			}
			if f, ok := ti.Defs[d.Name].(*types.Func); ok {
				info.Decls[f] = d
			}
		}
		info.Funcs = append(info.Funcs, n)
	})

	info.Inspect.WithStack([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		call := n.(*ast.CallExpr)
		in := enclosingFunc(stack)
		if f := Callee(ti, call); f != nil && f.Pkg() == pass.Pkg {
			info.calls[f] = append(info.calls[f], Call{Call: call, In: in})
		}
		if a := info.accept(call, stack); a != nil {
			a.Func = in
			info.Accepts = append(info.Accepts, a)
		}
		if !info.Datagram && info.datagramCall(call) {
			info.Datagram = true
		}
		return true
	})
	if !info.Datagram {
		for _, obj := range ti.Uses {
			if v, ok := obj.(*types.Var); ok && info.Types.IsDatagram(v.Type()) {
				info.Datagram = true
				break
			}
		}
	}

	for _, a := range info.Accepts {
		info.findLaunches(a)
	}
	for _, l := range info.Launches {
		if l.Target != nil {
			info.markHandler(l.Target)
		}
	}
	return info, nil
}

func enclosingFunc(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return stack[i]
		}
	}
	return nil
}

// accept recognises conn, err := ln.Accept().
func (info *Info) accept(call *ast.CallExpr, stack []ast.Node) *Accept {
	ti := info.Pass.TypesInfo
	recv, fn := MethodCall(ti, call)
	if recv == nil || fn == nil {
		return nil
	}
	switch fn.Name() {
	case "Accept", "AcceptTCP", "AcceptUnix":
	default:
		return nil
	}
	if !info.Types.IsListener(ti.TypeOf(recv)) {
		return nil
	}
	a := &Accept{Call: call}
	for i := len(stack) - 2; i >= 0; i-- {
		switch s := stack[i].(type) {
		case *ast.AssignStmt:
			if a.Assign == nil && i == len(stack)-2 && len(s.Rhs) == 1 && len(s.Lhs) == 2 {
				a.Assign = s
				a.Conn = identVar(ti, s.Lhs[0])
				a.Err = identVar(ti, s.Lhs[1])
			}
		case *ast.ForStmt, *ast.RangeStmt:
			if a.Loop == nil {
				a.Loop = s.(ast.Stmt)
			}
		case *ast.FuncDecl, *ast.FuncLit:
			return a
		}
	}
	return a
}

func identVar(ti *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	v, _ := ti.ObjectOf(id).(*types.Var)
	return v
}

// datagramCall recognises net.Dial("udp", ...), net.ListenPacket and the
// like.
func (info *Info) datagramCall(call *ast.CallExpr) bool {
	ti := info.Pass.TypesInfo
	if IsPkgFunc(ti, call, "net", "ListenPacket", "ListenUDP", "DialUDP", "ListenMulticastUDP", "ListenUnixgram") {
		return true
	}
	if IsPkgFunc(ti, call, "net", "Dial", "DialTimeout") || IsMethod(ti, call, "net", "Dialer", "Dial", "DialContext") {
		if len(call.Args) > 0 {
			if s, ok := ConstString(ti, call.Args[0]); ok && strings.HasPrefix(s, "udp") {
				return true
			}
		}
	}
	return false
}

// ConstString returns the value of a constant string expression.
func ConstString(ti *types.Info, e ast.Expr) (string, bool) {
	tv, ok := ti.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// findLaunches finds the goroutines started for a's connection: in a's
// function after the Accept, and in the package functions a's function
// hands the connection to.
func (info *Info) findLaunches(a *Accept) {
	if a.Conn == nil || a.Func == nil {
		return
	}
	info.launchesIn(a, a.Func, a.Conn, a.Call.End(), 0, map[ast.Node]bool{})
}

func (info *Info) launchesIn(a *Accept, fn ast.Node, conn *types.Var, after token.Pos, depth int, seen map[ast.Node]bool) {
	if seen[fn] || depth > 3 {
		return
	}
	seen[fn] = true
	ti := info.Pass.TypesInfo
	body := FuncBody(fn)
	if body == nil {
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() < after {
			return true
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			info.addLaunch(a, n, n.Call, fn, conn)
			return false
		case *ast.CallExpr:
			if IsMethod(ti, n, "sync", "WaitGroup", "Go") || IsMethod(ti, n, "golang.org/x/sync/errgroup", "Group", "Go") {
				if len(n.Args) == 1 {
					if lit, ok := ast.Unparen(n.Args[0]).(*ast.FuncLit); ok {
						info.addLaunch(a, n, &ast.CallExpr{Fun: lit}, fn, conn)
						return false
					}
				}
			}
			// conn handed to a function of the package: its goroutines
			// are this connection's too.
			if conn != nil {
				if f := Callee(ti, n); f != nil {
					if d := info.Decls[f]; d != nil {
						for i, arg := range n.Args {
							if Uses(ti, arg, conn) {
								info.launchesIn(a, d, ParamVar(ti, d, i), d.Pos(), depth+1, seen)
							}
						}
					}
				}
			}
		}
		return true
	})
}

// addLaunch records go call (or wg.Go(lit)) in fn as a launch for a.
func (info *Info) addLaunch(a *Accept, node ast.Node, call *ast.CallExpr, fn ast.Node, conn *types.Var) {
	ti := info.Pass.TypesInfo
	l := &Launch{Node: node, Call: call, Accept: a, In: fn}
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		l.Target = f
		if conn == nil || !info.Types.IsConn(conn.Type()) {
			break
		}
		if Uses(ti, f.Body, conn) {
			l.Direct, l.Param = true, conn
		}
		// go func(c net.Conn) { ... }(conn)
		for i, arg := range call.Args {
			if identVar(ti, arg) == conn {
				if p := litParam(ti, f, i); p != nil {
					l.Direct, l.Param = true, p
				}
			}
		}
	default:
		if callee := Callee(ti, call); callee != nil {
			if d := info.Decls[callee]; d != nil {
				l.Target = d
				if conn != nil && info.Types.IsConn(conn.Type()) {
					for i, arg := range call.Args {
						if v := identVar(ti, arg); v == conn {
							l.Direct, l.Param = true, ParamVar(ti, d, i)
						}
					}
				}
			}
		}
	}
	info.Launches = append(info.Launches, l)
}

// ParamVar returns the i-th parameter of a function declaration.
func ParamVar(ti *types.Info, d *ast.FuncDecl, i int) *types.Var {
	f, ok := ti.Defs[d.Name].(*types.Func)
	if !ok {
		return nil
	}
	params := f.Type().(*types.Signature).Params()
	if i >= params.Len() {
		if params.Len() > 0 && f.Type().(*types.Signature).Variadic() {
			return params.At(params.Len() - 1)
		}
		return nil
	}
	return params.At(i)
}

// litParam returns the i-th parameter of a function literal.
func litParam(ti *types.Info, lit *ast.FuncLit, i int) *types.Var {
	sig, ok := ti.TypeOf(lit).(*types.Signature)
	if !ok || i >= sig.Params().Len() {
		return nil
	}
	return sig.Params().At(i)
}

// FuncBody returns the body of a FuncDecl or FuncLit.
func FuncBody(fn ast.Node) *ast.BlockStmt {
	switch f := fn.(type) {
	case *ast.FuncDecl:
		return f.Body
	case *ast.FuncLit:
		return f.Body
	}
	return nil
}

// FuncType returns the signature of a FuncDecl or FuncLit.
func FuncType(fn ast.Node) *ast.FuncType {
	switch f := fn.(type) {
	case *ast.FuncDecl:
		return f.Type
	case *ast.FuncLit:
		return f.Type
	}
	return nil
}

// markHandler marks fn and every package function it calls as code that
// runs in a per-connection goroutine.
func (info *Info) markHandler(fn ast.Node) {
	if info.handler[fn] {
		return
	}
	info.handler[fn] = true
	ti := info.Pass.TypesInfo
	ast.Inspect(FuncBody(fn), func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if f := Callee(ti, call); f != nil {
				if d := info.Decls[f]; d != nil {
					info.markHandler(d)
				}
			}
		}
		return true
	})
}

// InHandler reports whether pos is in code that runs in a per-connection
// goroutine.
func (info *Info) InHandler(pos token.Pos) bool {
	for fn := range info.handler {
		if fn.Pos() <= pos && pos < fn.End() {
			return true
		}
	}
	return false
}

// HandlerFuncs returns the functions that run in per-connection
// goroutines, in source order.
func (info *Info) HandlerFuncs() []ast.Node {
	var out []ast.Node
	for fn := range info.handler {
		out = append(out, fn)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	return out
}

// Enclosing returns the innermost FuncDecl or FuncLit around pos.
func (info *Info) Enclosing(pos token.Pos) ast.Node {
	var best ast.Node
	for _, fn := range info.Funcs {
		if fn.Pos() <= pos && pos < fn.End() {
			if best == nil || fn.Pos() >= best.Pos() {
				best = fn
			}
		}
	}
	return best
}

// Outer returns the innermost FuncDecl or FuncLit around fn, fn itself
// excluded, or nil.
func (info *Info) Outer(fn ast.Node) ast.Node {
	var best ast.Node
	for _, f := range info.Funcs {
		if f != fn && f.Pos() <= fn.Pos() && fn.End() <= f.End() {
			if best == nil || f.Pos() >= best.Pos() {
				best = f
			}
		}
	}
	return best
}

// Callers returns the static calls of f within the package.
func (info *Info) Callers(f *types.Func) []Call {
	return info.calls[f]
}

// DeclNamed returns the declaration of the function or method that
// Contract calls name ("Serve", "(*Client).Login").
func (info *Info) DeclNamed(name string) *ast.FuncDecl {
	for f, d := range info.Decls {
		if FuncName(f) == name {
			return d
		}
	}
	return nil
}

// Reachable returns fn and every package function reachable from it by
// static calls (go statements and deferred calls included when goroutines
// is true), as FuncDecl and FuncLit nodes.
func (info *Info) Reachable(fn ast.Node, goroutines bool) map[ast.Node]bool {
	out := map[ast.Node]bool{}
	ti := info.Pass.TypesInfo
	var visit func(fn ast.Node)
	visit = func(fn ast.Node) {
		if out[fn] {
			return
		}
		out[fn] = true
		ast.Inspect(FuncBody(fn), func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				if !goroutines {
					return false
				}
			case *ast.FuncLit:
				if n != fn {
					out[n] = true
				}
			case *ast.CallExpr:
				if f := Callee(ti, n); f != nil {
					if d := info.Decls[f]; d != nil {
						visit(d)
					}
				}
			}
			return true
		})
	}
	visit(fn)
	return out
}
