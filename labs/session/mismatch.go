package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// contextSteps is how many steps before the failing one a report shows.
const contextSteps = 4

// Mismatch is the first step of a session that did not go as written.
type Mismatch struct {
	Step     Step // the step that failed
	Index    int  // its index in Session.Steps
	UDP      bool // whether the step's connection is UDP
	Accepted bool // whether it was accepted: the session plays the server, the peer is the client

	// Got is what arrived for an expect (<-, <~) or eof step.
	Got []byte
	// Offset is, for an exact expect, the index of the first byte of Got
	// that differs from Step.Data, or where Got stops short of it; -1 for
	// other steps.
	Offset int
	// Err is what ended the step early: a timeout, end of file, a reset, a
	// failed dial or write, or the context. It is nil when the bytes that
	// arrived are simply not the expected ones.
	Err error

	Before  []Step        // the steps just before it, for context
	Timeout time.Duration // how long the step could wait
}

// Error summarises the mismatch in one line, starting with file:line.
func (m *Mismatch) Error() string {
	return m.Step.Pos.String() + ": " + m.headline()
}

// Report explains the mismatch for a person reading a terminal: what the
// server should have sent and what it sent, escaped so that invisible bytes
// show, with a caret under the first byte that differs, followed by the
// steps that led there.
//
//	greet.session:6: connection a received different bytes
//	  # A name gets a comma after the greeting.
//	  expected: "Hello, Michael!\n"
//	  received: "Hello Michael!\n"
//	                  ^ first difference, at byte 5
//
//	  steps so far:
//	    2: dial a
//	    5: a -> Michael\n
//	  > 6: a <- Hello, Michael!\n
//
// The # lines are the session's comment on the step (Step.Comment), which
// says what it checks. The steps are named by their line when they are in
// the failing step's file. Long data and steps are cut so that a report
// indented by four columns fits in 80; a pattern is shown whole.
func (m *Mismatch) Report() string {
	var b strings.Builder
	b.WriteString(m.Error() + "\n")
	for _, line := range reflow(m.Step.Comment, commentWidth) {
		b.WriteString(strings.TrimRight("  # "+line, " ") + "\n")
	}
	switch {
	case m.Step.Op == Expect:
		m.writeExpect(&b)
	case m.Step.Op == Match:
		_, pattern, _ := strings.Cut(m.Step.Source, "<~ ")
		fmt.Fprintf(&b, "  pattern:  %s\n", pattern) // whole: it is what the line must match
		fmt.Fprintf(&b, "  received: %s\n", quoteClipped(m.Got))
	case m.Step.Op == EOF && m.Err == nil:
		fmt.Fprintf(&b, "  expected: the end of the connection\n")
		fmt.Fprintf(&b, "  received: %s\n", quoteClipped(m.Got))
	}
	b.WriteString("\n  steps so far:\n")
	for _, st := range m.Before {
		fmt.Fprintf(&b, "    %s: %s\n", m.where(st), clip(st.Source))
	}
	fmt.Fprintf(&b, "  > %s: %s\n", m.where(m.Step), clip(m.Step.Source))
	return b.String()
}

// where names a step in the list of steps: by its line when it is in the
// failing step's file, which the report's first line names.
func (m *Mismatch) where(st Step) string {
	if st.Pos.File == m.Step.Pos.File {
		return strconv.Itoa(st.Pos.Line)
	}
	return st.Pos.String()
}

// commentWidth is how many columns of a session's comment a report's line
// holds: with its "  # " and diff's indent of four, 80.
const commentWidth = 72

