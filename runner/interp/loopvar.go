package interp

import (
	"go/ast"
	"go/token"
	gotypes "go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// The interpreter (yaegi v0.16.1) has Go 1.22's standard library but not
// its for loops: "for i := range 3" panics ("nil type"), and a loop shares
// one variable between its iterations, so that closures and goroutines
// made in the body see the last value. modernLoops rewrites what runs, as
// the goroutine guard does, inserting text on the lines it is about, so
// that every line keeps its number:
//
//   - "for k := range N", N an integer (go/types says so): "for _nbi1,
//     _nbn1 := T(0), T(N); _nbi1 < _nbn1; _nbi1++ { k := _nbi1; _ = k;
//     ...", T N's type (int for an untyped constant; a variable N whose
//     type it cannot name is its own zero, "N - N"), N evaluated once,
//     each iteration's k its own, as in Go; "for k = range N" assigns k,
//     "for range N" has no k;
//   - "for k, v := range x" whose body has a func literal, a go statement
//     or an & (what can keep a variable past its iteration): "{ k, v :=
//     k, v; ..." at the start of the body;
//   - "for i := 0; i < n; i++" whose body refers to i in a func literal,
//     a go statement's function ("go i.m()") or under &: the header's i
//     stays the loop's, and each iteration works on a copy, written back
//     at the end of the body and before each continue of the loop
//     (labelled ones too), before the post statement runs: "{ _nbp1 :=
//     &i; i := i; ...; *_nbp1 = i }", "continue" becoming "{ *_nbp1 = i;
//     continue }". The cost, a few assignments an iteration, is paid only
//     where Go 1.22 and the interpreter would differ.
//
// A body that declares a name of its loop's header again at its top level
// is put in a block of its own, under the copies.
//
// A loop it cannot rewrite exactly is left as it is: a range over an
// integer whose header spans several lines, or whose type it cannot name
// and N is more than a variable's name,
// a three-clause loop with a continue where i names another variable.
// It reports whether it rewrote any.
func modernLoops(fset *token.FileSet, f *ast.File, src string, base int, t goTypes) (string, bool) {
	off := func(p token.Pos) int { return fset.Position(p).Offset - base }
	inside := func(n ast.Node) bool { return off(n.Pos()) >= 0 && off(n.End()) <= len(src) }
	text := func(n ast.Node) string { return src[off(n.Pos()):off(n.End())] }
	type edit struct {
		at, end int // src[at:end] becomes text
		text    string
	}
	var edits []edit
	hidden := 0
	name := func(prefix string) string { return prefix + strconv.Itoa(hidden) }

	// redeclared reports whether body declares one of names at its top
	// level: a copy at its start would then be declared twice.
	redeclared := func(body *ast.BlockStmt, names []string) bool {
		if t.info == nil {
			return true
		}
		sc := t.info.Scopes[body]
		if sc == nil {
			return true
		}
		for _, n := range names {
			if sc.Lookup(n) != nil {
				return true
			}
		}
		return false
	}

	// wrap puts head at the start of body and tail at its end; in a
	// block of their own around the body when the body declares a name
	// of the header again ("for i := range n { i := 2 }"), which the copy
	// in head would declare twice.
	wrap := func(body *ast.BlockStmt, head, tail string, block bool) {
		open, end := off(body.Lbrace)+1, off(body.Rbrace)
		if block {
			head, tail = head+" {", "}"+tail
		}
		edits = append(edits, edit{open, open, head})
		if tail != "" {
			edits = append(edits, edit{end, end, tail})
		}
	}

	rangeInt := func(s *ast.RangeStmt) {
		typ, _ := t.intType(s.X)
		x := text(s.X)
		from, to := typ+"(0)", typ+"("+x+")"
		if typ == "" {
			if _, ok := s.X.(*ast.Ident); !ok {
				return
			}
			// A variable read twice: its own type, named or not.
			from, to = x+" - "+x, x
		}
		if s.Value != nil || !inside(s) || strings.Contains(src[off(s.For):off(s.Body.Lbrace)], "\n") || hasFuncLit(s.X) {
			return
		}
		hidden++
		i, n := name("_nbi"), name("_nbn")
		head := " " + i + ", " + n + " := " + from + ", " + to + "; " + i + " < " + n + "; " + i + "++ "
		edits = append(edits, edit{off(s.For) + 3, off(s.Body.Lbrace), head})
		key := ""
		if s.Key != nil {
			k := text(s.Key)
			switch {
			case k == "_":
			case s.Tok == token.DEFINE:
				key = " " + k + " := " + i + "; _ = " + k + ";"
			default:
				key = " " + k + " = " + i + ";"
			}
		}
		if key != "" {
			wrap(s.Body, key, "", s.Tok == token.DEFINE && redeclared(s.Body, []string{text(s.Key)}))
		}
	}

	rangeCopy := func(s *ast.RangeStmt) {
		if s.Tok != token.DEFINE || !inside(s) || !keeps(s.Body) {
			return
		}
		var names []string
		for _, x := range []ast.Expr{s.Key, s.Value} {
			if id, ok := x.(*ast.Ident); ok && id.Name != "_" {
				names = append(names, id.Name)
			}
		}
		if len(names) == 0 {
			return
		}
		copies := " " + strings.Join(names, ", ") + " := " + strings.Join(names, ", ") + ";"
		wrap(s.Body, copies, "", redeclared(s.Body, names))
	}

	threeClause := func(s *ast.ForStmt, label *ast.Ident) {
		init, ok := s.Init.(*ast.AssignStmt)
		if !ok || init.Tok != token.DEFINE || !inside(s) || t.info == nil || t.scope == nil {
			return
		}
		vars := map[gotypes.Object]string{}
		var names []string
		for _, x := range init.Lhs {
			id, ok := x.(*ast.Ident)
			if !ok || id.Name == "_" {
				continue
			}
			obj := t.info.Defs[id]
			if obj == nil {
				return
			}
			vars[obj] = id.Name
			names = append(names, id.Name)
		}
		if len(names) == 0 || !refersKept(s.Body, t.info, vars) {
			return
		}
		// Each continue of this loop, and whether its names are still
		// the loop's there.
		var conts []*ast.BranchStmt
		exact := true
		var walk func(n ast.Node, depth int)
		walk = func(n ast.Node, depth int) {
			ast.Inspect(n, func(c ast.Node) bool {
				switch c := c.(type) {
				case *ast.FuncLit:
					return false
				case *ast.ForStmt:
					if c != s {
						walk(c.Body, depth+1)
						return false
					}
				case *ast.RangeStmt:
					walk(c.Body, depth+1)
					return false
				case *ast.BranchStmt:
					if c.Tok != token.CONTINUE {
						return true
					}
					if c.Label == nil && depth == 0 || c.Label != nil && label != nil && c.Label.Name == label.Name {
						conts = append(conts, c)
						sc := t.scope(c.Pos())
						for obj, n := range vars {
							if sc == nil {
								exact = false
							} else if _, o := sc.LookupParent(n, c.Pos()); o != obj {
								exact = false
							}
						}
					}
				}
				return true
			})
		}
		walk(s.Body, 0)
		if !exact {
			return
		}
		hidden++
		var start, back []string
		for k, n := range names {
			p := name("_nbp") + strings.Repeat("_", k)
			start = append(start, p+" := &"+n+"; "+n+" := "+n+";")
			back = append(back, "*"+p+" = "+n+";")
		}
		wb := strings.Join(back, " ")
		wrap(s.Body, " "+strings.Join(start, " "), "; "+wb+" ", redeclared(s.Body, names))
		for _, c := range conts {
			edits = append(edits, edit{off(c.Pos()), off(c.End()), "{ " + wb + " " + text(c) + " }"})
		}
	}

	labels := map[ast.Stmt]*ast.Ident{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.LabeledStmt:
			labels[s.Stmt] = s.Label
		case *ast.RangeStmt:
			if _, ok := t.intType(s.X); ok {
				rangeInt(s)
			} else {
				rangeCopy(s)
			}
		case *ast.ForStmt:
			threeClause(s, labels[s])
		}
		return true
	})
	if len(edits) == 0 {
		return src, false
	}
	sort.SliceStable(edits, func(a, b int) bool { return edits[a].at < edits[b].at })
	var b strings.Builder
	at := 0
	for _, e := range edits {
		if e.at < at {
			return src, false // overlapping: cannot be
		}
		b.WriteString(src[at:e.at])
		b.WriteString(e.text)
		at = e.end
	}
	b.WriteString(src[at:])
	return b.String(), true
}

