package main

import (
	"context"
	"fmt"
	"os"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/mdterm"
)

var listCmd = &Command{
	Name:    "list",
	Summary: "list the chapters with their summaries and labs",
	Example: "go run ./cmd/netbook list\n" +
		"go run ./cmd/netbook list --lang zh",
	Lang: true,
	New:  func() Runner { return &list{} },
}

type list struct{ noFlags }

func (*list) Run(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: list takes no arguments", errUsage)
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	f, _ := e.stdout.(*os.File)
	width, _ := mdterm.WidthFor(0, f) // as netbook read wraps prose
	book.WriteList(e.stdout, b, e.style, e.cmd(), width)
	return nil
}
