package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netbook/netbook/runner/term"
)

var readCmd = &command{
	name:    "read",
	args:    "CHAPTER",
	summary: "render a chapter in the terminal",
	example: "go run ./cmd/netbook read 1\ngo run ./cmd/netbook read sockets-in-go | less -R",
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		width := fs.Int("width", 0, "wrap at this many columns (default: the terminal's width, at most 100)")
		plain := fs.Bool("plain", false, "no colour or styling, whatever the terminal")
		return func(e *env, args []string) error { return runRead(e, args, *width, *plain) }
	},
}

func runRead(e *env, args []string, width int, plain bool) error {
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
	style := term.MarkdownStyle(out)
	if plain {
		style = "notty"
	}
	if width <= 0 {
		width = term.Width(out)
	}
	text, err := term.RenderMarkdown(c.Body, style, width)
	if err != nil {
		return err
	}
	s := e.style
	if style == "notty" {
		s.Color = false
	}
	last := b.Chapters[len(b.Chapters)-1].Number
	fmt.Fprintf(e.stdout, "%s\n", s.Dim(fmt.Sprintf("Chapter %d of %d", c.Number, last)))
	fmt.Fprint(e.stdout, text)
	if c.Lab != "" {
		fmt.Fprintf(e.stdout, "\n%s labs/%s. Start it with:\n  %s\n", s.Bold("Lab:"), c.Lab,
			s.Code(fmt.Sprintf("%s check %s", e.cmd(), c.Lab[:2])))
	}
	for i, ch := range b.Chapters {
		if ch == c && i+1 < len(b.Chapters) {
			next := b.Chapters[i+1]
			fmt.Fprintf(e.stdout, "%s chapter %d, %s: %s\n", s.Dim("Next:"), next.Number, next.Title,
				s.Code(fmt.Sprintf("%s read %d", e.cmd(), next.Number)))
		}
	}
	if e.rootErr == nil {
		if st, err := e.state(); err == nil {
			st.Read[c.Slug] = true
			e.saveState(st)
		}
	}
	return nil
}
