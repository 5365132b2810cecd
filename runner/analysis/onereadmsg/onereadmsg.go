package onereadmsg

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/lang"
)

//go:embed doc.go
var doc string

// Analyzer reports the bytes of one Read on a stream used as a whole
// message.
var Analyzer = &analysis.Analyzer{
	Name:     "onereadmsg",
	Doc:      netcode.Doc(doc, "onereadmsg"),
	Requires: []*analysis.Analyzer{netcode.Analyzer},
	Run:      netcode.Run(run),
	// The Result is the advice in words for every language (netcode.Run).
	ResultType: netcode.AdviceType,
}

var fix = netcode.T(lang.VetOneReadFix)

func run(pass *analysis.Pass) (any, error) {
	info := pass.ResultOf[netcode.Analyzer].(*netcode.Info)
	if info.Datagram {
		return nil, nil
	}
	for _, fn := range info.Funcs {
		if d, ok := fn.(*ast.FuncDecl); ok {
			checkFunc(pass, info, d)
		}
	}
	return nil, nil
}

// read is one n, err := r.Read(buf).
type read struct {
	call   *ast.CallExpr
	n      *types.Var // nil when the count is dropped
	buf    string     // the Key of buf
	bufTyp types.Type
}

// use is how a message value is used.
type use int

const (
	neutral    use = iota // printed, measured, stored, sent on a channel
	collect               // appended or copied: the right way
	interprets            // taken as a whole message
)

type verdict struct {
	kind use
	how  netcode.Text // "compared with ==", for interprets
	at   ast.Node     // where
}

func checkFunc(pass *analysis.Pass, info *netcode.Info, d *ast.FuncDecl) {
	ti := pass.TypesInfo
	parents := parentMap(d.Body)
	var reads []*read
	ast.Inspect(d.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		recv, fn := netcode.MethodCall(ti, call)
		if fn == nil || fn.Name() != "Read" || len(call.Args) != 1 || !info.Types.IsStream(ti.TypeOf(recv)) {
			return true
		}
		arg := ast.Unparen(call.Args[0])
		if s, ok := arg.(*ast.SliceExpr); ok {
			if s.Low != nil || s.High != nil {
				return true // reading into buf[got:]: filling a buffer bit by bit
			}
			arg = s.X
		}
		r := &read{call: call, buf: netcode.Key(ti, arg), bufTyp: ti.TypeOf(arg)}
		if r.buf == "" {
			return true
		}
		if as, ok := parents[call].(*ast.AssignStmt); ok && len(as.Lhs) == 2 {
			r.n = identVar(ti, as.Lhs[0])
		}
		reads = append(reads, r)
		return true
	})
	for _, r := range reads {
		if r.n != nil {
			checkCount(pass, d, parents, r, reads)
		} else {
			checkDropped(pass, d, parents, r)
		}
	}
}

// checkCount follows buf[:n] after r and reports r if it is taken as a
// message (and never collected).
func checkCount(pass *analysis.Pass, d *ast.FuncDecl, parents map[ast.Node]ast.Node, r *read, reads []*read) {
	ti := pass.TypesInfo
	var first *verdict
	collected := false
	seen := map[*types.Var]bool{}
	var follow func(e ast.Expr)
	follow = func(e ast.Expr) {
		v := classify(pass, d, parents, e, seen, follow)
		switch v.kind {
		case collect:
			collected = true
		case interprets:
			if first == nil || v.at.Pos() < first.at.Pos() {
				first = &v
			}
		}
	}
	ast.Inspect(d.Body, func(n ast.Node) bool {
		s, ok := n.(*ast.SliceExpr)
		if !ok || s.High == nil || s.Pos() < r.call.End() || netcode.Key(ti, s.X) != r.buf {
			return true
		}
		if !netcode.Uses(ti, s.High, r.n) {
			return true
		}
		// buf[:n] belongs to the nearest Read before it that sets n.
		for _, o := range reads {
			if o != r && o.n == r.n && o.call.Pos() > r.call.Pos() && o.call.Pos() < s.Pos() {
				return true
			}
		}
		follow(s)
		return true
	})
	if collected || first == nil {
		return
	}
	line := pass.Fset.Position(first.at.Pos()).Line
	netcode.Report(pass, r.call, "one-read-one-message",
		netcode.T(lang.VetOneRead, first.how, line),
		fix,
		analysis.RelatedInformation{Pos: first.at.Pos(), End: first.at.End(), Message: "taken as a whole message here"})
}

