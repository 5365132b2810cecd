// Package snippets builds and runs the Go snippets of the chapters, so the
// book cannot rot: every whole program must compile, be gofmt-formatted,
// exit cleanly within its time limit, print what its output block says, and
// print the same under the Go toolchain and the interpreter.
//
// An [Engine] runs snippets one way. [Built] compiles them with the Go
// toolchain: each snippet becomes a main package at a path inside the root
// module that does not exist on disk (internal/snippetbuild/cNNsK), mapped in
// with go build -overlay, so that snippets can import what the root module
// requires (golang.org/x/text) and nothing is ever written into the work
// tree. [Interp] runs them with the interpreter binary (cmd/netbook-interp,
// which runner/interpbin builds), and [Pick] uses each snippet's markers to
// choose. Whatever the engine, every run is a child process in a fresh temp
// directory and a process group of its own, killed at its time limit or once
// its output passes [OutputCap]; see [Run], [Start] and [RunPair].
// [CheckBoth] is what go test ./chapters runs for each chapter.
package snippets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
)

// DefaultTimeout is how long a snippet may run.
const DefaultTimeout = 10 * time.Second

// OutputCap is the most output kept from one run.
const OutputCap = 1 << 20

// Built is a set of snippets compiled with the Go toolchain.
type Built struct {
	dir    string
	remove func() // removes dir (sandbox.TempDir: swept if netbook is killed)
	bins   map[*book.Snippet]string
	errs   map[*book.Snippet]error
}

// Close removes the binaries.
func (b *Built) Close() error { b.remove(); return nil }

// Err is the snippet's build error, or nil.
func (b *Built) Err(s *book.Snippet) error { return b.errs[s] }

func pkgName(s *book.Snippet) string {
	return fmt.Sprintf("c%02ds%d", s.Chapter.Number, s.Index)
}

// Build compiles the runnable snippets with one go build in root (the root
// module's directory). A snippet that does not compile gets an error that
// points at the chapter's line; the others still build.
func Build(ctx context.Context, root string, snips []*book.Snippet) (*Built, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	dir, remove, err := sandbox.TempDir("netbook-snippets-")
	if err != nil {
		return nil, err
	}
	b := &Built{dir: dir, remove: remove, bins: map[*book.Snippet]string{}, errs: map[*book.Snippet]error{}}
	ok := false
	defer func() {
		if !ok {
			remove() // nothing built is handed back: its dir goes now, not at the next netbook's sweep
		}
	}()
	replace := map[string]string{}
	byPkg := map[string]*book.Snippet{}
	var pkgs []string
	for _, s := range snips {
		if !s.Runnable() {
			continue
		}
		name := pkgName(s)
		src := filepath.Join(dir, name+".go")
		if err := os.WriteFile(src, []byte(s.Code), 0o644); err != nil {
			return nil, err
		}
		replace[filepath.Join(root, "internal", "snippetbuild", name, "main.go")] = src
		byPkg[name] = s
		pkgs = append(pkgs, "./internal/snippetbuild/"+name)
	}
	if len(pkgs) == 0 {
		ok = true
		return b, nil
	}
	overlay, err := gotest.WriteOverlay(dir, replace)
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		return nil, err
	}
	// -k is not a go build flag; build everything at once, then attribute
	// failures to their packages from the "# path" headers.
	// The go command runs in a process group of its own, stopped whole
	// when ctx is done: no compiler outlives a Ctrl-C.
	out, _, err := proc.Output(ctx, "go", append([]string{"build", "-overlay", overlay, "-o", bin + string(filepath.Separator)}, pkgs...), proc.Options{
		Dir:      root,
		Combined: true,
		Grace:    5 * time.Second,
		Setup:    func(cmd *exec.Cmd) { sandbox.GoWorkIn(cmd, dir) },
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("go build of the snippets: %w", ctx.Err())
		}
		failed := attribute(out, byPkg, dir)
		if len(failed) == 0 {
			return nil, fmt.Errorf("go build of the snippets failed: %s", out)
		}
		for s, e := range failed {
			b.errs[s] = e
		}
		// Build the rest without the broken ones.
		var rest []*book.Snippet
		for _, s := range snips {
			if _, bad := failed[s]; !bad && s.Runnable() {
				rest = append(rest, s)
			}
		}
		again, err := Build(ctx, root, rest)
		if err != nil {
			return nil, err
		}
		for s, e := range failed {
			again.errs[s] = e
		}
		return again, nil
	}
	for name, s := range byPkg {
		b.bins[s] = filepath.Join(bin, name)
	}
	ok = true
	return b, nil
}

var header = regexp.MustCompile(`(?m)^# \S*/internal/snippetbuild/(c\d+s\d+)\s*$`)

