package connclose

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/lang"
)

//go:embed doc.go
var doc string

// Analyzer reports connections left open on some path out of their
// handler.
var Analyzer = &analysis.Analyzer{
	Name:     "connclose",
	Doc:      netcode.Doc(doc, "connclose"),
	Requires: []*analysis.Analyzer{netcode.Analyzer},
	Run:      netcode.Run(run),
	// The Result is the advice in words for every language (netcode.Run).
	ResultType: netcode.AdviceType,
}

var fix = netcode.T(lang.VetConnCloseFix)

type checker struct {
	pass *analysis.Pass
	info *netcode.Info
	// owns memoizes "this function closes (or hands on) its parameter
	// on every path"; a function being computed counts as yes.
	owns map[ownKey]bool
}

type ownKey struct {
	fn *types.Func
	i  int
}

func run(pass *analysis.Pass) (any, error) {
	info := pass.ResultOf[netcode.Analyzer].(*netcode.Info)
	c := &checker{pass: pass, info: info, owns: map[ownKey]bool{}}
	for _, a := range info.Accepts {
		if a.Conn == nil || a.Func == nil || a.Assign == nil {
			continue
		}
		c.deferInLoop(a)
		body := netcode.FuncBody(a.Func)
		if at, why := c.leak(body, a.Conn, a); at != nil {
			netcode.Report(pass, rangeOf(at, body),
				"conn-not-closed", netcode.T(lang.VetConnAccepted, pass.Fset.Position(a.Call.Pos()).Line, why), fix)
		}
	}
	reported := map[ast.Node]bool{}
	for _, l := range info.Launches {
		if !l.Direct || l.Param == nil || l.Target == nil || reported[l.Target] {
			continue
		}
		reported[l.Target] = true
		body := netcode.FuncBody(l.Target)
		at, why := c.leak(body, l.Param, nil)
		if at == nil {
			continue
		}
		target, param := l.Target, l.Param
		// go func() { handle(conn) }(): the fault is in handle, which
		// closes conn on some paths but not on all.
		if d, p := c.delegate(body, l.Param); d != nil {
			if at2, why2 := c.leak(d.Body, p, nil); at2 != nil {
				target, param, body, at, why = d, p, d.Body, at2, why2
			}
		}
		var name any = netcode.T(lang.VetTheGoroutine)
		if d, ok := target.(*ast.FuncDecl); ok {
			name = d.Name.Name
		}
		netcode.Report(pass, rangeOf(at, body),
			"conn-not-closed", netcode.T(lang.VetConnServes, name, param.Name(), why), fix)
	}
	return nil, nil
}

// delegate returns the package function that body hands v to, when
// there is exactly one and it closes v somewhere: the handler proper.
func (c *checker) delegate(body *ast.BlockStmt, v *types.Var) (*ast.FuncDecl, *types.Var) {
	ti := c.pass.TypesInfo
	var found *ast.FuncDecl
	var param *types.Var
	count := 0
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		f := netcode.Callee(ti, call)
		if f == nil || f.Pkg() != c.pass.Pkg {
			return true
		}
		d := c.info.Decls[f]
		if d == nil {
			return true
		}
		for i, a := range call.Args {
			if isVar(ti, a, v) {
				if p := netcode.ParamVar(ti, d, i); p != nil && mentionsClose(ti, d.Body, p) {
					found, param = d, p
					count++
				}
			}
		}
		return true
	})
	if count != 1 {
		return nil, nil
	}
	return found, param
}

