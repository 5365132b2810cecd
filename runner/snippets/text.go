package snippets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// WriteList prints a chapter's runnable snippets with their first lines
// of code, under the sections they are in (two snippets often start
// alike), in language l (c is the chapter in that language: its headings
// are the section titles); cmd is how to invoke netbook.
func WriteList(w io.Writer, c *book.Chapter, st style.Style, l lang.Lang, cmd string) {
	var runnable []*book.Snippet
	for _, s := range c.Snippets {
		if s.Runnable() {
			runnable = append(runnable, s)
		}
	}
	fmt.Fprintf(w, "%s · %s\n\n", st.Bold(l.Sprintf(lang.RunChapter, c.Number, c.Title)), l.Sprintf(lang.RunCount, len(runnable)))
	if len(runnable) == 0 {
		fmt.Fprintf(w, "  %s\n", l.Sprintf(lang.RunNone))
		return
	}
	shown := ""
	for _, s := range runnable {
		if sec := section(c, s.Line); sec != shown {
			fmt.Fprintf(w, "  %s\n", st.Bold(style.Clip(sec, 76)))
			shown = sec
		}
		var marks []string
		if s.Title != "" {
			marks = append(marks, s.Title)
		}
		if s.Server != "" {
			marks = append(marks, l.Sprintf(lang.RunServerOf, s.Server))
		}
		if s.Client != "" {
			marks = append(marks, l.Sprintf(lang.RunClientOf, s.Client))
		}
		if s.Toolchain {
			marks = append(marks, l.Sprintf(lang.RunToolchain))
		}
		label := ""
		if len(marks) > 0 {
			label = st.Dim("[" + strings.Join(marks, ", ") + "] ")
		}
		fmt.Fprintf(w, "    %-6s %s%s\n", s.ID(), label, style.Clip(FirstLine(s), 64))
	}
	fmt.Fprintf(w, "\n%s\n", l.Sprintf(lang.RunOne, st.Code(fmt.Sprintf("%s run %s", cmd, runnable[0].ID()))))
}

// section is the title of the innermost section (a heading below the
// chapter's title) that line is in, or "" before the first.
func section(c *book.Chapter, line int) string {
	title := ""
	for _, h := range c.Headings {
		if h.Line > line {
			break
		}
		if h.Level > 1 {
			title = h.Text
		}
	}
	return title
}

// FirstLine is the snippet's first line of code that says something: the
// first statement of main rather than "func main() {".
func FirstLine(s *book.Snippet) string {
	first := s.FirstLine()
	if first != "func main() {" {
		return first
	}
	inMain := false
	for _, l := range strings.Split(s.Code, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "func main() {":
			inMain = true
		case inMain && t != "" && !strings.HasPrefix(t, "//"):
			return t
		}
	}
	return first
}

// panicked reports whether res is a program that panicked: the exit
// status of a panic, and the runtime's "panic: " line in its output.
func panicked(res Result) bool {
	return res.ExitCode == 2 && (strings.HasPrefix(res.Output, "panic: ") || strings.Contains(res.Output, "\npanic: "))
}

// ErrDiffers is Explain's error for a run whose output is not the
// chapter's: a chapter bug, already said on the way.
var ErrDiffers = errors.New("the output differs from the chapter's")

// Explain says how a run of s that took took ended: on log, a line when it
// printed what the chapter shows (or a warning when not, with ErrDiffers),
// and otherwise an error that says what happened and what to try. timeout
// is the limit it ran under; toolchain whether it was compiled on request.
func Explain(log io.Writer, st style.Style, cmd string, s *book.Snippet, res Result, took, timeout time.Duration, toolchain bool) error {
	return explain(log, Stdio{Style: st, Cmd: cmd, Lang: lang.English}, s, res, took, timeout, toolchain, false)
}

// explain is Explain with its lines on log, and its error, in io's
// language, wrapped to its width (not at all when 0), with advice
// for where the snippet ran (io.Page, io.Edited). fed says the run had
// the student's arguments or standard input: its output may differ from
// the chapter's, which shows a run without them, and that is no bug.
func explain(log io.Writer, io Stdio, s *book.Snippet, res Result, took, timeout time.Duration, toolchain, fed bool) error {
	st, l, width := io.Style, io.Lang, io.Width
	// run is the command that runs the chapter's snippet as told; none
	// runs a page's edit, whose code is only on the page.
	run := func(flags string) string {
		cmd := fmt.Sprintf("%s run %s %s", io.Cmd, s.ID(), flags)
		if io.Page {
			return l.Sprintf(lang.RunInTerminal, cmd)
		}
		return cmd
	}
	switch {
	case res.TimedOut:
		longer := l.Sprintf(lang.RunLonger)
		switch {
		case io.Edited:
			longer = ""
		case io.Page:
			longer = l.Sprintf(lang.RunLongerIn, run("--timeout 30s"))
		}
		return errors.New(l.Sprintf(lang.RunTimedOut, s.ID(), timeout, longer))
	case errors.Is(res.Err, ErrOutputCap):
		return errors.New(l.Sprintf(lang.RunOutputCap, s.ID(), OutputCap>>10))
	case refused(res) && !toolchain && !s.Toolchain && io.Edited:
		return errors.New(l.Sprintf(lang.RunRefusedEdit, s.ID()))
	case refused(res) && !toolchain && !s.Toolchain:
		return errors.New(l.Sprintf(lang.RunRefused, s.ID(), run("--toolchain")))
	case panicked(res) && !toolchain && !s.Toolchain && io.Edited:
		return errors.New(l.Sprintf(lang.RunPanicEdit, s.ID(), res.ExitCode))
	case panicked(res) && !toolchain && !s.Toolchain:
		return errors.New(l.Sprintf(lang.RunPanic, s.ID(), res.ExitCode, run("--toolchain")))
	case res.Err != nil:
		return fmt.Errorf(lang.RunFailed.Format(l), s.ID(), res.Err)
	}
	if s.Output != nil && !s.Varies {
		if err := Compare(s, res.Output); err != nil {
			if fed {
				fmt.Fprintf(log, "%s\n", st.Dim(wrap(l.Sprintf(lang.RunDiffersFed, s.ID(), s.OutputLine), width)))
				return nil
			}
			fmt.Fprintf(log, "%s\n", st.Warn(wrap(l.Sprintf(lang.RunDiffers, s.ID(), s.OutputLine), width)))
			return ErrDiffers
		}
		fmt.Fprintf(log, "%s\n", st.Dim(l.Sprintf(lang.RunMatches, s.ID(), took.Round(time.Millisecond))))
	}
	return nil
}

