package deadline

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

// Analyzer reports blocking network calls with no deadline where the code
// has a time limit to keep.
var Analyzer = &analysis.Analyzer{
	Name:     "deadline",
	Doc:      netcode.Doc(doc, "deadline"),
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
	for f, d := range info.Decls {
		if info.InHandler(d.Pos()) {
			continue // a server's per-connection code: idle reads, below
		}
		contract := false
		for _, name := range info.Contract.Budget {
			if netcode.FuncName(f) == name {
				contract = true
			}
		}
		limit := budget(c.ti, d)
		if limit == "" && contract {
			limit = labLimit
		}
		if limit != "" {
			c.checkBudget(d, limit, contract)
		}
	}
	if info.Contract.IdleReads {
		for _, fn := range info.HandlerFuncs() {
			c.checkIdle(fn)
		}
	}
	for _, root := range info.Contract.WriteDeadlines {
		if d := info.DeclNamed(root); d != nil {
			c.checkWrites(d)
		}
	}
	return nil, nil
}

// budget says what time limit a function has to keep: a time.Duration or
// time.Time parameter ("timeout"), or a ...Timeout field of its receiver
// ("c.Timeout"). It returns "" when it has none.
func budget(ti *types.Info, d *ast.FuncDecl) string {
	for _, field := range d.Type.Params.List {
		t := ti.TypeOf(field.Type)
		if netcode.Named(t, "time", "Duration") || netcode.Named(t, "time", "Time") {
			for _, name := range field.Names {
				if limitName(name.Name) {
					return name.Name
				}
			}
		}
	}
	if d.Recv == nil || len(d.Recv.List) == 0 || len(d.Recv.List[0].Names) == 0 {
		return ""
	}
	recv := d.Recv.List[0].Names[0].Name
	t := ti.TypeOf(d.Recv.List[0].Type)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for i := range st.NumFields() {
		fld := st.Field(i)
		if netcode.Named(fld.Type(), "time", "Duration") && strings.HasSuffix(fld.Name(), "Timeout") && fld.Name() != "IdleTimeout" && fld.Name() != "WriteTimeout" {
			return recv + "." + fld.Name()
		}
	}
	return ""
}

// limitName reports whether a parameter's name says it is a time limit
// (timeout, deadline, patience...) rather than, say, an interval.
func limitName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"timeout", "deadline", "limit", "patience", "wait", "budget", "within", "until"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// labLimit is the limit of a function the lab's contract bounds with no
// parameter or field to name: the messages say it in words of their own
// (lang.VetDeadlineDialLab, VetDeadlineNoneLab).
const labLimit = "the lab's time limit"

// mustGiveUp is a message that says name must give up after limit: m,
// or lab when the limit is the lab's.
func mustGiveUp(m, lab *lang.Message, name, limit string) netcode.Text {
	if limit == labLimit {
		return netcode.T(lab, name)
	}
	return netcode.T(m, name, limit)
}

// checkBudget checks a function that must give up after limit.
func (c *checker) checkBudget(d *ast.FuncDecl, limit string, contract bool) {
	ti := c.ti
	name := d.Name.Name
	// Dials with no time limit.
	ast.Inspect(d.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || !netcode.IsPkgFunc(ti, call, "net", "Dial") || len(call.Args) != 2 {
			return true
		}
		if network, ok := netcode.ConstString(ti, call.Args[0]); ok && strings.HasPrefix(network, "tcp") {
			netcode.Report(c.pass, call, "dial-without-timeout",
				mustGiveUp(lang.VetDeadlineDial, lang.VetDeadlineDialLab, name, limit),
				netcode.T(lang.VetDeadlineDialFix, network, durationOf(limit)))
		}
		return true
	})

	if c.hasDeadline(d, map[*ast.FuncDecl]bool{}) {
		c.checkDeadlineLoops(d, name)
		return
	}
	read := c.firstRead(d.Body, contract)
	if read == nil {
		return
	}
	if lit, typ := c.perReadWrapper(d); lit != nil {
		netcode.Report(c.pass, lit, "deadline-per-read",
			netcode.T(lang.VetDeadlinePerRead, typ, name), netcode.T(lang.VetDeadlineOnceFix))
		return
	}
	fix := netcode.T(lang.VetDeadlineNoneFix)
	if strings.Contains(limit, ".") {
		// A field of the receiver, such as lab 06's c.Timeout, bounds each
		// wait (an attempt), not the whole call: a deadline for the whole
		// exchange would be the wrong advice.
		fix = netcode.T(lang.VetDeadlineEachFix, limit)
	}
	netcode.Report(c.pass, read, "no-deadline",
		mustGiveUp(lang.VetDeadlineNone, lang.VetDeadlineNoneLab, name, limit), fix)
}

