package chat

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// The test files are named for the first task each holds (task01_split,
// task03_client, task05_server, task12_together) because go test runs a
// package's tests in the order of its files' names, then in the order they
// are written: so the tasks run 1, 2, 3..., and when one hangs, only later
// tasks go unrun. Keep it so when adding a task.

// testScanAll runs a bufio.Scanner with Split over input, twice: once with the
// input in one piece, once a byte at a time, as a slow network would
// deliver it. It fails the test if the two disagree or the scanner fails.
func testScanAll(t *testing.T, input string) []string {
	t.Helper()
	whole := testScan(t, input, strings.NewReader(input))
	bytewise := testScan(t, input, iotest.OneByteReader(strings.NewReader(input)))
	require.Equal(t, whole, bytewise,
		"Split cut %q differently when it arrived one byte at a time: a message may arrive in pieces, so when data holds only part of one, return 0, nil, nil to ask for more", input)
	return whole
}

func testScan(t *testing.T, input string, r interface{ Read([]byte) (int, error) }) []string {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Split(Split)
	tokens := []string{} // not nil: "no messages" is an empty list
	for sc.Scan() {
		tokens = append(tokens, sc.Text())
		require.Less(t, len(tokens), 100, "Split returned over 100 tokens for %q: does it advance past what it returns?", input)
	}
	require.NoError(t, sc.Err(), "scanning %q with Split", input)
	return tokens
}

// testSplitCase is an input and the messages Split should cut it into.
type testSplitCase struct {
	input string
	want  []string
	why   string
}

func testCheckSplit(t *testing.T, cases []testSplitCase) {
	t.Helper()
	for _, tc := range cases {
		got := testScanAll(t, tc.input)
		require.Equal(t, tc.want, got, "scanning %q with Split: %s", tc.input, tc.why)
	}
}

// A newline ends a message; blank lines are no message.
func TestTask1SplitLines(t *testing.T) {
	testCheckSplit(t, []testSplitCase{
		{`{"type":"login","nickname":"alice"}` + "\n", []string{`{"type":"login","nickname":"alice"}`},
			"one message, one token, without its newline"},
		{"{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", []string{`{"a":1}`, `{"b":2}`, `{"c":3}`},
			"three lines are three messages"},
		{"\n\n{\"a\":1}\n\n  \n\t\n{\"b\":2}\n", []string{`{"a":1}`, `{"b":2}`},
			"blank lines, and lines of spaces and tabs, are no message: skip them"},
		{"{\"a\":1}\r\n{\"b\":2}\r\n", []string{`{"a":1}`, `{"b":2}`},
			"a line may end with \\r\\n (telnet, Windows): the \\r is a blank between messages"},
		{"hello, server\nnot json either\n", []string{"hello, server", "not json either"},
			"a line that is not JSON is still one message (the server answers it with an error)"},
		{`{"message":"你好, 世界"}` + "\n", []string{`{"message":"你好, 世界"}`},
			"Split works on bytes: multi-byte characters pass through whole"},
		{"", []string{}, "no input, no messages"},
		{"\n \n", []string{}, "only blanks, no messages"},
		{"last words", []string{"last words"},
			"at the end of the stream (atEOF), what is left is the last message"},
	})

	// Split is called with whatever has arrived: it must wait for the rest.
	for _, data := range []string{"", "   ", "hello", `{"type":"log`} {
		adv, tok, err := Split([]byte(data), false)
		require.NoError(t, err, "Split(%q, false)", data)
		require.Nil(t, tok, "Split(%q, false) returned the token %q before the message was complete: return nil and wait for more data", data, tok)
		require.LessOrEqual(t, adv, len(data), "Split(%q, false) advanced past the end of data", data)
	}
}

