package netcode

import (
	"fmt"
	"go/token"
	"reflect"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/netbook/netbook/runner/lang"
)

// Text is something an analyzer says, in every language netbook speaks:
// a message of the catalogue (runner/lang) and its arguments. An argument
// that is a Text is said in the same language as the message around it.
type Text struct {
	msg  *lang.Message
	args []any
	join bool // args are Texts said one after another, msg between them
}

// T is message m with args.
func T(m *lang.Message, args ...any) Text { return Text{msg: m, args: args} }

// Join says parts one after another with sep (a message without verbs)
// between them.
func Join(sep *lang.Message, parts ...Text) Text {
	args := make([]any, len(parts))
	for i, p := range parts {
		args[i] = p
	}
	return Text{msg: sep, args: args, join: true}
}

// IsZero reports whether t says nothing.
func (t Text) IsZero() bool { return t.msg == nil }

// In says t in language l.
func (t Text) In(l lang.Lang) string {
	if t.msg == nil {
		return ""
	}
	args := make([]any, len(t.args))
	for i, a := range t.args {
		if a, ok := a.(Text); ok {
			args[i] = a.In(l)
			continue
		}
		args[i] = a
	}
	if t.join {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.(string)
		}
		return strings.Join(parts, t.msg.Format(l))
	}
	return fmt.Sprintf(t.msg.Format(l), args...)
}

// String is t in English, as vet prints it.
func (t Text) String() string { return t.In(lang.English) }

// Said is one diagnostic an analyzer reported with Report, in words for
// every language: the diagnostic itself carries the English only.
type Said struct {
	Pos      token.Pos
	Category string
	Problem  Text
	Fix      Text
}

// Advice is the Result of every analyzer whose run is wrapped with Run:
// what it reported, in the order it did. netbook's in-process run finds
// there the words of each diagnostic (Find); vet has no use for it.
type Advice struct {
	said    []Said
	claimed []bool
}

// AdviceType is the ResultType of an analyzer wrapped with Run.
var AdviceType = reflect.TypeOf((*Advice)(nil))

// Find returns the words of diagnostic d, which the analyzer that made
// this Advice reported: the first not found yet with d's position and
// category.
func (a *Advice) Find(d analysis.Diagnostic) (Said, bool) {
	if a == nil {
		return Said{}, false
	}
	for i, s := range a.said {
		if !a.claimed[i] && s.Pos == d.Pos && s.Category == d.Category {
			a.claimed[i] = true
			return s, true
		}
	}
	return Said{}, false
}

// advice holds the Advice of each pass that runs now, for Report.
var advice sync.Map // *analysis.Pass -> *Advice

// Run wraps an analyzer's run function: the analyzer's Result becomes the
// Advice it reports (declare ResultType: AdviceType), and run's own result
// is dropped.
func Run(run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (any, error) {
		a := &Advice{}
		advice.Store(pass, a)
		defer advice.Delete(pass)
		_, err := run(pass)
		return a, err
	}
}

// remember keeps the words of a diagnostic pass reports, when its
// analyzer's run is wrapped with Run.
func remember(pass *analysis.Pass, s Said) {
	if a, ok := advice.Load(pass); ok {
		a := a.(*Advice)
		a.said = append(a.said, s)
		a.claimed = append(a.claimed, false)
	}
}
