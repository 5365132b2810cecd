// Package interpbin starts the interpreter binary, cmd/netbook-interp,
// which runner/lazybin builds on first use: yaegi never enters the netbook
// command's build. The cached binary is named by a fingerprint of
// everything it is built from (the Go version, go.mod, go.sum and the
// source files of [Sources]), so an edit to any of them builds it again and
// an unchanged tree reuses it without asking the go command anything.
package interpbin

import (
	"context"
	"io"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/lazybin"
)

// Package is the interpreter's main package, relative to the root module.
const Package = "./cmd/netbook-interp"

// Sources are the work tree's directories compiled into the interpreter
// (labs/loopback is the labs module's, the one loopback policy). A test
// checks this against go list, so that the fingerprint cannot miss a file.
var Sources = []string{"cmd/netbook-interp", "labs/loopback", "runner/interp", "runner/replproto"}

// Interpreter is the interpreter as a binary that lazybin builds on first
// use.
var Interpreter = &lazybin.Binary{
	Name:    "netbook-interp",
	Package: Package,
	About:   "the Go interpreter for snippets and the REPL",
	Says:    lang.BuildInterp,
	Sources: Sources,
}

// Fingerprint hashes what the interpreter in the root module dir is built
// from.
func Fingerprint(root string) (string, error) {
	return Interpreter.Fingerprint(context.Background(), root)
}

// Ensure returns the path of an interpreter built from the root module in
// root, building it first if the cache has none for this source (see
// lazybin).
func Ensure(ctx context.Context, root string, note io.Writer) (string, error) {
	return Interpreter.Ensure(ctx, root, note)
}

// EnsureIn is Ensure with the notes while it builds in language l.
func EnsureIn(ctx context.Context, root string, note io.Writer, l lang.Lang) (string, error) {
	return Interpreter.EnsureIn(ctx, root, note, l)
}
