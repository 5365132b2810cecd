package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
)

// TestUnusedIsTheCompilers: what the Go compiler refuses as declared and
// not used is refused, in its words, and what it accepts is not, whatever
// the imported packages hold (the check does not know them).
func TestUnusedIsTheCompilers(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"a variable", "package main\n\nfunc main() {\n\tx := 1\n}\n", "s.go:4:2: declared and not used: x"},
		{"an import", "package main\n\nimport \"os\"\n\nfunc main() {}\n", `s.go:3:8: "os" imported and not used`},
		{"a label", "package main\n\nfunc main() {\nL:\n\tfor {\n\t}\n}\n", "s.go:4:1: label L declared and not used"},
		{"two, in order", "package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nfunc main() {\n\tn := 2\n\tfmt.Println()\n}\n",
			"s.go:5:2: \"strings\" imported and not used\ns.go:9:2: declared and not used: n"},
		{"only assigned", "package main\n\nfunc main() {\n\tvar n int\n\tn = 1\n}\n", "s.go:4:6: declared and not used: n"},
		{"a versioned import", "package main\n\nimport \"math/rand/v2\"\n\nfunc main() {}\n", `s.go:3:8: "math/rand/v2" imported as rand and not used`},
		{"a type switch's variable", "package main\n\nfunc main() {\n\tvar x any = 1\n\tswitch v := x.(type) {\n\tcase int:\n\t}\n}\n", "s.go:5:9: v declared and not used"},
	} {
		err := Unused("s.go", tc.src)
		if assert.Error(t, err, tc.name) {
			assert.Equal(t, tc.want, err.Error(), tc.name)
		}
	}
	for _, tc := range []struct{ name, src string }{
		{"used through a package's function", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n"},
		{"used in a closure and a method", "package main\n\nimport (\n\t\"net\"\n\t\"sync\"\n)\n\ntype s struct{ mu sync.Mutex }\n\nfunc (v *s) f(c net.Conn) {\n\tn := 0\n\tgo func() { v.mu.Lock(); n++; c.Close() }()\n}\n\nfunc main() {}\n"},
		{"a versioned import used", "package main\n\nimport \"math/rand/v2\"\n\nfunc main() { _ = rand.IntN(3) }\n"},
		{"blank and dot imports", "package main\n\nimport (\n\t_ \"embed\"\n\t. \"fmt\"\n)\n\nfunc main() { Println() }\n"},
		{"results of an imported call", "package main\n\nimport \"net\"\n\nfunc main() {\n\tln, err := net.Listen(\"tcp\", \"127.0.0.1:0\")\n\t_ = err\n\tdefer ln.Close()\n\tfor c := range accept(ln) {\n\t\t_ = c\n\t}\n}\n\nfunc accept(ln net.Listener) chan net.Conn { return nil }\n"},
		{"range over an int", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := range 3 {\n\t\tfmt.Println(i)\n\t}\n}\n"},
		{"a type switch", "package main\n\nfunc main() {\n\tvar x any\n\tswitch v := x.(type) {\n\tcase int:\n\t\t_ = v\n\t}\n}\n"},
		{"no parse", "package main\n\nfunc main() {\n"},
	} {
		assert.NoError(t, Unused("s.go", tc.src), tc.name)
	}
}

// TestUnusedInputKeepsTheSessionsNames: at the prompt, x := 1 and an
// import are for the lines that follow; a function's own variable that it
// never uses is refused.
func TestUnusedInputKeepsTheSessionsNames(t *testing.T) {
	for _, src := range []string{"x := 1", `import "os"`, "var y int", "go func() { c := 1; fmt.Println(c) }()", "ln, err := net.Listen(\"tcp\", \":0\")"} {
		_, err := unusedInput(src, emptyImporter{}, nil)
		assert.NoError(t, err, src)
	}
	at, err := unusedInput("func f() {\n\tx := 1\n}", emptyImporter{}, nil)
	assert.EqualError(t, err, "declared and not used: x")
	assert.Equal(t, 2, at)
	at, err = unusedInput("go func() { c := 1 }()", emptyImporter{}, nil)
	assert.EqualError(t, err, "declared and not used: c")
	assert.Equal(t, 1, at)
}

// TestNoSnippetOfTheBookIsUnused: the check refuses no runnable snippet
// of the book's chapters, in either language (the Chinese chapters have
// the same code, but a snippet of one might drift).
func TestNoSnippetOfTheBookIsUnused(t *testing.T) {
	chapters, err := filepath.Abs("../../chapters")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	ex, _, err := Symbols(".")
	require.NoError(t, err)
	checked := 0
	var took time.Duration
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		b, err := book.LoadIn(os.DirFS(chapters), l)
		require.NoError(t, err)
		for _, c := range b.Chapters {
			for _, s := range c.Snippets {
				if !s.Runnable() {
					continue
				}
				checked++
				// A run's importer is new, in a new interpreter.
				start := time.Now()
				err := unusedWith(s.ID()+".go", s.Code, newSymImporter(ex))
				took += time.Since(start)
				assert.NoError(t, err, "snippet %s (%s)", s.ID(), l)
			}
		}
	}
	assert.Greater(t, checked, 50, "the book's runnable snippets were found")
	t.Logf("%d snippets checked, %v each", checked, took/time.Duration(checked))
}

