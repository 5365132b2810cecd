package snippets

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/interpbin"
	"github.com/netbook/netbook/runner/lang"
)

// Choose returns the engine that runs snips as netbook run does: the
// interpreter (built into the user's cache on first use, its build log to
// log) with the toolchain for the snippets marked toolchain, or the
// toolchain for all of them. root is the work tree, whose go.mod builds
// both. The cleanup removes the compiled binaries.
func Choose(ctx context.Context, root string, snips []*book.Snippet, toolchain bool, log io.Writer) (Engine, func(), error) {
	return ChooseIn(ctx, root, snips, toolchain, log, lang.English)
}

// ChooseIn is Choose with the note while the interpreter builds in
// language l (netbook run --lang zh).
func ChooseIn(ctx context.Context, root string, snips []*book.Snippet, toolchain bool, log io.Writer, l lang.Lang) (Engine, func(), error) {
	var compile []*book.Snippet
	for _, s := range snips {
		if s != nil && s.Runnable() && (toolchain || s.Toolchain) {
			compile = append(compile, s)
		}
	}
	var built *Built
	cleanup := func() {}
	if len(compile) > 0 {
		var err error
		if built, err = Build(ctx, root, compile); err != nil {
			return nil, nil, err
		}
		cleanup = func() { built.Close() }
	}
	if toolchain {
		return built, cleanup, nil
	}
	bin, err := interpbin.EnsureIn(ctx, root, log, l)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return Pick{Interp: &Interp{Path: bin}, Toolchain: built}, cleanup, nil
}

// How says which engine runs s, for the line netbook run prints first.
func How(eng Engine, s *book.Snippet) string { return HowIn(lang.English, eng, s) }

// HowIn is How in language l.
func HowIn(l lang.Lang, eng Engine, s *book.Snippet) string {
	if p, ok := eng.(Pick); ok && !s.Toolchain {
		eng = p.Interp
	} else if s.Toolchain {
		return l.Sprintf(lang.RunMarkedToolchain)
	}
	// The engines' names, in l where netbook has them in l.
	for _, m := range []*lang.Message{lang.RunInterp, lang.RunGoToolchain, lang.RunPick} {
		if eng.Name() == m.Format(lang.English) {
			return l.Sprintf(m)
		}
	}
	return eng.Name()
}

// Runnable returns the snippet that index ("3", from "2:3") names in
// chapter c, or an error that says what c has; cmd is how to invoke
// netbook, for the advice.
func Runnable(c *book.Chapter, index, cmd string) (*book.Snippet, error) {
	n, err := strconv.Atoi(index)
	if err != nil || n < 1 || n > len(c.Snippets) {
		return nil, fmt.Errorf("chapter %d has no snippet %q: it has %d go blocks; see them with: %s run %d",
			c.Number, index, len(c.Snippets), cmd, c.Number)
	}
	s := c.Snippets[n-1]
	if !s.Runnable() {
		return nil, fmt.Errorf("snippet %s is a fragment, a piece of a program shown for reading; list the ones that run with: %s run %d",
			s.ID(), cmd, c.Number)
	}
	if (s.Server != "" || s.Client != "") && Pair(s) == nil {
		return nil, fmt.Errorf("snippet %s is half of pair %q, but its other half is missing from chapter %d", s.ID(), s.Server+s.Client, s.Chapter.Number)
	}
	return s, nil
}
