package droppederr

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

// Analyzer reports errors of writes and closes dropped where they matter.
var Analyzer = &analysis.Analyzer{
	Name:     "droppederr",
	Doc:      netcode.Doc(doc, "droppederr"),
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
		c.checkFunc(fn)
	}
	return nil, nil
}

// returnsError reports whether a function's last result is an error.
func (c *checker) returnsError(fn ast.Node) bool {
	ft := netcode.FuncType(fn)
	if ft == nil || ft.Results == nil || len(ft.Results.List) == 0 {
		return false
	}
	last := ft.Results.List[len(ft.Results.List)-1]
	return isError(c.ti.TypeOf(last.Type))
}

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

func (c *checker) checkFunc(fn ast.Node) {
	body := netcode.FuncBody(fn)
	if body == nil {
		return
	}
	errFunc := c.returnsError(fn)
	c.walkList(fn, body.List, errFunc)
}

// walkList checks each statement of a list, knowing the one after it, and
// goes down into nested blocks (not into function literals: they are
// functions of their own).
func (c *checker) walkList(fn ast.Node, list []ast.Stmt, errFunc bool) {
	for i, st := range list {
		var next ast.Stmt
		if i+1 < len(list) {
			next = list[i+1]
		}
		c.checkStmt(fn, st, next, errFunc)
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BlockStmt:
				if n != nil {
					c.walkList(fn, n.List, errFunc)
				}
				return false
			case *ast.CaseClause:
				c.walkList(fn, n.Body, errFunc)
				return false
			case *ast.CommClause:
				c.walkList(fn, n.Body, errFunc)
				return false
			}
			return true
		})
	}
}

// checkStmt checks one statement: a call whose error is dropped.
func (c *checker) checkStmt(fn ast.Node, st, next ast.Stmt, errFunc bool) {
	var call *ast.CallExpr
	deferred := false
	switch s := st.(type) {
	case *ast.ExprStmt:
		call, _ = ast.Unparen(s.X).(*ast.CallExpr)
	case *ast.DeferStmt:
		call, deferred = s.Call, true
	case *ast.AssignStmt:
		if len(s.Rhs) != 1 {
			return
		}
		call, _ = ast.Unparen(s.Rhs[0]).(*ast.CallExpr)
		if call == nil || !c.errorDropped(s, call) {
			return
		}
	case *ast.IfStmt:
		if s.Init != nil {
			c.checkStmt(fn, s.Init, nil, errFunc)
		}
		return
	default:
		return
	}
	if call == nil {
		return
	}
	if deferred {
		if errFunc {
			c.checkFileClose(fn, call, true)
		}
		return
	}
	if returnsOtherError(c.ti, next) {
		return // a last word before failing anyway
	}
	if errFunc && c.checkFileClose(fn, call, false) {
		return
	}
	w, what := c.write(call)
	if w == nil {
		return
	}
	switch {
	case errFunc && !c.inLoop(fn, call):
		if c.bufferedChecked(fn, w, call) {
			return
		}
		netcode.Report(c.pass, call, "write-error-dropped",
			netcode.T(lang.VetDroppedWrite, what, funcName(fn)), netcode.T(lang.VetDroppedWriteFix))
	case c.info.Types.IsConn(c.ti.TypeOf(w)) && c.deadlineBefore(fn, call.Pos()):
		netcode.Report(c.pass, call, "cut-write-error-dropped",
			netcode.T(lang.VetDroppedDeadline), netcode.T(lang.VetDroppedDeadlineFix))
	}
}

