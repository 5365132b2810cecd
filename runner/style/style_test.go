package style

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStyle(t *testing.T) {
	plain := Style{}
	assert.Equal(t, "ok", plain.Good("ok"), "no colour, no escape codes")
	color := Style{Color: true}
	assert.Equal(t, "\x1b[32mok\x1b[0m", color.Good("ok"))
	assert.Equal(t, "", color.Bold(""), "nothing to style, nothing added")
}

func TestColorFollowsNoColor(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	os.Unsetenv("NO_COLOR")
	assert.True(t, ColorAllowed())
	t.Setenv("NO_COLOR", "")
	assert.False(t, ColorAllowed(), "NO_COLOR set, even empty, disables colour")
	os.Unsetenv("NO_COLOR")
	t.Setenv("TERM", "dumb")
	assert.False(t, ColorAllowed())
}

func TestNotATerminal(t *testing.T) {
	t.Setenv("COLUMNS", "")
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, IsTerminal(f))
	assert.Equal(t, 80, Width(f))
	assert.False(t, For(f).Color)
}

// COLUMNS sets the width, piped too (COLUMNS=60 netbook hint 01 | less);
// a value that is no width is passed over, and output to no file (a
// buffer, as tests write to) stays 80 wide.
func TestWidthFollowsCOLUMNS(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	for _, tc := range []struct {
		columns string
		want    int
	}{{"40", 40}, {"60", 60}, {" 120 ", 120}, {"", 80}, {"wide", 80}, {"0", 80}, {"20", 80}, {"-5", 80}} {
		t.Setenv("COLUMNS", tc.columns)
		assert.Equal(t, tc.want, Width(f), "COLUMNS=%q", tc.columns)
		assert.Equal(t, 80, Width(nil), "COLUMNS=%q, no file", tc.columns)
	}
}

func TestIndent(t *testing.T) {
	assert.Equal(t, "  a\n\n  b\n", Indent("a\n\nb", "  "))
}

func TestClipAndBar(t *testing.T) {
	assert.Equal(t, "abc", Clip("abc", 3))
	assert.Equal(t, "ab…", Clip("abcd", 3))
	assert.Equal(t, "[##--]", Bar(1, 2, 4))
	assert.Equal(t, "[----]", Bar(0, 0, 4))
}

func TestWrap(t *testing.T) {
	assert.Equal(t, "one two\nthree\n  four\n  five six\nshort", Wrap("one two three\n  four five six\nshort", 10))
	assert.Equal(t, "a\nunbreakable-word\nb", Wrap("a unbreakable-word b", 5))
}

func TestJoinPluralDay(t *testing.T) {
	assert.Equal(t, "", Join(nil))
	assert.Equal(t, "a", Join([]string{"a"}))
	assert.Equal(t, "a and b", Join([]string{"a", "b"}))
	assert.Equal(t, "a, b and c", Join([]string{"a", "b", "c"}))
	assert.Equal(t, "lab", Plural(1, "lab", "labs"))
	assert.Equal(t, "labs", Plural(0, "lab", "labs"))
	assert.Equal(t, "2 Mar 2026", Day(time.Date(2026, 3, 2, 12, 0, 0, 0, time.Local)))
}

func TestColumns(t *testing.T) {
	assert.Equal(t, 5, Cols("hello"))
	assert.Equal(t, 4, Cols("你好"))
	assert.Equal(t, 2, Cols("，"), "fullwidth punctuation")
	assert.Equal(t, 1, Cols("…"))
	assert.Equal(t, "网络与端口  |", Pad("网络与端口", 12)+"|", "padded by columns, not runes or bytes")
	assert.Equal(t, "  章|", PadLeft("章", 4)+"|")
	assert.Equal(t, "toolong", Pad("toolong", 3))
	assert.Equal(t, "会说 HTTP…", Clip("会说 HTTP 的 TCP 客户端", 10), "clipped to 10 columns")
	assert.LessOrEqual(t, Cols(Clip("会说 HTTP 的 TCP 客户端", 10)), 10)
	assert.Equal(t, "网络…", Clip("网络与端口", 6), "a wide character that would pass the width is left out")
}

func TestWrapChinese(t *testing.T) {
	text := "服务器就是一个围着 Accept 转的循环；它接受的每个客户端，都交给一个专门的函数去服务。"
	got := Wrap(text, 20)
	for _, l := range strings.Split(got, "\n") {
		assert.LessOrEqual(t, Cols(l), 20, "line %q is wider than 20 columns", l)
		assert.False(t, strings.HasPrefix(l, "，") || strings.HasPrefix(l, "；") || strings.HasPrefix(l, "。"), "a line never starts with closing punctuation: %q", l)
	}
	squeeze := strings.NewReplacer(" ", "", "\n", "")
	assert.Equal(t, squeeze.Replace(text), squeeze.Replace(got), "wrapping only breaks lines")
	assert.NotContains(t, got, "循 环", "breaks between Chinese characters add no space")
	assert.Contains(t, got, "Accept", "a Latin word stays whole")
}

// A command to copy is never broken over two lines, and is styled as code;
// text marked Unbroken stays on one line too, and its spaces come back.
func TestWrapKeeping(t *testing.T) {
	text := "Start again with: go run ./cmd/netbook check 03, or on 2 Jan 2006 15:04:05 if you like"
	text = strings.Replace(text, "2 Jan 2006 15:04:05", Unbroken("2 Jan 2006 15:04:05"), 1)
	got := Style{}.WrapKeeping(text, 30, "go run ./cmd/netbook check 03")
	assert.Equal(t, "Start again with:\ngo run ./cmd/netbook check 03,\nor on 2 Jan 2006 15:04:05 if\nyou like", got)
	assert.NotContains(t, Wrap(Unbroken("a b"), 1), unbroken)
}
