package snippets

import (
	"os"
	"path/filepath"

	"github.com/netbook/netbook/runner/book"
)

// Interp runs snippets with the interpreter binary (cmd/netbook-interp,
// built by runner/interpbin): one child process per snippet, with the
// snippet's directory as its working directory and TMPDIR.
type Interp struct {
	Path string // the interpreter binary
}

// Runs reports whether the interpreter runs s: every runnable snippet that
// is not marked toolchain.
func (in *Interp) Runs(s *book.Snippet) bool { return s.Runnable() && !s.Toolchain }

// Name says how the snippets run, for messages.
func (in *Interp) Name() string { return "the interpreter" }

// Command writes s into dir and returns the interpreter's command for it.
func (in *Interp) Command(s *book.Snippet, dir string, args []string) (Cmd, error) {
	name := pkgName(s) + ".go"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(s.Code), 0o644); err != nil {
		return Cmd{}, err
	}
	// GOTRACEBACK=none: a panic in an interpreted goroutine prints its
	// message, not the interpreter's own stack.
	env := append(os.Environ(), "TMPDIR="+dir, "GOTRACEBACK=none")
	return Cmd{Path: in.Path, Args: append([]string{"run", name}, args...), Env: env}, nil
}

// Pick runs each snippet the way its markers ask: with the interpreter,
// or with the Go toolchain when it is marked toolchain.
type Pick struct {
	Interp    *Interp
	Toolchain *Built // may be nil when no snippet needs it
}

// Runs reports whether s is runnable and its engine is there.
func (p Pick) Runs(s *book.Snippet) bool {
	if s.Toolchain {
		return p.Toolchain != nil && p.Toolchain.Runs(s)
	}
	return p.Interp != nil && p.Interp.Runs(s)
}

// Name says how the snippets run, for messages.
func (p Pick) Name() string {
	return "the interpreter (the Go toolchain where a snippet is marked toolchain)"
}

// Command returns the command of the engine that runs s.
func (p Pick) Command(s *book.Snippet, dir string, args []string) (Cmd, error) {
	if s.Toolchain {
		return p.Toolchain.Command(s, dir, args)
	}
	return p.Interp.Command(s, dir, args)
}
