package session

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSteps(t *testing.T) {
	s := mustParse(t, strings.Join([]string{
		"# a comment",
		"",
		"dial a # the first client",
		"  udp u",
		"a -> Michael\\n",
		"a <- Hello, 张三!\\r\\n",
		"a <- \\x20#not a comment\\t\\\\\\x00",
		`a <~ \{"id":\d+\}\n`,
		"pause 50ms",
		"a closewrite",
		"a eof",
		"a close",
		"u -> PING\r", // CRLF line ending
	}, "\n"))
	type step struct {
		Line int
		Op   Op
		Conn string
		Data string
	}
	var got []step
	for _, st := range s.Steps {
		got = append(got, step{st.Pos.Line, st.Op, st.Conn, string(st.Data)})
	}
	assert.Equal(t, []step{
		{3, Dial, "a", ""},
		{4, UDP, "u", ""},
		{5, Send, "a", "Michael\n"},
		{6, Expect, "a", "Hello, 张三!\r\n"},
		{7, Expect, "a", " #not a comment\t\\\x00"},
		{8, Match, "a", ""},
		{9, Pause, "", ""},
		{10, CloseWrite, "a", ""},
		{11, EOF, "a", ""},
		{12, Close, "a", ""},
		{13, Send, "u", "PING"},
	}, got)
	assert.Equal(t, 50*time.Millisecond, s.Steps[6].Pause)
	assert.Equal(t, "test.session:5", s.Steps[2].Pos.String())
	assert.Equal(t, `a <~ \{"id":\d+\}\n`, s.Steps[5].Source)
}

func TestParseComments(t *testing.T) {
	s := mustParse(t, `# A paragraph's comment.
dial a   # not a comment line: it belongs to no step
a -> one\n

a -> two\n
# A comment after steps starts a new one,
#
# and keeps its blank line.
a -> three\n
  # Indented.
a -> four\n
`)
	var got []string
	for _, st := range s.Steps {
		got = append(got, st.Comment)
	}
	assert.Equal(t, []string{
		"A paragraph's comment.",
		"A paragraph's comment.",
		"", // a blank line ends a paragraph and its comment
		"A comment after steps starts a new one,\n\nand keeps its blank line.",
		"Indented.",
	}, got)
}

