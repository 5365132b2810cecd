package snippets

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/book"
)

// Outcome is one snippet's run within a chapter.
type Outcome struct {
	Snippet *book.Snippet
	Output  string
	Err     error // what went wrong, as "chapters/x.md:N: snippet NN:K ..."
}

// Pair returns the other half of s's server/client pair in its chapter, or
// nil when s is not half of a pair or its partner is missing.
func Pair(s *book.Snippet) *book.Snippet {
	for _, o := range s.Chapter.Snippets {
		switch {
		case s.Client != "" && o.Server == s.Client, s.Server != "" && o.Client == s.Server:
			return o
		}
	}
	return nil
}

// printed is a failed run's output for its error, on the lines below it,
// indented, with the chapter's line numbers; "" when it printed nothing.
func printed(out string, s *book.Snippet) string {
	if strings.TrimSpace(out) == "" {
		return ""
	}
	return "\n" + indent(mapLines(out, s, pkgName(s)+".go"))
}

// RunChapter runs every snippet of c that e runs, the two halves of a pair
// together (the server first; the client gets its address), and returns
// one outcome for each, in the chapter's order. A server with several
// clients runs once for each; it is listed once, unless a later run of it
// fails.
func RunChapter(ctx context.Context, e Engine, c *book.Chapter, timeout time.Duration) []Outcome {
	var outs []Outcome
	listed := map[*book.Snippet]bool{} // servers with an outcome already
	fail := func(s *book.Snippet, out string, format string, args ...any) {
		outs = append(outs, Outcome{Snippet: s, Output: out,
			Err: fmt.Errorf("%s: snippet %s %s", chapterLine(c, s.Line), s.ID(), fmt.Sprintf(format, args...))})
	}
	for _, s := range c.Snippets {
		if !e.Runs(s) || s.Server != "" {
			continue
		}
		if s.Client == "" {
			res := Run(ctx, e, s, Options{Timeout: timeout})
			if res.Err != nil {
				fail(s, res.Output, "failed with %s: %v%s", e.Name(), res.Err, printed(res.Output, s))
				continue
			}
			outs = append(outs, Outcome{Snippet: s, Output: res.Output})
			continue
		}
		srv := Pair(s)
		if srv == nil {
			fail(s, "", "is the client of pair %q, but no snippet is marked server=%s", s.Client, s.Client)
			continue
		}
		if !e.Runs(srv) {
			continue
		}
		srvOut, res, err := RunPair(ctx, e, srv, s, Options{Timeout: timeout})
		if err != nil {
			fail(srv, srvOut, "(the server of pair %q) failed with %s: %v", s.Client, e.Name(), err)
			continue
		}
		if !listed[srv] || Compare(srv, srvOut) != nil {
			outs = append(outs, Outcome{Snippet: srv, Output: srvOut})
			listed[srv] = true
		}
		if res.Err != nil {
			fail(s, res.Output, "failed with %s: %v%s", e.Name(), res.Err, printed(res.Output, s))
			continue
		}
		outs = append(outs, Outcome{Snippet: s, Output: res.Output})
	}
	return outs
}

// RunPair starts the server, waits for it to print "listening on ADDR",
// runs the client with ADDR as its argument, stops the server, and returns
// what each printed. The error is the server's: it did not start or listen.
func RunPair(ctx context.Context, e Engine, server, client *book.Snippet, o Options) (string, Result, error) {
	if o.Stream != nil {
		o.Stream = &lockedWriter{w: o.Stream}
	}
	so := o
	so.shared = true // the client joins its network namespace
	so.Args = nil
	so.Stdin = nil
	so.Stream = prefixed(o.Stream, "server | ")
	p, err := Start(ctx, e, server, so)
	if err != nil {
		return "", Result{}, err
	}
	addr, err := p.Addr(o.timeout())
	if err != nil {
		return p.Stop(), Result{}, err
	}
	co := o
	co.join = p.p.Pid()
	co.Args = append([]string{addr}, o.Args...)
	co.Stream = prefixed(o.Stream, "client | ")
	res := Run(ctx, e, client, co)
	return p.Stop(), res, nil
}

// Check runs a chapter's snippets with e and returns what is wrong with
// them: not gofmt-formatted, failing, or printing something other than
// their output block says.
func Check(ctx context.Context, e Engine, c *book.Chapter) []error {
	errs, _ := CheckOutcomes(ctx, e, c)
	return errs
}

// CheckOutcomes is Check that also returns the outcomes, so that two
// engines' outputs can be compared.
func CheckOutcomes(ctx context.Context, e Engine, c *book.Chapter) ([]error, []Outcome) {
	var errs []error
	for _, s := range c.Snippets {
		if err := CheckFormat(s); err != nil {
			errs = append(errs, err)
		}
	}
	outs := RunChapter(ctx, e, c, DefaultTimeout)
	for _, o := range outs {
		if o.Err != nil {
			errs = append(errs, o.Err)
			continue
		}
		if err := Compare(o.Snippet, o.Output); err != nil {
			errs = append(errs, fmt.Errorf("%w (run with %s)", err, e.Name()))
		}
	}
	return errs, outs
}

var (
	duration = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|us|ms|s|m|h)\b`)
	pointer  = regexp.MustCompile(`\b0x[0-9a-f]{6,}\b`)
)

// Normalize is the form in which two runs of a snippet are compared:
// loopback ports, durations and pointers are replaced by placeholders.
func Normalize(out string) string {
	out = book.NormalizeOutput(out)
	out = duration.ReplaceAllString(out, "DURATION")
	return pointer.ReplaceAllString(out, "0xADDR")
}

// SameOutput compares what a snippet printed under the toolchain and under
// the interpreter. A snippet marked varies is not compared.
func SameOutput(s *book.Snippet, toolchain, interpreted string) error {
	if s.Varies {
		return nil
	}
	a, b := Normalize(toolchain), Normalize(interpreted)
	if a == b {
		return nil
	}
	return fmt.Errorf("%s: snippet %s prints differently under the Go toolchain and the interpreter "+
		"(write it in the subset both run, mark it toolchain, or mark it varies if its output changes from run to run):\n"+
		"  toolchain:\n%s\n  interpreter:\n%s", chapterLine(s.Chapter, s.Line), s.ID(), indent(a), indent(b))
}

// CheckBoth runs a chapter's snippets with the Go toolchain and with the
// interpreter (snippets marked toolchain run with the toolchain only),
// checks each run against the output blocks, and compares the two runs of
// every snippet that does not vary.
func CheckBoth(ctx context.Context, built *Built, in *Interp, c *book.Chapter) []error {
	errs, compiled := CheckOutcomes(ctx, built, c)
	ierrs, interpreted := CheckOutcomes(ctx, Pick{Interp: in, Toolchain: built}, c)
	for _, err := range ierrs {
		if !contains(errs, err) {
			errs = append(errs, err)
		}
	}
	byToolchain := map[*book.Snippet]string{}
	for _, o := range compiled {
		if o.Err == nil {
			byToolchain[o.Snippet] = o.Output
		}
	}
	for _, o := range interpreted {
		want, ok := byToolchain[o.Snippet]
		if !ok || o.Err != nil || o.Snippet.Toolchain {
			continue
		}
		if err := SameOutput(o.Snippet, want, o.Output); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// contains reports whether errs already says err (a formatting error is
// found by both runs).
func contains(errs []error, err error) bool {
	for _, e := range errs {
		if e.Error() == err.Error() {
			return true
		}
	}
	return false
}