// perReadWrapper finds a value d makes of a type of this package whose
// Read method sets a read deadline from time.Now() each time it is called
// (an "idle" wrapper around the connection): the literal and the type's
// name, or nil.
func (c *checker) perReadWrapper(d *ast.FuncDecl) (ast.Node, string) {
	var lit ast.Node
	name := ""
	ast.Inspect(d.Body, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok || lit != nil {
			return lit == nil
		}
		named, ok := types.Unalias(c.ti.TypeOf(cl)).(*types.Named)
		if !ok || named.Obj().Pkg() != c.pass.Pkg {
			return true
		}
		obj, _, _ := types.LookupFieldOrMethod(named, true, c.pass.Pkg, "Read")
		fn, ok := obj.(*types.Func)
		if !ok || c.info.Decls[fn] == nil {
			return true
		}
		ast.Inspect(c.info.Decls[fn].Body, func(m ast.Node) bool {
			if call, ok := m.(*ast.CallExpr); ok && lit == nil {
				if k := deadlineKind(c.ti, call); (k == "read" || k == "both") && sinceNow(c.ti, call) {
					lit, name = cl, named.Obj().Name()
				}
			}
			return lit == nil
		})
		return lit == nil
	})
	return lit, name
}

func durationOf(limit string) string {
	if strings.Contains(limit, " ") {
		return "timeout"
	}
	return limit
}

