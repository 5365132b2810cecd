package interpbin

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// A definition is an input of the REPL that ran and defined something: an
// import, a type, a function, a constant or a variable. When the
// interpreter is restarted, the definitions are replayed into the new one,
// silently and in order, except those whose values came from calls: a
// call may have done something (listened, dialed, printed) that must not
// happen twice, so what it made is lost, and the REPL says so.
type definition struct {
	src    string
	names  []string // what it defines: "x", "twice", `import "strings"`
	replay bool     // no calls run when it is evaluated
	// funcValues are the variables it gives a func literal: the
	// interpreter stops running those once an evaluation is interrupted.
	funcValues []string
}

// classify says what src defines, and whether it may be replayed. ok is
// false for an input that defines nothing (an expression, a loop, a go
// statement).
func classify(src string) (d definition, ok bool) {
	d = definition{src: src, replay: true}
	fset := token.NewFileSet()
	if f, err := parser.ParseFile(fset, "", "package main\n"+src, parser.SkipObjectResolution); err == nil {
		for _, decl := range f.Decls {
			d.addDecl(decl)
		}
		return d, len(d.names) > 0
	}
	f, err := parser.ParseFile(fset, "", "package p; func _() {\n"+src+"\n}", parser.SkipObjectResolution)
	if err != nil {
		return d, false
	}
	for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
		switch st := st.(type) {
		case *ast.DeclStmt:
			d.addDecl(st.Decl)
		case *ast.AssignStmt:
			var names []string
			for _, x := range st.Lhs {
				if id, ok := x.(*ast.Ident); ok && id.Name != "_" {
					names = append(names, id.Name)
				}
			}
			d.addValues(names, st.Rhs)
		default:
			// A statement that defines nothing, run along with
			// definitions ("x := 1; fmt.Println(x)"): replaying it would
			// run it again.
			d.replay = false
		}
	}
	return d, len(d.names) > 0
}

func (d *definition) addDecl(decl ast.Decl) {
	switch decl := decl.(type) {
	case *ast.FuncDecl:
		name := decl.Name.Name
		if decl.Recv != nil && len(decl.Recv.List) > 0 {
			name = typeName(decl.Recv.List[0].Type) + "." + name
		}
		d.names = append(d.names, name)
	case *ast.GenDecl:
		for _, spec := range decl.Specs {
			switch spec := spec.(type) {
			case *ast.ImportSpec:
				p, _ := strconv.Unquote(spec.Path.Value)
				d.names = append(d.names, "import "+strconv.Quote(p))
			case *ast.TypeSpec:
				d.names = append(d.names, spec.Name.Name)
			case *ast.ValueSpec:
				var names []string
				for _, n := range spec.Names {
					if n.Name != "_" {
						names = append(names, n.Name)
					}
				}
				d.addValues(names, spec.Values)
			}
		}
	}
}

// addValues adds variables given values: replayable if no value calls
// anything, func values if a value holds a func literal.
func (d *definition) addValues(names []string, values []ast.Expr) {
	d.names = append(d.names, names...)
	for _, v := range values {
		d.replay = d.replay && !calls(v)
		if holdsFuncLit(v) {
			d.funcValues = append(d.funcValues, names...)
		}
	}
}

func holdsFuncLit(x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		_, lit := n.(*ast.FuncLit)
		found = found || lit
		return !found
	})
	return found
}

func typeName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.StarExpr:
		return typeName(x.X)
	case *ast.IndexExpr:
		return typeName(x.X)
	case *ast.IndexListExpr:
		return typeName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return "?"
}

// pure are the builtins and conversions a replayed definition may call:
// they do nothing but compute.
var pure = map[string]bool{
	"make": true, "new": true, "len": true, "cap": true, "append": true, "complex": true,
	"real": true, "imag": true, "min": true, "max": true,
	"bool": true, "string": true, "int": true, "int8": true, "int16": true, "int32": true,
	"int64": true, "uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"uintptr": true, "byte": true, "rune": true, "float32": true, "float64": true,
	"complex64": true, "complex128": true,
}

// calls reports whether evaluating x calls a function (other than a pure
// builtin or conversion). The body of a function literal does not run
// when it is defined.
func calls(x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); !ok || !pure[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// summary says what a restart kept and lost.
func summary(kept, lost []definition) string {
	names := func(ds []definition) string {
		var l []string
		seen := map[string]bool{}
		for _, d := range ds {
			for _, n := range d.names {
				if !seen[n] {
					seen[n] = true
					l = append(l, n)
				}
			}
		}
		return strings.Join(l, ", ")
	}
	var b strings.Builder
	switch {
	case len(kept) == 0 && len(lost) == 0:
		b.WriteString("Nothing had been defined, so nothing is lost.\n")
	case len(lost) == 0:
		b.WriteString("Kept, replayed into it: " + names(kept) + ".\n")
	default:
		if len(kept) > 0 {
			b.WriteString("Kept, replayed into it: " + names(kept) + ".\n")
		}
		b.WriteString("Lost: " + names(lost) + " (made by calls, which a restart does not run again, or built on them): define them again.\n")
	}
	return b.String()
}
