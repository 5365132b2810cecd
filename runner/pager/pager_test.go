package pager_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/creack/pty"
	"github.com/netbook/netbook/runner/pager"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// env is a fake environment for Options.LookupEnv.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func lessAt(path string) func(string) (string, error) {
	return func(name string) (string, error) {
		if path == "" {
			return "", errors.New("not found")
		}
		return path, nil
	}
}

func TestCommand(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    pager.Options
		want []string
	}{
		{"PAGER with arguments", pager.Options{LookupEnv: env("PAGER", "most -s"), LookPath: lessAt("/usr/bin/less")}, []string{"most", "-s"}},
		{"no PAGER: less, colour and long lines cut", pager.Options{LookupEnv: env(), LookPath: lessAt("/usr/bin/less")}, []string{"/usr/bin/less", "-R", "-S"}},
		{"no PAGER, no less", pager.Options{LookupEnv: env(), LookPath: lessAt("")}, nil},
		{"PAGER set empty", pager.Options{LookupEnv: env("PAGER", ""), LookPath: lessAt("/usr/bin/less")}, nil},
		{"PAGER=cat", pager.Options{LookupEnv: env("PAGER", "cat"), LookPath: lessAt("/usr/bin/less")}, nil},
		{"a dumb terminal", pager.Options{LookupEnv: env("TERM", "dumb", "PAGER", "less"), LookPath: lessAt("/usr/bin/less")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, pager.Command(tc.o))
		})
	}
}

func TestNotATerminalIsNeverPaged(t *testing.T) {
	var out bytes.Buffer
	o := pager.Options{LookupEnv: env(), LookPath: func(string) (string, error) {
		t.Fatal("Page looked for a pager although its output is not a terminal")
		return "", nil
	}}
	text := strings.Repeat("a line\n", 500)
	require.NoError(t, pager.Page(&out, text, o))
	assert.Equal(t, text, out.String())
}

// fakePager writes a shell script that stands in for less: it saves its
// input to in and the variables it was given for less to env.
func fakePager(t *testing.T) (cmd, in, envFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake pager is a shell script")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "pager.sh")
	in, envFile = filepath.Join(dir, "in"), filepath.Join(dir, "env")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\ncat > \"$1\"\nprintf '%s\\n' \"$LESS\" \"$LESSCHARSET\" > \"$2\"\n"), 0o755))
	return script + " " + in + " " + envFile, in, envFile
}

// terminal opens a pseudo-terminal of 10 rows and drains what is written
// to it into a buffer; read returns what arrived so far.
func terminal(t *testing.T) (tty *os.File, read func() string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	require.NoError(t, pty.Setsize(ptmx, &pty.Winsize{Rows: 10, Cols: 80}))
	var buf bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		b := make([]byte, 4096)
		for {
			n, err := ptmx.Read(b)
			buf.Write(b[:n])
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { tty.Close(); ptmx.Close(); <-done })
	return tty, func() string {
		tty.Close()
		<-done
		return strings.ReplaceAll(buf.String(), "\r\n", "\n")
	}
}

func TestLongTextOnATerminalIsPaged(t *testing.T) {
	cmd, in, envFile := fakePager(t)
	tty, _ := terminal(t)
	text := strings.Repeat("a line\n", 50)
	require.NoError(t, pager.Page(tty, text, pager.Options{LookupEnv: env("PAGER", cmd)}))
	got, err := os.ReadFile(in)
	require.NoError(t, err, "the pager never ran")
	assert.Equal(t, text, string(got), "the pager gets the text on its standard input")
	vars, err := os.ReadFile(envFile)
	require.NoError(t, err)
	assert.Equal(t, "RS\nutf-8\n", string(vars), "less is told to pass colour through, cut long lines and read UTF-8")
}

func TestShortTextOnATerminalIsPrinted(t *testing.T) {
	cmd, in, _ := fakePager(t)
	tty, read := terminal(t)
	require.NoError(t, pager.Page(tty, "one\ntwo\nthree\n", pager.Options{LookupEnv: env("PAGER", cmd)}))
	assert.NoFileExists(t, in, "three lines fit a screen of 10 rows: no pager")
	assert.Equal(t, "one\ntwo\nthree\n", read())
}

func TestNoPager(t *testing.T) {
	cmd, in, _ := fakePager(t)
	tty, read := terminal(t)
	text := strings.Repeat("a line\n", 50)
	require.NoError(t, pager.Page(tty, text, pager.Options{Off: true, LookupEnv: env("PAGER", cmd)}))
	assert.NoFileExists(t, in, "--no-pager: no pager")
	assert.Equal(t, text, read())
}

func TestAPagerThatCannotStartPrints(t *testing.T) {
	tty, read := terminal(t)
	text := strings.Repeat("a line\n", 50)
	require.NoError(t, pager.Page(tty, text, pager.Options{LookupEnv: env("PAGER", filepath.Join(t.TempDir(), "no-such-pager"))}))
	assert.Equal(t, text, read())
}
