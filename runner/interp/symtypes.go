package interp

import (
	"go/ast"
	"go/constant"
	"go/token"
	gotypes "go/types"
	"path"
	"reflect"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// symImporter gives go/types the packages that interpreted code imports,
// made from the interpreter's own symbol tables (reflect values of Go's
// compiled functions, variables, constants and types), so that the
// not-used check knows what an imported name gives: for _, f := range
// strings.Fields(s) with f unused is then refused, as the compiler
// refuses it (go/types counts a range's variables over a value it cannot
// type as used). A package the tables lack is an empty one
// (emptyImporter). It makes only the names a file uses (wantFrom), and
// the types they reach; a type it cannot describe leaves the package
// empty rather than stop the program.
type symImporter struct {
	keys  map[string]string // import path -> the tables' key ("net" -> "net/net")
	ex    interp.Exports
	pkgs  map[string]*gotypes.Package
	named map[reflect.Type]*gotypes.Named
	// want is, for each path the file being checked imports, the names
	// it uses from it (nil: all of them, for a dot import); all says
	// which packages have every name already.
	want map[string]map[string]bool
	all  map[string]bool
}

func newSymImporter(ex interp.Exports) *symImporter {
	keys := make(map[string]string, len(ex))
	for key := range ex {
		keys[path.Dir(key)] = key
	}
	return &symImporter{keys: keys, ex: ex, pkgs: map[string]*gotypes.Package{}, named: map[reflect.Type]*gotypes.Named{}, all: map[string]bool{}}
}

// wantFrom notes the names that f uses from each package it imports
// (net.Dial, net.Conn), so that Import makes those only: a package's
// every name, with the types they reach, would take a few milliseconds a
// run.
func (im *symImporter) wantFrom(f *ast.File) {
	im.want = map[string]map[string]bool{}
	local := map[string]string{} // the name a file calls a package by -> its path
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		} else if pkg, _ := (emptyImporter{}).Import(p); pkg != nil {
			name = pkg.Name()
		}
		switch name {
		case "_":
		case ".":
			im.want[p] = nil
		default:
			local[name] = p
			if _, ok := im.want[p]; !ok {
				im.want[p] = map[string]bool{}
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if p, ok := local[id.Name]; ok && im.want[p] != nil {
					im.want[p][sel.Sel.Name] = true
				}
			}
		}
		return true
	})
}

func (im *symImporter) Import(p string) (pkg *gotypes.Package, err error) {
	key, ok := im.keys[p]
	if !ok {
		return emptyImporter{}.Import(p)
	}
	defer func() {
		// A type it cannot describe must not stop the program from
		// running: the package is then an empty one.
		if r := recover(); r != nil {
			pkg, err = emptyImporter{}.Import(p)
		}
	}()
	pkg = im.pkg(p)
	// go/types drops a package that is not marked complete; names that a
	// later input wants (in the REPL) are added to it all the same.
	defer pkg.MarkComplete()
	syms := im.ex[key]
	names, some := im.want[p]
	if some && names != nil {
		for name := range names {
			if v, ok := syms[name]; ok {
				im.declare(pkg, name, v)
			}
		}
		return pkg, nil
	}
	if !im.all[p] {
		for name, v := range syms {
			im.declare(pkg, name, v)
		}
		im.all[p] = true
	}
	return pkg, nil
}

