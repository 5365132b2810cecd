package readtoend

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

// Analyzer reports a connection read to its end where the conversation
// goes on.
var Analyzer = &analysis.Analyzer{
	Name:     "readtoend",
	Doc:      netcode.Doc(doc, "readtoend"),
	Requires: []*analysis.Analyzer{netcode.Analyzer},
	Run:      netcode.Run(run),
	// The Result is the advice in words for every language (netcode.Run).
	ResultType: netcode.AdviceType,
}

func run(pass *analysis.Pass) (any, error) {
	info := pass.ResultOf[netcode.Analyzer].(*netcode.Info)
	ti := pass.TypesInfo
	accepted := map[*types.Var]bool{}
	for _, a := range info.Accepts {
		if a.Conn != nil {
			accepted[a.Conn] = true
		}
	}
	for _, l := range info.Launches {
		if l.Param != nil {
			accepted[l.Param] = true
		}
	}
	for _, fn := range info.Funcs {
		d, ok := fn.(*ast.FuncDecl)
		if !ok {
			continue
		}
		ast.Inspect(d.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var src ast.Expr
			var what any
			switch {
			case netcode.IsPkgFunc(ti, call, "io", "ReadAll") || netcode.IsPkgFunc(ti, call, "io/ioutil", "ReadAll"):
				if len(call.Args) == 1 {
					src, what = call.Args[0], "io.ReadAll"
				}
			case netcode.IsPkgFunc(ti, call, "io", "Copy"):
				if len(call.Args) == 2 && inMemory(ti.TypeOf(call.Args[0])) {
					src, what = call.Args[1], netcode.T(lang.VetWhatCopy)
				}
			}
			if src == nil {
				return true
			}
			src = unwrap(ti, src)
			if src == nil || !longLived(info, accepted, src) {
				return true
			}
			netcode.Report(pass, call, "read-to-end",
				netcode.T(lang.VetReadToEnd, what), netcode.T(lang.VetReadToEndFix))
			return true
		})
	}
	return nil, nil
}

// unwrap sees through bufio.NewReader(conn); it returns nil for any other
// call (io.LimitReader(conn, n) ends on its own).
func unwrap(ti *types.Info, e ast.Expr) ast.Expr {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return e
		}
		if netcode.IsPkgFunc(ti, call, "bufio", "NewReader", "NewReaderSize") && len(call.Args) > 0 {
			e = call.Args[0]
			continue
		}
		return nil
	}
}

func inMemory(t types.Type) bool {
	return netcode.Named(t, "bytes", "Buffer") || netcode.Named(t, "strings", "Builder")
}

// longLived reports whether src is a connection that carries a
// conversation.
func longLived(info *netcode.Info, accepted map[*types.Var]bool, src ast.Expr) bool {
	ti := info.Pass.TypesInfo
	t := ti.TypeOf(src)
	if info.Types.IsDatagram(t) {
		return false
	}
	switch info.Contract.LongLived {
	case "all":
		if info.Types.IsStream(t) {
			return true
		}
	case "accepted":
		if id, ok := ast.Unparen(src).(*ast.Ident); ok {
			if v, ok := ti.ObjectOf(id).(*types.Var); ok && accepted[v] {
				return true
			}
		}
	}
	// A connection kept in a struct field outlives one exchange.
	if sel, ok := ast.Unparen(src).(*ast.SelectorExpr); ok && info.Types.IsConn(t) && !info.Datagram {
		if s := ti.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
			return true
		}
	}
	return false
}
