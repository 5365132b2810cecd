package book

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = "---\n" +
	"title: Sockets in Go\n" +
	"summary: A first connection.\n" +
	"lab: 02-first-connection\n" +
	"---\n" +
	"# Sockets in Go\n" +
	"\n" +
	"See [the lab](../labs/02-first-connection/) and [Go](https://go.dev).\n" +
	"\n" +
	"```go title=hello.go\n" +
	"package main\n" +
	"\n" +
	"import \"fmt\"\n" +
	"\n" +
	"func main() { fmt.Println(\"hi 127.0.0.1:4000\") }\n" +
	"```\n" +
	"\n" +
	"```output\n" +
	"hi 127.0.0.1:PORT\n" +
	"```\n" +
	"\n" +
	"## A fragment\n" +
	"\n" +
	"```go fragment\n" +
	"conn.Close()\n" +
	"```\n"

func TestParse(t *testing.T) {
	c, err := Parse("02-sockets-in-go.md", []byte(sample))
	require.NoError(t, err)
	assert.Equal(t, 2, c.Number)
	assert.Equal(t, "02-sockets-in-go", c.Slug)
	assert.Equal(t, "02-first-connection", c.Lab)
	assert.Equal(t, 6, c.BodyLine)
	require.Len(t, c.Headings, 2)
	assert.Equal(t, Heading{Level: 1, Text: "Sockets in Go", Line: 6}, c.Headings[0])
	assert.Equal(t, Heading{Level: 2, Text: "A fragment", Line: 22}, c.Headings[1])
	require.Len(t, c.Links, 2)
	assert.Equal(t, Link{Dest: "../labs/02-first-connection/", Line: 8}, c.Links[0])
	assert.True(t, c.Links[0].Relative())
	assert.False(t, c.Links[1].Relative())

	require.Len(t, c.Blocks, 3, "every fenced block, the output block too")
	assert.Equal(t, Block{Info: "output", Code: "hi 127.0.0.1:PORT\n", Line: 18}, c.Blocks[1])
	assert.Equal(t, "go fragment", c.Blocks[2].Info)

	require.Len(t, c.Snippets, 2)
	s := c.Snippets[0]
	assert.Equal(t, "02:1", s.ID())
	assert.Equal(t, 10, s.Line)
	assert.Equal(t, "hello.go", s.Title)
	assert.Equal(t, `func main() { fmt.Println("hi 127.0.0.1:4000") }`, s.FirstLine())
	require.NotNil(t, s.Output)
	assert.Equal(t, "hi 127.0.0.1:PORT\n", *s.Output)
	assert.Equal(t, 18, s.OutputLine)
	assert.Equal(t, NormalizeOutput(*s.Output), NormalizeOutput("hi 127.0.0.1:4000\n"))
	assert.True(t, c.Snippets[1].Fragment)
	assert.Nil(t, c.Snippets[1].Output)
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"bad name", sample, "x.md:1: a chapter file is named NN-slug.md"},
		{"no title", "---\nsummary: x\n---\n", "front matter needs a title"},
		{"unknown marker", "---\ntitle: x\n---\n```go runme\npackage main\n```\n", `01-x.md:4: unknown snippet marker "runme"`},
		{"not a program", "---\ntitle: x\n---\n```go\nx := 1\n```\n", "01-x.md:4: a go snippet is a whole program"},
		{"stray output", "---\ntitle: x\n---\ntext\n\n```output\nhi\n```\n", "01-x.md:6: an output block must come right after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "01-x.md"
			if tc.name == "bad name" {
				name = "x.md"
			}
			_, err := Parse(name, []byte(tc.src))
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestLoadAndFind(t *testing.T) {
	fsys := fstest.MapFS{
		"00-start-here.md":    {Data: []byte("---\ntitle: Start here\n---\n")},
		"02-sockets-in-go.md": {Data: []byte(sample)},
		"README.txt":          {Data: []byte("not a chapter")},
	}
	b, err := Load(fsys)
	require.NoError(t, err)
	require.Len(t, b.Chapters, 2)
	for _, arg := range []string{"2", "02", "02-sockets-in-go", "sockets-in-go", "chapters/02-sockets-in-go.md", `chapters\02-sockets-in-go.md`} {
		c, err := b.Find(arg)
		require.NoError(t, err, arg)
		assert.Equal(t, 2, c.Number, arg)
	}
	_, err = b.Find("7")
	assert.ErrorContains(t, err, `no chapter "7"`)
	assert.Equal(t, "02-sockets-in-go", b.ByLab("02-first-connection").Slug)
}

func TestParseKeepsTheTreeWithTables(t *testing.T) {
	src := "---\ntitle: x\n---\n# x\n\n| a | b |\n|---|---|\n| [y](02-y.md) | ~~no~~ |\n"
	c, err := Parse("01-x.md", []byte(src))
	require.NoError(t, err)
	require.NotNil(t, c.Doc)
	table := c.Doc.FirstChild().NextSibling()
	require.NotNil(t, table)
	assert.Equal(t, "Table", table.Kind().String(), "tables are parsed as GitHub does, not as a paragraph")
	require.Len(t, c.Links, 1)
	assert.Equal(t, Link{Dest: "02-y.md", Line: 8}, c.Links[0], "a link in a table cell, with its line")
}

// A heading's text joins its source lines as a reader sees them: a space
// between words, none between two CJK characters (a setext heading may
// break a Chinese title across lines).
func TestNodeTextJoinsLines(t *testing.T) {
	for _, tc := range []struct{ heading, want string }{
		{"Sockets\nin Go\n===", "Sockets in Go"},
		{"网络\n与端口\n===", "网络与端口"},
		{"Go 的\nsocket\n===", "Go 的 socket"},
		{"用 `net`\n拨号\n===", "用 net 拨号"},
	} {
		c, err := Parse("01-x.md", []byte("---\ntitle: x\n---\n"+tc.heading+"\n"))
		require.NoError(t, err)
		require.Len(t, c.Headings, 1, tc.heading)
		assert.Equal(t, tc.want, c.Headings[0].Text, tc.heading)
	}
}
