package sessiontest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// fakeT records what Test reports instead of failing the real test.
type fakeT struct {
	testing.TB
	errors, fatals []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}

func TestTestHelperReportsForStudents(t *testing.T) {
	addr := nettest.Handle(t, greeter("Hello %s!\n"))
	ft := &fakeT{TB: t}
	r := Test(ft, "../testdata/greet.session", addr, session.Timeout(200*time.Millisecond))
	require.NotNil(t, r)
	require.Len(t, ft.errors, 1)
	assert.Contains(t, ft.errors[0], "The server at "+addr+" did not follow the conversation in ../testdata/greet.session.\n"+
		"../testdata/greet.session:11: connection a received different bytes\n"+
		"  # A name that arrives in two pieces is still one name.\n"+
		`  expected: "Hello, Michael!\n"`+"\n"+
		`  received: "Hello Michael!\n"`+"\n"+
		"                  ^ first difference, at byte 5\n")

	ft = &fakeT{TB: t}
	assert.Nil(t, Test(ft, "../testdata/missing.session", addr))
	require.Len(t, ft.fatals, 1)
	assert.Contains(t, ft.fatals[0], "cannot read the session: open ../testdata/missing.session")
}

func TestTestGlob(t *testing.T) {
	started := 0
	TestGlob(t, "../testdata/greet*.session", func(t *testing.T) string {
		started++
		return nettest.Handle(t, greeter("Hello, %s!\n"))
	})
	assert.Equal(t, 1, started)
}

// A server that stops early ends its session at once, with the reason,
// instead of leaving each step to time out.
func TestTestGlobUntilEndsWhenTheServerStops(t *testing.T) {
	ft := &fakeT{TB: t}
	stopped := make(chan error, 1)
	stopped <- errors.New("Serve returned while its listener was still open")
	ln := nettest.Listen(t)
	r := testUntil(ft, "../testdata/greet.session", ln.Addr().String(), stopped)
	require.NotNil(t, r)
	require.Len(t, ft.errors, 1)
	assert.Contains(t, ft.errors[0], "Serve returned while its listener was still open")
}
