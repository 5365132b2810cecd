package lang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every message of the catalogue is used by the runner: a message nothing
// prints is a translation nobody reads (and a sign that the English moved
// back into the code).
func TestEveryMessageIsUsed(t *testing.T) {
	fset := token.NewFileSet()
	cat, err := parser.ParseFile(fset, "catalog.go", nil, 0)
	require.NoError(t, err)
	var names []string
	for _, d := range cat.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					names = append(names, n.Name)
				}
			}
		}
	}
	require.NotEmpty(t, names)

	used := map[string]bool{}
	for _, dir := range []string{"..", filepath.Join("..", "..", "cmd")} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			inLang := f.Name.Name == "lang"
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && x.Name == "lang" {
						used[n.Sel.Name] = true
					}
				case *ast.Ident:
					if inLang && filepath.Base(path) != "catalog.go" {
						used[n.Name] = true
					}
				}
				return true
			})
			return nil
		})
		require.NoError(t, err)
	}
	for _, name := range names {
		assert.True(t, used[name], "lang.%s is in the catalogue, but nothing prints it", name)
	}
}
