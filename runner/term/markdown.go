package term

import (
	"fmt"
	"os"

	"github.com/charmbracelet/glamour"
)

// MarkdownStyle picks glamour's style for output to f: "notty" (plain) when
// colour is not allowed or f is not a terminal, else NETBOOK_STYLE or
// "dark". It never asks glamour to detect the background: that queries the
// terminal and can stall for seconds.
func MarkdownStyle(f *os.File) string {
	if !ColorAllowed() || !IsTerminal(f) {
		return "notty"
	}
	if s := os.Getenv("NETBOOK_STYLE"); s != "" {
		return s
	}
	return "dark"
}

// RenderMarkdown renders Markdown (already stripped of front matter) for a
// terminal of the given width in the named glamour style.
func RenderMarkdown(md []byte, style string, width int) (string, error) {
	if width > 100 {
		width = 100
	}
	r, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(style),
		glamour.WithWordWrap(width-4),
		glamour.WithEmoji(),
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