// declare puts name, v in the tables, in pkg's scope, if it is not there.
func (im *symImporter) declare(pkg *gotypes.Package, name string, v reflect.Value) {
	scope := pkg.Scope()
	if strings.HasPrefix(name, "_") || scope.Lookup(name) != nil || !v.IsValid() {
		return
	}
	var obj gotypes.Object
	switch {
	case v.CanAddr(): // a variable (the tables hold &x's Elem)
		obj = gotypes.NewVar(token.NoPos, pkg, name, im.typ(v.Type()))
	case v.Kind() == reflect.Pointer && v.IsNil(): // a type
		t := v.Type().Elem()
		typ := im.typ(t)
		if n, ok := typ.(*gotypes.Named); ok && n.Obj().Name() == name && n.Obj().Pkg() == pkg {
			return // made, and in the scope, with its type
		}
		obj = gotypes.NewTypeName(token.NoPos, pkg, name, typ) // an alias
	case v.Kind() == reflect.Func:
		obj = gotypes.NewFunc(token.NoPos, pkg, name, im.sig(v.Type(), nil))
	default: // a constant
		if c, ok := v.Interface().(constant.Value); ok {
			k, ok := untypedKinds[c.Kind()]
			if !ok {
				return
			}
			obj = gotypes.NewConst(token.NoPos, pkg, name, gotypes.Typ[k], c)
			break
		}
		c := constOf(v)
		if c == nil {
			return
		}
		obj = gotypes.NewConst(token.NoPos, pkg, name, im.typ(v.Type()), c)
	}
	scope.Insert(obj)
}

var untypedKinds = map[constant.Kind]gotypes.BasicKind{constant.Bool: gotypes.UntypedBool, constant.String: gotypes.UntypedString,
	constant.Int: gotypes.UntypedInt, constant.Float: gotypes.UntypedFloat, constant.Complex: gotypes.UntypedComplex}

// constOf is a typed constant's value.
func constOf(v reflect.Value) constant.Value {
	switch {
	case v.CanInt():
		return constant.MakeInt64(v.Int())
	case v.CanUint():
		return constant.MakeUint64(v.Uint())
	case v.CanFloat():
		return constant.MakeFloat64(v.Float())
	case v.Kind() == reflect.String:
		return constant.MakeString(v.String())
	case v.Kind() == reflect.Bool:
		return constant.MakeBool(v.Bool())
	}
	return nil
}

// pkg is the package of path p, made empty the first time.
func (im *symImporter) pkg(p string) *gotypes.Package {
	if pkg, ok := im.pkgs[p]; ok {
		return pkg
	}
	pkg, _ := emptyImporter{}.Import(p)
	pkg = gotypes.NewPackage(p, pkg.Name()) // not yet complete
	im.pkgs[p] = pkg
	return pkg
}

// typ is t as go/types has it.
func (im *symImporter) typ(t reflect.Type) gotypes.Type {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			if o := gotypes.Universe.Lookup(t.Name()); o != nil {
				return o.Type()
			}
			return gotypes.Typ[gotypes.Invalid]
		}
		if strings.Contains(t.Name(), "[") {
			return gotypes.Typ[gotypes.Invalid] // an instance of a generic type
		}
		return im.namedType(t)
	}
	return im.under(t)
}

// namedType is a named type of Go's, with its methods.
func (im *symImporter) namedType(t reflect.Type) *gotypes.Named {
	if n, ok := im.named[t]; ok {
		return n
	}
	pkg := im.pkg(t.PkgPath())
	obj := gotypes.NewTypeName(token.NoPos, pkg, t.Name(), nil)
	n := gotypes.NewNamed(obj, nil, nil)
	im.named[t] = n
	if pkg.Scope().Lookup(t.Name()) == nil {
		pkg.Scope().Insert(obj)
	}
	n.SetUnderlying(im.under(t))
	if t.Kind() != reflect.Interface {
		values := map[string]bool{}
		for i := range t.NumMethod() {
			m := t.Method(i)
			values[m.Name] = true
			n.AddMethod(gotypes.NewFunc(token.NoPos, pkg, m.Name, im.sig(m.Type, gotypes.NewVar(token.NoPos, pkg, "", n))))
		}
		pt := reflect.PointerTo(t)
		for i := range pt.NumMethod() {
			if m := pt.Method(i); !values[m.Name] {
				n.AddMethod(gotypes.NewFunc(token.NoPos, pkg, m.Name, im.sig(m.Type, gotypes.NewVar(token.NoPos, pkg, "", gotypes.NewPointer(n)))))
			}
		}
	}
	return n
}