// errorDropped reports whether an assignment of call's results puts the
// error into _.
func (c *checker) errorDropped(as *ast.AssignStmt, call *ast.CallExpr) bool {
	tuple, ok := c.ti.TypeOf(call).(*types.Tuple)
	if !ok {
		if isError(c.ti.TypeOf(call)) && len(as.Lhs) == 1 {
			return isBlank(as.Lhs[0])
		}
		return false
	}
	if tuple.Len() != len(as.Lhs) || !isError(tuple.At(tuple.Len()-1).Type()) {
		return false
	}
	return isBlank(as.Lhs[len(as.Lhs)-1])
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// write recognises a call that writes where a failure matters, and
// returns the writer and what to call the call. Any write to a connection
// counts; to a file (not os.Stdout or os.Stderr), Write and fmt.Fprint
// too; to a bufio.Writer, Flush (its write errors stick until then); to
// an io.Writer of unknown kind, only Write and io.WriteString, the raw
// writes of protocol code: fmt.Fprintf(w, ...) to an io.Writer is mostly
// output for a person, where nobody checks.
func (c *checker) write(call *ast.CallExpr) (ast.Expr, string) {
	ti := c.ti
	if recv, fn := netcode.MethodCall(ti, call); fn != nil {
		t := ti.TypeOf(recv)
		switch {
		case netcode.Named(t, "bufio", "Writer"):
			if fn.Name() != "Flush" {
				return nil, ""
			}
		case netcode.IsMethod(ti, call, "encoding/json", "Encoder", "Encode"):
			return call, "json Encode"
		default:
			switch fn.Name() {
			case "Write", "WriteString", "WriteTo", "ReadFrom":
			default:
				return nil, ""
			}
			if !c.info.Types.IsWriter(t) {
				return nil, ""
			}
		}
		if !c.canFail(recv) {
			return nil, ""
		}
		return recv, fn.Name()
	}
	var w ast.Expr
	name := ""
	formatted := false
	switch {
	case netcode.IsPkgFunc(ti, call, "io", "WriteString", "Copy", "CopyN", "CopyBuffer"),
		netcode.IsPkgFunc(ti, call, "encoding/binary", "Write"):
		if len(call.Args) > 0 {
			f := netcode.Callee(ti, call)
			w, name = call.Args[0], f.Pkg().Name()+"."+f.Name()
		}
	case netcode.IsPkgFunc(ti, call, "fmt", "Fprint", "Fprintf", "Fprintln"):
		if len(call.Args) > 0 {
			f := netcode.Callee(ti, call)
			w, name, formatted = call.Args[0], "fmt."+f.Name(), true
		}
	}
	if w == nil || !c.canFail(w) {
		return nil, ""
	}
	t := ti.TypeOf(w)
	switch {
	case c.info.Types.IsConn(t), netcode.Named(t, "os", "File"):
	case netcode.Named(t, "bufio", "Writer"):
		return nil, "" // sticky: Flush tells
	case formatted:
		return nil, ""
	}
	return w, name
}

// canFail reports whether writes to w can fail: not into memory, not to
// os.Stdout or os.Stderr.
func (c *checker) canFail(w ast.Expr) bool {
	t := c.ti.TypeOf(w)
	if netcode.Named(t, "bytes", "Buffer") || netcode.Named(t, "strings", "Builder") {
		return false
	}
	if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Pkg() != nil {
		switch named.Obj().Pkg().Path() {
		case "hash", "hash/crc32", "crypto/sha256", "crypto/md5", "crypto/sha1", "crypto/sha512":
			return false
		}
	}
	if sel, ok := ast.Unparen(w).(*ast.SelectorExpr); ok {
		if v, ok := c.ti.Uses[sel.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "os" {
			if v.Name() == "Stdout" || v.Name() == "Stderr" {
				return false
			}
		}
		if v, ok := c.ti.Uses[sel.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "io" && v.Name() == "Discard" {
			return false
		}
	}
	return true
}

// returnsOtherError reports whether st returns a non-nil error: the
// dropped write was a last word before failing anyway.
func returnsOtherError(ti *types.Info, st ast.Stmt) bool {
	ret, ok := st.(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 {
		return false
	}
	last := ret.Results[len(ret.Results)-1]
	if id, ok := last.(*ast.Ident); ok && id.Name == "nil" {
		return false
	}
	return isError(ti.TypeOf(last)) || types.Implements(ti.TypeOf(last), types.Universe.Lookup("error").Type().Underlying().(*types.Interface))
}

// bufferedChecked reports whether w is a bufio.Writer whose Flush is
// checked after call: its write errors stick and come back from Flush.
func (c *checker) bufferedChecked(fn ast.Node, w ast.Expr, call *ast.CallExpr) bool {
	if !netcode.Named(c.ti.TypeOf(w), "bufio", "Writer") {
		return false
	}
	if _, m := netcode.MethodCall(c.ti, call); m != nil && m.Name() == "Flush" {
		return false
	}
	key := netcode.Key(c.ti, w)
	found := false
	ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
		fc, ok := n.(*ast.CallExpr)
		if !ok || found || fc.Pos() < call.End() {
			return !found
		}
		if recv, m := netcode.MethodCall(c.ti, fc); m != nil && m.Name() == "Flush" && netcode.Key(c.ti, recv) == key {
			found = true // a dropped Flush is reported on its own
		}
		return true
	})
	return found
}

// inLoop reports whether call is inside a for or range loop of fn: a
// server's loop, or a conversation's, whose function returns an error
// about something else than this one write (a dropped write error there
// matters when the write has a deadline: see checkStmt).
func (c *checker) inLoop(fn ast.Node, call *ast.CallExpr) bool {
	found := false
	ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() <= call.Pos() && call.End() <= n.End() {
				found = true
			}
		}
		return !found
	})
	return found
}

