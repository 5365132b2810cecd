package labrun

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/sandbox"
)

// The package's words in the reader's language, for netbook up and diff.
// Each XIn(lang.English) is the English method's text byte for byte.

// WhoIn is Who in language l: "your server", "你的服务器".
func (p *Program) WhoIn(l lang.Lang) string { return whoIn(l, p.Kind, p.Ref) }

func whoIn(l lang.Lang, k Kind, ref bool) string {
	switch {
	case k == Client && ref:
		return l.Sprintf(lang.WhoRefClient)
	case k == Client:
		return l.Sprintf(lang.WhoYourClient)
	case ref:
		return l.Sprintf(lang.WhoRefServer)
	}
	return l.Sprintf(lang.WhoYourServer)
}

// WhyIn is Why in language l.
func (s *Running) WhyIn(l lang.Lang) string {
	if l.IsEnglish() {
		return s.Why()
	}
	if s.limits == (sandbox.Limits{}) {
		return ""
	}
	st := s.p.State()
	if st == nil || st.Success() {
		return ""
	}
	return explainServerIn(l, whoIn(l, s.kind, s.ref), sandbox.ExplainIn(l, st, s.runtime.String(), s.limits))
}

// explainServerIn is explainServer in language l: sandbox.ExplainIn's
// words about the program become words about who.
func explainServerIn(l lang.Lang, who, why string) string {
	if l.IsEnglish() {
		return explainServer(who, why)
	}
	if why == "" {
		return ""
	}
	why = strings.Replace(why, lang.LimitProgram.Format(l), who, 1)
	switch {
	case endsLike(why, lang.LimitMemory, l):
		why += l.Sprintf(lang.LimitMemoryWhy)
	case endsLike(why, lang.LimitCPU, l):
		why += l.Sprintf(lang.LimitCPUWhy)
	}
	return why
}

// endsLike reports whether why ends as message m does in l, after its
// last argument.
func endsLike(why string, m *lang.Message, l lang.Lang) bool {
	f := m.Format(l)
	i := strings.LastIndex(f, "%")
	return i >= 0 && i+2 <= len(f) && strings.HasSuffix(why, f[i+2:])
}

// LimitIn is Limit in language l.
func (e *StartError) LimitIn(l lang.Lang) string {
	if l.IsEnglish() || e.run == nil || e.Limit == "" {
		return e.Limit
	}
	return cmpOr(e.run.WhyIn(l), e.Limit)
}

// LimitIn is Limit in language l.
func (o *Outcome) LimitIn(l lang.Lang) string {
	if l.IsEnglish() || o.limitIn == nil || o.Limit == "" {
		return o.Limit
	}
	return o.limitIn(l)
}

// ShortIn is Short in language l.
func (e *StartError) ShortIn(l lang.Lang) string {
	switch {
	case e.Limit != "":
		return e.LimitIn(l)
	case e.exited != nil:
		return l.Sprintf(lang.StartExited, e.whoIn(l), e.exited)
	}
	return l.Sprintf(lang.StartFailed, e.whoIn(l), e.Err)
}

// ErrorIn is Error in language l.
func (e *StartError) ErrorIn(l lang.Lang) string { return e.ShortIn(l) + quoteOutput(e.Output) }

func (e *StartError) whoIn(l lang.Lang) string {
	if l.IsEnglish() || e.run == nil {
		return e.Who
	}
	return whoIn(l, e.run.kind, e.run.ref)
}

// StopError is a server that did not stop cleanly: Running.Stop's error.
type StopError struct {
	Who    string // "your server"
	Killed bool   // it did not exit within StopGrace of SIGINT
	Err    error  // else how it exited
	kind   Kind
	ref    bool
}

func (e *StopError) Error() string { return e.In(lang.English) }

func (e *StopError) Unwrap() error { return e.Err }

// In is the error in language l.
func (e *StopError) In(l lang.Lang) string {
	who := e.Who
	if !l.IsEnglish() {
		who = whoIn(l, e.kind, e.ref)
	}
	if e.Killed {
		return l.Sprintf(lang.StopKilled, who, StopGrace)
	}
	return l.Sprintf(lang.StopExited, who, e.Err)
}

// ErrorIn is Error in language l.
func (e *BuildError) ErrorIn(l lang.Lang) string {
	out := strings.TrimRight(e.Output, "\n")
	out = "  " + strings.ReplaceAll(out, "\n", "\n  ")
	if e.Ref {
		return l.Sprintf(lang.BuildRefFails, e.Lab.Name, e.cmd(), e.Lab.Number, out)
	}
	hint := ""
	if e.Kind == Server && strings.Contains(out, generatedName) {
		hint = l.Sprintf(lang.BuildServeSignature, serveSignature(e.Lab))
	}
	return l.Sprintf(lang.BuildYoursFails, e.Lab.Name, out, e.cmd(), e.Lab.Number, hint)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// logWords are the generated server main's log lines in language in, as
// Go string literals for its template (servermain.go.tmpl).
func logWords(in lang.Lang) map[string]string {
	words := map[string]*lang.Message{
		"ErrBeforeStop": lang.LogErrBeforeStop,
		"NilBeforeStop": lang.LogNilBeforeStop,
		"Stopping":      lang.LogStopping,
		"ErrAfterStop":  lang.LogErrAfterStop,
		"Bye":           lang.LogBye,
		"NoReturn":      lang.LogNoReturn,
		"ReturnWhenUDP": lang.LogReturnWhenUDP,
		"ReturnWhenTCP": lang.LogReturnWhenTCP,
		"BytesInAll":    lang.LogBytesInAll,
		"Serving":       lang.LogServing,
		"DgramRead":     lang.LogDgramRead,
		"ReadErr":       lang.LogReadErr,
		"DgramWriteErr": lang.LogDgramWriteErr,
		"DgramWrote":    lang.LogDgramWrote,
		"AcceptErr":     lang.LogAcceptErr,
		"Connected":     lang.LogConnected,
		"Read":          lang.LogRead,
		"EOF":           lang.LogEOF,
		"Deadline":      lang.LogDeadline,
		"ConnReadErr":   lang.LogConnReadErr,
		"Wrote":         lang.LogWrote,
		"WriteErr":      lang.LogWriteErr,
		"Closed":        lang.LogClosed,
		"CloseWrite":    lang.LogCloseWrite,
	}
	out := make(map[string]string, len(words))
	for k, m := range words {
		out[k] = strconv.Quote(m.Format(in))
	}
	return out
}

// servingLine is the line the generated main prints with -serving, in
// any language.
var servingLine = regexp.MustCompile(`^\S+ (?:` + servingPattern(lang.English) + `|` + servingPattern(lang.Chinese) + `)\n$`)

func servingPattern(in lang.Lang) string {
	before, after, _ := strings.Cut(lang.LogServing.Format(in), "%s")
	return regexp.QuoteMeta(before) + `(?:Accept|ReadFrom)` + regexp.QuoteMeta(after)
}
