package diff

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/style"
)

// Advice is what WriteText suggests trying next: commands to copy.
type Advice struct {
	Up    string // run the student's server by hand: "netbook up 03"
	UpRef string // and the reference: "netbook up 03 --ref"
	Check string // the lab's tests: "netbook check 03"
	// Width is the terminal's width, in columns: the report's sentences
	// are wrapped to it, never inside a command; DefaultWidth when zero.
	Width int
}

// DefaultWidth is the width the report's sentences are wrapped to when
// Advice gives none: what a file or a pipe gets.
const DefaultWidth = 80

// WriteText writes the report for a person: one line per session, and
// under each that differs, where and how.
func WriteText(w io.Writer, r *Report, s style.Style, adv Advice) {
	width := adv.Width
	if width <= 0 {
		width = DefaultWidth
	}
	if len(r.Sessions) == 0 {
		fmt.Fprintln(w, style.Wrap(fmt.Sprintf("Lab %s has no scripted sessions to play (testdata/*.session).", r.Lab), width))
		if r.Kind == "server" && adv.Up != "" {
			fmt.Fprintln(w, s.WrapKeeping("Run your server by hand instead: "+adv.Up, width, adv.Up))
		}
		return
	}
	head := style.Wrap(fmt.Sprintf("%s: your %s against the reference, %d %s", r.Lab, r.Kind, len(r.Sessions), style.Plural(len(r.Sessions), "scripted session", "scripted sessions")), width)
	fmt.Fprintf(w, "%s%s\n\n", s.Bold(r.Lab), strings.TrimPrefix(head, r.Lab))
	for _, ses := range r.Sessions {
		switch ses.Status {
		case Same:
			fmt.Fprintf(w, "%s  %s\n", s.Good("same   "), ses.Name)
		case Differs:
			fmt.Fprintf(w, "%s  %s\n", s.Bad("DIFFERS"), ses.Name)
			writeSide(w, ses.Student, r.Kind, "your "+r.Kind, width)
			if ses.Printed != "" {
				fmt.Fprintf(w, "\n    what the driver printed with your %s, against the reference's:\n", r.Kind)
				w.Write([]byte(style.Indent(ses.Printed, "  ")))
				writeStderr(w, "yours", ses.Student.Stderr)
				writeStderr(w, "the reference's", ses.Reference.Stderr)
			}
			fmt.Fprintf(w, "    (the reference %s follows this session)\n", r.Kind)
		case BadSession:
			fmt.Fprintf(w, "%s  %s\n", s.Warn("BAD    "), ses.Name)
			fmt.Fprintln(w, style.Wrap(fmt.Sprintf("    The reference %s does not follow this session either, so the session file %s is wrong "+
				"(or the reference, or the lab's driver): a bug in the book, not in your code. What the reference did:", r.Kind, ses.File), width))
			writeSide(w, ses.Reference, r.Kind, "the reference "+r.Kind, width)
		}
	}
	same := r.Count(Same)
	fmt.Fprintf(w, "\n%d of %d sessions the same as the reference.\n", same, len(r.Sessions))
	if same < len(r.Sessions) && r.Count(Differs) > 0 {
		if r.Kind == "server" && adv.Up != "" {
			fmt.Fprintln(w, s.WrapKeeping(fmt.Sprintf("Talk to your server by hand: %s (and the reference: %s)", adv.Up, adv.UpRef), width, adv.Up, adv.UpRef))
		}
		if adv.Check != "" {
			fmt.Fprintln(w, s.WrapKeeping("The lab's tests say which task this is: "+adv.Check, width, adv.Check))
		}
	}
}

// writeSide explains how one implementation went wrong in a session: the
// mismatch and any other problem, the problem first when the server exited
// during the session or a limit stopped it, since that is why steps failed.
func writeSide(w io.Writer, side *Side, kind, who string, width int) {
	first := side.Exited || side.Limit != ""
	if first {
		writeProblem(w, side, kind, width)
	}
	if m := side.Mismatch; m != nil {
		if kind == "client" {
			fmt.Fprintln(w, style.Wrap(fmt.Sprintf("    %s did not send what the server's script expects:", who), width))
		}
		// The report's first line is a sentence, which wraps; the rest
		// shows bytes, which must stay as they are.
		head, rest, _ := strings.Cut(m.Report, "\n")
		fmt.Fprintf(w, "%s\n", style.Wrap("    "+head, width))
		w.Write([]byte(style.Indent(rest, "    ")))
	}
	if !first {
		writeProblem(w, side, kind, width)
	}
}

func writeProblem(w io.Writer, side *Side, kind string, width int) {
	if side.Problem == "" {
		return
	}
	fmt.Fprintf(w, "%s\n", style.Wrap("    "+side.Problem, width))
	if kind == "server" && side.Output != "" {
		w.Write([]byte(style.Indent(tail(side.Output, 20), "      | ")))
	}
}

func writeStderr(w io.Writer, whose, stderr string) {
	if stderr = strings.TrimSpace(stderr); stderr != "" {
		fmt.Fprintf(w, "    and on standard error (%s, not compared):\n", whose)
		w.Write([]byte(style.Indent(tail(stderr, 10), "      | ")))
	}
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("(%d lines before)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