// mentionsClose reports whether body calls p.Close() somewhere.
func mentionsClose(ti *types.Info, body *ast.BlockStmt, p *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if recv, fn := netcode.MethodCall(ti, call); fn != nil && fn.Name() == "Close" {
				if id := rootIdent(recv); id != nil && ti.ObjectOf(id) == p {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// rangeOf is where to report: the statement, or the closing brace of the
// function for the path that falls off its end.
func rangeOf(at ast.Node, body *ast.BlockStmt) analysis.Range {
	if at == body {
		return rng{body.Rbrace, body.Rbrace + 1}
	}
	return at
}

type rng struct{ pos, end token.Pos }

func (r rng) Pos() token.Pos { return r.pos }
func (r rng) End() token.Pos { return r.end }

// deferInLoop reports defer conn.Close() inside the accept loop of the
// function that accepts.
func (c *checker) deferInLoop(a *netcode.Accept) {
	if a.Loop == nil {
		return
	}
	ti := c.pass.TypesInfo
	ast.Inspect(a.Loop, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its defers run when it returns
		case *ast.DeferStmt:
			if c.closes(n.Call, a.Conn) || netcode.Uses(ti, n.Call, a.Conn) {
				netcode.Report(c.pass, n,
					"defer-in-loop", netcode.T(lang.VetDeferInLoop), netcode.T(lang.VetDeferInLoopFix))
			}
		}
		return true
	})
}

// leak walks the paths of body from the Accept a (or from the entry, for
// a parameter) and returns the first place where v is still open: a
// return statement, body itself (the path falls off the end), or the
// Accept reached again. why says which, for the message.
func (c *checker) leak(body *ast.BlockStmt, v *types.Var, a *netcode.Accept) (ast.Node, netcode.Text) {
	ti := c.pass.TypesInfo
	g := netcode.CFG(ti, body)
	type point struct {
		b *cfg.Block
		i int
	}
	var start point
	if a == nil {
		if len(g.Blocks) == 0 {
			return nil, netcode.Text{}
		}
		start = point{g.Blocks[0], 0}
	} else {
		found := false
		for _, b := range g.Blocks {
			for i, n := range b.Nodes {
				if n == a.Assign {
					start, found = point{b, i + 1}, true
				}
			}
		}
		if !found {
			return nil, netcode.Text{}
		}
	}
	visited := map[*cfg.Block]bool{}
	var leakAt ast.Node
	var why netcode.Text
	var walk func(p point)
	walk = func(p point) {
		if leakAt != nil {
			return
		}
		for i := p.i; i < len(p.b.Nodes); i++ {
			n := p.b.Nodes[i]
			if a != nil && n == a.Assign {
				leakAt, why = a.Assign, netcode.T(lang.VetWhyLoop)
				return
			}
			if c.releases(n, v) {
				return
			}
		}
		if len(p.b.Succs) == 0 {
			if !p.b.Live {
				return
			}
			if len(p.b.Nodes) > 0 {
				if es, ok := p.b.Nodes[len(p.b.Nodes)-1].(*ast.ExprStmt); ok {
					if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && !netcode.MayReturn(ti, call) {
						return // panic, log.Fatal: the process is going down
					}
				}
			}
			if ret := p.b.Return(); ret != nil && ret.Pos() != body.Rbrace {
				leakAt, why = ret, netcode.T(lang.VetWhyReturn, c.pass.Fset.Position(ret.Pos()).Line)
			} else {
				leakAt, why = body, netcode.T(lang.VetWhyEnd)
			}
			return
		}
		for k, s := range p.b.Succs {
			if a != nil && (c.errGuardSkips(p.b, k, a) || c.errCaseSkips(s, a)) {
				continue
			}
			if !visited[s] {
				visited[s] = true
				walk(point{s, 0})
			}
		}
	}
	walk(start)
	return leakAt, why
}

// errGuardSkips reports whether the k-th edge out of b leads into the
// branch of an if on Accept's error where the connection is nil:
// if err != nil { ... } right after conn, err := ln.Accept().
func (c *checker) errGuardSkips(b *cfg.Block, k int, a *netcode.Accept) bool {
	if a.Err == nil || len(b.Nodes) == 0 || len(b.Succs) != 2 {
		return false
	}
	then := b.Succs[0]
	ifs, ok := then.Stmt.(*ast.IfStmt)
	if !ok || then.Kind != cfg.KindIfThen || b.Nodes[len(b.Nodes)-1] != ifs.Cond {
		return false
	}
	ti := c.pass.TypesInfo
	if !netcode.Uses(ti, ifs.Cond, a.Err) || netcode.Uses(ti, ifs.Cond, a.Conn) {
		return false
	}
	if c.errReassigned(a, ifs.Pos()) {
		return false
	}
	if bin, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && bin.Op == token.EQL {
		return k == 1 // if err == nil { serve } : the else path has no connection
	}
	return k == 0 // if err != nil, if errors.Is(err, ...): the then path has none
}

// errCaseSkips reports whether block b is the body of a switch case on
// Accept's error where the connection is nil:
// switch { case errors.Is(err, net.ErrClosed): ...; case err != nil: ... }.
func (c *checker) errCaseSkips(b *cfg.Block, a *netcode.Accept) bool {
	if a.Err == nil || b.Kind != cfg.KindSwitchCaseBody {
		return false
	}
	cc, ok := b.Stmt.(*ast.CaseClause)
	if !ok || len(cc.List) == 0 {
		return false
	}
	ti := c.pass.TypesInfo
	for _, e := range cc.List {
		if !netcode.Uses(ti, e, a.Err) || netcode.Uses(ti, e, a.Conn) {
			return false
		}
		if bin, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && bin.Op == token.EQL {
			return false // case err == nil: the connection is there
		}
	}
	return !c.errReassigned(a, cc.Pos())
}

// errReassigned reports whether Accept's error variable is assigned again
// between the Accept and pos: then a test of it says nothing about the
// connection.
func (c *checker) errReassigned(a *netcode.Accept, pos token.Pos) bool {
	ti := c.pass.TypesInfo
	reassigned := false
	ast.Inspect(netcode.FuncBody(a.Func), func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as == a.Assign || as.Pos() < a.Assign.End() || as.Pos() > pos {
			return true
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && ti.ObjectOf(id) == a.Err {
				reassigned = true
			}
		}
		return true
	})
	return reassigned
}

