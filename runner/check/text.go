package check

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// Advice is what the text report suggests after the results: commands the
// student can copy.
type Advice struct {
	Edit  []string // the files to edit, as paths to show
	Again string   // the command that checks again
	Hint  string   // the command that shows the next hint, if any are left
	Next  string   // what to do once the lab passes
	// Compare is the command that shows the reference next to the
	// student's files, given when the lab has just been done for the first
	// time.
	Compare string
	// Only is the --task list the check ran ("2" or "2,3"), empty when it
	// ran every task: the headline then counts the tasks it ran.
	Only string
	// Lang is the language the report is written in (the runner's words:
	// the results' task titles are the lab's own); English when empty.
	// Failure messages come from the tests and stay as they are.
	Lang lang.Lang
	// Width is the terminal's width, in columns: the whole report is
	// wrapped to it (a failure's message under each line's own
	// indentation, never inside a command to copy); 80 when zero.
	Width int
	// NotStarted says the lab's files are the skeleton as shipped: the
	// first line calls it not started, as the dashboard does, with its
	// count.
	NotStarted bool
	// Elsewhere says the lab was done, on DoneAt, in another copy of the
	// book (netbook progress --import) and its files here are the
	// skeleton: a report that is not a pass says so under its first
	// line, as the dashboard's "files elsewhere" and the web book do.
	Elsewhere bool
	DoneAt    time.Time
	// Path is a path from the work tree's root (slash-separated, such as
	// "labs/01-addresses/addresses_test.go") as the student types it
	// where they are, for the commands the report gives; as it is when
	// nil.
	Path func(string) string
}

// DefaultWidth is the width a report is wrapped to when none is given:
// what a terminal of unknown width, a file or a pipe gets.
const DefaultWidth = 80

// Mark is the one-character sign of a task's status.
func Mark(s gotest.Status) string {
	switch s {
	case gotest.Pass:
		return "✓"
	case gotest.Fail:
		return "✗"
	case gotest.TimedOut:
		return "⏱"
	case gotest.Interrupted:
		return "!"
	case gotest.Skip:
		return "-"
	}
	return "·"
}

// Describe says a task status in words, in language l.
func Describe(s gotest.Status, l lang.Lang) string {
	switch s {
	case gotest.Pass:
		return l.Sprintf(lang.TaskPassed)
	case gotest.Fail:
		return l.Sprintf(lang.TaskFailed)
	case gotest.TimedOut:
		return l.Sprintf(lang.TaskTimedOut)
	case gotest.Interrupted:
		return l.Sprintf(lang.TaskCutShort)
	case gotest.Skip:
		return l.Sprintf(lang.TaskSkipped)
	}
	return l.Sprintf(lang.TaskNotRun)
}

// MaxMessage is how many lines of a failure's message, wrapped, the
// report shows; MaxOutput how many of the lines the code under test
// printed meanwhile.
const (
	MaxMessage = 40
	MaxOutput  = 10
)

// WriteFailure prints the first failing task's heading, in language l,
// and its message (as the test wrote it), wrapped to cols columns
// (WrapMessage) and indented, at most max lines of it; more(n) is the line
// that says what shows the n lines left out.
func WriteFailure(w io.Writer, f *Failure, st style.Style, l lang.Lang, cols, max int, more func(n int) string) {
	fmt.Fprintf(w, "\n%s\n", st.Bold(style.Wrap(l.Sprintf(lang.FailureHead, f.Task, Describe(f.Status, l), f.Test), width(cols))))
	msg := f.MessageIn(l)
	lines := strings.Split(WrapMessage(msg, width(cols)-len(messageIndent), st), "\n")
	if len(lines) > max {
		lines = append(lines[:max:max], more(len(lines)-max))
	}
	fmt.Fprint(w, style.Indent(strings.Join(lines, "\n"), messageIndent))
}