// deadlineBefore reports whether fn sets a write deadline before pos.
func (c *checker) deadlineBefore(fn ast.Node, pos token.Pos) bool {
	found := false
	ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Pos() >= pos {
			return !found
		}
		if _, m := netcode.MethodCall(c.ti, call); m != nil && (m.Name() == "SetWriteDeadline" || m.Name() == "SetDeadline") {
			found = true
		}
		return !found
	})
	return found
}

// checkFileClose reports a dropped (or deferred) Close of a file that fn
// creates and writes to. It returns whether call was such a Close.
func (c *checker) checkFileClose(fn ast.Node, call *ast.CallExpr, deferred bool) bool {
	recv, m := netcode.MethodCall(c.ti, call)
	if m == nil || m.Name() != "Close" || !netcode.Named(c.ti.TypeOf(recv), "os", "File") {
		return false
	}
	id, ok := ast.Unparen(recv).(*ast.Ident)
	if !ok {
		return false
	}
	f, _ := c.ti.ObjectOf(id).(*types.Var)
	if f == nil || !c.createdAndWritten(fn, f) {
		return false
	}
	how := netcode.T(lang.VetHowDropped)
	if deferred {
		how = netcode.T(lang.VetHowDeferred)
	}
	netcode.Report(c.pass, call, "close-error-dropped",
		netcode.T(lang.VetDroppedClose, f.Name(), how, funcName(fn)), netcode.T(lang.VetDroppedCloseFix))
	return true
}

// createdAndWritten reports whether fn opens f with os.Create or
// os.OpenFile and writes to it.
func (c *checker) createdAndWritten(fn ast.Node, f *types.Var) bool {
	created, written := false, false
	ast.Inspect(netcode.FuncBody(fn), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) >= 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok && netcode.IsPkgFunc(c.ti, call, "os", "Create", "OpenFile") {
					if id, ok := n.Lhs[0].(*ast.Ident); ok && c.ti.ObjectOf(id) == f {
						created = true
					}
				}
			}
		case *ast.CallExpr:
			if w, _ := c.write(n); w != nil {
				if id, ok := ast.Unparen(w).(*ast.Ident); ok && c.ti.ObjectOf(id) == f {
					written = true
				}
			}
			for _, a := range n.Args {
				if id, ok := ast.Unparen(a).(*ast.Ident); ok && c.ti.ObjectOf(id) == f && netcode.IsPkgFunc(c.ti, n, "bufio", "NewWriter", "NewWriterSize") {
					written = true
				}
			}
		}
		return true
	})
	return created && written
}

func funcName(fn ast.Node) any {
	if d, ok := fn.(*ast.FuncDecl); ok {
		return d.Name.Name
	}
	return netcode.T(lang.VetTheFunction)
}
