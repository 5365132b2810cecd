// Package netcode holds what netbook's analyzers share: how to recognise a
// connection, a listener or a stream in the type checker's terms, how to
// name an expression so two mentions of one connection compare equal, the
// shape of a server (its accept loops and the goroutines they start), and
// each lab's contract.
package netcode

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// Named reports whether t (or what t points to) is the named type
// pkgPath.name.
func Named(t types.Type, pkgPath, name string) bool {
	if t == nil {
		return false
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkgPath
}

// lookupIface finds the interface pkgPath.name among the packages pkg
// imports, directly or not. It returns nil when pkg cannot see it, in which
// case no value in pkg can be of that type through pkg's own imports.
func lookupIface(pkg *types.Package, pkgPath, name string) *types.Interface {
	seen := map[*types.Package]bool{}
	var find func(p *types.Package) *types.Package
	find = func(p *types.Package) *types.Package {
		if p == nil || seen[p] {
			return nil
		}
		seen[p] = true
		if p.Path() == pkgPath {
			return p
		}
		for _, q := range p.Imports() {
			if r := find(q); r != nil {
				return r
			}
		}
		return nil
	}
	p := find(pkg)
	if p == nil {
		return nil
	}
	obj := p.Scope().Lookup(name)
	if obj == nil {
		return nil
	}
	iface, _ := obj.Type().Underlying().(*types.Interface)
	return iface
}

// Types answers type questions for one package.
type Types struct {
	pkg      *types.Package
	conn     *types.Interface
	listener *types.Interface
	packet   *types.Interface
	reader   *types.Interface
	writer   *types.Interface
}

// NewTypes prepares type questions for pkg.
func NewTypes(pkg *types.Package) *Types {
	return &Types{
		pkg:      pkg,
		conn:     lookupIface(pkg, "net", "Conn"),
		listener: lookupIface(pkg, "net", "Listener"),
		packet:   lookupIface(pkg, "net", "PacketConn"),
		reader:   lookupIface(pkg, "io", "Reader"),
		writer:   lookupIface(pkg, "io", "Writer"),
	}
}

func implements(t types.Type, iface *types.Interface) bool {
	if t == nil || iface == nil {
		return false
	}
	if types.Implements(t, iface) {
		return true
	}
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && !types.IsInterface(t) {
		return types.Implements(types.NewPointer(t), iface)
	}
	return false
}

// IsConn reports whether t is a connection: net.Conn, or a type that
// implements it (*net.TCPConn, *tls.Conn, a wrapper of the student's own).
func (ts *Types) IsConn(t types.Type) bool {
	return implements(t, ts.conn)
}

// IsDatagram reports whether t is a datagram socket: a net.PacketConn, or
// *net.UDPConn, *net.IPConn, *net.UnixConn (which may be either).
func (ts *Types) IsDatagram(t types.Type) bool {
	if Named(t, "net", "UDPConn") || Named(t, "net", "IPConn") || Named(t, "net", "UnixConn") {
		return true
	}
	return Named(t, "net", "PacketConn")
}

// IsListener reports whether t is a net.Listener or implements it.
func (ts *Types) IsListener(t types.Type) bool {
	return implements(t, ts.listener)
}

// IsPacketConn reports whether t is a net.PacketConn or implements it.
func (ts *Types) IsPacketConn(t types.Type) bool {
	return implements(t, ts.packet)
}

// IsWriter reports whether t implements io.Writer.
func (ts *Types) IsWriter(t types.Type) bool {
	return implements(t, ts.writer)
}

// IsReader reports whether t implements io.Reader.
func (ts *Types) IsReader(t types.Type) bool {
	return implements(t, ts.reader)
}

// IsStream reports whether a Read on a value of type t may return fewer
// bytes than a whole message: a stream connection, a bufio.Reader, or an
// io.Reader interface whose dynamic type is unknown (the io.Reader
// contract allows any short read). Concrete in-memory readers
// (bytes.Reader, strings.Reader) are not streams here.
func (ts *Types) IsStream(t types.Type) bool {
	if t == nil {
		return false
	}
	if ts.IsDatagram(t) {
		return false
	}
	if types.IsInterface(t) {
		return ts.IsReader(t) // io.Reader, io.ReadCloser, net.Conn, ...
	}
	return ts.IsConn(t) || Named(t, "bufio", "Reader")
}

// MethodCall returns the receiver and method name of a call x.M(...)
// that calls a method (not a function in a package, not a field of func
// type).
func MethodCall(info *types.Info, call *ast.CallExpr) (recv ast.Expr, fn *types.Func) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil
	}
	s := info.Selections[sel]
	if s == nil || (s.Kind() != types.MethodVal) {
		return nil, nil
	}
	f, _ := s.Obj().(*types.Func)
	return sel.X, f
}

