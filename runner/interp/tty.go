package interp

import (
	"bytes"
	"fmt"
	"go/token"
	"io"
	"os"

	"golang.org/x/term"
)

// ttyReader reads lines from a terminal with editing and history. The
// terminal is raw only while a line is read, so that a running evaluation
// gets Ctrl-C as a signal.
type ttyReader struct {
	fd   int
	t    *term.Terminal
	intr *intrReader
}

// intrReader notes a Ctrl-C byte on its way to the line editor, which
// reports Ctrl-C and Ctrl-D alike as io.EOF.
type intrReader struct {
	r   io.Reader
	hit bool
}

func (r *intrReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if bytes.IndexByte(p[:n], 3) >= 0 {
		r.hit = true
	}
	return n, err
}

func newTTYReader(in *os.File, out io.Writer) *ttyReader {
	intr := &intrReader{r: in}
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{intr, out}, "> ")
	if w, h, err := term.GetSize(int(in.Fd())); err == nil {
		t.SetSize(w, h)
	}
	return &ttyReader{fd: int(in.Fd()), t: t, intr: intr}
}

func (r *ttyReader) ReadLine(cont bool) (string, error) {
	if cont {
		r.t.SetPrompt("... ")
	} else {
		r.t.SetPrompt("> ")
	}
	old, err := term.MakeRaw(r.fd)
	if err != nil {
		return "", fmt.Errorf("unable to read from the terminal: %w", err)
	}
	defer term.Restore(r.fd, old)
	r.intr.hit = false
	line, err := r.t.ReadLine()
	if err == io.EOF && r.intr.hit {
		fmt.Fprint(r.t, "^C\r\n")
		return "", errInterrupted
	}
	if err == io.EOF {
		fmt.Fprint(r.t, "\r\n")
	}
	return line, err
}

func tokenFileSet() *token.FileSet { return token.NewFileSet() }
