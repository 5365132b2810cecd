package grade

import (
	"fmt"
	"io"

	"github.com/netbook/netbook/runner/style"
)

// Bar returns an Options.Progress that draws a progress bar on w, a
// terminal: one line, redrawn in place, ended when every record is done.
func Bar(w io.Writer) func(done, total int) {
	return func(done, total int) {
		if total == 0 {
			return
		}
		fmt.Fprintf(w, "\rgrading %s %d/%d", style.Bar(done, total, 30), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
