package interp

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	gotypes "go/types"
	"sort"
	"strconv"
	"strings"
)

// The interpreter (yaegi v0.16.1) runs a program that the Go compiler
// refuses because it declares a variable or imports a package that it
// never uses: an edited snippet with one would run, and show a tick in the
// web book, and then fail with go build. Unused and the REPL's check
// type-check the source with go/types first and report what the compiler
// would, in its words ("declared and not used: x", "\"os\" imported and not
// used", "label L declared and not used").
//
// The interpreter has no compiled packages to import (a sandboxed child
// has no Go toolchain and cannot read GOROOT; type-checking net from
// source takes seconds, and gc export data needs the go command), so a
// run and the REPL describe each imported package to go/types from the
// interpreter's own symbol tables (symImporter: the names a file uses, a
// few tenths of a millisecond a run). Unused on its own, and a package the
// tables lack, gets an empty package, every name of which is undefined to
// go/types, which is ignored. Only the "not used" errors are kept, and
// go/types does not give them where they could be wrong: it reports a
// variable never used whatever its type (so err in c, err := net.Dial(...)
// is caught even with an empty net), but counts as used the variables of
// a range over a value it cannot type (for _, f := range
// strings.Fields(s), which the tables' types catch); an argument of a
// call to an undefined function still counts as a use.

// notUsed reports whether msg is one of go/types' errors for something
// declared and never used, which the Go compiler refuses.
func notUsed(msg string) bool {
	name, typeSwitch := strings.CutSuffix(msg, " declared and not used") // "v declared and not used": a type switch's v
	return strings.HasPrefix(msg, "declared and not used") || importNotUsed(msg) ||
		strings.HasPrefix(msg, "label ") && strings.HasSuffix(msg, " declared and not used") ||
		typeSwitch && token.IsIdentifier(name)
}

// importNotUsed reports whether msg is go/types' error for an unused
// import: "\"os\" imported and not used", "\"math/rand/v2\" imported as
// rand and not used".
func importNotUsed(msg string) bool {
	return strings.HasPrefix(msg, `"`) && strings.Contains(msg, " imported ") && strings.HasSuffix(msg, " and not used")
}

// emptyImporter imports every path as an empty package named as the last
// element of its path (without a /vN suffix).
type emptyImporter struct{}

func (emptyImporter) Import(path string) (*gotypes.Package, error) {
	name := path[strings.LastIndex(path, "/")+1:]
	if len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" && strings.Contains(path, "/") {
		rest := path[:strings.LastIndex(path, "/")]
		name = rest[strings.LastIndex(rest, "/")+1:]
	}
	p := gotypes.NewPackage(path, name)
	p.MarkComplete()
	return p, nil
}

// unusedIn type-checks f and returns go/types' "not used" errors, in the
// order of their positions; keep filters them further (nil keeps all).
func unusedIn(fset *token.FileSet, f *ast.File, imp gotypes.Importer, keep func(gotypes.Error, *gotypes.Info) bool) []gotypes.Error {
	if w, ok := imp.(interface{ wantFrom(*ast.File) }); ok {
		w.wantFrom(f)
	}
	var found []gotypes.Error
	info := &gotypes.Info{Defs: map[*ast.Ident]gotypes.Object{}, Scopes: map[ast.Node]*gotypes.Scope{}}
	conf := gotypes.Config{
		Importer: imp,
		Error: func(err error) {
			var te gotypes.Error
			if errors.As(err, &te) && notUsed(te.Msg) && (keep == nil || keep(te, info)) {
				found = append(found, te)
			}
		},
	}
	conf.Check(f.Name.Name, fset, []*ast.File{f}, info)
	// A dot import of an empty package is never used: only the compiler,
	// with the real package, can tell.
	dots := map[token.Pos]bool{}
	for _, im := range f.Imports {
		if im.Name != nil && im.Name.Name == "." {
			dots[im.Pos()] = true
		}
	}
	kept := found[:0]
	for _, e := range found {
		if !dots[e.Pos] {
			kept = append(kept, e)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Pos < kept[j].Pos })
	return kept
}

// Unused reports, as the Go compiler would, the variables, imports and
// labels that the program in file (its source src) declares and never
// uses: one "file:line:col: message" a line, or nil when there are none or
// the source does not parse (the interpreter then reports that).
func Unused(file, src string) error { return unusedWith(file, src, emptyImporter{}) }

// unusedWith is Unused with the packages that imp gives.
func unusedWith(file, src string, imp gotypes.Importer) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	found := unusedIn(fset, f, imp, nil)
	if len(found) == 0 {
		return nil
	}
	lines := make([]string, len(found))
	for i, e := range found {
		lines[i] = position(fset, e.Pos) + ": " + e.Msg
	}
	return errors.New(strings.Join(lines, "\n"))
}

// unusedInput is Unused for one REPL input: a line that declares a
// variable at the prompt (x := 1) or imports a package keeps it for the
// lines that follow, so only what a function declares and does not use is
// refused, as the compiler would. imports are the session's (local name
// -> path), whose packages imp gives. It returns the line of src (1 for the
// first) of the first one, and the errors without positions, one a line.
func unusedInput(src string, imp gotypes.Importer, imports map[string]string) (int, error) {
	// The session's imports, on the package clause's line: either way,
	// src starts on the second line.
	head := "package main"
	names := make([]string, 0, len(imports))
	for name := range imports {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		head += "; import " + name + " " + strconv.Quote(imports[name])
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", head+"\n"+src, parser.SkipObjectResolution)
	wrapped := false
	if err != nil {
		f, err = parser.ParseFile(fset, "", head+"; func _() {\n"+src+"\n}", parser.SkipObjectResolution)
		if err != nil {
			return 0, nil
		}
		wrapped = true
	}
	// The statements' own scope, when src is statements: what is
	// declared there belongs to the session.
	var top *ast.FuncType
	if wrapped {
		top = f.Decls[len(f.Decls)-1].(*ast.FuncDecl).Type
	}
	found := unusedIn(fset, f, imp, func(e gotypes.Error, info *gotypes.Info) bool {
		if importNotUsed(e.Msg) {
			return false
		}
		if top == nil {
			return true
		}
		for id, obj := range info.Defs {
			if id.Pos() == e.Pos && obj != nil {
				return obj.Parent() != info.Scopes[top]
			}
		}
		return true
	})
	if len(found) == 0 {
		return 0, nil
	}
	msgs := make([]string, len(found))
	for i, e := range found {
		msgs[i] = e.Msg
	}
	return fset.Position(found[0].Pos).Line - 1, errors.New(strings.Join(msgs, "\n"))
}