// checkDropped reports a Read whose count is dropped while buf is used
// afterwards.
func checkDropped(pass *analysis.Pass, d *ast.FuncDecl, parents map[ast.Node]ast.Node, r *read) {
	ti := pass.TypesInfo
	var used ast.Node // the first use of buf after the Read
	done := false
	ast.Inspect(d.Body, func(n ast.Node) bool {
		if done {
			return false
		}
		e, ok := n.(ast.Expr)
		if !ok || e.Pos() < r.call.End() || netcode.Key(ti, e) != r.buf {
			return true
		}
		p := parents[e]
		if sl, ok := p.(*ast.SliceExpr); ok && sl.X == e {
			p = parents[sl]
		}
		switch p := p.(type) {
		case *ast.CallExpr:
			if _, fn := netcode.MethodCall(ti, p); fn != nil && fn.Name() == "Read" {
				done = true // read into again before any use
				return false
			}
			if netcode.IsPkgFunc(ti, p, "io", "ReadFull", "ReadAtLeast") {
				done = true
				return false
			}
			if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && (id.Name == "len" || id.Name == "cap") {
				return false
			}
		case *ast.AssignStmt:
			for _, l := range p.Lhs {
				if l == e {
					done = true // replaced before any use
					return false
				}
			}
		}
		used, done = e, true
		return false
	})
	if used == nil {
		return
	}
	line := pass.Fset.Position(used.Pos()).Line
	netcode.Report(pass, r.call, "read-count-dropped",
		netcode.T(lang.VetOneReadDropped, line),
		netcode.T(lang.VetOneReadDroppedFix, fix),
		analysis.RelatedInformation{Pos: used.Pos(), End: used.End(), Message: "buffer used here"})
}

// classify decides how the message value e is used, following it through
// conversions, slicing and local variables (by calling follow on the
// variable's later uses).
func classify(pass *analysis.Pass, d *ast.FuncDecl, parents map[ast.Node]ast.Node, e ast.Expr, seen map[*types.Var]bool, follow func(ast.Expr)) verdict {
	ti := pass.TypesInfo
	for {
		p := parents[e]
		switch p := p.(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.SliceExpr:
			if p.X == e {
				e = p // a piece of the message is still the message
				continue
			}
			return verdict{}
		case *ast.IndexExpr:
			if p.Index == e {
				if _, isMap := ti.TypeOf(p.X).Underlying().(*types.Map); isMap {
					return verdict{interprets, netcode.T(lang.VetHowMapKey), p}
				}
			}
			return verdict{}
		case *ast.BinaryExpr:
			switch p.Op {
			case token.EQL, token.NEQ:
				return verdict{interprets, netcode.T(lang.VetHowCompared, p.Op.String()), p}
			case token.ADD:
				if as, ok := parents[p].(*ast.AssignStmt); ok && as.Tok == token.ASSIGN && len(as.Lhs) == 1 {
					if other := otherOperand(p, e); other != nil && netcode.Key(ti, other) != "" && netcode.Key(ti, other) == netcode.Key(ti, as.Lhs[0]) {
						return verdict{kind: collect}
					}
				}
				return verdict{interprets, netcode.T(lang.VetHowConcat), p}
			}
			return verdict{}
		case *ast.AssignStmt:
			if p.Tok == token.ADD_ASSIGN {
				return verdict{kind: collect}
			}
			for i, rhs := range p.Rhs {
				if rhs != e || i >= len(p.Lhs) || len(p.Lhs) != len(p.Rhs) {
					continue
				}
				if v := identVar(ti, p.Lhs[i]); v != nil && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
					followVar(pass, d, v, p.End(), seen, follow)
				}
			}
			return verdict{}
		case *ast.ValueSpec:
			for i, val := range p.Values {
				if val == e && i < len(p.Names) {
					if v, ok := ti.Defs[p.Names[i]].(*types.Var); ok {
						followVar(pass, d, v, p.End(), seen, follow)
					}
				}
			}
			return verdict{}
		case *ast.SwitchStmt:
			if p.Tag == e {
				return verdict{interprets, netcode.T(lang.VetHowSwitch), p.Tag}
			}
			return verdict{}
		case *ast.ReturnStmt:
			if isString(ti.TypeOf(e)) || messageName(d.Name.Name) {
				return verdict{interprets, netcode.T(lang.VetHowReturned), p}
			}
			return verdict{}
		case *ast.CallExpr:
			if tv, ok := ti.Types[p.Fun]; ok && tv.IsType() {
				e = p // string(buf[:n]) is still the message
				continue
			}
			return classifyCall(pass, p, e)
		default:
			return verdict{}
		}
	}
}

func otherOperand(b *ast.BinaryExpr, e ast.Expr) ast.Expr {
	if b.X == e {
		return b.Y
	}
	return b.X
}

