package grade

import (
	"fmt"
	"go/scanner"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/netbook/netbook/runner/labs"
)

// copied lists the student's Go files (by name) that are the book's
// reference solution of lab l token for token: the same code, whatever
// its comments, spacing and line breaks. A student's clone holds the
// reference (solutions/), so a copy passes every task; the instructor is
// told, and the points stand. A file that is also the book's own copy in
// the lab's folder (a reference that leaves a file as the skeleton has
// it) is not listed.
func copied(l *labs.Lab, files map[string][]byte) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if filepath.Ext(name) != ".go" {
			continue
		}
		ref, err := os.ReadFile(filepath.Join(l.SolutionDir, filepath.FromSlash(name)))
		if err != nil {
			continue
		}
		mine := tokens(files[name])
		if mine == nil || !slices.Equal(mine, tokens(ref)) {
			continue
		}
		if book, err := os.ReadFile(filepath.Join(l.Dir, filepath.FromSlash(name))); err == nil && slices.Equal(mine, tokens(book)) {
			continue
		}
		out = append(out, name)
	}
	return out
}

// tokens is Go source as its tokens, comments left out and every
// semicolon alike (one written, or one a line break puts in); nil when
// the source does not scan.
func tokens(src []byte) []string {
	var s scanner.Scanner
	failed := false
	s.Init(token.NewFileSet().AddFile("", -1, len(src)), src, func(token.Position, string) { failed = true }, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON {
			lit = ""
		}
		out = append(out, fmt.Sprintf("%d %s", tok, lit))
	}
	if failed {
		return nil
	}
	return out
}
