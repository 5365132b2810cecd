package mdterm_test

import (
	"strings"
	"testing"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/mdterm"
	"github.com/stretchr/testify/assert"
	"github.com/yuin/goldmark/text"
)

// render renders Markdown as the book parses it.
func render(md string, width int, color bool) string {
	src := []byte(md)
	doc := book.Markdown().Parser().Parse(text.NewReader(src))
	return mdterm.Render(doc, src, mdterm.Options{Width: width, Color: color, Base: "chapters"})
}

func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

func TestWrapLatinNeverSplitsAWord(t *testing.T) {
	md := "Every word of this sentence stays whole however narrow the screen becomes, even antidisestablishmentarianism."
	out := render(md, 20, false)
	for _, l := range lines(out) {
		if l != "antidisestablishmentarianism." {
			assert.LessOrEqual(t, mdterm.Width(l), 20, "line %q is wider than 20 columns", l)
		}
	}
	assert.Equal(t, strings.Fields(md), strings.Fields(out), "wrapping moves words to new lines and never cuts one")
}

func TestWrapALongWordGetsALineOfItsOwn(t *testing.T) {
	word := strings.Repeat("x", 30)
	out := render("a "+word+" b", 20, false)
	assert.Equal(t, []string{"a", word, "b"}, lines(out), "a word wider than the line runs past it, whole, on a line of its own")
}

func TestWrapCJK(t *testing.T) {
	md := "服务器先说话：欢迎！客户端发送一个名字，服务器回答你好，直到客户端发送exit为止。每条消息是一行，以换行符结尾。"
	out := render(md, 20, false)
	var joined string
	for _, l := range lines(out) {
		assert.LessOrEqual(t, mdterm.Width(l), 20, "line %q is wider than 20 columns (a CJK character takes two)", l)
		assert.False(t, strings.HasPrefix(l, "，") || strings.HasPrefix(l, "。") || strings.HasPrefix(l, "！"),
			"line %q starts with closing punctuation", l)
		joined += l
	}
	assert.Equal(t, md, joined, "Chinese text breaks between characters and loses nothing")
	assert.Contains(t, out, "exit", "a Latin word inside Chinese text stays whole")
	assert.Greater(t, len(lines(out)), 4, "the text is wrapped")
	for _, l := range lines(out) {
		assert.GreaterOrEqual(t, mdterm.Width(l), 16, "lines are filled, not broken early only where spaces are: %q", l)
		break
	}
}

func TestWrapJoinsChineseLinesWithoutASpace(t *testing.T) {
	assert.Equal(t, "你好世界\n", render("你好\n世界", 40, false), "a line break between two Chinese characters is no space")
	assert.Equal(t, "用 Go 语言\n", render("用\nGo\n语言", 40, false), "next to a Latin word it is one")
}

func TestWidth(t *testing.T) {
	assert.Equal(t, 5, mdterm.Width("hello"))
	assert.Equal(t, 4, mdterm.Width("你好"))
	assert.Equal(t, 2, mdterm.Width("，"), "fullwidth punctuation")
	assert.Equal(t, 1, mdterm.Width("│"), "box drawing is ambiguous: one column")
	assert.Equal(t, 1, mdterm.Width("e\u0301"), "a combining accent takes no column")
}

func TestLinks(t *testing.T) {
	for _, tc := range []struct{ md, want string }{
		{"See [Go](https://go.dev).", "See Go (https://go.dev)."},
		{"Do [lab 03](../labs/03-hello-server/).", "Do lab 03 (labs/03-hello-server/)."},
		{"Read [chapter 2](02-sockets-in-go.md#tcp-notes).", "Read chapter 2 (chapters/02-sockets-in-go.md#tcp-notes)."},
		{"Above, [in short](#summary).", "Above, in short."},
		{"At <https://go.dev/doc/>.", "At https://go.dev/doc/."},
		{"At [https://go.dev](https://go.dev).", "At https://go.dev."},
		{"The [`net` package](https://pkg.go.dev/net).", "The net package (https://pkg.go.dev/net)."},
	} {
		assert.Equal(t, tc.want+"\n", render(tc.md, 80, false), "rendering %q", tc.md)
	}
}