// With the interpreter's own tables as the imported packages, what an
// imported function returns has its type: a range over it that never
// uses its variable is refused, as the compiler refuses it, where an
// empty package (the check's without the tables) gives go/types nothing
// to range over, and it lets the variable be.
func TestUnusedKnowsTheImportedPackages(t *testing.T) {
	t.Chdir(t.TempDir())
	ex, _, err := Symbols(".")
	require.NoError(t, err)
	for _, tc := range []struct{ name, src, want string }{
		{"a function's result", "package main\n\nimport \"strings\"\n\nfunc main() {\n\tfor _, f := range strings.Fields(\"a b\") {\n\t}\n}\n", "s.go:6:9: declared and not used: f"},
		{"a variable's", "package main\n\nimport (\n\t\"fmt\"\n\t\"net\"\n)\n\nfunc main() {\n\tifs, err := net.Interfaces()\n\tfmt.Println(err)\n\tfor i, ifc := range ifs {\n\t\tfmt.Println(i)\n\t}\n}\n", "s.go:11:9: declared and not used: ifc"},
		{"a method's", "package main\n\nimport (\n\t\"fmt\"\n\t\"net\"\n)\n\nfunc main() {\n\tfor k := range net.ParseIP(\"::1\").To16() {\n\t}\n\tfmt.Println()\n}\n", "s.go:9:6: declared and not used: k"},
		{"a package's variable", "package main\n\nimport \"os\"\n\nfunc main() {\n\tfor _, a := range os.Args {\n\t}\n}\n", "s.go:6:9: declared and not used: a"},
		{"an error, as before", "package main\n\nimport \"net\"\n\nfunc main() {\n\tc, err := net.Dial(\"tcp\", \"127.0.0.1:1\")\n\tc.Close()\n}\n", "s.go:6:5: declared and not used: err"},
	} {
		err := unusedWith("s.go", tc.src, newSymImporter(ex))
		if assert.Error(t, err, tc.name) {
			assert.Equal(t, tc.want, err.Error(), tc.name)
		}
		if tc.name != "an error, as before" {
			assert.NoError(t, Unused("s.go", tc.src), "%s: the empty packages miss it", tc.name)
		}
	}
	// At the prompt, with the session's imports.
	imports := map[string]string{"strings": "strings", "fmt": "fmt"}
	at, err := unusedInput("func f(s string) {\n\tfor _, w := range strings.Fields(s) {\n\t}\n}", newSymImporter(ex), imports)
	assert.EqualError(t, err, "declared and not used: w")
	assert.Equal(t, 2, at)
	_, err = unusedInput("for _, w := range strings.Fields(\"a b\") {\n\tfmt.Println(w)\n}", newSymImporter(ex), imports)
	assert.NoError(t, err)
}

// Every package of the interpreter's tables, with all its names, can be
// described to go/types: a program that imports it and uses none of its
// names gets only the compiler's "imported and not used".
func TestSymImporterDescribesEveryPackage(t *testing.T) {
	t.Chdir(t.TempDir())
	ex, _, err := Symbols(".")
	require.NoError(t, err)
	im := newSymImporter(ex)
	im.want = map[string]map[string]bool{}
	n := 0
	for p := range im.keys {
		if p == "." {
			continue // yaegi's MapTypes, no package
		}
		pkg, err := im.Import(p)
		require.NoError(t, err, p)
		require.True(t, pkg.Complete(), p)
		named := 0
		for name := range ex[im.keys[p]] {
			if !strings.HasPrefix(name, "_") {
				named++
			}
		}
		if named > 0 { // slices, maps, cmp: generic functions only, which the tables lack
			assert.NotEmpty(t, pkg.Scope().Names(), "%s: described, not an empty package", p)
			n++
		}
	}
	assert.Greater(t, n, 100)
}

// Every go statement of the book's runnable snippets is guarded: each go
// statement of what runs starts a func literal whose first statement is
// the guard's defer.
func TestEveryGoStatementOfTheBookIsGuarded(t *testing.T) {
	chapters, err := filepath.Abs("../../chapters")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	ex, _, err := Symbols(".")
	require.NoError(t, err)
	guarded := 0
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		b, err := book.LoadIn(os.DirFS(chapters), l)
		require.NoError(t, err)
		for _, c := range b.Chapters {
			for _, s := range c.Snippets {
				if !s.Runnable() {
					continue
				}
				out, _ := guardProgram(s.ID()+".go", s.Code, newSymImporter(ex))
				f, err := parser.ParseFile(token.NewFileSet(), "", out, 0)
				require.NoError(t, err, "snippet %s (%s), guarded:\n%s", s.ID(), l, out)
				ast.Inspect(f, func(n ast.Node) bool {
					g, ok := n.(*ast.GoStmt)
					if !ok {
						return true
					}
					lit, ok := g.Call.Fun.(*ast.FuncLit)
					if assert.True(t, ok, "snippet %s (%s): a go statement left as written:\n%s", s.ID(), l, out) && assert.NotEmpty(t, lit.Body.List) {
						d, ok := lit.Body.List[0].(*ast.DeferStmt)
						if assert.True(t, ok, "snippet %s (%s): a go statement without the guard", s.ID(), l) {
							assert.Equal(t, goGuard, d.Call.Fun.(*ast.Ident).Name)
						}
					}
					guarded++
					return true
				})
			}
		}
	}
	assert.Greater(t, guarded, 50, "the book's go statements were found")
	t.Logf("%d go statements guarded", guarded)
}
