package grade

import (
	"fmt"
	"io"
	"strings"
)

// Bar returns an Options.Progress that draws a progress bar on w, a
// terminal: one line, redrawn in place, ended when every record is done.
func Bar(w io.Writer) func(done, total int) {
	const width = 30
	return func(done, total int) {
		if total == 0 {
			return
		}
		n := done * width / total
		fmt.Fprintf(w, "\rgrading [%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