// intType reports whether x is an integer, and returns the name of its
// type ("int" for an untyped constant), or "" when it cannot name it (a
// type an earlier prompt declared).
func (t goTypes) intType(x ast.Expr) (string, bool) {
	if t.info != nil {
		if tv, ok := t.info.Types[x]; ok && tv.Type != nil && tv.Type != gotypes.Typ[gotypes.Invalid] {
			typ := gotypes.Default(tv.Type)
			b, ok := typ.Underlying().(*gotypes.Basic)
			if !ok || b.Info()&gotypes.IsInteger == 0 {
				return "", false
			}
			name := gotypes.TypeString(typ, func(p *gotypes.Package) string {
				if t.self != nil && p == t.self {
					return ""
				}
				switch as := t.imports[p.Path()]; as {
				case "":
					return p.Name()
				case ".":
					return ""
				default:
					return as
				}
			})
			return name, true
		}
	}
	// A name an earlier prompt declared, which go/types does not know,
	// or a call of a function it declared.
	if t.session == nil {
		return "", false
	}
	var typ reflect.Type
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		if t.info != nil && t.info.Uses[x] != nil {
			return "", false
		}
		if v, ok := t.session(x.Name); ok {
			typ = v.Type()
		}
	case *ast.CallExpr:
		id, ok := ast.Unparen(x.Fun).(*ast.Ident)
		if !ok || t.info != nil && t.info.Uses[id] != nil {
			return "", false
		}
		if v, ok := t.session(id.Name); ok && v.Kind() == reflect.Func && v.Type().NumOut() == 1 {
			typ = v.Type().Out(0)
		}
	}
	if typ == nil {
		return "", false
	}
	switch typ.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if typ.PkgPath() == "" && typ.Name() != "" {
			return typ.Name(), true
		}
		return "", true
	}
	return "", false
}

