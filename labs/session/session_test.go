package session

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// greeter is the server testdata/greet.session describes, with the reply
// format as a parameter so tests can make it wrong.
func greeter(hello string) func(net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, "Welcome! What is your name?\n")
		r := bufio.NewReader(c)
		name, ids := "", 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				if err == io.EOF && name != "" {
					fmt.Fprintf(c, "Bye, %s. \n", name)
				}
				return
			}
			line = strings.TrimSuffix(line, "\n")
			if line == "id" {
				ids++
				fmt.Fprintf(c, "{\"id\":%d}\n", 1000+ids)
				continue
			}
			name = line
			fmt.Fprintf(c, hello, name)
		}
	}
}

// writeThenStall sends out and then keeps the connection open without a word.
func writeThenStall(out string) func(net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, out)
		io.Copy(io.Discard, c) // until the player closes
	}
}

func mustParse(t *testing.T, text string) *Session {
	t.Helper()
	s, err := Parse("test.session", strings.NewReader(text))
	require.NoError(t, err)
	return s
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	require.Equal(t, string(want), got, "%s differs; run go test -update if the change is intended", path)
}
