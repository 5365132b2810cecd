package netcode

import (
	"fmt"
	"go/ast"
	"go/types"
)

// Key names the storage an expression denotes, so that two mentions of
// one connection compare equal: "conn" (a variable), "c.conn" (a field
// reached from a variable), "s.c.conn". Variables are told apart by their
// declaration, not only their name. Key returns "" for anything else (a
// call, an index, a literal).
func Key(info *types.Info, e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := info.ObjectOf(e)
		if obj == nil {
			return ""
		}
		if _, ok := obj.(*types.Var); !ok {
			return ""
		}
		return fmt.Sprintf("%s@%d", obj.Name(), obj.Pos())
	case *ast.SelectorExpr:
		sel := info.Selections[e]
		if sel == nil || sel.Kind() != types.FieldVal {
			// a package-level variable: pkg.Var
			if obj, ok := info.Uses[e.Sel].(*types.Var); ok && sel == nil {
				return fmt.Sprintf("%s@%d", obj.Name(), obj.Pos())
			}
			return ""
		}
		base := Key(info, e.X)
		if base == "" {
			return ""
		}
		return base + "." + e.Sel.Name
	case *ast.StarExpr:
		return Key(info, e.X)
	case *ast.TypeAssertExpr:
		// conn.(*net.TCPConn) is still conn
		return Key(info, e.X)
	}
	return ""
}

// Root returns the variable at the root of an expression built of
// selectors, index expressions and dereferences: c for c.conn, m for
// m[k], s for s[i].f, and the package-level variable for pkg.V. It
// returns nil when the root is not a variable.
func Root(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, _ := info.ObjectOf(x).(*types.Var)
			return v
		case *ast.SelectorExpr:
			if sel := info.Selections[x]; sel == nil {
				// pkg.Var
				v, _ := info.Uses[x.Sel].(*types.Var)
				return v
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// Uses reports whether node mentions the object obj anywhere.
func Uses(info *types.Info, node ast.Node, obj types.Object) bool {
	if node == nil || obj == nil {
		return false
	}
	found := false
	ast.Inspect(node, func(n ast.Node) bool {
		if found {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && info.ObjectOf(id) == obj {
			found = true
		}
		return true
	})
	return found
}

// Mentions reports whether node contains an expression whose Key is key.
func Mentions(info *types.Info, node ast.Node, key string) bool {
	if node == nil || key == "" {
		return false
	}
	found := false
	ast.Inspect(node, func(n ast.Node) bool {
		if found {
			return false
		}
		if e, ok := n.(ast.Expr); ok && Key(info, e) == key {
			found = true
			return false
		}
		return true
	})
	return found
}
