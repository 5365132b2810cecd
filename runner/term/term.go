// Package term is netbook's terminal output: whether to use colour, how wide
// the screen is, and a handful of styles. Chapters are rendered by
// runner/mdterm.
//
// Colour follows NO_COLOR (https://no-color.org) and is off when the output
// is not a terminal, so piped output and golden files are plain text.
package term

import (
	"os"
	"strings"

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

// Width is the terminal's width, or 80 when f is not a terminal.
func Width(f *os.File) int {
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
