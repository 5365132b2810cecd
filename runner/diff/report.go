package diff

import (
	"time"

	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/runner/lang"
)

// Status is a session's verdict.
type Status string

// The verdicts.
const (
	Same    Status = "same"    // the student's implementation does what the reference does
	Differs Status = "differs" // it does not: see Session.Student
	// BadSession: the reference does not follow the session either, so the
	// session file (or the reference, or a client lab's driver) is wrong.
	BadSession Status = "reference-fails"
)

// Report is one lab's diff.
type Report struct {
	Lab      string     `json:"lab"`
	Kind     string     `json:"kind"` // "server" or "client"
	Sessions []*Session `json:"sessions"`
}

// OK reports whether every session is the same.
func (r *Report) OK() bool {
	for _, s := range r.Sessions {
		if s.Status != Same {
			return false
		}
	}
	return true
}

// Count returns how many sessions have the status st.
func (r *Report) Count(st Status) int {
	n := 0
	for _, s := range r.Sessions {
		if s.Status == st {
			n++
		}
	}
	return n
}

// Session is one scripted session played against both implementations.
type Session struct {
	Name      string `json:"name"` // the file's name without .session
	File      string `json:"file"` // the file, as reports name it
	Status    Status `json:"status"`
	Student   *Side  `json:"student"`
	Reference *Side  `json:"reference"`
	// Printed is, for a client lab, where the student's driver output
	// first differs from the reference's ("" when it does not).
	Printed string `json:"printed,omitempty"`
	// printedIn is Printed in another language (PrintedIn).
	printedIn func(lang.Lang) string
}

// PrintedIn is Printed in language l.
func (s *Session) PrintedIn(l lang.Lang) string {
	if l.IsEnglish() || s.printedIn == nil {
		return s.Printed
	}
	return s.printedIn(l)
}

// Side is how one implementation did in one session.
type Side struct {
	// Followed is whether it did what the session expects: for a server,
	// every step passed; for a client, it sent what the script waits for.
	Followed bool      `json:"followed"`
	Mismatch *Mismatch `json:"mismatch,omitempty"`
	// Problem is what else went wrong: the server would not start, exited
	// during the session or did not stop cleanly; the client was killed
	// at its time limit.
	Problem string `json:"problem,omitempty"`
	// Limit says which of the server's resource limits stopped it
	// ("your server used more than 512 MiB of memory and was stopped:
	// ..."), when one did; Problem says it too.
	Limit string `json:"limit,omitempty"`
	// Exited is whether a server exited by itself during the session,
	// which is then the likeliest reason for any mismatch.
	Exited bool `json:"exited,omitempty"`
	// Output is what the program printed: a server's log when there is a
	// problem, a client driver's standard output always.
	Output   string        `json:"output,omitempty"`
	Stderr   string        `json:"stderr,omitempty"` // a client driver's standard error
	ExitCode int           `json:"exitCode"`
	Elapsed  time.Duration `json:"elapsed"`
	// problemIn is Problem in another language (ProblemIn); nil when
	// Problem has no words of netbook's own.
	problemIn func(lang.Lang) string
}

// ProblemIn is Problem in language l. JSON keeps Problem, in English.
func (s *Side) ProblemIn(l lang.Lang) string {
	if l.IsEnglish() || s.problemIn == nil || s.Problem == "" {
		return s.Problem
	}
	return s.problemIn(l)
}

// problem sets the side's Problem from message m with the arguments args
// gives in each language: in English, and in any language for ProblemIn.
func (s *Side) problem(m *lang.Message, args func(lang.Lang) []any) {
	s.Problem = lang.English.Sprintf(m, args(lang.English)...)
	s.problemIn = func(l lang.Lang) string { return l.Sprintf(m, args(l)...) }
}

// Mismatch is the first step of a session that did not go as written.
type Mismatch struct {
	Step   string `json:"step"`   // file:line
	Source string `json:"source"` // the step as written
	// Comment is the session's comment on the step: what it checks.
	Comment string `json:"comment,omitempty"`
	Error   string `json:"error"` // one line: file:line: what happened
	// Expected and Received are the bytes of an exact expect, quoted with
	// the session file's escapes; Offset is the first byte that differs
	// (-1 for other steps).
	Expected string `json:"expected,omitempty"`
	Received string `json:"received,omitempty"`
	Offset   int    `json:"offset"`
	Report   string `json:"report"` // the whole explanation, with the caret and the steps before
}

func mismatch(m *session.Mismatch) *Mismatch {
	if m == nil {
		return nil
	}
	out := &Mismatch{Step: m.Step.Pos.String(), Source: m.Step.Source, Comment: m.Step.Comment, Error: m.Error(), Offset: m.Offset, Report: m.Report()}
	if m.Step.Op == session.Expect {
		out.Expected, out.Received = session.Quote(m.Step.Data), session.Quote(m.Got)
	} else if len(m.Got) > 0 {
		out.Received = session.Quote(m.Got)
	}
	return out
}
