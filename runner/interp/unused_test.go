package interp

import (
	"os"
	"testing"

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
		_, err := unusedInput(src)
		assert.NoError(t, err, src)
	}
	at, err := unusedInput("func f() {\n\tx := 1\n}")
	assert.EqualError(t, err, "declared and not used: x")
	assert.Equal(t, 2, at)
	at, err = unusedInput("go func() { c := 1 }()")
	assert.EqualError(t, err, "declared and not used: c")
	assert.Equal(t, 1, at)
}

// TestNoSnippetOfTheBookIsUnused: the check refuses no runnable snippet
// of the book's chapters, in either language (the Chinese chapters have
// the same code, but a snippet of one might drift).
func TestNoSnippetOfTheBookIsUnused(t *testing.T) {
	checked := 0
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		b, err := book.LoadIn(os.DirFS("../../chapters"), l)
		require.NoError(t, err)
		for _, c := range b.Chapters {
			for _, s := range c.Snippets {
				if !s.Runnable() {
					continue
				}
				checked++
				assert.NoError(t, Unused(s.ID()+".go", s.Code), "snippet %s (%s)", s.ID(), l)
			}
		}
	}
	assert.Greater(t, checked, 50, "the book's runnable snippets were found")
	t.Logf("%d snippets checked", checked)
}
