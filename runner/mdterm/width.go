package mdterm

import (
	"unicode"

	"golang.org/x/text/width"
)

// Width is the number of terminal columns s takes when printed: two for an
// East Asian wide or fullwidth character, none for a combining mark or a
// control or format character, one for anything else. s must hold no
// escape codes or tabs.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
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

func wide(r rune) bool { return r >= 0x1100 && runeWidth(r) == 2 }

// noBreakBefore holds the characters a line may not start with: closing
// punctuation, Chinese and Latin.
const noBreakBefore = "，。、；：？！）」』》〉】〕”’…—～·,.;:?!)]}%"

// noBreakAfter holds the characters a line may not end with.
const noBreakAfter = "（「『《〈【〔“‘([{"

// breakBetween reports whether a line may break between a and b with no
// space between them: next to a wide (CJK) character, unless punctuation
// forbids it.
func breakBetween(a, b rune) bool {
	if !wide(a) && !wide(b) {
		return false
	}
	if runeWidth(b) == 0 {
		return false
	}
	return !containsRune(noBreakBefore, b) && !containsRune(noBreakAfter, a)
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}
