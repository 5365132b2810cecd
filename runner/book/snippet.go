package book

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/netbook/netbook/labs/loopback"
)

// Snippet is one ```go block of a chapter.
type Snippet struct {
	Chapter *Chapter
	Index   int    // 1-based, counting the chapter's go blocks
	Info    string // the whole info string: "go server=echo"
	Code    string
	Line    int // the line of the opening fence

	Fragment  bool   // a piece shown for reading, not run
	Toolchain bool   // runs with the Go toolchain only
	Varies    bool   // output is not compared
	Server    string // pair name when this is a server half
	Client    string // pair name when this is a client half
	Title     string // a file name to show

	Output     *string // expected output, when an output block follows
	OutputLine int
}

// ID names the snippet as the runner's commands take it: "02:3".
func (s *Snippet) ID() string {
	return fmt.Sprintf("%02d:%d", s.Chapter.Number, s.Index)
}

// Runnable reports whether the snippet is a program to run.
func (s *Snippet) Runnable() bool { return !s.Fragment }

// FirstLine is the first line of code after the package clause and imports,
// to show in a list.
func (s *Snippet) FirstLine() string {
	inImports := false
	for _, l := range strings.Split(s.Code, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "package ") || strings.HasPrefix(t, "//"):
		case strings.HasPrefix(t, "import ("):
			inImports = true
		case inImports:
			inImports = t != ")"
		case strings.HasPrefix(t, "import "):
		default:
			return t
		}
	}
	return ""
}

var pairName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

func (s *Snippet) parseInfo(words []string) error {
	for _, w := range words {
		key, value, hasValue := strings.Cut(w, "=")
		switch {
		case w == "fragment":
			s.Fragment = true
		case w == "toolchain":
			s.Toolchain = true
		case w == "varies":
			s.Varies = true
		case key == "server" && hasValue && pairName.MatchString(value):
			s.Server = value
		case key == "client" && hasValue && pairName.MatchString(value):
			s.Client = value
		case key == "title" && hasValue && value != "":
			s.Title = value
		default:
			return fmt.Errorf("unknown snippet marker %q in %q: use fragment, toolchain, varies, server=NAME, client=NAME or title=FILE", w, s.Info)
		}
	}
	if s.Fragment && (s.Toolchain || s.Varies || s.Server != "" || s.Client != "") {
		return fmt.Errorf("a fragment is not run, so %q cannot also mark how it runs", s.Info)
	}
	if s.Server != "" && s.Client != "" {
		return fmt.Errorf("a snippet is a server or a client, not both: %q", s.Info)
	}
	if !s.Fragment && !strings.HasPrefix(strings.TrimSpace(stripComments(s.Code)), "package main") {
		return fmt.Errorf("a go snippet is a whole program (package main) unless marked fragment")
	}
	return nil
}

func stripComments(code string) string {
	var b strings.Builder
	for _, l := range strings.Split(code, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// NormalizeOutput replaces the port of loopback addresses with PORT, so that
// an output block can show a realistic run.
func NormalizeOutput(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return loopback.Ports(s)
}
