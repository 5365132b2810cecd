package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/markdown"
	"github.com/netbook/netbook/runner/workbook"
)

var readCmd = &Command{
	Name:    "read",
	Args:    "CHAPTER",
	Summary: "render a chapter in the terminal",
	Example: "go run ./cmd/netbook read 1\ngo run ./cmd/netbook read sockets-in-go | less -R",
	New:     func() Runner { return &read{} },
}

type read struct {
	width int
	plain bool
}

func (r *read) Flags(fs *flag.FlagSet) {
	fs.IntVar(&r.width, "width", 0, "wrap at this many columns (default: the terminal's width, at most 100)")
	fs.BoolVar(&r.plain, "plain", false, "no colour or styling, whatever the terminal")
}

func (r *read) Run(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("%w: name one chapter, by number or name", errUsage)
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	c, err := b.Find(args[0])
	if err != nil {
		return err
	}
	out, _ := e.stdout.(*os.File)
	name, width := markdown.For(out, r.plain, r.width)
	text, err := markdown.Render(c.Body, name, width)
	if err != nil {
		return err
	}
	s := e.style
	if name == markdown.Plain {
		s.Color = false
	}
	book.WriteHead(e.stdout, b, c, s)
	fmt.Fprint(e.stdout, text)
	book.WriteTail(e.stdout, b, c, s, e.cmd())
	if e.rootErr == nil {
		if w, err := workbook.Open(ctx, e.root, workbook.Options{Warn: e.stderr}); err == nil {
			w.Read(c)
		}
	}
	return nil
}
