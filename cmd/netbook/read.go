package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/mdterm"
	"github.com/netbook/netbook/runner/pager"
	"github.com/netbook/netbook/runner/workbook"
)

var readCmd = &Command{
	Name:    "read",
	Args:    "CHAPTER",
	Summary: "render a chapter in the terminal",
	Example: "go run ./cmd/netbook read 1                 # a pager when the chapter is longer than the screen\n" +
		"go run ./cmd/netbook read sockets-in-go --no-pager\n" +
		"go run ./cmd/netbook read 3 > chapter-3.txt  # piped or saved: plain text, 80 columns\n" +
		"go run ./cmd/netbook read 3 --lang zh        # the Chinese edition, chapters/zh/03-tcp-server.md",
	Lang: true,
	New:  func() Runner { return &read{} },
}

type read struct {
	width          int
	plain, noPager bool
}

func (r *read) Flags(fs *flag.FlagSet) {
	fs.IntVar(&r.width, "width", 0, fmt.Sprintf("wrap prose at this many columns, %d to %d (default: the terminal's width, at most %d); code lines are never wrapped", mdterm.MinWidth, mdterm.MaxWidth, mdterm.DefaultWidth))
	fs.BoolVar(&r.plain, "plain", false, "no colour or styling, whatever the terminal")
	fs.BoolVar(&r.noPager, "no-pager", false, "print the whole chapter, even when it is longer than the screen")
}

func (r *read) Run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		e.langOfPath(args[0])
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	if args = e.chapterArgs("read", args, b); len(args) != 1 {
		return fmt.Errorf("%w: name one chapter, by number or name", errUsage)
	}
	c, err := b.Find(args[0])
	if err != nil {
		return err
	}
	if c.Lang != b.Lang {
		printError(e.stderr, "netbook read", b.Lang.Sprintf(lang.ReadUntranslated, c.Number))
	}
	out, _ := e.stdout.(*os.File)
	width, note := mdterm.WidthFor(r.width, out)
	if note != "" {
		printError(e.stderr, "netbook read", note)
	}
	s := e.style
	s.Color = s.Color && !r.plain
	var text strings.Builder
	book.WriteHead(&text, b, c, s)
	text.WriteString(mdterm.Chapter(c, mdterm.Options{Width: width, Color: s.Color, Command: e.cmd()}))
	book.WriteTail(&text, b, c, s, e.cmd(), width)
	if err := pager.Page(e.stdout, text.String(), pager.Options{Off: r.noPager, Stderr: e.stderr}); err != nil {
		return err
	}
	if e.rootErr == nil {
		if w, err := workbook.Open(ctx, e.root, workbook.Options{Warn: e.stderr}); err == nil {
			w.Read(c)
		}
	}
	return nil
}

// langOfPath makes the book Chinese when arg, a chapter, is a path into
// chapters/zh/ ("zh/03-tcp-server.md", "chapters/zh/03-tcp-server.md"):
// that path names the Chinese edition, whatever the language would
// otherwise be, as --lang zh does.
func (e *env) langOfPath(arg string) {
	p := strings.ReplaceAll(strings.TrimSpace(arg), `\`, "/")
	if path.Base(path.Dir(path.Clean(p))) == book.Folder(lang.Chinese) {
		e.lang = lang.Chinese
	}
}