// releases reports whether node n closes v or hands it on to something
// that will.
func (c *checker) releases(n ast.Node, v *types.Var) bool {
	ti := c.pass.TypesInfo
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found {
			return false
		}
		switch m := m.(type) {
		case *ast.FuncLit:
			return false // only counts when launched, deferred or passed on (below)
		case *ast.GoStmt:
			if netcode.Uses(ti, m.Call, v) {
				found = true
			}
			return false
		case *ast.DeferStmt:
			if c.closes(m.Call, v) {
				found = true
			}
			return false
		case *ast.CallExpr:
			if c.closes(m, v) {
				found = true
				return false
			}
		case *ast.CompositeLit:
			for _, e := range m.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				if isVar(ti, e, v) {
					found = true
				}
			}
		case *ast.AssignStmt:
			for i, r := range m.Rhs {
				if isVar(ti, r, v) || isAssertOf(ti, r, v) {
					if len(m.Lhs) == len(m.Rhs) {
						if id, ok := m.Lhs[i].(*ast.Ident); ok && id.Name == "_" {
							continue
						}
					}
					found = true
				}
			}
		case *ast.SendStmt:
			if isVar(ti, m.Value, v) {
				found = true
			}
		case *ast.ReturnStmt:
			for _, r := range m.Results {
				if isVar(ti, r, v) {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if m.Op == token.AND && isVar(ti, m.X, v) {
				found = true
			}
		}
		return !found
	})
	return found
}

// closes reports whether call closes v or hands it to code that does
// (or that keeps it, which makes closing it that code's business).
func (c *checker) closes(call *ast.CallExpr, v *types.Var) bool {
	ti := c.pass.TypesInfo
	// v.Close(), v.(*net.TCPConn).Close()
	if recv, fn := netcode.MethodCall(ti, call); fn != nil && fn.Name() == "Close" {
		if root := rootIdent(recv); root != nil && ti.ObjectOf(root) == v {
			return true
		}
	}
	// A function literal called here (defer func() { ... }()): look inside.
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		for _, st := range lit.Body.List {
			if c.releases(st, v) {
				return true
			}
		}
	}
	for i, arg := range call.Args {
		if lit, ok := ast.Unparen(arg).(*ast.FuncLit); ok && netcode.Uses(ti, lit, v) {
			return true // wg.Go(func() { ... conn ... }), time.AfterFunc(d, func() { conn.Close() })
		}
		if !isVar(ti, arg, v) {
			continue
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
			if b, ok := ti.Uses[id].(*types.Builtin); ok {
				return b.Name() == "append"
			}
		}
		f := netcode.Callee(ti, call)
		if f == nil {
			return true // a function value or an interface method: unknown, so trust it
		}
		if f.Pkg() == c.pass.Pkg {
			return c.owns1(f, i)
		}
		if f.Pkg() == nil || !netcode.IsStdlib(f.Pkg().Path()) {
			return true // another module's code: trust it
		}
		switch f.Pkg().Path() + "." + f.Name() {
		case "crypto/tls.Server", "crypto/tls.Client", "net/textproto.NewConn", "net/http.Serve":
			return true // wraps the connection; closing the wrapper closes it
		}
	}
	return false
}

// owns1 reports whether the package function f closes (or hands on) its
// i-th argument on every path.
func (c *checker) owns1(f *types.Func, i int) bool {
	k := ownKey{f, i}
	if v, ok := c.owns[k]; ok {
		return v
	}
	d := c.info.Decls[f]
	if d == nil {
		return true
	}
	p := netcode.ParamVar(c.pass.TypesInfo, d, i)
	if p == nil {
		return true
	}
	c.owns[k] = true // while computing: assume it does
	at, _ := c.leak(d.Body, p, nil)
	c.owns[k] = at == nil
	return at == nil
}

// isVar reports whether e is v, or v.(T).
func isVar(ti *types.Info, e ast.Expr, v *types.Var) bool {
	e = ast.Unparen(e)
	if ta, ok := e.(*ast.TypeAssertExpr); ok && ta.Type != nil {
		e = ast.Unparen(ta.X)
	}
	id, ok := e.(*ast.Ident)
	return ok && ti.ObjectOf(id) == v
}

func isAssertOf(ti *types.Info, e ast.Expr, v *types.Var) bool {
	ta, ok := ast.Unparen(e).(*ast.TypeAssertExpr)
	return ok && isVar(ti, ta.X, v)
}

func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.TypeAssertExpr:
			e = x.X
		default:
			return nil
		}
	}
}
