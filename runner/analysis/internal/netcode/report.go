package netcode

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
)

// Report reports a finding at rng: problem says what goes wrong, for a
// student, and fix says what to do about it. The message a vet tool prints
// is both in English, "problem; fix"; the fix also travels alone as the
// diagnostic's only SuggestedFix (a fix in words, with no edits), so that
// netbook can show it on its own line. category names the kind of
// finding (the diagnostic's Category: "defer-in-loop"); with it and the
// position, netbook finds the words again in the analyzer's Advice to say
// them in the reader's language (see Run).
//
// Nothing is reported in test files: the analyzers are about the code a
// student writes, and tests do on purpose what servers must not (leave a
// connection open to see what happens, read a reply to the end).
func Report(pass *analysis.Pass, rng analysis.Range, category string, problem, fix Text, related ...analysis.RelatedInformation) {
	if f := pass.Fset.File(rng.Pos()); f != nil && strings.HasSuffix(f.Name(), "_test.go") {
		return
	}
	remember(pass, Said{Pos: rng.Pos(), Category: category, Problem: problem, Fix: fix})
	en := fix.String()
	pass.Report(analysis.Diagnostic{
		Pos:            rng.Pos(),
		End:            rng.End(),
		Category:       category,
		Message:        problem.String() + "; " + en,
		SuggestedFixes: []analysis.SuggestedFix{{Message: en}},
		Related:        related,
	})
}

// SplitMessage undoes Report: it returns the problem and the fix of a
// diagnostic, in English.
func SplitMessage(d analysis.Diagnostic) (problem, fix string) {
	if len(d.SuggestedFixes) == 1 && len(d.SuggestedFixes[0].TextEdits) == 0 {
		fix = d.SuggestedFixes[0].Message
		if p, ok := strings.CutSuffix(d.Message, "; "+fix); ok {
			return p, fix
		}
	}
	return d.Message, fix
}

// CFG builds the control-flow graph of a function body. Calls that never
// return (panic, os.Exit, log.Fatal, t.Fatal, runtime.Goexit) end their
// block.
func CFG(ti *types.Info, body *ast.BlockStmt) *cfg.CFG {
	return cfg.New(body, func(call *ast.CallExpr) bool { return MayReturn(ti, call) })
}

// MayReturn reports whether a call may return to its caller.
func MayReturn(ti *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := ti.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
			return false
		}
	}
	f := AnyCallee(ti, call)
	if f == nil || f.Pkg() == nil {
		return true
	}
	switch f.Pkg().Path() {
	case "os":
		return f.Name() != "Exit"
	case "log":
		return !strings.HasPrefix(f.Name(), "Fatal") && !strings.HasPrefix(f.Name(), "Panic")
	case "runtime":
		return f.Name() != "Goexit"
	case "testing":
		switch f.Name() {
		case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
			return false
		}
	}
	return true
}

// Doc extracts an analyzer's documentation from the source of its
// package's doc.go, as golang.org/x/tools's own passes do: the text under
// the heading "# Analyzer NAME" of the package comment, up to the next
// heading. The first line is the summary vet prints with -help.
func Doc(src, name string) string {
	var out []string
	in := false
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(line, "//") {
			if in {
				break
			}
			continue
		}
		text := strings.TrimPrefix(strings.TrimPrefix(line, "//"), " ")
		if strings.HasPrefix(text, "# ") {
			if in {
				break
			}
			in = text == "# Analyzer "+name
			continue
		}
		if in {
			out = append(out, text)
		}
	}
	doc := strings.TrimSpace(strings.Join(out, "\n"))
	// The summary starts "name: ", as in x/tools's passes; vet prints the
	// name next to it already.
	doc = strings.TrimPrefix(doc, name+": ")
	if doc == "" {
		panic("no \"# Analyzer " + name + "\" section in doc.go")
	}
	return doc
}