// keeps reports whether body has what can keep a loop's variable past
// its iteration: a func literal, a go statement, an &.
func keeps(body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			found = true
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND
		}
		return !found
	})
	return found
}

// refersKept reports whether body refers to one of vars in a func
// literal, a go statement's function or under &.
func refersKept(body ast.Node, info *gotypes.Info, vars map[gotypes.Object]string) bool {
	uses := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if _, ok := vars[info.Uses[id]]; ok {
					found = true
				}
			}
			return !found
		})
		return found
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			found = found || uses(n)
			return false
		case *ast.GoStmt:
			// Its arguments are evaluated before it starts; its method
			// value's receiver ("go i.m()") may be taken by address.
			found = found || uses(n.Call.Fun)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				found = found || uses(n.X)
			}
		}
		return !found
	})
	return found
}

// hasFuncLit reports whether n has a func literal.
func hasFuncLit(n ast.Node) bool { return has[*ast.FuncLit](n) }

// hasLoop reports whether f has a loop that modernLoops may rewrite: a
// range loop, or a three-clause loop that declares its variables.
func hasLoop(f ast.Node) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.RangeStmt:
			found = true
		case *ast.ForStmt:
			if a, ok := n.Init.(*ast.AssignStmt); ok && a.Tok == token.DEFINE {
				found = true
			}
		}
		return !found
	})
	return found
}