func TestParsePatternMatchesWholeLine(t *testing.T) {
	re := mustParse(t, "dial a\na <~ \\d+\\n").Steps[1].Pattern
	for line, want := range map[string]bool{
		"42\n": true, "42": false, "x42\n": false, "42\nx": false, "42\n\n": false,
	} {
		assert.Equal(t, want, re.MatchString(line), "%q", line)
	}
	explicit := mustParse(t, "dial a\na <~ ^\\d+\\n$").Steps[1].Pattern
	assert.True(t, explicit.MatchString("42\n"), "^ and $ written out change nothing")
	assert.False(t, explicit.MatchString("42\n\n"))
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"unknown statement", "send a hello", `test.session:1: connection send is not open`},
		{"bad word", "dial a\n-> x", `test.session:2: unknown statement "->"`},
		{"not opened", "a -> x", `test.session:1: connection a is not open: add "dial a" (TCP) or "udp a" (UDP) before this line`},
		{"opened twice", "dial a\n\nudp a", `test.session:3: connection a was already opened at line 1`},
		{"keyword name", "dial eof", `test.session:1: "eof" cannot name a connection`},
		{"digit first", "dial 1a", `test.session:1: "1a" cannot name a connection`},
		{"dial without name", "dial", `test.session:1: expected a connection name after "dial"`},
		{"trailing blank", "dial a\na -> hi ", `test.session:2: a blank at the start or end of the data is invisible; write it as \x20 or \t`},
		{"leading blank", "dial a\na ->  hi", `test.session:2: a blank at the start or end`},
		{"trailing tab", "dial a\na <- hi\t", `test.session:2: a blank at the start or end`},
		{"no space after arrow", "dial a\na ->hi", `test.session:2: after -> comes one space and then the data`},
		{"empty data", "dial a\na <-", `test.session:2: after <- comes one space`},
		{"unknown escape", "dial a\na -> \\q", `test.session:2: unknown escape \q`},
		{"short hex", "dial a\na -> \\x4", `test.session:2: \x needs two hex digits`},
		{"lone backslash", "dial a\na -> x\\", `test.session:2: a \ at the end of the data escapes nothing`},
		{"control byte", "dial a\na -> a\x01b", `test.session:2: control byte 0x01 in the data; write it as \x01`},
		{"invalid utf8", "dial a\na -> \xff", `test.session:2: the line is not valid UTF-8`},
		{"bad pattern", "dial a\na <~ (", `test.session:2: bad pattern`},
		{"bad op", "dial a\na send x", `test.session:2: after the connection name comes ->, <-, <~, eof, closewrite or close; got "send"`},
		{"junk after close", "dial a\na close now", `test.session:2: unexpected "now" after close`},
		{"use after close", "dial a\na close\na -> x", `test.session:3: connection a was closed at line 2`},
		{"send after closewrite", "dial a\na closewrite\na -> x", `test.session:3: connection a stopped sending at line 2`},
		{"closewrite twice", "dial a\na closewrite\na closewrite", `test.session:3: connection a already stopped sending at line 2`},
		{"expect after eof", "dial a\na eof\na <- x", `test.session:3: connection a already expects end of file at line 2`},
		{"udp eof", "udp u\nu eof", `test.session:2: connection u is UDP, which has no eof`},
		{"udp closewrite", "udp u\nu closewrite", `test.session:2: connection u is UDP, which has no closewrite`},
		{"pause without unit", "pause 50", `test.session:1: pause needs a duration between 1ns and 1m0s, such as 50ms; got "50"`},
		{"pause too long", "pause 2m", `test.session:1: pause needs a duration`},
		{"pause negative", "pause -1s", `test.session:1: pause needs a duration`},
		{"empty", "# nothing\n\n", `test.session: the session has no steps`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test.session", strings.NewReader(tt.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestParseListsEveryError(t *testing.T) {
	_, err := Parse("x.session", strings.NewReader("a -> 1\ndial b\nb -> 2 \nb <- \\q"))
	require.Error(t, err)
	assert.Equal(t, []string{
		`x.session:1: connection a is not open: add "dial a" (TCP) or "udp a" (UDP) before this line`,
		`x.session:3: a blank at the start or end of the data is invisible; write it as \x20 or \t`,
		`x.session:4: unknown escape \q; the escapes are \n \r \t \\ and \xHH`,
	}, strings.Split(err.Error(), "\n"))
}

func TestParseFile(t *testing.T) {
	s, err := ParseFile("testdata/greet.session")
	require.NoError(t, err)
	assert.Equal(t, "testdata/greet.session", s.Name)
	assert.Equal(t, "testdata/greet.session:2", s.Steps[0].Pos.String())

	_, err = ParseFile("testdata/missing.session")
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// The example in the package documentation is testdata/greet.session, which
// TestPlayGreet plays, so the documentation cannot drift from what works.
func TestDocExampleIsGreetSession(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	file, err := os.ReadFile("testdata/greet.session")
	require.NoError(t, err)
	var b strings.Builder
	for line := range strings.Lines(string(file)) {
		if line == "\n" {
			b.WriteString("//\n")
		} else {
			b.WriteString("//\t" + line)
		}
	}
	assert.Contains(t, string(doc), b.String())
}

func TestUnescapeQuoteRoundTrip(t *testing.T) {
	tests := []struct{ written, quoted string }{
		{`Hello, 张三!\n`, `"Hello, 张三!\n"`},
		{`\r\n\t\\`, `"\r\n\t\\"`},
		{`\x00\x1b\x7f\xff\xe4\xb8`, `"\x00\x1b\x7f\xff\xe4\xb8"`},
		{`{"id":1}`, `"{"id":1}"`},
		{`\x41`, `"A"`},
	}
	for _, tt := range tests {
		b, err := Unescape(tt.written)
		require.NoError(t, err, tt.written)
		assert.Equal(t, tt.quoted, Quote(b), tt.written)
	}
}

func FuzzQuoteUnescape(f *testing.F) {
	for _, s := range []string{"", "hi\n", "\x00\xff", "张三\r\n", `\x`, "\u200b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		q := Quote(b)
		back, err := Unescape(q[1 : len(q)-1])
		require.NoError(t, err, q)
		assert.Equal(t, b, back, q)
	})
}
