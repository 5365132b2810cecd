package sleepwait

import (
	_ "embed"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/lang"
)

//go:embed doc.go
var doc string

// Analyzer reports time.Sleep used to wait for something the code could
// wait on.
var Analyzer = &analysis.Analyzer{
	Name:     "sleepwait",
	Doc:      netcode.Doc(doc, "sleepwait"),
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
	for _, fn := range info.Funcs {
		ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // visited as a function of its own
			case *ast.ForStmt:
				c.checkPoll(n)
			case *ast.BlockStmt:
				c.checkList(n.List)
			case *ast.CaseClause:
				c.checkList(n.Body)
			case *ast.CommClause:
				c.checkList(n.Body)
			}
			return true
		})
	}
	return nil, nil
}

// sleep returns the time.Sleep call of a statement, or nil.
func (c *checker) sleep(st ast.Stmt) *ast.CallExpr {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return nil
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok || !netcode.IsSleep(c.ti, call) {
		return nil
	}
	return call
}

// checkPoll reports a loop that does nothing but sleep and check.
func (c *checker) checkPoll(loop *ast.ForStmt) {
	if loop.Post != nil {
		return // for i := 0; i < n; i++: counting, not waiting for another goroutine
	}
	var sleep *ast.CallExpr
	exits := loop.Cond != nil
	for _, st := range loop.Body.List {
		if s := c.sleep(st); s != nil {
			sleep = s
			continue
		}
		ok, exit := c.trivialStmt(st)
		if !ok {
			return
		}
		exits = exits || exit
	}
	if sleep == nil || !exits || (loop.Cond != nil && !c.trivialExpr(loop.Cond)) {
		return
	}
	netcode.Report(c.pass, sleep, "sleep-poll", netcode.T(lang.VetSleepPoll), netcode.T(lang.VetSleepPollFix))
}

// trivialStmt reports whether a statement of a polling loop only looks at
// state (no I/O, no real work), and whether it can leave the loop.
func (c *checker) trivialStmt(st ast.Stmt) (ok, exit bool) {
	switch s := st.(type) {
	case *ast.BranchStmt:
		return true, s.Tok.String() == "break" || s.Label != nil
	case *ast.ReturnStmt:
		for _, r := range s.Results {
			if !c.trivialExpr(r) {
				return false, false
			}
		}
		return true, true
	case *ast.ExprStmt:
		return c.trivialExpr(s.X), false
	case *ast.AssignStmt:
		for _, r := range s.Rhs {
			if !c.trivialExpr(r) {
				return false, false
			}
		}
		return true, false
	case *ast.IncDecStmt:
		return true, false
	case *ast.DeclStmt:
		return true, false
	case *ast.IfStmt:
		if s.Init != nil {
			if ok, _ := c.trivialStmt(s.Init); !ok {
				return false, false
			}
		}
		if !c.trivialExpr(s.Cond) {
			return false, false
		}
		if n := len(s.Body.List); n > 0 && s.Else == nil {
			switch last := s.Body.List[n-1].(type) {
			case *ast.ReturnStmt:
				return true, true // the way out: what it does on the way is not polling
			case *ast.BranchStmt:
				if last.Tok.String() == "break" {
					return true, true
				}
			}
		}
		exit := false
		for _, b := range s.Body.List {
			ok, e := c.trivialStmt(b)
			if !ok {
				return false, false
			}
			exit = exit || e
		}
		if s.Else != nil {
			ok, e := c.trivialStmt(s.Else)
			if !ok {
				return false, false
			}
			exit = exit || e
		}
		return true, exit
	case *ast.BlockStmt:
		exit := false
		for _, b := range s.List {
			ok, e := c.trivialStmt(b)
			if !ok {
				return false, false
			}
			exit = exit || e
		}
		return true, exit
	case *ast.SelectStmt:
		// select { case <-done: return; default: }: a receive that does
		// not wait, polled
		hasDefault := false
		exit := false
		for _, cl := range s.Body.List {
			cc := cl.(*ast.CommClause)
			if cc.Comm == nil {
				hasDefault = true
			}
			for _, b := range cc.Body {
				ok, e := c.trivialStmt(b)
				if !ok {
					return false, false
				}
				exit = exit || e
			}
		}
		return hasDefault, exit
	}
	return false, false
}

