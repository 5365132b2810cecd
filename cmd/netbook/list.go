package main

import "fmt"

var listCmd = &command{
	name:    "list",
	summary: "list the chapters with their summaries and labs",
	example: "go run ./cmd/netbook list",
	setup:   noFlags(runList),
}

func runList(e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: list takes no arguments", errUsage)
	}
	b, err := e.book()
	if err != nil {
		return err
	}
	s := e.style
	for _, c := range b.Chapters {
		fmt.Fprintf(e.stdout, "%s %s\n", s.Bold(fmt.Sprintf("%2d", c.Number)), s.Bold(c.Title))
		if c.Summary != "" {
			fmt.Fprintf(e.stdout, "   %s\n", c.Summary)
		}
		if c.Lab != "" {
			fmt.Fprintf(e.stdout, "   %s labs/%s\n", s.Dim("lab:"), c.Lab)
		}
		fmt.Fprintln(e.stdout)
	}
	fmt.Fprintf(e.stdout, "Read one with: %s\n", s.Code(e.cmd()+" read 1"))
	return nil
}
