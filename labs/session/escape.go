package session

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote shows bytes the way a session file writes them, between double
// quotes: printable UTF-8 as is, and \n \r \t \\ \xHH for the rest. A "
// inside is left alone, since the closing quote is always the last one on
// the line; that keeps JSON readable.
func Quote(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, t := range tokenize(b) {
		sb.WriteString(t.text)
	}
	sb.WriteByte('"')
	return sb.String()
}

// token is how one character (or one byte that is not part of a valid
// character) is shown, and how many terminal columns it takes.
type token struct {
	text  string
	width int
	end   int // offset just past its bytes
}

func tokenize(b []byte) []token {
	toks := make([]token, 0, len(b))
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		var t token
		switch {
		case r == '\n':
			t.text = `\n`
		case r == '\r':
			t.text = `\r`
		case r == '\t':
			t.text = `\t`
		case r == '\\':
			t.text = `\\`
		case r == utf8.RuneError && size <= 1, !unicode.IsPrint(r):
			// Escape each byte, so the text is valid session data again.
			for _, c := range b[i : i+size] {
				t.text += fmt.Sprintf(`\x%02x`, c)
			}
		}
		if t.text == "" {
			t.text, t.width = string(r), runeWidth(r)
		} else {
			t.width = len(t.text)
		}
		i += size
		t.end = i
		toks = append(toks, t)
	}
	return toks
}

// runeWidth is how many columns a terminal gives r: two for the wide East
// Asian scripts (so a caret lines up under text after 中文), none for a
// combining mark, one otherwise. It is an approximation of Unicode UAX #11
// that covers the ranges labs use, without a dependency.
func runeWidth(r rune) int {
	if unicode.In(r, unicode.Mn, unicode.Me) {
		return 0
	}
	for _, w := range wide {
		if r >= w[0] && r <= w[1] {
			return 2
		}
	}
	return 1
}

var wide = [][2]rune{
	{0x1100, 0x115F},   // Hangul Jamo
	{0x2E80, 0x303E},   // CJK radicals, punctuation
	{0x3041, 0x33FF},   // kana, CJK symbols
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xA000, 0xA4CF},   // Yi
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE30, 0xFE4F},   // CJK compatibility forms
	{0xFF00, 0xFF60},   // fullwidth forms
	{0xFFE0, 0xFFE6},   // fullwidth signs
	{0x1F300, 0x1F64F}, // pictographs, emoticons
	{0x1F900, 0x1F9FF}, // supplemental pictographs
	{0x20000, 0x3FFFD}, // CJK extensions B and later
}