// trivialExpr reports whether evaluating e only looks at state: variables,
// fields, len, atomic loads, lock calls, conversions, and package
// functions that do no more than that.
func (c *checker) trivialExpr(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			ok = false
		case *ast.UnaryExpr:
			if n.Op.String() == "<-" {
				return true // only inside a polled select's case
			}
		case *ast.CallExpr:
			ok = c.trivialCall(n)
		}
		return ok
	})
	return ok
}

func (c *checker) trivialCall(call *ast.CallExpr) bool {
	ti := c.ti
	if tv, ok := ti.Types[call.Fun]; ok && tv.IsType() {
		return true // a conversion
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := ti.Uses[id].(*types.Builtin); ok {
			return b.Name() == "len" || b.Name() == "cap"
		}
	}
	if lock, _ := netcode.IsLock(ti, call); lock {
		return true
	}
	f := netcode.AnyCallee(ti, call)
	if f == nil || f.Pkg() == nil {
		return false
	}
	switch f.Pkg().Path() {
	case "sync":
		return f.Name() == "Unlock" || f.Name() == "RUnlock"
	case "sync/atomic":
		return len(f.Name()) >= 4 && f.Name()[:4] == "Load"
	case "time":
		return f.Name() == "Now" || f.Name() == "Since"
	case "context":
		return f.Name() == "Err"
	}
	if f.Pkg() != c.pass.Pkg {
		return false
	}
	d := c.info.Decls[f]
	if d == nil {
		return false
	}
	// A small accessor of this package: every statement trivial, no loops.
	for _, st := range d.Body.List {
		switch s := st.(type) {
		case *ast.DeferStmt:
			if !c.trivialCall(s.Call) {
				return false
			}
		default:
			if ok, _ := c.trivialStmt(st); !ok {
				return false
			}
		}
	}
	return true
}

// checkList reports a sleep right after a go statement, and a sleep right
// before closing a connection.
func (c *checker) checkList(list []ast.Stmt) {
	for i := 1; i < len(list); i++ {
		sleep := c.sleep(list[i])
		if sleep == nil {
			continue
		}
		if _, ok := list[i-1].(*ast.GoStmt); ok {
			netcode.Report(c.pass, sleep, "sleep-after-go", netcode.T(lang.VetSleepAfterGo), netcode.T(lang.VetSleepAfterGoFix))
			continue
		}
		if i+1 < len(list) && c.writesConn(list[i-1]) && c.closesConn(list[i+1]) {
			netcode.Report(c.pass, sleep, "sleep-before-close", netcode.T(lang.VetSleepBeforeClose), netcode.T(lang.VetSleepBeforeCloseFix))
		}
	}
}

// writesConn reports whether st writes to a connection: conn.Write,
// io.WriteString(conn, ...), fmt.Fprint...(conn, ...), checked or not.
func (c *checker) writesConn(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if recv, f := netcode.MethodCall(c.ti, call); f != nil && (f.Name() == "Write" || f.Name() == "WriteString") && c.info.Types.IsConn(c.ti.TypeOf(recv)) {
			found = true
		}
		if (netcode.IsPkgFunc(c.ti, call, "io", "WriteString") || netcode.IsPkgFunc(c.ti, call, "fmt", "Fprint", "Fprintf", "Fprintln")) &&
			len(call.Args) > 0 && c.info.Types.IsConn(c.ti.TypeOf(call.Args[0])) {
			found = true
		}
		return !found
	})
	return found
}

// closesConn reports whether st is conn.Close() or conn.CloseWrite() on a
// connection.
func (c *checker) closesConn(st ast.Stmt) bool {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	recv, f := netcode.MethodCall(c.ti, call)
	if f == nil || (f.Name() != "Close" && f.Name() != "CloseWrite") {
		return false
	}
	t := c.ti.TypeOf(recv)
	return c.info.Types.IsConn(t) || netcode.Named(t, "net", "TCPConn")
}