// MessageIn is f's message for a reader of language l: the test's words
// as it wrote them, after netbook's own words (why a task that hit the
// time limit did, or never ran) in l, or a note that the test said nothing.
func (f *Failure) MessageIn(l lang.Lang) string {
	msg := strings.TrimRight(f.Message, "\n")
	if msg == "" {
		return l.Sprintf(lang.FailureNoMessage)
	}
	if l.IsEnglish() {
		return msg
	}
	for _, m := range []*lang.Message{lang.CheckTimedOutWhy, lang.CheckNeverRan} {
		if why := lang.English.Sprintf(m); strings.HasPrefix(msg, why) {
			msg = l.Sprintf(m) + strings.TrimPrefix(msg, why)
			break
		}
	}
	lines := strings.Split(msg, "\n")
	for i, line := range lines {
		lines[i] = caseLineIn(l, line)
	}
	return strings.Join(lines, "\n")
}

var (
	// quoted is a Go string literal, as strconv.Quote writes a case's name.
	quoted = `"(?:[^"\\]|\\.)*"`
	// caseHead and sameWay are the lines collect writes about a test's
	// failing cases (lang.CheckCase, CheckCaseFailed, CheckSameWay): a
	// whole line each, never one the test wrote, which starts with its
	// file and line.
	caseHead = regexp.MustCompile(`^case (` + quoted + `):( failed)?$`)
	sameWay  = regexp.MustCompile(`^cases? ((?:` + quoted + `(?:, | and )?)+) failed the same way\.$`)
	quotes   = regexp.MustCompile(quoted)
)

// caseLineIn is line in language l when it is one of collect's lines
// about a test's cases, and line as it is otherwise.
func caseLineIn(l lang.Lang, line string) string {
	if m := caseHead.FindStringSubmatch(line); m != nil {
		if m[2] != "" {
			return l.Sprintf(lang.CheckCaseFailed, m[1])
		}
		return l.Sprintf(lang.CheckCase, m[1])
	}
	if m := sameWay.FindStringSubmatch(line); m != nil {
		names := quotes.FindAllString(m[1], -1)
		return l.Sprintf(lang.CheckSameWay, l.Sprintf(lang.CheckCaseNames, l.List(names)))
	}
	return line
}

// WriteOutput prints, under a failure, what the code under test printed
// while the test ran: at most MaxOutput lines of it, wrapped to cols
// columns, and the command that shows everything. It prints nothing when
// the code printed nothing.
func WriteOutput(w io.Writer, lab string, f *Failure, st style.Style, l lang.Lang, cols int) {
	if f.Output == "" {
		return
	}
	cols = width(cols)
	fmt.Fprintf(w, "\n%s\n", st.Bold(style.Wrap(l.Sprintf(lang.CheckOutputHead), cols)))
	lines, cut := OutputLines(f.Output)
	var shown []string
	for _, line := range lines[:min(len(lines), MaxOutput)] {
		shown = append(shown, outputLine(line, cols-len(messageIndent)))
	}
	cmd := FullCommand(lab, f.Test)
	switch n := max(len(lines)-MaxOutput, 0); {
	case cut > 0:
		shown = append(shown, st.WrapKeeping(l.Sprintf(lang.CheckOutputCut, n, Size(l, cut), cmd), cols-len(messageIndent), cmd))
	case n > 0:
		shown = append(shown, st.WrapKeeping(l.Sprintf(lang.CheckOutputMore, n, cmd), cols-len(messageIndent), cmd))
	}
	fmt.Fprint(w, style.Indent(strings.Join(shown, "\n"), messageIndent))
}

// OutputLines is what the code under test printed (a Failure's Output)
// as the lines to show, and how many bytes of it netbook did not keep: a
// very long output is kept in part (gotest.DefaultKeep), and the line
// that says so is not one the code printed.
func OutputLines(out string) (lines []string, cut int64) {
	lines = strings.Split(out, "\n")
	if cut = gotest.LeftOut(out); cut > 0 {
		lines = slices.DeleteFunc(lines, gotest.IsLeftOutLine)
	}
	return lines, cut
}