// under is t's structure, its name aside.
func (im *symImporter) under(t reflect.Type) gotypes.Type {
	switch t.Kind() {
	case reflect.Pointer:
		return gotypes.NewPointer(im.typ(t.Elem()))
	case reflect.Slice:
		return gotypes.NewSlice(im.typ(t.Elem()))
	case reflect.Array:
		return gotypes.NewArray(im.typ(t.Elem()), int64(t.Len()))
	case reflect.Map:
		return gotypes.NewMap(im.typ(t.Key()), im.typ(t.Elem()))
	case reflect.Chan:
		dir := map[reflect.ChanDir]gotypes.ChanDir{reflect.BothDir: gotypes.SendRecv, reflect.RecvDir: gotypes.RecvOnly, reflect.SendDir: gotypes.SendOnly}[t.ChanDir()]
		return gotypes.NewChan(dir, im.typ(t.Elem()))
	case reflect.Func:
		return im.sig(t, nil)
	case reflect.Struct:
		fields := make([]*gotypes.Var, t.NumField())
		for i := range fields {
			f := t.Field(i)
			pkg := im.pkg(t.PkgPath())
			if f.PkgPath != "" {
				pkg = im.pkg(f.PkgPath)
			}
			fields[i] = gotypes.NewField(token.NoPos, pkg, f.Name, im.typ(f.Type), f.Anonymous)
		}
		return gotypes.NewStruct(fields, nil)
	case reflect.Interface:
		var ms []*gotypes.Func
		for i := range t.NumMethod() {
			m := t.Method(i)
			ms = append(ms, gotypes.NewFunc(token.NoPos, im.pkg(t.PkgPath()), m.Name, im.sig(m.Type, nil)))
		}
		return gotypes.NewInterfaceType(ms, nil).Complete()
	case reflect.UnsafePointer:
		return gotypes.Typ[gotypes.UnsafePointer]
	}
	if b := basicKinds[t.Kind()]; b != 0 {
		return gotypes.Typ[b]
	}
	return gotypes.Typ[gotypes.Invalid]
}

var basicKinds = map[reflect.Kind]gotypes.BasicKind{
	reflect.Bool: gotypes.Bool, reflect.Int: gotypes.Int, reflect.Int8: gotypes.Int8, reflect.Int16: gotypes.Int16,
	reflect.Int32: gotypes.Int32, reflect.Int64: gotypes.Int64, reflect.Uint: gotypes.Uint, reflect.Uint8: gotypes.Uint8,
	reflect.Uint16: gotypes.Uint16, reflect.Uint32: gotypes.Uint32, reflect.Uint64: gotypes.Uint64, reflect.Uintptr: gotypes.Uintptr,
	reflect.Float32: gotypes.Float32, reflect.Float64: gotypes.Float64, reflect.Complex64: gotypes.Complex64,
	reflect.Complex128: gotypes.Complex128, reflect.String: gotypes.String,
}

// sig is the func type t as a signature; a method's (recv not nil) without
// the receiver that reflect gives as its first parameter.
func (im *symImporter) sig(t reflect.Type, recv *gotypes.Var) *gotypes.Signature {
	first := 0
	if recv != nil {
		first = 1
	}
	var params, results []*gotypes.Var
	for i := first; i < t.NumIn(); i++ {
		params = append(params, gotypes.NewParam(token.NoPos, nil, "", im.typ(t.In(i))))
	}
	for i := range t.NumOut() {
		results = append(results, gotypes.NewParam(token.NoPos, nil, "", im.typ(t.Out(i))))
	}
	return gotypes.NewSignatureType(recv, nil, nil, gotypes.NewTuple(params...), gotypes.NewTuple(results...), t.IsVariadic())
}
