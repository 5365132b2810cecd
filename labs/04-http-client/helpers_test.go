package rawhttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/labs/session/sessiontest"
)

// getTimeout is what the tests give Get when the server is not meant to
// stall: far longer than loopback needs.
const getTimeout = nettest.Step

// get calls Get and fails the test if it does not return well within its
// timeout.
func get(t *testing.T, rawURL string, timeout time.Duration) (resp *Response, err error) {
	t.Helper()
	nettest.Within(t, timeout+nettest.Step, fmt.Sprintf("Get(%q, %v)", rawURL, timeout), func() {
		resp, err = Get(rawURL, timeout)
	})
	if resp == nil && err == nil {
		t.Fatalf("Get(%q, %v) returned neither a response nor an error: return the response ParseResponse read, or an error that says what went wrong", rawURL, timeout)
	}
	return resp, err
}

// parse runs ParseResponse on raw, fed to it through r if r is not nil (to
// cut the reads short), and returns what is left unread after it. It fails
// the test if ParseResponse returns neither a response nor an error.
func parse(t *testing.T, raw string, wrap func(io.Reader) io.Reader) (resp *Response, rest string, err error) {
	t.Helper()
	var src io.Reader = strings.NewReader(raw)
	if wrap != nil {
		src = wrap(src)
	}
	br := bufio.NewReader(src)
	defer func() {
		// A panic ends the whole test binary: say which response caused
		// it, since the stack alone does not.
		if p := recover(); p != nil {
			t.Errorf("ParseResponse panicked on the response %q: %v", raw, p)
			panic(p)
		}
	}()
	resp, err = ParseResponse(br)
	if resp == nil && err == nil {
		first, _, _ := strings.Cut(raw, "\n")
		first = strings.TrimSuffix(first, "\r")
		t.Fatalf("ParseResponse returned neither a response nor an error, for the response that starts %q.\n"+
			"Return the *Response it read (return resp, nil), or an error that says what was wrong: "+
			"a nil response without an error leaves the caller nothing to read", first)
	}
	left, _ := io.ReadAll(br)
	return resp, string(left), err
}

// targetWhy says why a Target that ParseURL returned is not want: for each
// field that differs, why (the reason of the case) if the case is about
// that field (or about all of them, about == ""), else what the field
// always holds. A case about the path must not blame the path when it is
// the Host that is wrong.
func targetWhy(want, got Target, about, why string) string {
	var out []string
	for _, f := range []struct{ name, want, got, always string }{
		{"Addr", want.Addr, got.Addr, "Addr is the address to dial, host and port, the port 80 when the URL has none " +
			"(net.JoinHostPort(u.Hostname(), port) puts an IPv6 address back in brackets)"},
		{"Host", want.Host, got.Host, "Host is the Host header, the host as the URL writes it, with its port when the URL gives one (u.Host)"},
		{"Path", want.Path, got.Path, "Path is the request target, the escaped path and query, \"/\" when the path is empty, " +
			"never the #fragment (u.RequestURI())"},
	} {
		if f.want == f.got {
			continue
		}
		reason := f.always
		if about == "" || about == f.name {
			reason = why
		}
		out = append(out, fmt.Sprintf("%s is %q, want %q: %s", f.name, f.got, f.want, reason))
	}
	if len(out) == 0 {
		return why
	}
	return strings.Join(out, "\n")
}

// scriptTimeout is how long each step of a script waits for the client:
// longer than any Get in these tests may take (its timeout plus the slack of
// get), so that a Get that hangs is reported as hanging, not as whatever the
// server does when it gives up on the client.
const scriptTimeout = 2 * nettest.Step

// scripted starts the misbehaving server that testdata/name plays, and
// returns it and the URL of the page its script expects a request for.
func scripted(t *testing.T, name, path string) (*sessiontest.Server, string) {
	t.Helper()
	srv := sessiontest.Serve(t, filepath.Join("testdata", name), session.Timeout(scriptTimeout))
	return srv, "http://" + srv.Addr + path
}

// followed checks that the client under test, which has returned with err,
// did what the server's script expected of it: connected, sent exactly the
// request the script waits for, and hung up. A client that hangs up while
// the server is still sending, or closes with bytes unread, is within its
// rights.
func followed(t *testing.T, srv *sessiontest.Server, err error) {
	t.Helper()
	res := srv.Result()
	if res.OK() {
		return
	}
	m := res.Mismatch
	switch {
	case m.Step.Op == session.Accept:
		t.Fatalf("Get never connected to the test's server at %s; it returned: %v", srv.Addr, err)
	case m.Step.Op == session.Send, m.Step.Op == session.EOF && errors.Is(m.Err, syscall.ECONNRESET):
		return
	case m.Step.Op == session.EOF:
		t.Fatalf("Get returned, but left its connection open: the server never saw it hang up.\n"+
			"Close the connection before returning (defer conn.Close() right after dialing).\n\n%s", res.Report())
	}
	t.Fatalf("The test's server did not receive the request it expected.\n"+
		"Get should send exactly BuildRequest(\"GET\", host, path), as task 1 checks.\n\n%s", res.Report())
}

// keepAliveHint explains a Get that timed out against a server that sent a
// whole response with a Content-Length and kept the connection open.
const keepAliveHint = "Get timed out: it waited for the server to close the connection, but the server sent a Content-Length " +
	"and keeps the connection open, as a keep-alive server does. Read exactly Content-Length bytes, then stop; " +
	"that is the whole response."

// showDiff shows two byte strings quoted, one above the other, with a caret
// under the first byte where they differ.
func showDiff(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	col := len(strconv.Quote(string(got[:i]))) - 1 // the opening quote, and each escape's width
	return fmt.Sprintf("  expected: %q\n  received: %q\n  %s^ first difference, at byte %d",
		want, got, strings.Repeat(" ", len("received: ")+col), i)
}

// hasNumber reports whether the decimal number n appears in s as a whole
// word, not as part of a longer number.
func hasNumber(s string, n int) bool {
	f := strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	for _, w := range f {
		if w == strconv.Itoa(n) {
			return true
		}
	}
	return false
}
