package mdterm

import nbstyle "github.com/netbook/netbook/runner/style"

// Width is the number of terminal columns s takes when printed: two for an
// East Asian wide or fullwidth character, none for a combining mark or a
// control or format character, one for anything else (style.Cols). s must
// hold no escape codes or tabs.
func Width(s string) int { return nbstyle.Cols(s) }

func runeWidth(r rune) int { return nbstyle.RuneCols(r) }

func wide(r rune) bool { return nbstyle.Wide(r) }

// breakBetween reports whether a line may break between a and b with no
// space between them (style.BreakBetween).
func breakBetween(a, b rune) bool { return nbstyle.BreakBetween(a, b) }