// hasDeadline reports whether d (or a package function it calls, not in a
// goroutine) sets a read deadline on something, or closes a connection
// from a callback (time.AfterFunc(d, func() { conn.Close() })), which
// bounds the reads as well.
func (c *checker) hasDeadline(d *ast.FuncDecl, seen map[*ast.FuncDecl]bool) bool {
	if seen[d] {
		return false
	}
	seen[d] = true
	found := false
	ast.Inspect(d.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			return false
		case *ast.FuncLit:
			ast.Inspect(n.Body, func(m ast.Node) bool {
				if call, ok := m.(*ast.CallExpr); ok {
					if recv, fn := netcode.MethodCall(c.ti, call); fn != nil && fn.Name() == "Close" && c.info.Types.IsConn(c.ti.TypeOf(recv)) {
						found = true
					}
				}
				return !found
			})
			return false
		case *ast.CallExpr:
			if k := deadlineKind(c.ti, n); k == "read" || k == "both" {
				found = true
				return false
			}
			if f := netcode.Callee(c.ti, n); f != nil {
				if callee := c.info.Decls[f]; callee != nil && c.hasDeadline(callee, seen) {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// deadlineKind says what a call's deadline covers: "read" for
// SetReadDeadline, "write" for SetWriteDeadline, "both" for SetDeadline,
// "" for any other call.
func deadlineKind(ti *types.Info, call *ast.CallExpr) string {
	_, fn := netcode.MethodCall(ti, call)
	if fn == nil {
		return ""
	}
	switch fn.Name() {
	case "SetDeadline":
		return "both"
	case "SetReadDeadline":
		return "read"
	case "SetWriteDeadline":
		return "write"
	}
	return ""
}

// firstRead returns the first call in body that reads from a connection:
// conn.Read, io.ReadAll(conn), ParseResponse(bufio.NewReader(conn)),
// sc.Scan() on a Scanner made from conn here... With any true, reads from
// a bufio.Scanner, bufio.Reader or json.Decoder count whatever they read
// (for functions the lab says must keep a time limit). A Scanner made and
// stored for later is no read yet.
func (c *checker) firstRead(body *ast.BlockStmt, any bool) ast.Node {
	ti := c.ti
	wraps := c.wrappers(body)
	var first ast.Node
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if first != nil {
			return false
		}
		parent := ast.Node(nil)
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.GoStmt, *ast.FuncLit:
			stack = stack[:len(stack)-1]
			return false
		case *ast.CallExpr:
			read := false
			if c.readsConn(n) {
				read = !isConstructor(ti, n) || consumedAt(parent)
			}
			if c.readsBuffered(n) {
				recv, _ := netcode.MethodCall(ti, n)
				if id, ok := ast.Unparen(recv).(*ast.Ident); (ok && wraps[asVar(ti, id)]) || any {
					read = true
				}
			}
			if read {
				first = n
				return false
			}
		}
		return true
	})
	return first
}

// isConstructor reports whether call makes a reader from a connection
// (bufio.NewScanner(conn)) rather than reading from it.
func isConstructor(ti *types.Info, call *ast.CallExpr) bool {
	return netcode.IsPkgFunc(ti, call, "bufio", "NewReader", "NewReaderSize", "NewScanner") ||
		netcode.IsPkgFunc(ti, call, "encoding/json", "NewDecoder") ||
		netcode.IsPkgFunc(ti, call, "net/textproto", "NewReader", "NewConn")
}

// consumedAt reports whether a reader made by a constructor is used on the
// spot: passed to a call, or called a method on.
func consumedAt(parent ast.Node) bool {
	switch parent.(type) {
	case *ast.CallExpr, *ast.SelectorExpr:
		return true
	}
	return false
}

// wrappers returns the local variables of body that hold a reader made
// from a connection: sc := bufio.NewScanner(conn).
func (c *checker) wrappers(body *ast.BlockStmt) map[*types.Var]bool {
	ti := c.ti
	wraps := map[*types.Var]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, r := range as.Rhs {
			call, ok := ast.Unparen(r).(*ast.CallExpr)
			if !ok || !isConstructor(ti, call) || !c.readsConn(call) {
				continue
			}
			if id, ok := as.Lhs[i].(*ast.Ident); ok {
				if v := asVar(ti, id); v != nil {
					wraps[v] = true
				}
			}
		}
		return true
	})
	return wraps
}

// readsConn reports whether call reads from a connection or hands one to
// a reader.
func (c *checker) readsConn(call *ast.CallExpr) bool {
	ti := c.ti
	if recv, fn := netcode.MethodCall(ti, call); fn != nil && c.info.Types.IsConn(ti.TypeOf(recv)) {
		switch fn.Name() {
		case "Read", "ReadFrom", "ReadFromUDP", "ReadMsgUDP":
			return true
		}
	}
	isReader := netcode.IsPkgFunc(ti, call, "io", "ReadAll", "ReadFull", "ReadAtLeast", "Copy", "CopyN") ||
		netcode.IsPkgFunc(ti, call, "bufio", "NewReader", "NewReaderSize", "NewScanner") ||
		netcode.IsPkgFunc(ti, call, "encoding/json", "NewDecoder") ||
		netcode.IsPkgFunc(ti, call, "net/textproto", "NewReader", "NewConn")
	if !isReader {
		return false
	}
	args := call.Args
	if netcode.IsPkgFunc(ti, call, "io", "Copy", "CopyN") && len(args) > 1 {
		args = args[1:2]
	}
	for _, a := range args {
		if c.info.Types.IsConn(ti.TypeOf(a)) {
			return true
		}
	}
	return false
}

// readsBuffered reports whether call reads from a bufio.Scanner,
// bufio.Reader or json.Decoder.
func (c *checker) readsBuffered(call *ast.CallExpr) bool {
	ti := c.ti
	return netcode.IsMethod(ti, call, "bufio", "Scanner", "Scan") ||
		netcode.IsMethod(ti, call, "bufio", "Reader", "Read", "ReadByte", "ReadBytes", "ReadLine", "ReadRune", "ReadSlice", "ReadString") ||
		netcode.IsMethod(ti, call, "encoding/json", "Decoder", "Decode")
}