// followVar classifies the uses of a local variable that holds a message
// value after pos.
func followVar(pass *analysis.Pass, d *ast.FuncDecl, v *types.Var, after token.Pos, seen map[*types.Var]bool, follow func(ast.Expr)) {
	if seen[v] {
		return
	}
	seen[v] = true
	ti := pass.TypesInfo
	ast.Inspect(d.Body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if ok && id.Pos() > after && ti.Uses[id] == v {
			follow(id)
		}
		return true
	})
}

// classifyCall decides how a call uses its argument e (or, for a
// conversion, follows the converted value).
func classifyCall(pass *analysis.Pass, call *ast.CallExpr, e ast.Expr) verdict {
	ti := pass.TypesInfo
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := ti.Uses[id].(*types.Builtin); ok {
			switch b.Name() {
			case "append":
				if len(call.Args) > 1 && call.Args[0] != e {
					return verdict{kind: collect}
				}
			case "copy":
				return verdict{kind: collect}
			}
			return verdict{}
		}
	}
	argIndex := -1
	for i, a := range call.Args {
		if a == e {
			argIndex = i
		}
	}
	if argIndex < 0 {
		return verdict{} // e is the receiver or the function
	}
	recv, method := netcode.MethodCall(ti, call)
	if method != nil {
		switch method.Name() {
		case "Write", "WriteString":
			if netcode.Named(ti.TypeOf(recv), "bytes", "Buffer") || netcode.Named(ti.TypeOf(recv), "strings", "Builder") {
				return verdict{kind: collect}
			}
			return verdict{} // passed on as it came: fine
		}
		if method.Pkg() != nil && method.Pkg().Path() == "encoding/binary" {
			return verdict{interprets, netcode.T(lang.VetHowDecoded, method.Name()), call}
		}
		if method.Pkg() != nil && method.Pkg().Path() == "regexp" {
			return verdict{interprets, netcode.T(lang.VetHowMatched, method.Name()), call}
		}
		if method.Pkg() == pass.Pkg && isString(ti.TypeOf(e)) {
			return verdict{interprets, netcode.T(lang.VetHowHanded, method.Name()), call}
		}
		return verdict{}
	}
	f := netcode.Callee(ti, call)
	if f == nil || f.Pkg() == nil {
		return verdict{}
	}
	path, name := f.Pkg().Path(), f.Name()
	switch path {
	case "strings", "bytes":
		return verdict{interprets, netcode.T(lang.VetHowPassed, f.Pkg().Name(), name), call}
	case "strconv", "encoding/json", "net/url", "net/netip", "encoding/hex", "encoding/base64":
		if path == "strconv" && strings.HasPrefix(name, "Append") {
			return verdict{}
		}
		return verdict{interprets, netcode.T(lang.VetHowParsed, f.Pkg().Name(), name), call}
	case "net":
		if strings.HasPrefix(name, "Parse") || name == "SplitHostPort" {
			return verdict{interprets, netcode.T(lang.VetHowParsed, "net", name), call}
		}
	case "fmt":
		switch name {
		case "Sscan", "Sscanf", "Sscanln":
			return verdict{interprets, netcode.T(lang.VetHowParsed, "fmt", name), call}
		case "Sprintf", "Fprintf", "Appendf":
			fi := 0
			if name != "Sprintf" {
				fi = 1
				if name == "Fprintf" && isStdStream(ti, call.Args[0]) {
					return verdict{}
				}
			}
			if argIndex > fi && fi < len(call.Args) {
				if format, ok := netcode.ConstString(ti, call.Args[fi]); ok && formatHasText(format) {
					return verdict{interprets, netcode.T(lang.VetHowFormatted, name), call}
				}
			}
		}
		return verdict{}
	}
	if f.Pkg() == pass.Pkg && isString(ti.TypeOf(e)) {
		return verdict{interprets, netcode.T(lang.VetHowHanded, name), call}
	}
	return verdict{}
}

// isStdStream reports whether e is os.Stdout or os.Stderr.
func isStdStream(ti *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := ti.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && (v.Name() == "Stdout" || v.Name() == "Stderr")
}

// formatHasText reports whether a printf format has text besides its
// verbs: "Hello, %s!\n" has, "%s" has not.
func formatHasText(format string) bool {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			return true
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.[]*", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '%' {
			return true
		}
	}
	return false
}

func isString(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// messageName reports whether a function's name says it returns a
// message: readMessage, ReadLine, recvRequest.
func messageName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"message", "msg", "line", "request", "reply", "response", "command", "recv", "receive"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func identVar(ti *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	v, _ := ti.ObjectOf(id).(*types.Var)
	return v
}

func parentMap(root ast.Node) map[ast.Node]ast.Node {
	parents := map[ast.Node]ast.Node{}
	var stack []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			parents[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
	return parents
}