// attribute splits go build's output into one error per snippet, with the
// temp file's line numbers turned into the chapter's.
func attribute(out string, byPkg map[string]*book.Snippet, dir string) map[*book.Snippet]error {
	failed := map[*book.Snippet]error{}
	locs := header.FindAllStringSubmatchIndex(out, -1)
	for i, loc := range locs {
		name := out[loc[2]:loc[3]]
		s := byPkg[name]
		if s == nil {
			continue
		}
		end := len(out)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		failed[s] = errors.New(chapterLines(out[loc[1]:end], s, filepath.Join(dir, name+".go")))
	}
	return failed
}

// fileLine is a position in a snippet's file: the temp file the
// interpreter runs and go build reports (c02s1.go:7), or the package's
// main.go, where a compiled snippet's stack trace says it is
// (.../internal/snippetbuild/c02s1/main.go:7).
var fileLine = regexp.MustCompile(`(\S*c\d+s\d+(?:\.go|/main\.go)):(\d+)`)

func chapterLines(msg string, s *book.Snippet, file string) string {
	return strings.TrimSpace(mapLines(msg, s, file))
}

// mapLines turns positions in the snippet's temp file into the chapter's.
func mapLines(msg string, s *book.Snippet, file string) string {
	return replaceLines(msg, file, func(n int) string { return chapterLine(s.Chapter, s.Line+n) })
}

// snippetLines turns positions in the snippet's temp file into lines of
// the snippet itself, "line 7:2", for code that is not the chapter's (the
// student's edit on a page).
func snippetLines(msg string, file string) string {
	return replaceLines(msg, file, func(n int) string { return "line " + strconv.Itoa(n) })
}

// replaceLines replaces each "file:N" position in msg that names the
// snippet's temp file (or its folder's main.go) with at(N), the column
// after it kept; other files' positions stay as they are.
func replaceLines(msg, file string, at func(n int) string) string {
	return fileLine.ReplaceAllStringFunc(msg, func(m string) string {
		sub := fileLine.FindStringSubmatch(m)
		if name, ok := strings.CutSuffix(sub[1], "/main.go"); ok {
			sub[1] = name + ".go"
		}
		if filepath.Base(sub[1]) != filepath.Base(file) {
			return m
		}
		n, _ := strconv.Atoi(sub[2])
		return at(n)
	})
}

// Runs reports that the toolchain runs every runnable snippet.
func (b *Built) Runs(s *book.Snippet) bool { return s.Runnable() }

// Name says how the snippets run, for messages.
func (b *Built) Name() string { return "the Go toolchain" }

// Command returns the command that runs a built snippet with args.
func (b *Built) Command(s *book.Snippet, dir string, args []string) (Cmd, error) {
	bin, ok := b.bins[s]
	if !ok {
		if err := b.errs[s]; err != nil {
			return Cmd{}, err
		}
		return Cmd{}, fmt.Errorf("snippet %s was not built", s.ID())
	}
	return Cmd{Path: bin, Args: args}, nil
}

// Run runs a built snippet with args, in a fresh temp directory, killing
// its whole process group at the timeout.
func (b *Built) Run(ctx context.Context, s *book.Snippet, timeout time.Duration, args ...string) Result {
	return Run(ctx, b, s, Options{Timeout: timeout, Args: args})
}

// CheckFormat reports whether a snippet is gofmt-formatted, as the book
// shows code the way gofmt writes it.
func CheckFormat(s *book.Snippet) error {
	src := s.Code
	if s.Fragment {
		return nil
	}
	got, err := format.Source([]byte(src))
	if err != nil {
		return fmt.Errorf("%s: snippet %s does not parse: %v", chapterLine(s.Chapter, s.Line), s.ID(), err)
	}
	if !bytes.Equal(got, []byte(src)) {
		return fmt.Errorf("%s: snippet %s is not gofmt-formatted", chapterLine(s.Chapter, s.Line), s.ID())
	}
	return nil
}

// Compare checks a run's output against the snippet's output block.
func Compare(s *book.Snippet, got string) error {
	if s.Output == nil || s.Varies {
		return nil
	}
	want := book.NormalizeOutput(*s.Output)
	if g := book.NormalizeOutput(got); g != want {
		return fmt.Errorf("%s: snippet %s printed\n%s\nbut its output block says\n%s",
			chapterLine(s.Chapter, s.OutputLine), s.ID(), indent(g), indent(want))
	}
	return nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// chapterLine is line of chapter c as a student finds it in the work tree:
// "chapters/02-sockets-in-go.md:125", or under chapters/zh/ for the
// Chinese edition (c.Name is its path in the chapters' folder).
func chapterLine(c *book.Chapter, line int) string {
	name := c.Name
	if name == "" {
		name = c.Slug + ".md"
	}
	return fmt.Sprintf("chapters/%s:%d", name, line)
}
