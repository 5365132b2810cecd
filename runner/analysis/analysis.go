package analysis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/netbook/netbook/runner/analysis/connclose"
	"github.com/netbook/netbook/runner/analysis/deadline"
	"github.com/netbook/netbook/runner/analysis/droppederr"
	"github.com/netbook/netbook/runner/analysis/fixedaddr"
	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/analysis/onereadmsg"
	"github.com/netbook/netbook/runner/analysis/readtoend"
	"github.com/netbook/netbook/runner/analysis/sharedwrite"
	"github.com/netbook/netbook/runner/analysis/sleepwait"
	"github.com/netbook/netbook/runner/analysis/stopconns"
	"github.com/netbook/netbook/runner/lang"
)

// Analyzers returns netbook's analyzers, one per idea.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		onereadmsg.Analyzer,
		connclose.Analyzer,
		deadline.Analyzer,
		droppederr.Analyzer,
		fixedaddr.Analyzer,
		readtoend.Analyzer,
		sharedwrite.Analyzer,
		sleepwait.Analyzer,
		stopconns.Analyzer,
	}
}

// Finding is one piece of advice about a student's code.
type Finding struct {
	Analyzer string `json:"analyzer"` // the analyzer's name: "onereadmsg"
	File     string `json:"file"`     // relative to the package folder, with slashes: "server.go"
	Path     string `json:"path"`     // the absolute path of the file
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"` // what goes wrong, for a student
	Fix      string `json:"fix"`     // what to do about it, in a sentence

	// said is Message and Fix in words for every language, when the
	// analyzer said them with netcode.Report (not kept in JSON, which is
	// English).
	said *netcode.Said
}

// MessageIn is Message in language l (English when there is no
// translation).
func (f Finding) MessageIn(l lang.Lang) string {
	if f.said == nil || l.IsEnglish() {
		return f.Message
	}
	return f.said.Problem.In(l)
}

// FixIn is Fix in language l (English when there is no translation).
func (f Finding) FixIn(l lang.Lang) string {
	if f.said == nil || l.IsEnglish() || f.said.Fix.IsZero() {
		return f.Fix
	}
	return f.said.Fix.In(l)
}

// String formats a finding as go vet does: "server.go:14:3: message".
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Column, f.Message)
}

// ErrDoesNotCompile is returned (wrapped) by Run when the package does not
// type-check: there is nothing to analyse until it does, and go test
// already shows the compile errors.
var ErrDoesNotCompile = errors.New("the package does not compile")

// Run analyses the Go package in dir (a lab folder) and returns the
// findings in files, sorted by file and line. files are the files the
// student edits, absolute or relative to dir; with none, findings in
// every file of the package are returned. Test files are not analysed.
//
// overlay maps a file's absolute path to the absolute path of a file to
// read in its place, as go build's -overlay does (labs.SolutionFiles
// gives one for a reference solution); a file need not exist to be
// added. Findings name the overlaid file by its place in dir.
//
// Nothing is written, and no process but one go list is started (none
// when an earlier Run in this process already knows where the export
// data of the package's imports is).
func Run(ctx context.Context, dir string, files []string, overlay map[string]string) ([]Finding, error) {
	return RunAnalyzers(ctx, Analyzers(), dir, files, overlay)
}

// RunAnalyzers is Run with a chosen set of analyzers.
func RunAnalyzers(ctx context.Context, analyzers []*analysis.Analyzer, dir string, files []string, overlay map[string]string) ([]Finding, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	contents := make(map[string][]byte, len(overlay))
	for from, to := range overlay {
		if !filepath.IsAbs(from) || !filepath.IsAbs(to) {
			return nil, fmt.Errorf("analysis: overlay paths must be absolute: %q -> %q", from, to)
		}
		data, err := os.ReadFile(to)
		if err != nil {
			return nil, fmt.Errorf("analysis: overlay: %w", err)
		}
		contents[from] = data
	}
	pkg, err := load(ctx, dir, contents)
	if err != nil {
		return nil, err
	}
	pkgs := []*packages.Package{pkg}
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}

	wanted := map[string]bool{}
	for _, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		wanted[filepath.Clean(f)] = true
	}
	var out []Finding
	var errs []error
	for _, act := range graph.Roots {
		if act.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", act.Analyzer.Name, act.Err))
			continue
		}
		advice, _ := act.Result.(*netcode.Advice)
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			path := filepath.Clean(pos.Filename)
			if len(wanted) > 0 && !wanted[path] {
				continue
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil || strings.HasPrefix(rel, "..") {
				rel = path
			}
			problem, fix := netcode.SplitMessage(d)
			var said *netcode.Said
			if s, ok := advice.Find(d); ok {
				said = &s
			}
			out = append(out, Finding{
				Analyzer: act.Analyzer.Name,
				File:     filepath.ToSlash(rel),
				Path:     path,
				Line:     pos.Line,
				Column:   pos.Column,
				Message:  problem,
				Fix:      fix,
				said:     said,
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out, errors.Join(errs...)
}
