package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/style"
)

// An error netbook prints fits 80 columns when its output is not a
// terminal (a pipe, a file), in either language: "netbook check:" stays on
// the first line, and the command it suggests on one line.
func TestErrorsWrapAtEightyColumns(t *testing.T) {
	workTree(t)
	for _, args := range [][]string{
		{"check", "99"},
		{"check", "99", "--lang", "zh"},
		{"up", "99"},
		{"read", "99"},
		{"up", "01"},
		{"check", "--task", "2"},
	} {
		code, _, errOut := netbook(t, args...)
		assert.NotEqual(t, 0, code, "%v", args)
		head, _, _ := strings.Cut(errOut, "\n")
		assert.True(t, strings.HasPrefix(head, "netbook "+args[0]+": "), "%v: %q", args, head)
		for line := range strings.Lines(errOut) {
			assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%v: %q", args, line)
		}
	}
	// The tests run as "go run ./cmd/netbook" would.
	_, _, errOut := netbook(t, "check", "99")
	assert.Regexp(t, `\n\(list them with: (go run \S+|netbook) list\)\n$`, errOut)
	assert.Contains(t, errOut, "02-first-connection") // none of the list is lost
	_, _, errOut = netbook(t, "up", "01")
	assert.Regexp(t, `[ \n](go run \S+|netbook) check 01\n$`, errOut)
}

func TestWrapErrorKeepsCommandsWhole(t *testing.T) {
	for _, c := range []struct{ text, want string }{{
		"netbook check: no lab \"99\": try one of 01-addresses, 02-first-connection\n(list them with: go run ./cmd/netbook list)",
		"netbook check: no lab \"99\": try one of\n01-addresses, 02-first-connection\n(list them with:\ngo run ./cmd/netbook list)",
	}, {
		"netbook up: your server stopped; once Serve works, run netbook up 03 again",
		"netbook up: your server stopped; once\nServe works, run netbook up 03 again",
	}, {
		"netbook up: your server stopped; once Serve works, run netbook up 03 --addr 127.0.0.1:9000.",
		"netbook up: your server stopped; once\nServe works, run\nnetbook up 03 --addr 127.0.0.1:9000.",
	}, {
		"netbook check: usage: --task needs the lab it belongs to, such as: check 03 --task 2",
		"netbook check: usage: --task needs the\nlab it belongs to, such as:\ncheck 03 --task 2",
	}, {
		// "netbook check" starts the line however narrow it is.
		"netbook check: it runs",
		"netbook check:\nit runs",
	}} {
		width := 40
		if c.text == "netbook check: it runs" {
			width = 10
		}
		assert.Equal(t, c.want, wrapError(c.text, width), "%q", c.text)
	}
}

// A path with spaces in it, where netbook runs or above, is not broken
// either.
func TestWrapErrorKeepsTheFolderWhole(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my work", "a b c", "labs")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	t.Chdir(dir)
	wd, err := os.Getwd()
	require.NoError(t, err)
	got := wrapError("netbook check: not inside a netbook work tree: no go.work with labs/go.mod above "+wd, 30)
	assert.Contains(t, got, "\n"+wd, "the folder has a line of its own: %q", got)
	file := filepath.Join(filepath.Dir(wd), "go.work")
	got = wrapError("netbook check: unable to read "+file+": it is a folder", 30)
	assert.Contains(t, got, "\n"+file, "the folder above too: %q", got)
}

// unwrapped is s with every run of spaces and line breaks made one space:
// netbook's errors as if on one line, whatever width they were wrapped at.
func unwrapped(s string) string { return strings.Join(strings.Fields(s), " ") }
