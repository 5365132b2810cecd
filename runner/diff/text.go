package diff

import (
	"fmt"
	"io"
	"strings"

	"github.com/netbook/netbook/runner/lang"
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
	// Lang is the report's language, English when zero. The bytes the
	// programs sent and the session files' own reports stay as they are.
	Lang lang.Lang
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
	in := adv.Lang
	if len(r.Sessions) == 0 {
		fmt.Fprintln(w, style.Wrap(in.Sprintf(lang.DiffNoSessions, r.Lab), width))
		if r.Kind == "server" && adv.Up != "" {
			fmt.Fprintln(w, s.WrapKeeping(in.Sprintf(lang.DiffRunByHand, adv.Up), width, adv.Up))
		}
		return
	}
	kind := in.Sprintf(lang.DiffServer)
	if r.Kind == "client" {
		kind = in.Sprintf(lang.DiffClient)
	}
	yours, theRef := in.Sprintf(lang.DiffYour, kind), in.Sprintf(lang.DiffTheRef, kind)
	var head string
	if in.IsEnglish() {
		head = fmt.Sprintf("%s: your %s against the reference, %d %s", r.Lab, r.Kind, len(r.Sessions), style.Plural(len(r.Sessions), "scripted session", "scripted sessions"))
	} else {
		head = in.Sprintf(lang.DiffHead, r.Lab, kind, len(r.Sessions))
	}
	head = style.Wrap(head, width)
	fmt.Fprintf(w, "%s%s\n\n", s.Bold(r.Lab), strings.TrimPrefix(head, r.Lab))
	for _, ses := range r.Sessions {
		switch ses.Status {
		case Same:
			fmt.Fprintf(w, "%s  %s\n", s.Good(in.Sprintf(lang.DiffSame)), ses.Name)
		case Differs:
			fmt.Fprintf(w, "%s  %s\n", s.Bad(in.Sprintf(lang.DiffDiffers)), ses.Name)
			writeSideIn(w, in, ses.Student, r.Kind, yours, width)
			if printed := ses.PrintedIn(in); printed != "" {
				in.Fprintf(w, lang.DiffDriverPrinted, kind)
				w.Write([]byte(style.Indent(printed, "  ")))
				writeStderr(w, in, in.Sprintf(lang.DiffYours), ses.Student.Stderr)
				writeStderr(w, in, in.Sprintf(lang.DiffTheReferences), ses.Reference.Stderr)
			}
			in.Fprintf(w, lang.DiffRefFollows, kind)
		case BadSession:
			fmt.Fprintf(w, "%s  %s\n", s.Warn(in.Sprintf(lang.DiffBad)), ses.Name)
			fmt.Fprintln(w, style.Wrap("    "+in.Sprintf(lang.DiffBadSession, kind, ses.File), width))
			writeSideIn(w, in, ses.Reference, r.Kind, theRef, width)
		}
	}
	same := r.Count(Same)
	in.Fprintf(w, lang.DiffCount, same, len(r.Sessions))
	if same < len(r.Sessions) && r.Count(Differs) > 0 {
		if r.Kind == "server" && adv.Up != "" {
			fmt.Fprintln(w, s.WrapKeeping(in.Sprintf(lang.DiffTalkByHand, adv.Up, adv.UpRef), width, adv.Up, adv.UpRef))
		}
		if adv.Check != "" {
			fmt.Fprintln(w, s.WrapKeeping(in.Sprintf(lang.DiffWhichTask, adv.Check), width, adv.Check))
		}
	}
}

// writeSide explains how one implementation went wrong in a session: the
// mismatch and any other problem, the problem first when the server exited
// during the session or a limit stopped it, since that is why steps failed.
func writeSide(w io.Writer, side *Side, kind, who string, width int) {
	writeSideIn(w, lang.English, side, kind, who, width)
}

// writeSideIn is writeSide in language in.
func writeSideIn(w io.Writer, in lang.Lang, side *Side, kind, who string, width int) {
	first := side.Exited || side.Limit != ""
	if first {
		writeProblem(w, in, side, kind, width)
	}
	if m := side.Mismatch; m != nil {
		if kind == "client" {
			fmt.Fprintln(w, style.Wrap("    "+in.Sprintf(lang.DiffDidNotSend, who), width))
		}
		// The report's first line is a sentence, which wraps; the rest
		// shows bytes, which must stay as they are.
		head, rest, _ := strings.Cut(m.Report, "\n")
		fmt.Fprintf(w, "%s\n", style.Wrap("    "+head, width))
		w.Write([]byte(style.Indent(rest, "    ")))
	}
	if !first {
		writeProblem(w, in, side, kind, width)
	}
}

func writeProblem(w io.Writer, in lang.Lang, side *Side, kind string, width int) {
	if side.Problem == "" {
		return
	}
	fmt.Fprintf(w, "%s\n", style.Wrap("    "+side.ProblemIn(in), width))
	if kind == "server" && side.Output != "" {
		w.Write([]byte(style.Indent(tailIn(in, side.Output, 20), "      | ")))
	}
}

func writeStderr(w io.Writer, in lang.Lang, whose, stderr string) {
	if stderr = strings.TrimSpace(stderr); stderr != "" {
		in.Fprintf(w, lang.DiffStderr, whose)
		w.Write([]byte(style.Indent(tailIn(in, stderr, 10), "      | ")))
	}
}

// tailIn is the last n lines of s, and how many came before them, in
// language in.
func tailIn(in lang.Lang, s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{in.Sprintf(lang.DiffLinesBefore, len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
