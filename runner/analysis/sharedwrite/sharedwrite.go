package sharedwrite

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

// Analyzer reports package-level variables written from per-connection
// goroutines without a lock.
var Analyzer = &analysis.Analyzer{
	Name:     "sharedwrite",
	Doc:      netcode.Doc(doc, "sharedwrite"),
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
	done := map[token.Pos]bool{}
	for _, fn := range info.HandlerFuncs() {
		ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && netcode.IsMethod(c.ti, call, "sync", "Once", "Do") {
				return false // runs once, whoever calls it
			}
			v, what, at := c.write(n)
			if v == nil || done[at.Pos()] {
				return true
			}
			done[at.Pos()] = true
			switch c.locked(at.Pos(), 3) {
			case "locked":
				return true
			case "read":
				netcode.Report(pass, at, "write-under-rlock",
					netcode.T(lang.VetSharedRLock, what, v.Name()), netcode.T(lang.VetSharedRLockFix))
			default:
				netcode.Report(pass, at, "unlocked-write",
					netcode.T(lang.VetSharedNoLock, what, v.Name()), netcode.T(lang.VetSharedNoLockFix))
			}
			return true
		})
	}
	return nil, nil
}

// write recognises a write to a package-level variable: it returns the
// variable, what kind of write it is, and where.
func (c *checker) write(n ast.Node) (*types.Var, netcode.Text, ast.Node) {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok == token.DEFINE {
			return nil, netcode.Text{}, nil
		}
		for i, l := range n.Lhs {
			v := c.global(l)
			if v == nil {
				continue
			}
			what := netcode.T(lang.VetWhatAssign)
			if ix, ok := ast.Unparen(l).(*ast.IndexExpr); ok {
				if _, isMap := c.ti.TypeOf(ix.X).Underlying().(*types.Map); isMap {
					what = netcode.T(lang.VetWhatAssignTo)
				} else {
					what = netcode.T(lang.VetWhatElement)
				}
			} else if i < len(n.Rhs) && len(n.Lhs) == len(n.Rhs) {
				if call, ok := ast.Unparen(n.Rhs[i]).(*ast.CallExpr); ok {
					if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "append" {
						what = netcode.T(lang.VetWhatAppend)
					}
				}
			}
			return v, what, n
		}
	case *ast.IncDecStmt:
		if v := c.global(n.X); v != nil {
			return v, netcode.T(lang.VetWhatChanges, n.Tok.String()), n
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && len(n.Args) > 0 {
			if b, ok := c.ti.Uses[id].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") {
				if v := c.global(n.Args[0]); v != nil {
					return v, netcode.T(lang.VetWhatChanges, b.Name()), n
				}
			}
		}
	}
	return nil, netcode.Text{}, nil
}

// global returns the package-level variable at the root of an lvalue.
func (c *checker) global(e ast.Expr) *types.Var {
	v := netcode.Root(c.ti, e)
	if v == nil || v.Pkg() != c.pass.Pkg || v.Parent() != c.pass.Pkg.Scope() {
		return nil
	}
	if t := v.Type(); netcode.Named(t, "sync", "Map") || isAtomic(t) {
		return nil
	}
	return v
}

func isAtomic(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync/atomic"
}

// locked says whether a lock is held at pos: "locked" for a write lock
// taken before it in its function (and not released since), or held at
// every call of its function; "read" for a read lock; "" for none.
func (c *checker) locked(pos token.Pos, depth int) string {
	return c.lockedIn(c.info.Enclosing(pos), pos, depth)
}

// lockedIn is locked, for a position in fn.
func (c *checker) lockedIn(fn ast.Node, pos token.Pos, depth int) string {
	if fn == nil {
		return ""
	}
	state := ""
	ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && lit != fn && !(lit.Pos() <= pos && pos < lit.End()) {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Pos() >= pos {
			return true
		}
		if lock, read := netcode.IsLock(c.ti, call); lock {
			state = "locked"
			if read {
				state = "read"
			}
		}
		if _, m := netcode.MethodCall(c.ti, call); m != nil && (m.Name() == "Unlock" || m.Name() == "RUnlock") && m.Pkg() != nil && m.Pkg().Path() == "sync" {
			if !isDeferred(netcode.FuncBody(fn), call) {
				state = ""
			}
		}
		return true
	})
	if state != "" {
		return state
	}
	if lit, ok := fn.(*ast.FuncLit); ok {
		// A literal run on the spot inherits its function's lock.
		return c.lockedIn(c.info.Outer(lit), lit.Pos(), depth)
	}
	d := fn.(*ast.FuncDecl)
	f, _ := c.ti.Defs[d.Name].(*types.Func)
	if f == nil || depth == 0 {
		return ""
	}
	callers := c.info.Callers(f)
	inHandler := 0
	for _, call := range callers {
		if !c.info.InHandler(call.Call.Pos()) {
			continue
		}
		inHandler++
		if c.locked(call.Call.Pos(), depth-1) != "locked" {
			return ""
		}
	}
	if inHandler == 0 {
		return ""
	}
	return "locked"
}

func isDeferred(body *ast.BlockStmt, call *ast.CallExpr) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok && d.Call == call {
			found = true
		}
		return !found
	})
	return found
}
