package style

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Cols is the number of terminal columns s takes when printed: two for an
// East Asian wide or fullwidth character (汉字, fullwidth punctuation
// such as "，"), none for a combining mark or a control or format
// character, one for anything else. s must hold no escape codes or tabs.
func Cols(s string) int {
	n := 0
	for _, r := range s {
		n += RuneCols(r)
	}
	return n
}

// RuneCols is the number of terminal columns r takes (see Cols).
func RuneCols(r rune) int {
	switch {
	case r < 0x20 || r == 0x7f:
		return 0
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// Wide reports whether r is a wide (CJK) character, two columns.
func Wide(r rune) bool { return r >= 0x1100 && RuneCols(r) == 2 }

// noBreakBefore holds the characters a line may not start with: closing
// punctuation, Chinese and Latin.
const noBreakBefore = "，。、；：？！）」』》〉】〕”’…—～·,.;:?!)]}%"

// noBreakAfter holds the characters a line may not end with.
const noBreakAfter = "（「『《〈【〔“‘([{"

// BreakBetween reports whether a line may break between a and b with no
// space between them, as Chinese text breaks: next to a wide (CJK)
// character, unless punctuation forbids it (a line never starts with
// "，" or ends with "（").
func BreakBetween(a, b rune) bool {
	if !Wide(a) && !Wide(b) {
		return false
	}
	if RuneCols(b) == 0 {
		return false
	}
	return !strings.ContainsRune(noBreakBefore, b) && !strings.ContainsRune(noBreakAfter, a)
}

// Pad pads s with spaces on the right to n columns, as fmt's %-Ns does
// for text of one column per character; s as it is when it is wider.
func Pad(s string, n int) string {
	if w := Cols(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// PadLeft pads s with spaces on the left to n columns, as fmt's %Ns does.
func PadLeft(s string, n int) string {
	if w := Cols(s); w < n {
		return strings.Repeat(" ", n-w) + s
	}
	return s
}