func TestLinkURLIsOneWord(t *testing.T) {
	out := render("Most of what this book says about the standard library is in [the net package](https://pkg.go.dev/net#Dialer.DialContext) docs.", 40, false)
	assert.Contains(t, lines(out), "(https://pkg.go.dev/net#Dialer.DialContext)",
		"a URL too long for the line's rest moves to the next line whole:\n%s", out)
}

func TestBlockquoteBorderOnEveryLine(t *testing.T) {
	md := "> **What goes wrong:** the article reads once and takes what arrives as the whole message, which TCP never promised.\n>\n> A second paragraph, also long enough to wrap over several lines here.\n>\n> > and a quote inside the quote, wrapped too"
	for _, color := range []bool{false, true} {
		out := render(md, 30, color)
		for _, l := range lines(out) {
			assert.True(t, strings.HasPrefix(stripANSI(l), "│"), "colour %v: line %q lost the quote's border", color, l)
		}
		assert.Contains(t, stripANSI(out), "│ │ and a quote", "a nested quote has two borders")
	}
	assert.Contains(t, render(md, 30, true), "\x1b[33m│", "a quote that opens with bold text (What goes wrong) has a coloured border")
	assert.Contains(t, render("> just a quote", 30, true), "\x1b[2m│", "an ordinary quote has a dim one")
}

const table = "| name | what it is |\n|---|---|\n| MAC address | The hardware address of a network card, 48 bits. |\n| IsLinkLocalUnicast | an address of one link only |\n"

func TestTableFits(t *testing.T) {
	out := render(table, 80, false)
	assert.Equal(t, []string{
		"name               │ what it is",
		"───────────────────┼─────────────────────────────────────────────────",
		"MAC address        │ The hardware address of a network card, 48 bits.",
		"IsLinkLocalUnicast │ an address of one link only",
	}, lines(out))
}

func TestTableWrapsCellsBetweenWords(t *testing.T) {
	out := render(table, 50, false)
	for _, l := range lines(out) {
		assert.LessOrEqual(t, mdterm.Width(l), 50, "line %q is wider than the table's 50 columns", l)
	}
	assert.Contains(t, out, "IsLinkLocalUnicast │", "a cell's word is never split")
	assert.Contains(t, out, "MAC address        │ The hardware address of a")
}

func TestTableBecomesAList(t *testing.T) {
	out := render(table, 30, false)
	assert.Equal(t, []string{
		"• name: MAC address",
		"  what it is: The hardware",
		"    address of a network card,",
		"    48 bits.",
		"",
		"• name: IsLinkLocalUnicast",
		"  what it is: an address of",
		"    one link only",
	}, lines(out), "at 30 columns the two columns cannot fit: each row is a list of header: value lines")
}

func TestTableBecomesAListInChinese(t *testing.T) {
	out := render("| 打电话 | Python |\n|---|---|\n| 一部手机 | `s = socket.socket()` 一步 |\n", 20, false)
	assert.Equal(t, []string{
		"• 打电话：一部手机",
		"  Python: s =",
		"    socket.socket()",
		"    一步",
	}, lines(out), "a Chinese header takes a fullwidth colon and no space, a Latin one \": \"")
}

func TestTableAlignment(t *testing.T) {
	out := render("| port | service |\n|---:|:---:|\n| 22 | ssh |\n| 443 | https |\n", 80, false)
	assert.Equal(t, []string{
		"port │ service",
		"─────┼────────",
		"  22 │   ssh",
		" 443 │  https",
	}, lines(out))
}