// Size is a number of bytes as a reader reads it: 512 bytes, 40 KiB,
// 3.2 MiB, 1.5 GiB (512 字节 in Chinese).
func Size(l lang.Lang, n int64) string {
	switch {
	case n < 1<<10:
		return l.Sprintf(lang.Bytes, n)
	case n < 1<<20:
		return fmt.Sprintf("%d KiB", n>>10)
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}

// outputMaxRows is how many rows of the screen one line the code printed
// may take: a longer one is cut, and the command under the output shows
// it whole.
const outputMaxRows = 3

// outputLine is one line the code printed, for a screen cols wide: tabs
// made spaces, wrapped, and cut after outputMaxRows rows.
func outputLine(line string, cols int) string {
	line = strings.ReplaceAll(Printable(line), "\t", "    ")
	rows := strings.Split(style.Wrap(line, cols), "\n")
	if len(rows) > outputMaxRows {
		rows = rows[:outputMaxRows]
		rows[outputMaxRows-1] = style.Clip(rows[outputMaxRows-1]+" …", cols)
	}
	for i, r := range rows {
		if style.Cols(r) > cols { // a word wider than the screen
			rows[i] = style.Clip(r, cols)
		}
	}
	return strings.Join(rows, "\n")
}

// messageIndent is what WriteFailure puts before each line of a
// failure's message.
const messageIndent = "  "

// goCommand is a go command line a test's message suggests, with the
// environment it sets: "NETSIM_SEED=7 go test -run '^TestTask5$' ./labs/11-reliable-stream".
// Its first argument is a flag or a path: "go test ran none of the
// lab's tests" is prose.
var goCommand = regexp.MustCompile(`(?:[A-Z_]+=\S+ )*go (?:test|run) [-./][^\n]*`)

// WrapMessage wraps a test's failure message at width, as the terminal
// would break it but under each line's own indentation, and never inside
// a go command the message suggests (lab 08's "go test ./labs/08-framing
// -run='^$' -fuzz=FuzzLineReader"): broken, it would not run as two. A
// command ends at the end of its line, or before a " (" that comments on
// it; st styles it as code.
func WrapMessage(msg string, width int, st style.Style) string {
	if width <= 0 {
		width = DefaultWidth - len(messageIndent)
	}
	var cmds []string
	for _, c := range goCommand.FindAllString(msg, -1) {
		c, _, _ = strings.Cut(c, " (")
		cmds = append(cmds, strings.TrimRight(c, " .,;:"))
	}
	return st.WrapKeeping(msg, width, cmds...)
}

// WriteText prints the result for a terminal, in adv.Lang.
func WriteText(w io.Writer, res *Result, st style.Style, adv Advice) {
	l := adv.Lang
	// The first line, wrapped to the screen: the lab's name in bold, and
	// the count styled as its status, unless a break falls inside it.
	head := func(count string, paint func(string) string) {
		line := style.Wrap(fmt.Sprintf("%s · %s · %s", res.Lab, res.Title, count), width(adv.Width))
		line = strings.Replace(line, res.Lab, st.Bold(res.Lab), 1)
		if i := strings.LastIndex(line, count); i >= 0 {
			line = line[:i] + paint(count) + line[i+len(count):]
		}
		fmt.Fprintf(w, "%s\n\n", line)
	}
	plain := func(s string) string { return s }
	switch {
	case adv.Only != "" && (res.Status == Passed || res.Status == Failed):
		// "all 1 tasks pass" and "0 of 1 tasks" would read as the lab's.
		paint := plain
		if res.Status == Passed {
			paint = st.Good
		}
		head(l.Sprintf(lang.CheckOnly, adv.Only, res.Passed, res.Total), paint)
	case res.Status == Passed:
		head(l.Sprintf(lang.CheckAllPass, res.Total), st.Good)
	case res.Status == Unverified:
		head(l.Sprintf(lang.CheckUnverified, res.Total), st.Warn)
	case res.Status == BuildFailed:
		head(l.Sprintf(lang.StatusNoCompile), st.Bad)
	case adv.NotStarted && res.Status == Failed:
		head(l.Sprintf(lang.LabelNotStarted, res.Passed, res.Total), plain)
	default:
		head(l.Sprintf(lang.LabelTasks, res.Passed, res.Total), plain)
	}
	var notes []TrustNote
	if adv.Elsewhere && res.Status != Passed {
		notes = append(notes, ElsewhereNote(res.Lab, adv.DoneAt, l))
	}
	writeTrust(w, append(notes, trustNotes(res, l, adv.Path)...), st, adv.Width)
	if res.Status == BuildFailed {
		for _, d := range res.BuildErrors {
			kind := ""
			if d.Vet {
				kind = "vet: "
			}
			fmt.Fprintf(w, "  %s%s\n", kind, d)
		}
		if res.Problem != "" {
			fmt.Fprint(w, style.Indent(res.Problem, "  "))
		}
		if name := BookTestError(res); name != "" {
			fmt.Fprintf(w, "\n%s\n", style.Wrap(l.Sprintf(lang.CheckBookTestError, name), width(adv.Width)))
		}
		// Wrapped as the Edit sentence below is: the command to run
		// again stays on a line of its own.
		fix, rest := l.Sprintf(lang.CheckFixFirst), l.Sprintf(lang.CheckFullStop)
		if adv.Again != "" {
			var head string
			head, rest, _ = strings.Cut(l.Sprintf(lang.CheckThenRun, st.Code(adv.Again)), "\n")
			fix, rest = fix+head, "\n"+rest
		}
		fmt.Fprintf(w, "\n%s%s", style.Wrap(fix, width(adv.Width)), rest)
		return
	}
	WriteTasks(w, res, st, adv.Width)
	if stopped(res) {
		fmt.Fprintf(w, "\n%s\n", st.Dim(style.Wrap(l.Sprintf(lang.CheckNotRun), width(adv.Width))))
	}
	if res.Problem != "" {
		fmt.Fprintf(w, "\n%s\n", style.Indent(res.Problem, "  "))
	}
	if f := res.Failure; f != nil {
		WriteFailure(w, f, st, l, adv.Width, MaxMessage, func(n int) string {
			return MoreLines(n, res.Lab, f.Test, st, l, adv.Width)
		})
		WriteOutput(w, res.Lab, f, st, l, adv.Width)
	}
	WriteFindings(w, res, st, l)
	fmt.Fprintln(w)
	if res.Status == Passed {
		if adv.Compare != "" {
			l.Fprintf(w, lang.CheckDoneCompare, st.Code(adv.Compare))
		}
		if adv.Next != "" {
			l.Fprintf(w, lang.CheckNext, adv.Next)
		}
		return
	}
	if len(adv.Edit) > 0 {
		// A lab of several files makes a long sentence: it is wrapped,
		// and the command stays on a line of its own.
		edit := l.Sprintf(lang.CheckEdit, l.List(adv.Edit))
		rest := "\n"
		if adv.Again != "" {
			var head string
			head, rest, _ = strings.Cut(l.Sprintf(lang.CheckThenRun, st.Code(adv.Again)), "\n")
			edit, rest = edit+head, "\n"+rest
		}
		fmt.Fprintf(w, "%s%s", style.Wrap(edit, width(adv.Width)), rest)
	}
	if adv.Hint != "" {
		l.Fprintf(w, lang.CheckStuck, st.Code(adv.Hint))
	}
}

// BookTestError returns the name of the first of the book's test files
// that a compile error of res is in, or "" when there is none (a
// student's own test file is theirs to fix). An error there means that the
// tests call something the student's code no longer declares as the
// skeleton did (a function renamed, a parameter added or dropped): the
// code is what to change, and an edited test would be replaced by the
// book's anyway.
func BookTestError(res *Result) string {
	if res.Status != BuildFailed {
		return ""
	}
	for _, d := range res.BuildErrors {
		name := path.Base(filepath.ToSlash(d.File))
		if d.Vet || !strings.HasSuffix(name, "_test.go") || slices.Contains(res.OwnTests, name) {
			continue
		}
		return name
	}
	return ""
}

// stopped reports whether some of res's tasks never ran after others had:
// a test that ran before them stopped the test binary, which the task
// list alone does not say (its "·" has no legend).
func stopped(res *Result) bool {
	ran, notRun := false, false
	for _, t := range res.Tasks {
		if t.Status == gotest.NotRun {
			notRun = true
		} else {
			ran = true
		}
	}
	return ran && notRun
}

// WriteFindings prints the analyzers' advice on the student's code, after
// the tasks: advice, which passing every task does not silence and which
// never fails one.
func WriteFindings(w io.Writer, res *Result, st style.Style, l lang.Lang) {
	if len(res.Findings) == 0 {
		return
	}
	head := l.Sprintf(lang.CheckAdvice)
	if res.Status == Passed {
		head = l.Sprintf(lang.CheckAdviceDone)
	}
	fmt.Fprintf(w, "\n%s\n", st.Bold(head))
	WriteFindingList(w, res.Lab, res.Findings, "  ", st, l)
}

// WriteFindingList prints findings in lab's files, one per line as go vet
// does (labs/LAB/file.go:line: message), each with its fix beneath, every
// line after indent, in language l.
func WriteFindingList(w io.Writer, lab string, findings []analysis.Finding, indent string, st style.Style, l lang.Lang) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s%s:%d: %s\n", indent, st.Code("labs/"+lab+"/"+f.File), f.Line, f.MessageIn(l))
		if fix := f.FixIn(l); fix != "" {
			fmt.Fprint(w, style.Indent(st.Dim("→ "+fix), indent+"  ")) // Indent ends the line
		}
	}
}

