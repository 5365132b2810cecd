package watch

import (
	"bufio"
	"context"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// Keys delivers key presses until ctx ends: single keys from a terminal
// (in raw mode until restore is called), or the first character of each
// line from a pipe or file. The channel closes at the end of input. raw
// reports whether the terminal was made raw: output then needs CRLF.
// From a device that is no terminal (/dev/null: netbook started in the
// background, or by an editor) no key ever comes: keys is nil, so that
// the screen does not offer keys that do nothing.
func Keys(ctx context.Context, in *os.File) (keys <-chan rune, raw bool, restore func()) {
	ch := make(chan rune)
	restore = func() {}
	var next func() (rune, bool)
	fd := int(in.Fd())
	if fi, err := in.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && !term.IsTerminal(fd) {
		return nil, false, restore
	}
	if term.IsTerminal(fd) {
		old, err := term.MakeRaw(fd)
		if err != nil {
			return nil, false, restore
		}
		raw, restore = true, func() { term.Restore(fd, old) }
		r := bufio.NewReader(in)
		next = func() (rune, bool) {
			k, _, err := r.ReadRune()
			return k, err == nil
		}
	} else {
		sc := bufio.NewScanner(in)
		next = func() (rune, bool) {
			for sc.Scan() {
				if line := strings.TrimSpace(sc.Text()); line != "" {
					return []rune(line)[0], true
				}
			}
			return 0, false
		}
	}
	go func() {
		defer close(ch)
		for {
			k, ok := next()
			if !ok {
				return
			}
			select {
			case ch <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, raw, restore
}

// CRLF turns "\n" into "\r\n" on the way to a terminal in raw mode, which
// does not return the carriage by itself.
func CRLF(w io.Writer) io.Writer { return crlf{w} }

type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	if _, err := c.w.Write([]byte(strings.ReplaceAll(string(p), "\n", "\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