// checkDeadlineLoops reports a deadline set anew inside a loop that reads
// and never writes: each read then gets a fresh deadline, so a peer that
// sends a little now and then is never cut off.
func (c *checker) checkDeadlineLoops(d *ast.FuncDecl, name string) {
	ti := c.ti
	var visit func(n ast.Node, loop ast.Node)
	visit = func(n ast.Node, loop ast.Node) {
		ast.Inspect(n, func(m ast.Node) bool {
			switch m := m.(type) {
			case *ast.FuncLit, *ast.GoStmt:
				return false
			case *ast.ForStmt:
				if m != n {
					visit(m.Body, m)
					return false
				}
			case *ast.RangeStmt:
				if m != n {
					visit(m.Body, m)
					return false
				}
			case *ast.CallExpr:
				k := deadlineKind(ti, m)
				if loop == nil || (k != "read" && k != "both") || !sinceNow(ti, m) {
					return true
				}
				if c.loopReads(loop) && !c.loopWrites(loop) {
					netcode.Report(c.pass, m, "deadline-in-loop",
						netcode.T(lang.VetDeadlineInLoop, name), netcode.T(lang.VetDeadlineInLoopFix))
				}
			}
			return true
		})
	}
	visit(d.Body, nil)
}

// sinceNow reports whether a deadline call's argument is computed from
// time.Now() right there: SetDeadline(time.Now().Add(timeout)).
func sinceNow(ti *types.Info, call *ast.CallExpr) bool {
	found := false
	for _, a := range call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && netcode.IsPkgFunc(ti, c, "time", "Now") {
				found = true
			}
			return !found
		})
	}
	return found
}

// loopReads reports whether the body of loop itself (not a loop nested in
// it) reads from a connection or a buffered reader.
func (c *checker) loopReads(loop ast.Node) bool {
	return c.inLoop(loop, func(call *ast.CallExpr) bool { return c.readsConn(call) || c.readsBuffered(call) })
}

// loopWrites reports whether the body of loop itself sends something: then
// the loop is a series of attempts (send, wait for the answer), and a
// deadline per attempt is right.
func (c *checker) loopWrites(loop ast.Node) bool {
	return c.inLoop(loop, func(call *ast.CallExpr) bool { return c.writeTarget(call) != nil })
}

func (c *checker) inLoop(loop ast.Node, pred func(*ast.CallExpr) bool) bool {
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.ForStmt:
		body = l.Body
	case *ast.RangeStmt:
		body = l.Body
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.CallExpr:
			if pred(n) {
				found = true
			}
		}
		return true
	})
	return found
}

// writeTarget returns the connection a call writes to, or nil: conn.Write,
// io.WriteString(conn, ...), fmt.Fprintf(conn, ...), json.NewEncoder(conn),
// bufio.NewWriter(conn).
func (c *checker) writeTarget(call *ast.CallExpr) ast.Expr {
	ti := c.ti
	if recv, fn := netcode.MethodCall(ti, call); fn != nil && c.info.Types.IsConn(ti.TypeOf(recv)) {
		switch fn.Name() {
		case "Write", "WriteTo", "WriteToUDP", "WriteMsgUDP", "ReadFrom", "WriteString":
			return recv
		}
	}
	if netcode.IsPkgFunc(ti, call, "io", "WriteString", "Copy", "CopyN") ||
		netcode.IsPkgFunc(ti, call, "fmt", "Fprint", "Fprintf", "Fprintln") ||
		netcode.IsPkgFunc(ti, call, "encoding/json", "NewEncoder") ||
		netcode.IsPkgFunc(ti, call, "bufio", "NewWriter", "NewWriterSize") {
		if len(call.Args) > 0 && c.info.Types.IsConn(ti.TypeOf(call.Args[0])) {
			return call.Args[0]
		}
	}
	return nil
}

