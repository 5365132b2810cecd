// Package markdown renders a chapter's Markdown for a terminal. It is the
// only package of the runner that links a Markdown renderer (glamour, with
// its syntax highlighter and HTML sanitiser: most of the binary's size and
// a good part of a cold build), so that only the command that shows
// chapters, netbook read, needs it; everything else styles its output with
// runner/style.
package markdown

import (
	"fmt"
	"os"

	"github.com/charmbracelet/glamour"
	"github.com/netbook/netbook/runner/style"
)

// Plain is the style that writes no escape codes.
const Plain = "notty"

// StyleFor picks the rendering style for output to f: Plain when colour is
// not allowed or f is not a terminal, else NETBOOK_STYLE or "dark". It
// never asks the renderer to detect the background: that queries the
// terminal and can stall for seconds.
func StyleFor(f *os.File) string {
	if !style.ColorAllowed() || !style.IsTerminal(f) {
		return Plain
	}
	if s := os.Getenv("NETBOOK_STYLE"); s != "" {
		return s
	}
	return "dark"
}

// For picks the style and width for output to f, as netbook read does:
// Plain when plain is set, else StyleFor(f); width when it is positive,
// else the terminal's (80 when f is not one).
func For(f *os.File, plain bool, width int) (styleName string, w int) {
	styleName = StyleFor(f)
	if plain {
		styleName = Plain
	}
	if width <= 0 {
		width = style.Width(f)
	}
	return styleName, width
}

// Render renders Markdown (already stripped of front matter) for a
// terminal of the given width (at most 100 columns are used) in the named
// style. Emoji shortcodes such as :smile: are left as they are written.
func Render(md []byte, styleName string, width int) (string, error) {
	if width > 100 {
		width = 100
	}
	r, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(styleName),
		glamour.WithWordWrap(width-4),
	)
	if err != nil {
		return "", fmt.Errorf("unable to render markdown: %w", err)
	}
	out, err := r.Render(string(md))
	if err != nil {
		return "", fmt.Errorf("unable to render markdown: %w", err)
	}
	return out, nil
}
