package stopconns

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/lang"
)

//go:embed doc.go
var doc string

// Analyzer reports per-connection goroutines that a server cannot stop or
// does not wait for.
var Analyzer = &analysis.Analyzer{
	Name:     "stopconns",
	Doc:      netcode.Doc(doc, "stopconns"),
	Requires: []*analysis.Analyzer{netcode.Analyzer},
	Run:      netcode.Run(run),
	// The Result is the advice in words for every language (netcode.Run).
	ResultType: netcode.AdviceType,
}

type checker struct {
	pass *analysis.Pass
	info *netcode.Info
	ti   *types.Info
}

func run(pass *analysis.Pass) (any, error) {
	info := pass.ResultOf[netcode.Analyzer].(*netcode.Info)
	c := &checker{pass: pass, info: info, ti: pass.TypesInfo}
	launches := map[*netcode.Accept][]*netcode.Launch{}
	for _, l := range info.Launches {
		launches[l.Accept] = append(launches[l.Accept], l)
	}
	for _, a := range info.Accepts {
		ls := launches[a]
		if len(ls) == 0 || !c.inScope(a) {
			continue
		}
		stoppable := c.kept(netcode.FuncBody(a.Func), map[*types.Var]bool{a.Conn: true}, a.Call.End(), 0)
		waited := false
		for _, l := range ls {
			stoppable = stoppable || c.givenSignal(l)
			waited = waited || c.waitedFor(l)
		}
		var missing, fixes []netcode.Text
		if !stoppable {
			missing = append(missing, netcode.T(lang.VetStopUnreachable))
			fixes = append(fixes, netcode.T(lang.VetStopCloseFix))
		}
		if !waited {
			missing = append(missing, netcode.T(lang.VetStopNotWaited))
			fixes = append(fixes, netcode.T(lang.VetStopWaitFix))
		}
		if len(missing) == 0 {
			continue
		}
		netcode.Report(pass, ls[0].Node, "handlers-not-stopped",
			netcode.T(lang.VetStopProblem, netcode.Join(lang.VetStopAnd, missing...)),
			netcode.Join(lang.Semicolon, fixes...))
	}
	return nil, nil
}

// inScope reports whether the accept loop belongs to a server that must
// stop its handlers: its lab says so, its type has a Shutdown method, or
// the function takes a context.
func (c *checker) inScope(a *netcode.Accept) bool {
	if c.info.Contract.StopHandlers {
		return true
	}
	d, ok := a.Func.(*ast.FuncDecl)
	if !ok {
		return false
	}
	for _, f := range d.Type.Params.List {
		if netcode.Named(c.ti.TypeOf(f.Type), "context", "Context") {
			return true
		}
	}
	if d.Recv != nil && len(d.Recv.List) > 0 {
		t := c.ti.TypeOf(d.Recv.List[0].Type)
		obj, _, _ := types.LookupFieldOrMethod(t, true, c.pass.Pkg, "Shutdown")
		if _, ok := obj.(*types.Func); ok {
			return true
		}
	}
	return false
}

// kept reports whether body, after pos, stores one of vars (a connection,
// or a value that holds it) where the server can find it again: a map, a
// slice or a field, a channel, or a package function's parameter that is
// kept in turn.
func (c *checker) kept(body *ast.BlockStmt, vars map[*types.Var]bool, after token.Pos, depth int) bool {
	if body == nil || depth > 3 {
		return false
	}
	ti := c.ti
	holds := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := ti.ObjectOf(id).(*types.Var); ok && vars[v] {
					found = true
				}
			}
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			return !found
		})
		return found
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() < after {
			return !found
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if ix, ok := l.(*ast.IndexExpr); ok && holds(ix.Index) {
					found = true // conns[conn] = true
				}
				if i >= len(n.Rhs) || len(n.Lhs) != len(n.Rhs) || !holds(n.Rhs[i]) {
					continue
				}
				if id, ok := l.(*ast.Ident); ok {
					if v, ok := ti.ObjectOf(id).(*types.Var); ok && v.Parent() != c.pass.Pkg.Scope() {
						vars[v] = true // c := &client{conn: conn}: c holds it now
						continue
					}
				}
				found = true // s.conns = append(s.conns, conn), m[id] = c, pkgVar = conn
			}
		case *ast.SendStmt:
			if holds(n.Value) {
				found = true
			}
		case *ast.CallExpr:
			if f := netcode.Callee(ti, n); f != nil {
				if d := c.info.Decls[f]; d != nil {
					params := map[*types.Var]bool{}
					for i, arg := range n.Args {
						if holds(arg) {
							if p := netcode.ParamVar(ti, d, i); p != nil {
								params[p] = true
							}
						}
					}
					// A method called on a holder: its receiver holds it.
					if recv, _ := netcode.MethodCall(ti, n); recv != nil && holds(recv) && d.Recv != nil && len(d.Recv.List[0].Names) > 0 {
						if v, ok := ti.Defs[d.Recv.List[0].Names[0]].(*types.Var); ok {
							params[v] = true
						}
					}
					if len(params) > 0 && c.kept(d.Body, params, d.Body.Pos(), depth+1) {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// signalsDone reports whether body sends on or closes a channel outside
// any loop: its way of saying it is done.
func (c *checker) signalsDone(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return false
		case *ast.SendStmt:
			found = true
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" {
				if _, ok := c.ti.Uses[id].(*types.Builtin); ok {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// givenSignal reports whether the goroutine is handed a context or a
// channel, through which it can be told to stop.
func (c *checker) givenSignal(l *netcode.Launch) bool {
	ti := c.ti
	signal := func(t types.Type) bool {
		if netcode.Named(t, "context", "Context") {
			return true
		}
		_, isChan := types.Unalias(t).Underlying().(*types.Chan)
		return isChan
	}
	for _, a := range l.Call.Args {
		if signal(ti.TypeOf(a)) {
			return true
		}
	}
	if lit, ok := ast.Unparen(l.Call.Fun).(*ast.FuncLit); ok {
		found := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := ti.Uses[id].(*types.Var); ok && v.Pos() < lit.Pos() && signal(v.Type()) {
					found = true
				}
			}
			return !found
		})
		return found
	}
	return false
}

// waitedFor reports whether a WaitGroup (or errgroup) counts the
// goroutine: it is started with wg.Go, or the function that starts it or
// the goroutine's own code calls Add, Done or Go on one. A goroutine that
// says it is done on a channel (a send or a close outside any loop of its
// own code) is counted too: someone may well be waiting on that channel.
func (c *checker) waitedFor(l *netcode.Launch) bool {
	if call, ok := l.Node.(*ast.CallExpr); ok && call != nil {
		return true // wg.Go(...)
	}
	if l.Target != nil && c.signalsDone(netcode.FuncBody(l.Target)) {
		return true
	}
	for _, fn := range []ast.Node{l.In, l.Target} {
		if fn == nil {
			continue
		}
		found := false
		ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if netcode.IsMethod(c.ti, call, "sync", "WaitGroup", "Add", "Done", "Go") ||
					netcode.IsMethod(c.ti, call, "golang.org/x/sync/errgroup", "Group", "Go") {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}