// Callee returns the function or method a call calls, when it is known
// statically (nil for calls of function values and interface methods).
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	return typeutil.StaticCallee(info, call)
}

// AnyCallee returns the function a call names, interface methods included.
func AnyCallee(info *types.Info, call *ast.CallExpr) *types.Func {
	f, _ := typeutil.Callee(info, call).(*types.Func)
	return f
}

// IsPkgFunc reports whether call calls the package-level function
// pkgPath.name (one of names, if several are given).
func IsPkgFunc(info *types.Info, call *ast.CallExpr, pkgPath string, names ...string) bool {
	f := Callee(info, call)
	if f == nil || f.Pkg() == nil || f.Pkg().Path() != pkgPath {
		return false
	}
	if sig, ok := f.Type().(*types.Signature); ok && sig.Recv() != nil {
		return false
	}
	for _, n := range names {
		if f.Name() == n {
			return true
		}
	}
	return len(names) == 0
}

// IsMethod reports whether call calls a method named one of names whose
// receiver is a pkgPath.typeName (pointer or not). An empty typeName
// matches any receiver type of that package.
func IsMethod(info *types.Info, call *ast.CallExpr, pkgPath, typeName string, names ...string) bool {
	f := AnyCallee(info, call)
	if f == nil {
		return false
	}
	sig, ok := f.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	match := false
	for _, n := range names {
		if f.Name() == n {
			match = true
		}
	}
	if !match {
		return false
	}
	rt := sig.Recv().Type()
	if p, ok := rt.(*types.Pointer); ok {
		rt = p.Elem()
	}
	var obj *types.TypeName
	switch t := types.Unalias(rt).(type) {
	case *types.Named:
		obj = t.Obj()
	default:
		// an interface method: the receiver is the interface itself
		return false
	}
	if obj.Pkg() == nil || obj.Pkg().Path() != pkgPath {
		return false
	}
	return typeName == "" || obj.Name() == typeName
}

// IsSleep reports whether call is time.Sleep.
func IsSleep(info *types.Info, call *ast.CallExpr) bool {
	return IsPkgFunc(info, call, "time", "Sleep")
}

// IsStdlib reports whether a package path belongs to the standard library.
func IsStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// IsLock reports whether call locks a sync.Mutex or sync.RWMutex for
// writing (Lock), and whether it is a read lock (RLock).
func IsLock(info *types.Info, call *ast.CallExpr) (lock, read bool) {
	if IsMethod(info, call, "sync", "Mutex", "Lock") || IsMethod(info, call, "sync", "RWMutex", "Lock") {
		return true, false
	}
	if IsMethod(info, call, "sync", "RWMutex", "RLock") {
		return true, true
	}
	// A Lock promoted from an embedded mutex, or through sync.Locker.
	if recv, fn := MethodCall(info, call); recv != nil && fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "sync" {
		switch fn.Name() {
		case "Lock":
			return true, false
		case "RLock":
			return true, true
		}
	}
	return false, false
}