// checkIdle reports reads in per-connection code with no read deadline
// set before them in the same function.
func (c *checker) checkIdle(fn ast.Node) {
	ti := c.ti
	body := netcode.FuncBody(fn)
	wraps := c.wrappers(body)
	var deadlines []token.Pos
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if k := deadlineKind(ti, call); k == "read" || k == "both" {
				deadlines = append(deadlines, call.Pos())
			}
		}
		return true
	})
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return n == fn // a literal is checked on its own if it is per-connection code
		case *ast.CallExpr:
			blocking := false
			if recv, f := netcode.MethodCall(ti, n); f != nil {
				if c.info.Types.IsConn(ti.TypeOf(recv)) && f.Name() == "Read" {
					blocking = true
				}
				if id, ok := ast.Unparen(recv).(*ast.Ident); ok && wraps[asVar(ti, id)] && c.readsBuffered(n) {
					blocking = true
				}
			}
			if netcode.IsPkgFunc(ti, n, "io", "ReadAll", "ReadFull", "ReadAtLeast") && len(n.Args) > 0 && c.info.Types.IsConn(ti.TypeOf(n.Args[0])) {
				blocking = true
			}
			if !blocking {
				return true
			}
			for _, p := range deadlines {
				if p < n.Pos() {
					return true
				}
			}
			netcode.Report(c.pass, n, "no-idle-deadline",
				netcode.T(lang.VetDeadlineIdle), netcode.T(lang.VetDeadlineIdleFix))
		}
		return true
	})
}

func asVar(ti *types.Info, id *ast.Ident) *types.Var {
	v, _ := ti.ObjectOf(id).(*types.Var)
	return v
}

// checkWrites reports writes to a connection with no write deadline
// before them, in root and everything it reaches.
func (c *checker) checkWrites(root *ast.FuncDecl) {
	fns := c.info.Reachable(root, true)
	done := map[ast.Node]bool{}
	for fn := range fns {
		if _, ok := fn.(*ast.FuncLit); ok {
			continue // inside a FuncDecl of the set
		}
		body := netcode.FuncBody(fn)
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || done[call] {
				return true
			}
			target := c.writeTarget(call)
			if target == nil {
				return true
			}
			done[call] = true
			before := call.Pos()
			if netcode.IsPkgFunc(c.ti, call, "bufio", "NewWriter", "NewWriterSize") || netcode.IsPkgFunc(c.ti, call, "encoding/json", "NewEncoder") {
				// A writer made once: the deadline comes before each
				// Flush or Encode, later on.
				before = body.End()
			}
			if c.writeDeadlineBefore(body, before) || c.callersSetDeadline(fn, 2) {
				return true
			}
			netcode.Report(c.pass, call, "no-write-deadline",
				netcode.T(lang.VetDeadlineWrite, exprString(target)), netcode.T(lang.VetDeadlineWriteFix))
			return true
		})
	}
}

func exprString(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return "the connection"
}

// writeDeadlineBefore reports whether body sets a write deadline somewhere
// before pos.
func (c *checker) writeDeadlineBefore(body *ast.BlockStmt, pos token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && call.Pos() < pos {
			if k := deadlineKind(c.ti, call); k == "write" || k == "both" {
				found = true
			}
		}
		return !found
	})
	return found
}

// callersSetDeadline reports whether some caller of fn sets a write
// deadline before calling it (a helper that writes for its caller).
func (c *checker) callersSetDeadline(fn ast.Node, depth int) bool {
	d, ok := fn.(*ast.FuncDecl)
	if !ok || depth == 0 {
		return false
	}
	f, _ := c.ti.Defs[d.Name].(*types.Func)
	if f == nil {
		return false
	}
	for _, call := range c.info.Callers(f) {
		body := netcode.FuncBody(call.In)
		if body != nil && c.writeDeadlineBefore(body, call.Call.Pos()) {
			return true
		}
		if call.In != nil && c.callersSetDeadline(call.In, depth-1) {
			return true
		}
	}
	return false
}
