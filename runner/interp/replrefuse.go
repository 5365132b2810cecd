package interp

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// Two things the interpreter (yaegi v0.16.1) gets wrong at the prompt, in
// its own REPL too, since they come from how it evaluates one input after
// another, which is how netbook's REPL feeds it (plain yaegi does the same
// given the same lines). The REPL refuses them before anything runs, and
// says what to write instead:
//
//   - A defer outside any function: yaegi keeps the deferred call on its
//     session's frame and runs it after the input, and again after every
//     input that follows. In Go, defer belongs in a function.
//   - var NAME = VALUE where VALUE names a variable that an earlier input
//     declared: yaegi orders a var declaration's values by the variables
//     they use among those declared in the same input only, so an earlier
//     one is never ready and it fails with "variable definition loop",
//     leaving NAME half-made (a zero value, or a nil func that panics when
//     called). Any name counts, as it does for yaegi: a parameter or a
//     field's key in VALUE with the variable's name too. NAME := VALUE
//     does not go through that ordering and works.

// topDefer returns the first defer statement of src (statements at the
// prompt) that no func literal holds, or nil.
func topDefer(src string) (*token.FileSet, *ast.DeferStmt) {
	const head = "package p; func _() {\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", head+src+"\n}", parser.SkipObjectResolution)
	if err != nil {
		return nil, nil
	}
	var found *ast.DeferStmt
	ast.Inspect(f.Decls[0].(*ast.FuncDecl).Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if found == nil {
				found = n
			}
			return false
		}
		return found == nil
	})
	return fset, found
}

// deferRefusal is the REPL's error for a defer at the prompt, on lines
// that fit a terminal, and the line of src it is on (1 for the first), or
// "" when src has none.
func deferRefusal(src string) (int, string) {
	fset, d := topDefer(src)
	if d == nil {
		return 0, ""
	}
	start, end := fset.Position(d.Call.Pos()).Offset, fset.Position(d.Call.End()).Offset
	const head = len("package p; func _() {\n")
	call := "the call"
	if start >= head && end-head <= len(src) && start < end {
		call = src[start-head : end-head]
	}
	return fset.Position(d.Pos()).Line - 1, fmt.Sprintf("defer needs a function to return from, and a line at the prompt is in none:\n"+
		"the interpreter would run %s now and after each later line.\n"+
		"Call it yourself when you are done, or use defer inside a func.", call)
}

// varRefusal is the REPL's error for a var declaration of src whose value
// names a variable that an earlier input declared (vars), and the line of
// src it is on (1 for the first); "" when there is none.
func varRefusal(src string, vars map[string]bool) (int, string) {
	if len(vars) == 0 {
		return 0, ""
	}
	in, ok := parseInput(src)
	if !ok {
		return 0, ""
	}
	fset, head := in.fset, in.head
	var decls []*ast.GenDecl
	if in.body == nil {
		for _, d := range in.file.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
				decls = append(decls, g)
			}
		}
	} else {
		for _, st := range in.body {
			if ds, ok := st.(*ast.DeclStmt); ok {
				if g, ok := ds.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
					decls = append(decls, g)
				}
			}
		}
	}
	text := func(n ast.Node) string {
		s, e := fset.Position(n.Pos()).Offset-len(head), fset.Position(n.End()).Offset-len(head)
		if s < 0 || e > len(src) || s > e {
			return ""
		}
		return src[s:e]
	}
	for _, g := range decls {
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			used := ""
			for _, v := range vs.Values {
				if used = usesVar(v, vars); used != "" {
					break
				}
			}
			if used == "" {
				continue
			}
			names := make([]string, len(vs.Names))
			for i, n := range vs.Names {
				names[i] = n.Name
			}
			values := make([]string, len(vs.Values))
			for i, v := range vs.Values {
				values[i] = text(v)
			}
			instead := strings.Join(names, ", ") + " := " + strings.Join(values, ", ")
			if vs.Type != nil {
				// Two lines: an input that starts with var is read as declarations only.
				instead = "var " + strings.Join(names, ", ") + " " + text(vs.Type) + "\n  " + strings.Join(names, ", ") + " = " + strings.Join(values, ", ")
			}
			return fset.Position(vs.Pos()).Line - 1, fmt.Sprintf("var %s = ... uses %s from an earlier line, which the interpreter cannot do\n"+
				"(it fails with \"variable definition loop\"). Write instead:\n  %s", strings.Join(names, ", "), used, instead)
		}
	}
	return 0, ""
}

