package session

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fromCaret returns what the received line of a report shows from the
// column of the caret on, counting columns as a terminal does.
func fromCaret(t *testing.T, report string) string {
	t.Helper()
	lines := strings.Split(report, "\n")
	for i, line := range lines {
		if !strings.HasPrefix(line, "  received: ") || i+1 == len(lines) {
			continue
		}
		caret := strings.Index(lines[i+1], "^")
		require.GreaterOrEqual(t, caret, 0, "no caret under the received line:\n%s", report)
		col := 0
		for j, r := range line {
			if col == caret {
				return line[j:]
			}
			col += runeWidth(r)
		}
		return ""
	}
	t.Fatalf("no received line in:\n%s", report)
	return ""
}

func TestReport(t *testing.T) {
	long := strings.Repeat("0123456789", 20)
	tests := []struct {
		name   string
		server func(net.Conn)
		udp    func([]byte) []byte
		script string
		under  string // what the caret must point at, up to the end of the line
	}{{
		name:   "differ",
		server: greeter("Hello %s!\n"),
		script: "dial a\na <- Welcome! What is your name?\\n\na -> Michael\\n\na <- Hello, Michael!\\n",
		under:  ` Michael!\n"`, // a space where the comma should be
	}, {
		name:   "wide",
		server: greeter("Hello, %s?\n"),
		script: "dial a\na <- Welcome! What is your name?\\n\na -> 张三\\n\na <- Hello, 张三!\\n",
		under:  `?\n"`,
	}, {
		name:   "split-rune",
		server: greeter("Hello, %s!\n"),
		script: "dial a\na <- Welcome! What is your name?\\n\na -> 张三\\n\na <- Hello, 张四!\\n",
		under:  `三!\n"`, // 三 and 四 share their first byte: the caret is under the character
	}, {
		name:   "missing-newline",
		server: writeThenStall("Welcome!"),
		script: "dial a\na <- Welcome!\\n",
		under:  `"`,
	}, {
		name:   "closed-early",
		server: func(c net.Conn) { io.WriteString(c, "Wel") },
		script: "dial a\na <- Welcome!\\n",
		under:  `"`,
	}, {
		name:   "silent",
		server: writeThenStall(""),
		script: "dial a\na <- Welcome!\\n",
		under:  `"`,
	}, {
		name:   "control-bytes",
		server: writeThenStall("\x00K\r\n"),
		script: "dial a\na <- OK\\r\\n",
		under:  `\x00K\r\n"`,
	}, {
		name:   "long",
		server: writeThenStall(long[:150] + "X" + long[151:]),
		script: "dial a\na <- " + long,
		under:  `X12345678901234567890"...`,
	}, {
		name:   "commented",
		server: greeter("Hello %s!\n"),
		script: "dial a\n# The greeting.\na <- Welcome! What is your name?\\n\n\n# A name gets a comma after the greeting,\n# and an exclamation mark.\na -> Michael\\n\na <- Hello, Michael!\\n",
		under:  ` Michael!\n"`,
	}, {
		name:   "pattern",
		server: writeThenStall("{\"id\":\"x\"}\n"),
		script: "dial a\na <~ \\{\"id\":\\d+\\}\\n",
	}, {
		name:   "pattern-long",
		server: writeThenStall(long + "\n"),
		script: "dial a\na <~ [a-z]+\\n",
	}, {
		name:   "eof-but-data",
		server: writeThenStall("one more thing\n"),
		script: "dial a\na eof",
	}, {
		name:   "eof-but-open",
		server: writeThenStall(""),
		script: "dial a\na eof",
	}, {
		name:   "context",
		server: greeter("Hello, %s.\n"),
		script: "dial a\ndial b\na <- Welcome! What is your name?\\n\nb <- Welcome! What is your name?\\n\na -> Ann\\n\nb -> Bob\\n\na <- Hello, Ann.\\n\nb <- Hello, Bob!\\n",
		under:  `.\n"`,
	}, {
		name:   "udp",
		udp:    func(b []byte) []byte { return []byte("PONG 1!") },
		script: "udp u\nu -> PING 1\nu <- PONG 1",
		under:  `!"`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var addr string
			if tt.udp != nil {
				addr = nettest.Answer(t, tt.udp)
			} else {
				addr = nettest.Handle(t, tt.server)
			}
			r := Play(t.Context(), mustParse(t, tt.script), addr, Timeout(100*time.Millisecond))
			require.NotNil(t, r.Mismatch, "the session should fail")
			report := r.Report()
			golden(t, "report/"+tt.name+".golden", report)
			if tt.under != "" {
				assert.Equal(t, tt.under, fromCaret(t, report), "the caret is in the wrong place:\n%s", report)
			}
		})
	}
}

// A session's comment is filled anew for the report: its lines fit 72
// columns (80 under the report's "  # " and diff's indent), whatever width
// the author broke them at, and a blank comment line still parts two
// paragraphs. A Chinese character takes two columns.
func TestReflowComment(t *testing.T) {
	long := strings.Repeat("word ", 30)
	got := reflow("One "+long+"\nand more.\n\nA second paragraph.", 72)
	for _, line := range got {
		assert.LessOrEqual(t, len(line), 72, "%q", line)
	}
	assert.Equal(t, "One word word", got[0][:13])
	assert.Equal(t, []string{"", "A second paragraph."}, got[len(got)-2:])
	assert.Equal(t, strings.Fields("One "+long+" and more."), strings.Fields(strings.Join(got[:len(got)-2], " ")), "no word lost or split")
	assert.Equal(t, []string{"张三张三", "张三"}, reflow("张三张三 张三", 8))
	assert.Empty(t, reflow("", 72))
}

func TestReportPassed(t *testing.T) {
	assert.Equal(t, "", (&Result{}).Report())
	assert.NoError(t, (&Result{}).Err())
}
