package interpbin

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// ttyReader reads lines from a terminal with editing and history. The
// terminal is raw only while a line is read, so that a running evaluation
// gets Ctrl-C as a signal.
type ttyReader struct {
	fd   int
	out  *newlines
	t    *term.Terminal
	intr *intrReader
	raw  *term.State // the terminal's cooked state, while it is raw
}

// intrReader counts Ctrl-C bytes on their way to the line editor, which
// reports Ctrl-C and Ctrl-D alike as io.EOF, one EOF for each Ctrl-C.
type intrReader struct {
	r       io.Reader
	pending int // Ctrl-Cs read but not yet reported
}

func (r *intrReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.pending += bytes.Count(p[:n], []byte{3})
	return n, err
}

func newTTYReader(in *os.File, out io.Writer) *ttyReader {
	r := &ttyReader{fd: int(in.Fd()), out: &newlines{w: out}, intr: &intrReader{r: in}}
	r.t = r.newTerminal(nil)
	return r
}

func (r *ttyReader) newTerminal(h term.History) *term.Terminal {
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{r.intr, r.out}, "> ")
	if h != nil {
		t.History = h
	}
	if w, h, err := term.GetSize(r.fd); err == nil && w > 0 && h > 0 {
		t.SetSize(w, h)
	}
	return t
}

func (r *ttyReader) ReadLine(cont bool) (string, error) {
	if cont {
		r.t.SetPrompt("... ")
	} else {
		r.t.SetPrompt("> ")
	}
	if r.raw == nil {
		old, err := term.MakeRaw(r.fd)
		if err != nil {
			return "", fmt.Errorf("unable to read from the terminal: %w", err)
		}
		r.out.onlcr = keepNewlines(r.fd)
		r.raw = old
	}
	line, err := r.t.ReadLine()
	if err == io.EOF && r.intr.pending > 0 {
		r.intr.pending--
		fmt.Fprint(r.out, "^C\r\n")
		// The line editor keeps its cursor after a Ctrl-C and would not
		// show the prompt again: start a fresh one with the same history.
		r.t = r.newTerminal(r.t.History)
		return "", errInterrupted
	}
	if err == io.EOF {
		fmt.Fprint(r.out, "\r\n")
	}
	return line, err
}

// Cook puts the terminal back as it was, for an evaluation: its output
// needs no carriage returns added, and Ctrl-C becomes a signal. The
// terminal stays raw between lines, so keys typed in between are kept.
func (r *ttyReader) Cook() {
	if r.raw != nil {
		term.Restore(r.fd, r.raw)
		r.raw = nil
	}
}

// newlines passes the line editor's output on. While the raw terminal
// turns "\n" into "\r\n" itself (keepNewlines), the editor's "\r\n"
// is written "\n", so that the terminal gets the bytes it would have got
// without: "\r\r\n" looks the same, but is not what a program reading
// the terminal expects.
type newlines struct {
	w     io.Writer
	onlcr bool
}

func (n *newlines) Write(p []byte) (int, error) {
	if !n.onlcr {
		return n.w.Write(p)
	}
	if _, err := n.w.Write(bytes.ReplaceAll(p, []byte("\r\n"), []byte("\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