// WriteOutcome prints one line (and the error, indented, its sentences
// wrapped to width columns, not at all when 0) for a snippet run by
// netbook run --all, and reports whether it passed.
func WriteOutcome(w io.Writer, st style.Style, out Outcome, width int) bool {
	err := out.Err
	if err == nil {
		err = Compare(out.Snippet, out.Output)
	}
	if err != nil {
		const indent = "      "
		msg := err.Error()
		if width > 0 {
			msg = wrapProse(msg, width-len(indent))
		}
		fmt.Fprintf(w, "  %s %s %s\n%s\n", st.Bad("✗"), out.Snippet.ID(), st.Dim(style.Clip(FirstLine(out.Snippet), 60)), style.Indent(msg, indent))
		return false
	}
	fmt.Fprintf(w, "  %s %s %s\n", st.Good("✓"), out.Snippet.ID(), st.Dim(style.Clip(FirstLine(out.Snippet), 60)))
	return true
}

// Stdio is where netbook run writes: the snippets' output, and its own
// lines about them and the error of a run that failed, styled, in Lang
// (English when zero), with cmd (how to invoke netbook) in advice. Its
// own lines are wrapped to Width columns, the terminal's (80 when piped); with 0, as
// for a web page, which wraps them itself, they are left whole.
type Stdio struct {
	Out, Log io.Writer
	Style    style.Style
	Cmd      string
	Lang     lang.Lang
	Width    int
	// Page says the run is the web book's, whose page has none of netbook
	// run's flags: advice names the command to type in a terminal.
	// Edited says the code is the student's edit on the page, which no
	// command runs: advice names none.
	Page, Edited bool
}

// wrap wraps text to width columns, or leaves it whole when width is 0.
func wrap(text string, width int) string {
	if width <= 0 {
		return text
	}
	return style.Wrap(text, width)
}

// wrapProse wraps the lines of an error that are sentences to width
// columns, and leaves whole the indented ones, which quote what a program
// printed or what the chapter says it prints: their lines are the point.
func wrapProse(text string, width int) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, " ") {
			lines[i] = style.Wrap(l, width)
		}
	}
	return strings.Join(lines, "\n")
}

// RunOne runs snippet s (and the other half of its pair, if it has one)
// with eng, streaming the output to io.Out and saying on io.Log what runs
// and how it ended; the error says what went wrong and what to try, and is
// ErrDiffers when the output is not the chapter's. A run given arguments
// or standard input (o.Args, o.Stdin) may print other things than the
// chapter shows: that is said, and is no error.
func RunOne(ctx context.Context, eng Engine, s *book.Snippet, o Options, io Stdio, toolchain bool) error {
	if io.Edited {
		o.edited = s
	}
	o.lang = io.Lang
	partner := Pair(s)
	start := time.Now()
	var res Result
	if partner == nil {
		where := chapterLine(s.Chapter, s.Line)
		fmt.Fprintf(io.Log, "%s\n", io.Style.Dim(wrap(io.Lang.Sprintf(lang.RunRunning, s.ID(), where, HowIn(io.Lang, eng, s)), io.Width)))
		res = Run(ctx, eng, s, o)
	} else {
		server, client := s, partner
		if s.Client != "" {
			server, client = partner, s
		}
		fmt.Fprintf(io.Log, "%s\n", io.Style.Dim(wrap(io.Lang.Sprintf(lang.RunRunningPair, server.ID(), client.ID(), HowIn(io.Lang, eng, s)), io.Width)))
		var err error
		if _, res, err = RunPair(ctx, eng, server, client, o); err != nil {
			return fmt.Errorf("the server, snippet %s, %v", server.ID(), err)
		}
		s = client
	}
	return explain(io.Log, io, s, res, time.Since(start), o.timeout(), toolchain, len(o.Args) > 0 || o.Stdin != nil)
}

// RunAll runs every runnable snippet of the chapters with eng, checks each
// against its output block, prints a line for each and a total on io.Out,
// and returns how many failed.
func RunAll(ctx context.Context, eng Engine, chapters []*book.Chapter, timeout time.Duration, io Stdio) (failed int, err error) {
	ran := 0
	for _, c := range chapters {
		outs := RunChapter(ctx, eng, c, timeout)
		if len(outs) == 0 {
			continue
		}
		fmt.Fprintf(io.Out, "%s\n", io.Style.Bold(io.Lang.Sprintf(lang.RunChapter, c.Number, c.Title)))
		for _, out := range outs {
			ran++
			if !WriteOutcome(io.Out, io.Style, out, io.Width) {
				failed++
			}
		}
		if ctx.Err() != nil {
			return failed, ctx.Err()
		}
	}
	fmt.Fprintf(io.Out, "\n%s\n", wrap(io.Lang.Sprintf(lang.RunAllTotal, ran-failed, ran), io.Width))
	return failed, nil
}
