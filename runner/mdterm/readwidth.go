package mdterm

import (
	"fmt"
	"os"

	nbstyle "github.com/netbook/netbook/runner/style"
)

// The widths netbook read wraps prose to: an asked width is held between
// MinWidth and MaxWidth; without one, the terminal's width up to
// DefaultWidth (longer lines are hard to read), or 80 when the output is
// not a terminal.
const (
	MinWidth     = 40
	MaxWidth     = 200
	DefaultWidth = 100
)

// WidthFor returns the width to wrap a chapter at for output to f: asked,
// when it is not zero, held between MinWidth and MaxWidth (note then says
// so), else the terminal's.
func WidthFor(asked int, f *os.File) (width int, note string) {
	if asked == 0 {
		return min(nbstyle.Width(f), DefaultWidth), ""
	}
	w := max(MinWidth, min(asked, MaxWidth))
	if w != asked {
		note = fmt.Sprintf("--width %d is outside %d to %d; using %d", asked, MinWidth, MaxWidth, w)
	}
	return w, note
}
