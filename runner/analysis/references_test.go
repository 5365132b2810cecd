package analysis_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/labs"
)

// Every reference solution is what a student compares their work with:
// an analyzer that finds fault with one is wrong, not the solution.
func TestReferencesAreClean(t *testing.T) {
	r := testkit.Shipped(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			overlay, err := l.SolutionFiles()
			require.NoError(t, err)
			findings, err := analysis.Run(context.Background(), l.Dir, l.StudentFiles(), overlay)
			require.NoError(t, err)
			for _, f := range findings {
				t.Errorf("solutions/%s/%s:%d:%d: %s: %s", l.Name, f.File, f.Line, f.Column, f.Analyzer, f.Message)
			}
		})
	}
}

// The skeletons are where every student starts: advice about code the
// student has not written yet would be noise.
func TestSkeletonsAreClean(t *testing.T) {
	r := testkit.Shipped(t)
	all, err := labs.LoadAll(r)
	require.NoError(t, err)
	for _, l := range all {
		findings, err := analysis.Run(context.Background(), l.Dir, l.StudentFiles(), nil)
		require.NoError(t, err, l.Name)
		assert.Empty(t, findings, l.Name)
	}
}

// Each lab contract names a lab and functions that exist: a renamed lab or
// function would silently switch a check off.
func TestContractsNameWhatExists(t *testing.T) {
	r := testkit.Shipped(t)
	for name, c := range netcode.Contracts {
		lab := testkit.Lab(t, r, name)
		funcs := map[string]bool{}
		dirs := []string{lab.Dir, lab.SolutionDir}
		for _, dir := range dirs {
			files, err := filepath.Glob(filepath.Join(dir, "*.go"))
			require.NoError(t, err)
			for _, f := range files {
				if strings.HasSuffix(f, "_test.go") {
					continue
				}
				file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.SkipObjectResolution)
				require.NoError(t, err)
				for _, d := range file.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok {
						funcs[declName(fd)] = true
					}
				}
			}
		}
		for _, f := range slices.Concat(c.Budget, c.WriteDeadlines) {
			assert.True(t, funcs[f], "netcode.Contracts[%q] names %s, which lab %s does not have", name, f, name)
		}
		assert.Contains(t, []string{"", "all", "accepted"}, c.LongLived, "netcode.Contracts[%q].LongLived", name)
	}
}

// declName names a function as netcode.Contracts does: "Serve",
// "(*Client).Login".
func declName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = "*", s.X
	}
	id, _ := t.(*ast.Ident)
	if id == nil {
		return fd.Name.Name
	}
	return "(" + star + id.Name + ")." + fd.Name.Name
}