func TestPlainHasNoMarkers(t *testing.T) {
	md := "# Title\n\nSome **bold**, *italic*, `code`, ~~gone~~ and __strong__ _em_ text,\n**bold that spans\na line break**.\n\n## Section\n\n- one\n- two\n"
	out := render(md, 40, false)
	assert.NotContains(t, out, "\x1b", "plain output has no escape codes")
	for _, marker := range []string{"*", "`", "~~", "#", "__", " _"} {
		assert.NotContains(t, out, marker, "plain output keeps no Markdown marker %q:\n%s", marker, out)
	}
	assert.Equal(t, "Title ═════ Some bold, italic, code, gone and strong em text, bold that spans a line break. Section ─────── • one • two",
		strings.Join(strings.Fields(out), " "))
	assert.Equal(t, stripANSI(render(md, 40, true)), out, "plain output is the coloured output without escape codes")
}

func TestBoldAcrossALineBreak(t *testing.T) {
	out := render("Some words then **bold that spans\na line break** and more words after it.", 24, true)
	assert.Equal(t, []string{
		"Some words then \x1b[1mbold\x1b[0m",
		"\x1b[1mthat spans a line break\x1b[0m",
		"and more words after it.",
	}, lines(out), "each line opens and closes its own style: nothing leaks, no marker shows")
}

func TestCodeBlocksAreNeverWrapped(t *testing.T) {
	long := `	fmt.Println("a line of code much longer than the twenty columns we render at")`
	md := "```go fragment\nfor {\n" + long + "\n}\n```\n"
	for _, color := range []bool{false, true} {
		out := stripANSI(render(md, 20, color))
		assert.Equal(t, []string{
			"── go ──────────────",
			"for {",
			"    " + long[1:],
			"}",
			"────────────────────",
		}, lines(out), "colour %v: the tab is 4 spaces, the long line runs past the width", color)
	}
}

func TestCodeInAListKeepsItsLines(t *testing.T) {
	out := render("1. Run it:\n\n   ```sh\n   go test ./labs/03-hello-server -run 'TestTask1$' -v\n   ```\n", 30, false)
	assert.Contains(t, lines(out), "   go test ./labs/03-hello-server -run 'TestTask1$' -v", "the item's indent, then the line whole")
}

func TestExpandTabs(t *testing.T) {
	assert.Equal(t, "    x", mdterm.ExpandTabs("\tx"))
	assert.Equal(t, "ab  c", mdterm.ExpandTabs("ab\tc"), "a tab goes to the next stop of 4")
	assert.Equal(t, "你好    x", mdterm.ExpandTabs("你好\tx"), "stops count display columns")
}

func TestLists(t *testing.T) {
	md := "8. eight\n9. nine\n10. ten, with a longer text that wraps\n    - inner\n      - deeper\n"
	assert.Equal(t, []string{
		" 8. eight",
		" 9. nine",
		"10. ten, with a longer text",
		"    that wraps",
		"    ◦ inner",
		"      ▪ deeper",
	}, lines(render(md, 31, false)))
}

func TestHeadingsAndRules(t *testing.T) {
	assert.Equal(t, []string{"Title", "═════", "", "Part", "────", "", "Detail", "", "────────────────────"},
		lines(render("# Title\n\n## Part\n\n### Detail\n\n---\n", 20, false)))
}

func TestGoIsColoured(t *testing.T) {
	out := render("```go\nfunc f() string { return \"hi\" } // done\n```\n", 80, true)
	assert.Contains(t, out, "\x1b[35mfunc\x1b[0m", "a keyword")
	assert.Contains(t, out, "\x1b[32m\"hi\"\x1b[0m", "a string")
	assert.Contains(t, out, "\x1b[2m// done\x1b[0m", "a comment")
}

func TestHTML(t *testing.T) {
	assert.Equal(t, "before\n\nafter\n", render("before\n\n<!-- a note for writers\nover two lines -->\n\nafter\n", 40, false), "an HTML comment is not shown")
	assert.Equal(t, "<div>\nraw\n</div>\n", render("<div>\nraw\n</div>\n", 40, false), "other HTML is shown as it stands")
}
