package main

import (
	"context"
	"fmt"
	"os"

	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/workbook"
)

var dashboardCmd = &Command{
	Name:    "",
	Summary: "show each chapter, its lab's status, and the next thing to do",
	Example: "go run ./cmd/netbook\n" +
		"go run ./cmd/netbook --lang zh    # in Chinese; NETBOOK_LANG=zh or a Chinese locale does the same",
	Lang: true,
	New:  func() Runner { return &dashboard{} },
}

type dashboard struct{ noFlags }

func (*dashboard) Run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: the dashboard takes no arguments", errUsage)
	}
	w, err := e.workbook(ctx, true)
	if err != nil {
		return err
	}
	f, _ := e.stdout.(*os.File)
	workbook.WriteDashboard(e.stdout, w, e.style, style.Width(f))
	return nil
}