// ElsewhereNote says, in l, that lab was done on day in another copy of
// the book, whose files are not here: why a check of the skeleton fails
// every task of a lab the dashboard calls done. check's report and the
// web book's lab page say it in the same words as netbook compare.
func ElsewhereNote(lab string, day time.Time, l lang.Lang) TrustNote {
	return TrustNote{Text: strings.TrimSuffix(l.Sprintf(lang.CompareElsewhere, lab, l.Day(day)), "\n")}
}

// writeTrust prints notes (whose tests the results come from, when that
// is not simply the book's as they stand in the tree; TrustNotes), each
// wrapped to cols (DefaultWidth when zero).
func writeTrust(w io.Writer, notes []TrustNote, st style.Style, cols int) {
	for _, n := range notes {
		for _, line := range strings.Split(wrapNote(n.Text, width(cols)), "\n") {
			if n.Warn {
				line = st.Warn(line)
			}
			fmt.Fprintf(w, "%s\n", line)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
}

// wrapNote wraps a note to cols columns, but never inside the command it
// gives to copy (git checkout -- FILES, up to the closing ")" or "）"): a
// command broken over two lines runs as two. A command wider than the
// screen gets a line of its own.
func wrapNote(text string, cols int) string {
	const cmd = "git checkout -- "
	i := strings.Index(text, cmd)
	if i < 0 {
		return style.Wrap(text, cols)
	}
	end := strings.IndexAny(text[i:], ")）\n")
	if end < 0 {
		end = len(text) - i
	}
	return style.Wrap(text[:i]+style.Unbroken(text[i:i+end])+text[i+end:], cols)
}

// A TrustNote is one line of what TrustNotes says.
type TrustNote struct {
	Text string
	Warn bool // something the student should act on
}

// TrustNotes says, in l, whose tests res comes from when that is not
// simply the book's as they stand in the tree: test files that differ from
// the book's, results from the student's copies (Unverified), files left
// out, the student's own tests. WriteText prints them between its first
// line and the task list; the web book's lab page shows them there too.
func TrustNotes(res *Result, l lang.Lang) []TrustNote { return trustNotes(res, l, nil) }

// trustNotes is TrustNotes with the paths in its commands as path (see
// Advice.Path) says them.
func trustNotes(res *Result, l lang.Lang, path func(string) string) []TrustNote {
	if path == nil {
		path = func(p string) string { return p }
	}
	var out []TrustNote
	note := func(warn bool, m *lang.Message, args ...any) {
		out = append(out, TrustNote{Text: strings.TrimSuffix(l.Sprintf(m, args...), "\n"), Warn: warn})
	}
	for _, f := range res.TestsModified {
		if slices.Contains(res.TestsCheckout, f) {
			note(true, lang.TrustModifiedBack, shortName(res.Lab, f), "git checkout -- "+path("labs/"+f))
		} else {
			note(true, lang.TrustModified, shortName(res.Lab, f))
		}
	}
	if res.Unverified != nil {
		note(true, lang.TrustUnverified, res.Unverified.text(l, path))
		note(true, lang.TrustNotDone)
	}
	for _, h := range res.LeftOut {
		note(false, lang.TrustLeftOut, h.File, h.Why.Text(l))
	}
	if len(res.OwnTests) > 0 && res.Status == BuildFailed {
		// Nothing ran: the student's tests are part of what did not compile.
		note(false, lang.TrustOwnBuilt, l.List(res.OwnTests))
	} else if len(res.OwnTests) > 0 {
		note(false, lang.TrustOwnTests, l.List(res.OwnTests))
		if len(res.OwnFailed) > 0 {
			note(true, lang.TrustOwnFailed, l.List(res.OwnFailed))
		}
	}
	return out
}

// shortName names a file of the labs module for a student working in lab:
// its name alone when it is the lab's own.
func shortName(lab, rel string) string {
	if name, ok := strings.CutPrefix(rel, lab+"/"); ok {
		return name
	}
	return "labs/" + rel
}

// WriteTasks prints one line per task: its mark, number and title, a
// title wider than the screen (width columns; DefaultWidth when zero)
// wrapped under itself.
func WriteTasks(w io.Writer, res *Result, st style.Style, cols int) {
	const indent = "        " // "  ✓ 10  "
	titleW := max(width(cols)-len(indent), 20)
	for _, t := range res.Tasks {
		mark := Mark(t.Status)
		switch t.Status {
		case gotest.Pass:
			mark = st.Good(mark)
		case gotest.Fail, gotest.TimedOut, gotest.Interrupted:
			mark = st.Bad(mark)
		default:
			mark = st.Dim(mark)
		}
		title := strings.ReplaceAll(style.Wrap(t.Title, titleW), "\n", "\n"+indent)
		fmt.Fprintf(w, "  %s %2d  %s\n", mark, t.Number, title)
	}
}

// width is cols, or DefaultWidth when cols is zero.
func width(cols int) int {
	if cols <= 0 {
		return DefaultWidth
	}
	return cols
}

// MoreLines is the line under a failure's message cut to its first lines,
// in l, wrapped to cols: how many more lines there were (n) and the
// command that prints all of them, as a code span of st.
func MoreLines(n int, lab, test string, st style.Style, l lang.Lang, cols int) string {
	cmd := FullCommand(lab, test)
	return st.WrapKeeping(l.Sprintf(lang.CheckMoreLines, n, cmd), width(cols)-len(messageIndent), cmd)
}

// FullCommand is the command, run from the work tree's root, whose output
// is the whole of test's failure in lab, and everything the code printed
// while it ran: the labs are a module of their own, so go test runs from
// labs/.
func FullCommand(lab, test string) string {
	top, _, _ := strings.Cut(test, "/")
	return fmt.Sprintf("cd labs && go test -run '^%s$' ./%s", top, lab)
}

// ansiSeq is a terminal's escape sequence (a colour, a cursor move), which
// the code under test may print and a page cannot show.
var ansiSeq = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]`)

// Printable is a line the code under test printed, as a page or a
// terminal report can show it: without a terminal's escape sequences and
// the other control characters but tab, which a page shows as nothing and
// which would move a terminal's cursor inside the report (a carriage
// return ends a line that a progress meter rewrote: what follows it is
// what a terminal shows).
func Printable(line string) string {
	if i := strings.LastIndex(strings.TrimRight(line, "\r"), "\r"); i >= 0 {
		line = line[i+1:]
	}
	line = ansiSeq.ReplaceAllString(line, "")
	return strings.Map(func(r rune) rune {
		if r != '\t' && (r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0)) {
			return -1
		}
		return r
	}, line)
}
