// Package netcodetest runs an analyzer on its testdata as analysistest
// does, and checks that each of its diagnostics can be said in every
// language netbook speaks.
package netcodetest

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/lang"
)

// english is three English words in a row: a sentence, or a part of one,
// left untranslated ("the function", a code span, a quoted error are
// shorter or in quotes).
var english = regexp.MustCompile(`\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b`)

// quoted is a Go string in a message: "127.0.0.1:0", "concurrent map
// writes" (what a program prints stays as it prints it).
var quoted = regexp.MustCompile(`"[^"]*"`)

// Run is analysistest.Run on the packages pkgs of the analyzer's
// testdata; then every diagnostic must be found in the analyzer's Advice
// (netcode.Run), with the same English as its message, and with a Chinese
// form that formats and leaves no English sentence behind.
func Run(t *testing.T, a *analysis.Analyzer, pkgs ...string) {
	t.Helper()
	results := analysistest.Run(t, analysistest.TestData(), a, pkgs...)
	n := 0
	for _, r := range results {
		advice, ok := r.Result.(*netcode.Advice)
		if !ok {
			t.Errorf("%s: the Result is %T, not the *netcode.Advice of netcode.Run", a.Name, r.Result)
			continue
		}
		for _, d := range r.Diagnostics {
			n++
			pos := r.Pass.Fset.Position(d.Pos)
			said, ok := advice.Find(d)
			if !ok {
				t.Errorf("%s: %q is not in the analyzer's Advice: report it with netcode.Report", pos, d.Message)
				continue
			}
			if d.Category == "" {
				t.Errorf("%s: %q has no Category", pos, d.Message)
			}
			if en := said.Problem.In(lang.English) + "; " + said.Fix.In(lang.English); en != d.Message {
				t.Errorf("%s: the Advice says in English\n\t%q\nbut the diagnostic\n\t%q", pos, en, d.Message)
			}
			for _, text := range []netcode.Text{said.Problem, said.Fix} {
				zh := text.In(lang.Chinese)
				if strings.Contains(zh, "%!") {
					t.Errorf("%s: the Chinese does not format: %q", pos, zh)
				}
				if s := english.FindString(quoted.ReplaceAllString(zh, `""`)); s != "" {
					t.Errorf("%s: the Chinese still has English in it (%q): %q", pos, s, zh)
				}
			}
			t.Logf("%s:\n\t%s\n\t→ %s", pos, said.Problem.In(lang.Chinese), said.Fix.In(lang.Chinese))
		}
	}
	if n == 0 {
		t.Errorf("%s: no diagnostic in its testdata", a.Name)
	}
}
