// Package style is netbook's terminal styling: whether to use colour, how
// wide the screen is, a handful of ANSI styles, and the small layout helpers
// (indenting, clipping, wrapping, a progress bar, a list of names, a day)
// that every screen shares.
// It has no dependencies beyond golang.org/x/term and golang.org/x/text/width
// (how many columns a character takes: a Chinese one takes two); chapters
// are rendered by runner/mdterm.
//
// Colour follows NO_COLOR (https://no-color.org) and is off when the output
// is not a terminal, so piped output and golden files are plain text.
package style

import (
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"
)

// Style adds ANSI colour to text when Color is set, and nothing otherwise.
type Style struct {
	Color bool
}

// For returns the style for output written to f.
func For(f *os.File) Style {
	return Style{Color: ColorAllowed() && IsTerminal(f)}
}

// ColorAllowed reports whether the environment permits colour at all.
func ColorAllowed() bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return os.Getenv("TERM") != "dumb"
}

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool {
	return f != nil && term.IsTerminal(int(f.Fd()))
}

// Width is the width to fit output written to f to: COLUMNS when it is
// set to a number above 20 (COLUMNS=60 go run ./cmd/netbook hint 01, also
// when the output is piped), else the terminal's width, or 80 when f is
// not a terminal. A nil f (output to a buffer) is 80 wide whatever
// COLUMNS says.
func Width(f *os.File) int {
	if f == nil {
		return 80
	}
	if w, err := strconv.Atoi(strings.TrimSpace(os.Getenv("COLUMNS"))); err == nil && w > 20 {
		return w
	}
	if IsTerminal(f) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 20 {
			return w
		}
	}
	return 80
}

func (s Style) wrap(code, text string) string {
	if !s.Color || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// Bold emphasises text.
func (s Style) Bold(text string) string { return s.wrap("1", text) }

// Dim de-emphasises text.
func (s Style) Dim(text string) string { return s.wrap("2", text) }

// Good marks success.
func (s Style) Good(text string) string { return s.wrap("32", text) }

// Bad marks failure.
func (s Style) Bad(text string) string { return s.wrap("31", text) }

// Warn marks something to look at.
func (s Style) Warn(text string) string { return s.wrap("33", text) }

// Code marks a command to copy.
func (s Style) Code(text string) string { return s.wrap("36", text) }

// Indent prefixes every non-empty line of text with prefix.
func Indent(text, prefix string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// Clip shortens s to n columns (see Cols: a Chinese character takes two),
// ending it with an ellipsis when it was wider.
func Clip(s string, n int) string {
	if Cols(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		if w+RuneCols(r) > n-1 {
			break
		}
		b.WriteRune(r)
		w += RuneCols(r)
	}
	return b.String() + "…"
}

// Bar draws a progress bar of width characters: [######------].
func Bar(done, total, width int) string {
	if total == 0 {
		return "[" + strings.Repeat("-", width) + "]"
	}
	n := done * width / total
	return "[" + strings.Repeat("#", n) + strings.Repeat("-", width-n) + "]"
}

// Wrap breaks every line of text wider than width columns at spaces, and
// between Chinese characters as Chinese text breaks (see BreakBetween), so
// that prose reads on a terminal; a line's leading spaces start each of its
// continuation lines too, and a word wider than width stays whole, as does
// text marked Unbroken.
func Wrap(text string, width int) string {
	lines := strings.Split(text, "\n")
	var out []string
	for _, l := range lines {
		if Cols(l) <= width {
			out = append(out, l)
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
		cur, curW := indent, Cols(indent)
		for _, word := range strings.Fields(l) {
			for i, piece := range pieces(word) {
				space := i == 0 && cur != indent
				w := Cols(piece)
				if space {
					w++
				}
				if cur != indent && curW+w > width {
					out = append(out, cur)
					cur, curW, space = indent, Cols(indent), false
					w = Cols(piece)
				}
				if space {
					cur += " "
				}
				cur += piece
				curW += w
			}
		}
		out = append(out, cur)
	}
	return strings.ReplaceAll(strings.Join(out, "\n"), unbroken, " ")
}

// unbroken stands for a space Wrap may not break a line at: one column
// wide, and a space again in what Wrap returns.
const unbroken = "\uE000"

// Unbroken returns s marked so that Wrap never breaks a line inside it
// (Wrap gives its spaces back): for a date, or a command a reader copies.
func Unbroken(s string) string { return strings.ReplaceAll(s, " ", unbroken) }

// WrapKeeping wraps text as Wrap does, but never inside the first
// occurrence of each of cmds, commands a reader copies (one broken over
// two lines runs as two), and styles each of them as code. A command
// wider than width gets a line of its own.
func (s Style) WrapKeeping(text string, width int, cmds ...string) string {
	for _, c := range cmds {
		text = strings.Replace(text, c, Unbroken(c), 1)
	}
	text = Wrap(text, width)
	for _, c := range cmds {
		text = strings.Replace(text, c, s.Code(c), 1)
	}
	return text
}

// pieces cuts a word (text without spaces) where a line may break inside
// it: between Chinese characters. A word of Latin letters is one piece.
func pieces(word string) []string {
	var out []string
	start := 0
	var prev rune
	for i, r := range word {
		if i > 0 && BreakBetween(prev, r) {
			out = append(out, word[start:i])
			start = i
		}
		prev = r
	}
	return append(out, word[start:])
}

// Join lists names as a reader reads them: "a", "a and b", "a, b and c".
func Join(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Plural is one when n is 1, else many: Plural(n, "lab", "labs").
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Day is how netbook writes a day, in local time: "2 Mar 2026".
func Day(t time.Time) string { return t.Local().Format("2 Jan 2006") }