// reflow fills the paragraphs of comment (separated by a blank line) into
// lines of at most width columns, breaking only between words: an author
// breaks a comment for the session file, a report for its own indent.
func reflow(comment string, width int) []string {
	var out []string
	for i, para := range strings.Split(comment, "\n\n") {
		if i > 0 {
			out = append(out, "")
		}
		line, cols := "", 0
		for _, word := range strings.Fields(para) {
			w := 0
			for _, r := range word {
				w += runeWidth(r)
			}
			if cols > 0 && cols+1+w > width {
				out = append(out, line)
				line, cols = "", 0
			}
			if cols > 0 {
				line += " "
				cols++
			}
			line += word
			cols += w
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// peer names the other end of the step's connection.
func (m *Mismatch) peer() string {
	if m.Accepted {
		return "client"
	}
	return "server"
}

func (m *Mismatch) headline() string {
	conn := "connection " + m.Step.Conn
	if isContext(m.Err) {
		return "the session was stopped: " + m.Err.Error()
	}
	peer := m.peer()
	switch m.Step.Op {
	case Dial, UDP:
		return fmt.Sprintf("could not open %s: %v", conn, m.Err)
	case Accept:
		if isTimeout(m.Err) {
			return fmt.Sprintf("no client connected within %v (to accept %s)", m.Timeout, conn)
		}
		return fmt.Sprintf("could not accept %s: %v", conn, m.Err)
	case Send:
		return fmt.Sprintf("sending on %s failed: %s", conn, m.explain(false))
	case Expect:
		switch {
		case m.Err == nil && m.UDP:
			return conn + " received a different datagram"
		case m.Err == nil:
			return conn + " received different bytes"
		case len(m.Got) == 0 && isTimeout(m.Err):
			return fmt.Sprintf("%s received nothing within %v", conn, m.Timeout)
		case len(m.Got) == 0:
			return conn + " received nothing: " + m.explain(true)
		}
		return conn + " received only part of what was expected: " + m.explain(false)
	case Match:
		unit := "line"
		if m.UDP {
			unit = "datagram"
		}
		if m.Err == nil {
			return fmt.Sprintf("the %s received on %s does not match the pattern", unit, conn)
		}
		return fmt.Sprintf("%s expected a %s matching the pattern: %s", conn, unit, m.explain(len(m.Got) == 0))
	case EOF:
		switch {
		case m.Err == nil:
			return fmt.Sprintf("%s expected the %s to close the connection, but more bytes arrived", conn, peer)
		case isReset(m.Err):
			return fmt.Sprintf("%s expected the %s to close the connection cleanly, but it reset it (RST)", conn, peer)
		case isTimeout(m.Err):
			return fmt.Sprintf("%s expected the %s to close the connection, but it was still open after %v", conn, peer, m.Timeout)
		}
		return fmt.Sprintf("%s expected the %s to close the connection: %v", conn, peer, m.Err)
	}
	return fmt.Sprintf("%s %s failed: %v", conn, m.Step.Op, m.Err)
}

// explain says in words why a read or write ended.
func (m *Mismatch) explain(nothing bool) string {
	err := m.Err
	more := " more"
	if nothing {
		more = ""
	}
	switch {
	case isTimeout(err):
		return fmt.Sprintf("nothing%s arrived within %v", more, m.Timeout)
	case errors.Is(err, io.EOF):
		return "the " + m.peer() + " closed the connection"
	case isReset(err):
		return "the " + m.peer() + " reset the connection (RST)"
	case errors.Is(err, syscall.EPIPE):
		return "the " + m.peer() + " had already closed the connection"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing is listening there (the kernel answered \"port unreachable\")"
	case errors.Is(err, net.ErrClosed):
		return "the connection was already closed"
	}
	return err.Error()
}

func (m *Mismatch) writeExpect(b *strings.Builder) {
	want, got := tokenize(m.Step.Data), tokenize(m.Got)
	k := 0 // the token that holds byte m.Offset, the same in both
	for k < len(got) && got[k].end <= m.Offset {
		k++
	}
	lo := window(got, k)
	wantText, _ := render(want, lo, k)
	gotText, col := render(got, lo, k)
	fmt.Fprintf(b, "  expected: %s\n", wantText)
	fmt.Fprintf(b, "  received: %s\n", gotText)
	note := fmt.Sprintf("first difference, at byte %d", m.Offset)
	switch {
	case m.Err != nil && m.Offset < len(m.Step.Data) && m.Step.Data[m.Offset] == '\n' && isTimeout(m.Err):
		note = m.explain(len(m.Got) == 0) + `: is the \n that ends the line missing?`
	case m.Err != nil && (errors.Is(m.Err, io.EOF) || isReset(m.Err)):
		note = m.explain(len(m.Got) == 0) + " here"
	case m.Err != nil:
		note = m.explain(len(m.Got) == 0)
	case m.Offset >= len(m.Step.Data):
		note = "more than expected, from here"
	}
	fmt.Fprintf(b, "  %s^ %s\n", strings.Repeat(" ", len("received: ")+col), note)
}

// Reports show at most this many columns before and after the difference,
// so that a received line, quoted and elided at both ends, fits in 80
// columns under diff's indent.
const (
	widthBefore = 36
	widthAfter  = 20
)

// window returns the first token to show so that the caret at token k is at
// most widthBefore columns in.
func window(toks []token, k int) int {
	w, lo := 0, k
	for lo > 0 && w+toks[lo-1].width <= widthBefore {
		lo--
		w += toks[lo].width
	}
	return lo
}

// render quotes toks from lo, eliding what is too far after the caret, and
// returns the column where token k starts.
func render(toks []token, lo, k int) (string, int) {
	var b strings.Builder
	w := 0 // columns so far: runes are not columns, and CJK takes two
	if lo > 0 {
		b.WriteString("...")
		w += 3
	}
	b.WriteByte('"')
	w++
	start, col := w, -1
	for i := lo; i < len(toks); i++ {
		if i == k {
			col = w
		}
		if i > k && w-start > widthBefore+widthAfter {
			b.WriteString(`"...`)
			return b.String(), col
		}
		b.WriteString(toks[i].text)
		w += toks[i].width
	}
	if col < 0 {
		col = w
	}
	b.WriteByte('"')
	return b.String(), col
}

// quoteClipped quotes b, eliding what does not fit on a line.
func quoteClipped(b []byte) string {
	text, _ := render(tokenize(b), 0, 0)
	return text
}

// clip shortens a long source line for the list of steps.
func clip(s string) string {
	const most = widthBefore + widthAfter
	if utf8.RuneCountInString(s) <= most {
		return s
	}
	return string([]rune(s)[:most]) + "..."
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }

func isContext(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