// usesVar returns the first name in x that is one of vars, as the
// interpreter looks names up there (any name but a selector's), or "".
func usesVar(x ast.Expr, vars map[string]bool) string {
	found := ""
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && found == "" && vars[id.Name] {
					found = id.Name
				}
				return found == ""
			})
			return false
		case *ast.Ident:
			if found == "" && vars[n.Name] {
				found = n.Name
			}
		}
		return found == ""
	})
	return found
}

// declaredVars records in vars the variables that src, an input that ran,
// declares at the prompt (x := 1, var y int), and forgets the names it
// declares as something else (a func, a type, a constant).
func declaredVars(src string, vars map[string]bool) {
	in, ok := parseInput(src)
	if !ok {
		return
	}
	gen := func(g *ast.GenDecl) {
		for _, sp := range g.Specs {
			switch sp := sp.(type) {
			case *ast.ValueSpec:
				for _, n := range sp.Names {
					vars[n.Name] = g.Tok == token.VAR
				}
			case *ast.TypeSpec:
				vars[sp.Name.Name] = false
			}
		}
	}
	if in.body == nil {
		for _, d := range in.file.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				gen(d)
			case *ast.FuncDecl:
				if d.Recv == nil {
					vars[d.Name.Name] = false
				}
			}
		}
		return
	}
	for _, st := range in.body {
		switch st := st.(type) {
		case *ast.DeclStmt:
			if g, ok := st.Decl.(*ast.GenDecl); ok {
				gen(g)
			}
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, l := range st.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
						vars[id.Name] = true
					}
				}
			}
		}
	}
}

// parsedInput is an input at the prompt parsed as Go: a file's
// declarations when it is that, else the statements of a function's body.
type parsedInput struct {
	fset *token.FileSet
	file *ast.File
	head string     // what went before the input to parse it: offsets in fset are len(head) past the input's
	body []ast.Stmt // the statements, when the input parsed as a body; nil for declarations
}

// parseInput parses src as declarations, or failing that as statements;
// ok is false when it is neither.
func parseInput(src string) (in parsedInput, ok bool) {
	const file, body = "package p\n", "package p; func _() {\n"
	fset := token.NewFileSet()
	if f, err := parser.ParseFile(fset, "", file+src, parser.SkipObjectResolution); err == nil {
		return parsedInput{fset: fset, file: f, head: file}, true
	}
	fset = token.NewFileSet()
	f, err := parser.ParseFile(fset, "", body+src+"\n}", parser.SkipObjectResolution)
	if err != nil {
		return parsedInput{}, false
	}
	return parsedInput{fset: fset, file: f, head: body, body: f.Decls[0].(*ast.FuncDecl).Body.List}, true
}

// withoutKnownImports returns src with the imports the session has
// already (names: local name to path, the preamble's fmt among them) left
// out, blanked so that every line keeps its number and column: importing
// fmt again at the prompt is a natural thing to type, which Go would take
// and yaegi refuses ("fmt/_.go redeclared in this block"). A declaration
// whose every import is known goes whole; one in parentheses keeps those
// that are new. An import of a known name from another path is left for
// the interpreter to refuse, as Go would.
func withoutKnownImports(src string, names map[string]string) string {
	in, ok := parseInput(src)
	if !ok || in.body != nil {
		return src
	}
	known := func(spec *ast.ImportSpec) bool {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return false
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if spec.Name != nil {
			name = spec.Name.Name
		}
		return names[name] == p
	}
	off := func(p token.Pos) int { return in.fset.Position(p).Offset - len(in.head) }
	out := []byte(src)
	blank := func(from, to token.Pos) {
		for i := off(from); i < off(to); i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	for _, d := range in.file.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		all := true
		for _, s := range g.Specs {
			all = all && known(s.(*ast.ImportSpec))
		}
		switch {
		case all:
			blank(g.Pos(), g.End())
		case g.Lparen.IsValid():
			for _, s := range g.Specs {
				if known(s.(*ast.ImportSpec)) {
					blank(s.Pos(), s.End())
				}
			}
		}
	}
	return string(out)
}