// An object ends at its closing brace, newline or not: the article's client sends no newlines.
func TestTask2SplitObjects(t *testing.T) {
	testCheckSplit(t, []testSplitCase{
		{`{"type":"login","nickname":"zhangsan"}{"type":"broadcast","message":"hi"}`,
			[]string{`{"type":"login","nickname":"zhangsan"}`, `{"type":"broadcast","message":"hi"}`},
			"two objects with no newline between them are two messages: each ends at the } that closes it"},
		{`{"type": "login", "nickname": "zhangsan"} {"type": "broadcast", "sender_id": 1, "message": "hi"}`,
			[]string{`{"type": "login", "nickname": "zhangsan"}`, `{"type": "broadcast", "sender_id": 1, "message": "hi"}`},
			"Python's json.dumps puts spaces after : and , (and the blank between objects is skipped)"},
		{`{"user":{"name":"a","tags":{"x":1}},"n":2}{"b":2}`, []string{`{"user":{"name":"a","tags":{"x":1}},"n":2}`, `{"b":2}`},
			"nested objects: count the braces, the message ends when the count is back to 0"},
		{`{"message":"} and { inside a string"}{"b":2}`, []string{`{"message":"} and { inside a string"}`, `{"b":2}`},
			"braces inside a string are text, not structure: keep track of whether you are inside quotes"},
		{`{"message":"a quote \" and a } in it"}{"b":2}`, []string{`{"message":"a quote \" and a } in it"}`, `{"b":2}`},
			"\\\" inside a string is an escaped quote: it does not end the string"},
		{`{"message":"ends with a backslash \\"}{"b":2}`, []string{`{"message":"ends with a backslash \\"}`, `{"b":2}`},
			"\\\\ is an escaped backslash, so the quote after it does end the string"},
		{`{"a":1}trailing junk` + "\n" + `{"b":2}`, []string{`{"a":1}`, "trailing junk", `{"b":2}`},
			"what follows a closed object on the same line is a message of its own (a bad one)"},
		{`{"type":"broadcast","message":"unfinished` + "\n" + `{"b":2}` + "\n", []string{`{"type":"broadcast","message":"unfinished`, `{"b":2}`},
			"a newline ends even an unfinished object: one bad message must not swallow the next"},
		{`{"type":"broadcast","message":"cut off`, []string{`{"type":"broadcast","message":"cut off`},
			"at the end of the stream, an unfinished object is the last token"},
	})

	// Complete objects must come out before any newline or the end of the
	// stream: the article's client sends its login and waits for the reply.
	for _, tc := range []struct{ data, token string }{
		{`{"type":"login","nickname":"zhangsan"}`, `{"type":"login","nickname":"zhangsan"}`},
		{`  {"a":{"b":"}"}}{"c":`, `{"a":{"b":"}"}}`},
	} {
		adv, tok, err := Split([]byte(tc.data), false)
		require.NoError(t, err, "Split(%q, false)", tc.data)
		require.Equal(t, tc.token, string(tok),
			"Split(%q, false) should return the complete object at once, without waiting for a newline or the end of the stream", tc.data)
		require.Equal(t, strings.Index(tc.data, tc.token)+len(tc.token), adv,
			"Split(%q, false) should advance just past the } that closes the object", tc.data)
	}

	// A long message in a stream of many.
	var in strings.Builder
	var want []string
	for i := 0; i < 50; i++ {
		m := fmt.Sprintf(`{"type":"broadcast","message":"message %d {%s}"}`, i, strings.Repeat("x", i*37))
		in.WriteString(m)
		want = append(want, m)
	}
	// A byte at a time, Split would look at each of these long messages
	// once per byte that arrives, a million times over: pieces of 7 bytes
	// cut them everywhere just as well, and the cases above go a byte at a
	// time.
	whole := testScan(t, in.String(), strings.NewReader(in.String()))
	require.Equal(t, want, whole, "fifty objects back to back, of growing length")
	pieces := testScan(t, in.String(), &testPieces{s: in.String(), n: 7})
	require.Equal(t, want, pieces, "fifty objects back to back, of growing length, arriving 7 bytes at a time: "+
		"when data holds only part of a message, return 0, nil, nil to ask for more")
}

// testPieces reads s at most n bytes at a time.
type testPieces struct {
	s string
	n int
}

func (p *testPieces) Read(b []byte) (int, error) {
	if p.s == "" {
		return 0, io.EOF
	}
	k := copy(b[:min(len(b), p.n)], p.s)
	p.s = p.s[k:]
	return k, nil
}
