package rawhttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/netbook/netbook/labs/netsim"
	"github.com/netbook/netbook/labs/netsim/netsimtest"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Build the request bytes: request line, Host, Connection: close, empty line.
func TestTask1BuildRequest(t *testing.T) {
	for _, tc := range []struct {
		method, host, target string
		want                 string
	}{
		{"GET", "127.0.0.1:8080", "/", "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n"},
		{"GET", "example.com", "/search?q=go&lang=en", "GET /search?q=go&lang=en HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"},
		{"HEAD", "[::1]:8080", "/index.html", "HEAD /index.html HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n"},
		{"GET", "localhost", "", "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"},
	} {
		got := BuildRequest(tc.method, tc.host, tc.target)
		call := fmt.Sprintf("BuildRequest(%q, %q, %q)", tc.method, tc.host, tc.target)
		require.NotEmpty(t, got, "%s returned nothing: return the request's bytes, the request line, the Host and Connection lines "+
			"and an empty line, each ending in \"\\r\\n\"", call)
		if !bytes.Equal(got, []byte(tc.want)) {
			hint := ""
			switch {
			case !bytes.Contains(got, []byte("\r\n")):
				hint = "\nHTTP lines end in \"\\r\\n\" (carriage return, line feed), not just \"\\n\"."
			case !bytes.HasSuffix(got, []byte("\r\n\r\n")):
				hint = "\nThe request must end with an empty line (\"\\r\\n\" after the last header's \"\\r\\n\"): it tells the server the headers are over."
			case tc.target == "" && !bytes.HasPrefix(got, []byte("GET / ")):
				hint = "\nAn empty target means \"/\": a request line always names a path."
			}
			t.Fatalf("%s returned the wrong bytes:\n%s%s", call, showDiff([]byte(tc.want), got), hint)
		}
	}
}

// Turn a URL into the address to dial, the Host header and the path to ask for.
func TestTask2ParseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want Target
		why  string
		// about names the field the case is about: the field's own
		// reason is given when another one is wrong ("" for all three).
		about string
	}{
		{"http://127.0.0.1:8080/search?q=go#results", Target{"127.0.0.1:8080", "127.0.0.1:8080", "/search?q=go"},
			"the query is part of the target; the #fragment never leaves the browser", "Path"},
		{"http://example.com", Target{"example.com:80", "example.com", "/"},
			"no port means HTTP's port, 80, for dialing, but the Host header names the host as written; no path means \"/\"", ""},
		{"http://example.com/", Target{"example.com:80", "example.com", "/"}, "no port means 80", "Addr"},
		{"http://127.0.0.1:8080?page=2", Target{"127.0.0.1:8080", "127.0.0.1:8080", "/?page=2"},
			"an empty path is \"/\", even with a query (u.RequestURI() does this)", "Path"},
		{"http://[::1]:8080/x?y=1", Target{"[::1]:8080", "[::1]:8080", "/x?y=1"}, "IPv6 keeps its brackets", ""},
		{"http://[::1]/", Target{"[::1]:80", "[::1]", "/"},
			"join host and port with net.JoinHostPort(u.Hostname(), \"80\"), which puts IPv6 back in brackets", "Addr"},
		{"HTTP://localhost:9000/a/b.html", Target{"localhost:9000", "localhost:9000", "/a/b.html"}, "the scheme is not case-sensitive", ""},
		{"http://127.0.0.1:8080/caf%C3%A9?q=%E4%BD%A0", Target{"127.0.0.1:8080", "127.0.0.1:8080", "/caf%C3%A9?q=%E4%BD%A0"},
			"the path and query are sent escaped, as in the URL", "Path"},
	} {
		got, err := ParseURL(tc.url)
		require.NoError(t, err, "ParseURL(%q) returned an error", tc.url)
		require.Equal(t, tc.want, got, "ParseURL(%q): %s", tc.url, targetWhy(tc.want, got, tc.about, tc.why))
	}
	for _, tc := range []struct{ url, why string }{
		{"https://127.0.0.1/", "https needs TLS, which this client does not speak"},
		{"ftp://127.0.0.1/file.txt", "only http:// is supported"},
		{"localhost:8080", "without \"http://\", url.Parse reads \"localhost\" as the scheme"},
		{"127.0.0.1:8080/index.html", "without \"http://\" this is not a URL url.Parse accepts"},
		{"/just/a/path", "there is no host to connect to"},
		{"http:///index.html", "there is no host to connect to"},
		{"http://:8080/", "a port without a host"},
		{"http://exa mple.com/", "a host cannot contain a space"},
		{"", "an empty string is not a URL"},
	} {
		_, err := ParseURL(tc.url)
		require.Error(t, err, "ParseURL(%q) should fail: %s", tc.url, tc.why)
		require.ErrorIs(t, err, ErrURL, "ParseURL(%q) failed, but its error should wrap ErrURL (fmt.Errorf(\"%%w ...\", ErrURL, ...))", tc.url)
		if tc.url != "" {
			require.Contains(t, err.Error(), tc.url, "the error of ParseURL(%q) should quote the URL, so the user sees which one", tc.url)
		}
	}
}

// Read the status line: protocol, status code, status.
func TestTask3StatusLine(t *testing.T) {
	for _, tc := range []struct {
		raw    string
		proto  string
		code   int
		status string
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1", 200, "200 OK"},
		{"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", "HTTP/1.0", 404, "404 Not Found"},
		{"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1", 500, "500 Internal Server Error"},
		{"HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1", 418, "418 I'm a teapot"},
		{"HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1", 204, "204 No Content"},
		{"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1", 200, "200"},
		{"HTTP/1.1 301 Moved Permanently\nLocation: /new\nContent-Length: 0\n\n", "HTTP/1.1", 301, "301 Moved Permanently"},
	} {
		first, _, _ := strings.Cut(tc.raw, "\n")
		first = strings.TrimSuffix(first, "\r")
		resp, _, err := parse(t, tc.raw, nil)
		require.NoError(t, err, "ParseResponse of a response whose status line is %q returned an error", first)
		assert.Equal(t, tc.proto, resp.Proto, "Proto of %q", first)
		assert.Equal(t, tc.code, resp.StatusCode, "StatusCode of %q", first)
		assert.Equal(t, tc.status, resp.Status, "Status of %q: everything after the first space, without the line's end (\\r\\n, or a bare \\n)", first)
		if t.Failed() {
			return
		}
	}
}

// Read the headers: canonical keys, repeated fields, trimmed values, 64 KiB at most.
func TestTask4Headers(t *testing.T) {
	raw := "HTTP/1.1 200 OK\r\n" +
		"content-type: text/html; charset=utf-8\r\n" +
		"SET-COOKIE: a=1\r\n" +
		"Set-Cookie: b=2; Path=/\r\n" +
		"Location: http://127.0.0.1:8080/next\r\n" +
		"X-Padded:   lots of space\t \r\n" +
		"X-Empty:\r\n" +
		"x-request-id: 42\r\n" +
		"Content-Length: 0\r\n" +
		"\r\n"
	resp, _, err := parse(t, raw, nil)
	require.NoError(t, err, "ParseResponse returned an error for %q", raw)
	require.NotNil(t, resp)
	require.NotNil(t, resp.Header, "Header is nil: fill it with the header lines")

	for _, key := range []string{"Content-Type", "Set-Cookie", "X-Request-Id"} {
		require.Contains(t, resp.Header, key,
			"the server wrote this name in another case; store every name in canonical form, textproto.CanonicalMIMEHeaderKey(name)\nHeader: %v", resp.Header)
	}
	require.Equal(t, []string{"a=1", "b=2; Path=/"}, resp.Header["Set-Cookie"],
		"Set-Cookie came twice (as SET-COOKIE and Set-Cookie): keep both values, in order, under one key")
	require.Equal(t, []string{"http://127.0.0.1:8080/next"}, resp.Header["Location"],
		"a value can contain colons: cut the line at the first colon only (strings.Cut)")
	require.Equal(t, []string{"lots of space"}, resp.Header["X-Padded"],
		"trim the spaces and tabs around a value (strings.Trim(value, \" \\t\"))")
	require.Equal(t, []string{""}, resp.Header["X-Empty"], "a field can be empty: \"X-Empty:\" has the value \"\"")
	require.Equal(t, Header{
		"Content-Type":   {"text/html; charset=utf-8"},
		"Set-Cookie":     {"a=1", "b=2; Path=/"},
		"Location":       {"http://127.0.0.1:8080/next"},
		"X-Padded":       {"lots of space"},
		"X-Empty":        {""},
		"X-Request-Id":   {"42"},
		"Content-Length": {"0"},
	}, resp.Header, "the header lines of:\n%s", raw)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("CONTENT-TYPE"), "Header.Get finds a field in any case")
	assert.Equal(t, "200 OK", resp.Status)

	resp, _, err = parse(t, "HTTP/1.1 204 No Content\r\n\r\n", nil)
	require.NoError(t, err, "a response without any header line is fine")
	assert.Empty(t, resp.Header, "a response without header lines has no fields")

	testHeadLimit(t)
}

// testHeadLimit checks that ParseResponse takes a long header line that real
// servers send, and gives up on a head of 1 MiB, in one line or in many,
// without reading it all: the server chooses how long its lines are, so a
// client that reads a line whole, however long, holds whatever it is sent.
func testHeadLimit(t *testing.T) {
	t.Helper()
	// A Content-Security-Policy of 16 KiB: long, and real.
	policy := "default-src 'self'; script-src " + strings.Repeat("https://cdn.example/ ", 16<<10/21)
	resp, _, err := parse(t, "HTTP/1.1 200 OK\r\nContent-Security-Policy: "+policy+"\r\nContent-Length: 0\r\n\r\n", nil)
	require.NoError(t, err, "ParseResponse of a response with a header line of %d KiB returned an error: "+
		"a line longer than the bufio.Reader's buffer (4 KiB) is still one line, and the head may take 64 KiB", len(policy)>>10)
	require.Equal(t, []string{strings.TrimSpace(policy)}, resp.Header["Content-Security-Policy"],
		"a header line of %d KiB, longer than the bufio.Reader's buffer: its value, whole", len(policy)>>10)

	const mib = 1 << 20
	var many strings.Builder
	for i := 0; many.Len() < mib; i++ {
		fmt.Fprintf(&many, "X-Filler-%d: 0123456789abcdef0123456789abcdef\r\n", i)
	}
	for _, tc := range []struct{ name, head, why string }{
		{"a header line of 1 MiB", "X-Huge: " + strings.Repeat("a", mib) + "\r\n",
			"The server decides how long a line is: a client that reads a line whole (r.ReadString) holds whatever it is sent, " +
				"a line that never ends until it runs out of memory. Stop once the status line and the headers pass 64 KiB together: " +
				"read with r.ReadSlice('\\n'), which returns at most the reader's buffer (bufio.ErrBufferFull when the line goes on), and count"},
		{"1 MiB of short header lines", many.String(),
			"The server decides how many lines it sends: bounding each line is not enough, as lines without end fill the memory too. " +
				"Count what the status line and every header line take together, and stop once they pass 64 KiB"},
	} {
		src := &testCounter{r: strings.NewReader("HTTP/1.1 200 OK\r\n" + tc.head + "Content-Length: 0\r\n\r\n")}
		_, err := ParseResponse(bufio.NewReader(src))
		require.Error(t, err, "the server sent %s, and ParseResponse took it all. %s", tc.name, tc.why)
		require.ErrorIs(t, err, ErrHeaderLine, "the server sent %s: the error should wrap ErrHeaderLine and say that the headers are too long; got: %v", tc.name, err)
		require.Less(t, src.n, mib/4, "the server sent %s, and ParseResponse read %d KiB of it before giving up: "+
			"stop as soon as the status line and the headers pass 64 KiB, without reading the rest of a line", tc.name, src.n>>10)
	}
}

// testCounter counts the bytes read from r.
type testCounter struct {
	r io.Reader
	n int
}

func (c *testCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Read exactly Content-Length bytes of body, and not one byte more.
func TestTask5ContentLength(t *testing.T) {
	binary := make([]byte, 256)
	for i := range binary {
		binary[i] = byte(i)
	}
	binary = append(binary, "\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"...) // bytes that look like HTTP, inside the body
	const next = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
	for _, tc := range []struct {
		name, raw, body, why string
	}{
		{"hello", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", "Content-Length: 5 means the 5 bytes after the empty line are the body"},
		{"binary", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n%s", len(binary), binary), string(binary),
			"the body is bytes, any bytes, including \\r\\n\\r\\n and zeros: count them, do not look for an end marker"},
		{"zero", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "", "Content-Length: 0 means no body at all"},
		{"the same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nhello", "hello",
			"two Content-Length fields that agree are allowed"},
		{"204", "HTTP/1.1 204 No Content\r\nX-Note: no body, and no Content-Length\r\n\r\n", "",
			"a 204 response never has a body: it ends at the empty line"},
		{"304", "HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n", "",
			"a 304 response never has a body, even with a Content-Length (that is the length of the page it stands for)"},
		{"103", "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n", "",
			"a 1xx response (here 103 Early Hints) never has a body: it ends at the empty line, and the real response follows it"},
		{"101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "",
			"a 1xx response (here 101 Switching Protocols) never has a body: every code from 100 to 199, not only 100"},
		{"leading zeros", "HTTP/1.1 200 OK\r\nContent-Length: 005\r\n\r\nhello", "hello",
			"a Content-Length is decimal digits, and leading zeros are allowed: 005 is 5"},
		{"a leading zero is not octal", "HTTP/1.1 200 OK\r\nContent-Length: 010\r\n\r\nhellohello", "hellohello",
			"a Content-Length is always decimal: 010 is ten. strconv.ParseInt(s, 0, 64) and fmt.Sscan read a leading 0 as octal (eight); use base 10"},
		{"304 with Transfer-Encoding", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", "",
			"a 304 response never has a body, whatever its headers say; a server may name the Transfer-Encoding the page would have had (RFC 9112, section 6.1). " +
				"Check the status code first, and Transfer-Encoding only for a response that has a body"},
	} {
		resp, rest, err := parse(t, tc.raw+next, nil)
		require.NoError(t, err, "%s: ParseResponse returned an error. %s", tc.name, tc.why)
		require.NotNil(t, resp)
		require.Equal(t, len(tc.body), len(resp.Body), "%s: ParseResponse returned a body of %d bytes, want %d. %s", tc.name, len(resp.Body), len(tc.body), tc.why)
		require.True(t, bytes.Equal([]byte(tc.body), resp.Body), "%s: the body has the right length but not the bytes that were sent", tc.name)
		require.Equal(t, next, rest,
			"%s: ParseResponse must stop reading right after the body. Whatever follows on the connection (here, the next response of a keep-alive server) must stay unread in the bufio.Reader", tc.name)
	}

	// A big body, arriving in small reads.
	big := bytes.Repeat([]byte("0123456789abcdef"), 64*1024) // 1 MiB
	raw := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(big), big)
	resp, _, err := parse(t, raw, iotest.HalfReader)
	require.NoError(t, err, "ParseResponse of a 1 MiB body arriving in small reads returned an error. One Read returns what has arrived so far, not the whole body: keep reading until you have Content-Length bytes (io.ReadAll of an io.LimitReader)")
	require.Equal(t, len(big), len(resp.Body), "one Read is not the whole body: keep reading until you have Content-Length bytes (io.ReadAll of an io.LimitReader)")
	require.True(t, bytes.Equal(big, resp.Body), "the 1 MiB body came back with the right length but different bytes")
}

// With no Content-Length, the body is everything until the connection ends.
func TestTask6BodyToEOF(t *testing.T) {
	const body = "first paragraph\r\n\r\n第二段: the second paragraph\r\n"
	const raw = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
	for _, tc := range []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"in one read", nil},
		{"a byte at a time", iotest.OneByteReader},
	} {
		resp, _, err := parse(t, raw, tc.wrap)
		require.NoError(t, err, "%s: ParseResponse of a response without Content-Length returned an error", tc.name)
		require.NotNil(t, resp)
		require.Equal(t, body, string(resp.Body),
			"%s: without Content-Length, the body is every byte after the empty line up to the end of the stream (io.ReadAll); a blank line inside the body is part of it", tc.name)
	}

	resp, _, err := parse(t, "HTTP/1.0 200 OK\r\nServer: quiet\r\n\r\n", nil)
	require.NoError(t, err, "a response without Content-Length may have an empty body")
	assert.Empty(t, resp.Body)

	// A read error that is not the end of the stream is an error, not the end of the body.
	_, _, err = parse(t, raw, iotest.TimeoutReader)
	require.Error(t, err, "the second read failed (iotest.ErrTimeout) in the middle of the body; ParseResponse must return that error, not a body cut short")
	require.ErrorIs(t, err, iotest.ErrTimeout, "ParseResponse should wrap the read error with %%w, so callers can still tell a timeout; got: %v", err)
}

// Reject what is not HTTP, or not complete, with an error that says what.
func TestTask7MalformedResponses(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want error
		show string // what the error must quote
		why  string
	}{
		{"SSH-2.0-OpenSSH_9.6\r\n", ErrStatusLine, "SSH-2.0-OpenSSH_9.6", "another protocol's banner is not a status line"},
		{"<html>hello</html>\r\n", ErrStatusLine, "<html>hello</html>", "a page without a status line is not a response"},
		{"HTTP/1.1 OK\r\n\r\n", ErrStatusLine, "HTTP/1.1 OK", "the status code is missing"},
		{"HTTP/1.1 2000 OK\r\n\r\n", ErrStatusLine, "HTTP/1.1 2000 OK", "a status code has exactly three digits"},
		{"HTTP/1.1 20 OK\r\n\r\n", ErrStatusLine, "HTTP/1.1 20 OK", "a status code has exactly three digits"},
		{"HTTP/1.1 -20 OK\r\n\r\n", ErrStatusLine, "HTTP/1.1 -20 OK", "three characters, but not three digits (strconv.Atoi takes \"-20\")"},
		{"HTTP/1.1 2x0 OK\r\n\r\n", ErrStatusLine, "HTTP/1.1 2x0 OK", "not a number"},
		{"HTTP/1.1200 OK\r\n\r\n", ErrStatusLine, "HTTP/1.1200 OK", "a space must follow the protocol"},
		{"http/1.1 200 OK\r\n\r\n", ErrStatusLine, "http/1.1 200 OK", "the protocol name is upper case, \"HTTP/\""},
		{"HTTP/11 200 OK\r\n\r\n", ErrStatusLine, "HTTP/11 200 OK", "the version is a digit, a dot and a digit"},
		{"HTTP/1.1 200 OK\r\nthis line has no colon\r\n\r\n", ErrHeaderLine, "this line has no colon", "a header line is \"Name: value\""},
		{"HTTP/1.1 200 OK\r\n: no name\r\n\r\n", ErrHeaderLine, ": no name", "a header needs a name"},
		{"HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello", ErrHeaderLine, "Content-Length : 5", "no blank is allowed between the name and the colon"},
		{"HTTP/1.1 200 OK\r\nX-Note: a long note,\r\n Location: http://127.0.0.1/elsewhere\r\n\r\n", ErrHeaderLine, " Location: http://127.0.0.1/elsewhere",
			"a line that starts with a blank is the obsolete way to continue the line before it (RFC 9112, section 5.2), not a header of its own: " +
				"its name, \" Location\", has a blank in it. Cut only the \"\\r\\n\" off a line (strings.TrimSuffix), never the blanks at its start (strings.TrimSpace)"},
		{"HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\nfive", ErrContentLength, "five", "not a number"},
		{"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", ErrContentLength, "-5", "a length cannot be negative"},
		{"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", ErrContentLength, "+5", "digits only (strconv.Atoi takes \"+5\")"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", ErrContentLength, "0x10", "decimal digits only"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", ErrContentLength, "99999999999999999999999", "too big for an int64"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n", ErrContentLength, "18446744073709551615",
			"too big for an int64, though it fits in a uint64 (strconv.ParseUint takes it, and as an int64 it is -1)"},
		{"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", ErrContentLength, "Content-Length", "an empty length is not a number"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", ErrContentLength, "6", "two lengths that disagree: which is right? Neither can be trusted"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello", ErrContentLength, "5, 5",
			"one field that lists two lengths is not a number of bytes: a length is digits only, even when the two agree"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", ErrTransferEncoding, "chunked", "this client does not decode chunked bodies"},
		{"HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\nContent-Length: 3\r\n\r\nabc", ErrTransferEncoding, "chunked", "any Transfer-Encoding, whatever its case, even with a Content-Length"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc", ErrTransferEncoding, "gzip", "any Transfer-Encoding, not only chunked: this client decodes none of them"},
		{"", io.ErrUnexpectedEOF, "", "the server closed the connection without a word"},
		{"HTTP/1.1 200 O", io.ErrUnexpectedEOF, "", "the status line has no \\n: it was cut short"},
		{"HTTP/1.1 200 OK\r\nContent-Ty", io.ErrUnexpectedEOF, "", "cut in the middle of a header line"},
		{"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n", io.ErrUnexpectedEOF, "", "the headers never end: no empty line"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd", io.ErrUnexpectedEOF, "", "Content-Length promised 10 bytes and 4 came"},
	} {
		resp, _, err := parse(t, tc.raw, nil)
		require.Error(t, err, "ParseResponse(%q) should fail: %s. It returned %+v", tc.raw, tc.why, resp)
		require.ErrorIs(t, err, tc.want, "ParseResponse(%q) failed, but its error should wrap %q (%s), "+
			"with fmt.Errorf(\"%%w ...\", ...) so that errors.Is finds it; got: %v", tc.raw, tc.want, tc.why, err)
		require.Contains(t, err.Error(), tc.show, "the error for %q should quote what was wrong, so that a person can see it", tc.raw)
	}

	_, _, err := parse(t, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd", nil)
	assert.True(t, hasNumber(err.Error(), 4) && hasNumber(err.Error(), 10),
		"a body cut short: say how many bytes came, of how many (4 of 10); the error was: %v", err)

	// A server that announces a petabyte and sends five bytes. A client
	// that makes a []byte of the announced length panics (or, for a mere
	// 100 GB, runs out of memory): the length is the server's word, not a
	// size to allocate.
	const huge = "HTTP/1.1 200 OK\r\nContent-Length: 1125899906842624\r\n\r\nhello"
	var panicked any
	func() {
		defer func() { panicked = recover() }()
		_, _, err = parse(t, huge, nil)
	}()
	require.Nil(t, panicked, "ParseResponse panicked (%v) on a response that announces Content-Length: 1125899906842624 "+
		"(a petabyte) and sends 5 bytes. make([]byte, n) trusts the server with your memory: read the body with "+
		"io.ReadAll(io.LimitReader(r, n)), which grows it only as bytes really arrive, then check that n came", panicked)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF,
		"Content-Length promised a petabyte and 5 bytes came before the end: that is a body cut short")
}

// Fetch a page from a real HTTP server on loopback.
func TestTask8Get(t *testing.T) {
	type seen struct {
		method, uri, host, proto string
		close                    bool
	}
	var mu sync.Mutex
	var requests []seen
	big := bytes.Repeat([]byte("0123456789abcdef"), 16*1024) // 256 KiB
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, seen{r.Method, r.RequestURI, r.Host, r.Proto, r.Close})
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Add("Set-Cookie", "visit=1")
		w.Header().Add("Set-Cookie", "lang=zh")
		w.Header()["Date"] = nil // no Date header: the response is the same every time
		io.WriteString(w, "<h1>你好, HTTP!</h1>\n")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(big)))
		w.Write(big)
	})
	srv := httptest.NewServer(mux) // on 127.0.0.1, a port the kernel chose
	t.Cleanup(srv.Close)

	resp, err := get(t, srv.URL+"/page?name=Go&lang=zh#top", getTimeout)
	require.NoError(t, err, "Get(%q) returned an error", srv.URL+"/page?name=Go&lang=zh#top")
	require.NotNil(t, resp, "Get returned neither a response nor an error")
	mu.Lock()
	require.Len(t, requests, 1, "the server should have received exactly one request")
	req := requests[0]
	mu.Unlock()
	assert.Equal(t, "GET", req.method, "the request's method")
	assert.Equal(t, "/page?name=Go&lang=zh", req.uri, "the request's target: the URL's path and query, without the #fragment")
	assert.Equal(t, srv.Listener.Addr().String(), req.host, "the Host header: the URL's host and port")
	assert.Equal(t, "HTTP/1.1", req.proto)
	assert.True(t, req.close, "the request should say Connection: close")

	assert.Equal(t, "HTTP/1.1", resp.Proto)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "200 OK", resp.Status)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, []string{"visit=1", "lang=zh"}, resp.Header.Values("Set-Cookie"))
	assert.Equal(t, "<h1>你好, HTTP!</h1>\n", string(resp.Body))

	resp, err = get(t, srv.URL+"/big", getTimeout)
	require.NoError(t, err, "Get(%q), a 256 KiB page, returned an error", srv.URL+"/big")
	require.Equal(t, len(big), len(resp.Body), "Get of a 256 KiB page returned %d bytes of body", len(resp.Body))
	assert.True(t, bytes.Equal(big, resp.Body), "the 256 KiB body came back with the right length but different bytes")

	resp, err = get(t, srv.URL+"/missing", getTimeout)
	require.NoError(t, err, "Get of a page that does not exist: a 404 is an answer from the server, not an error of Get")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "404 Not Found", resp.Status)
	assert.Equal(t, "404 page not found\n", string(resp.Body))

	_, err = get(t, "https://"+srv.Listener.Addr().String()+"/", getTimeout)
	assert.ErrorIs(t, err, ErrURL, "Get of an https:// URL should fail with ParseURL's error: this client has no TLS")
}

// Cope with servers that split, hold, cut short or garble their responses.
func TestTask9MisbehavingServers(t *testing.T) {
	t.Run("keep-alive", func(t *testing.T) {
		// The server keeps the connection open after the response, longer
		// than Get's timeout: only a client that reads exactly
		// Content-Length bytes gets the page.
		srv, url := scripted(t, "keep-alive.session", "/hello")
		resp, err := get(t, url, getTimeout)
		followed(t, srv, err)
		if nettest.IsTimeout(err) {
			t.Fatal(keepAliveHint)
		}
		require.NoError(t, err, "Get(%q) returned an error", url)
		assert.Equal(t, "Hello, world!", string(resp.Body))
	})
	t.Run("no-length", func(t *testing.T) {
		srv, url := scripted(t, "no-length.session", "/notes.txt")
		resp, err := get(t, url, getTimeout)
		followed(t, srv, err)
		require.NoError(t, err, "Get(%q) returned an error", url)
		assert.Equal(t, "HTTP/1.0", resp.Proto)
		assert.Equal(t, "first paragraph\r\n\r\n第二段: the second paragraph\r\n", string(resp.Body),
			"without Content-Length the body runs until the server closes")
	})
	t.Run("fragmented", func(t *testing.T) {
		srv, _ := scripted(t, "fragmented.session", "")
		p := netsimtest.TCP(t, srv.Addr, netsim.TCPOptions{Fragment: 3})
		url := "http://" + p.Addr() + "/search?q=tcp&page=2"
		resp, err := get(t, url, getTimeout)
		followed(t, srv, err)
		if nettest.IsTimeout(err) {
			t.Fatal(keepAliveHint)
		}
		require.NoError(t, err, "Get(%q), with the response arriving 3 bytes at a time, returned an error", url)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, []string{"seen=1", "lang=zh"}, resp.Header.Values("Set-Cookie"))
		assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
		assert.Equal(t, "result 1: TCP\r\n\r\nresult 2: 传输控制协议", string(resp.Body),
			"the response arrived 3 bytes at a time: every line and the body must be put back together")
	})
	t.Run("early-hints", func(t *testing.T) {
		// Two interim responses, 100 Continue and 103 Early Hints, come
		// before the 200 OK, all in one write: see the script.
		srv, url := scripted(t, "early-hints.session", "/page")
		resp, err := get(t, url, getTimeout)
		followed(t, srv, err)
		if nettest.IsTimeout(err) {
			t.Fatalf("Get(%q) timed out, though the server had sent its interim responses and the 200 OK together, in one write. "+
				"If Get makes a new bufio.Reader for each ParseResponse, the first one has already read the rest of the bytes "+
				"and they are lost with it: make one bufio.Reader for the connection and pass it to every ParseResponse. Get returned: %v", url, err)
		}
		require.NoError(t, err, "Get(%q) returned an error; the server sent 100 Continue, 103 Early Hints and then 200 OK", url)
		if resp.StatusCode/100 == 1 {
			t.Fatalf("Get(%q) returned %q as if it were the answer. A 1xx response is interim: it only says that the real response is "+
				"coming, ends at its empty line and never has a body, and the final response follows on the same connection. "+
				"A client must read past one or more of them, even ones it did not ask for (RFC 9110, section 15.2): call ParseResponse "+
				"again, on the same bufio.Reader, while the status code is 100 to 199 (except 101 Switching Protocols)", url, resp.Status)
		}
		assert.Equal(t, "200 OK", resp.Status)
		assert.Equal(t, Header{"Content-Type": {"text/html"}, "Content-Length": {"27"}}, resp.Header,
			"the headers of the final response only: those of the interim responses (the 103's Link) are not part of it")
		assert.Equal(t, "<h1>The page, at last</h1>\n", string(resp.Body))
	})
	t.Run("switching-protocols", func(t *testing.T) {
		// 101 Switching Protocols, then the first bytes of another
		// protocol: see the script.
		srv, url := scripted(t, "switching-protocols.session", "/chat")
		resp, err := get(t, url, getTimeout)
		followed(t, srv, err)
		if errors.Is(err, ErrStatusLine) || nettest.IsTimeout(err) {
			t.Fatalf("Get(%q) returned an error (%v), though the server's answer was a whole 101 Switching Protocols. "+
				"101 is the one 1xx response that is final: after its empty line the connection speaks another protocol "+
				"(here a greeting, \"WELCOME to netbook-chat, say HELLO\"), and no other HTTP response follows. "+
				"Read past 1xx responses except 101: return the 101 itself", url, err)
		}
		require.NoError(t, err, "Get(%q) returned an error; the server answered 101 Switching Protocols", url)
		assert.Equal(t, "101 Switching Protocols", resp.Status, "Get should return the 101 response as the answer")
		assert.Equal(t, Header{"Upgrade": {"netbook-chat/1"}, "Connection": {"Upgrade"}}, resp.Header,
			"the 101's headers, as the server sent them")
		assert.Empty(t, resp.Body,
			"a 101 response has no body: what follows its empty line belongs to the new protocol, not to the response")
	})
	for _, tc := range []struct {
		file, path string
		want       error
		why        string
	}{
		{"closed-early.session", "/", io.ErrUnexpectedEOF, "the server closed the connection without sending anything"},
		{"truncated-body.session", "/download", io.ErrUnexpectedEOF, "Content-Length promised 10 bytes, 4 came, then the server closed"},
		{"not-http.session", "/", ErrStatusLine, "the server answered with an SSH banner, not an HTTP status line"},
		{"chunked.session", "/stream", ErrTransferEncoding, "the response is chunked, which this client does not decode"},
	} {
		t.Run(strings.TrimSuffix(tc.file, ".session"), func(t *testing.T) {
			srv, url := scripted(t, tc.file, tc.path)
			resp, err := get(t, url, getTimeout)
			followed(t, srv, err)
			require.Error(t, err, "Get(%q) should fail: %s. It returned %+v", url, tc.why, resp)
			assert.ErrorIs(t, err, tc.want, "Get(%q) failed as it should (%s), but its error should wrap %q, so that "+
				"errors.Is finds it: wrap with fmt.Errorf(\"...: %%w\", err), since %%v keeps only the text; got: %v", url, tc.why, tc.want, err)
			assert.Nil(t, resp, "Get should return a nil response with its error")
		})
	}
}

// Give up at the deadline: a stalling server makes Get fail, never hang.
func TestTask10Deadline(t *testing.T) {
	const timeout = 300 * time.Millisecond
	for _, tc := range []struct{ file, why string }{
		{"stall-silent.session", "the server read the request and never answered"},
		{"stall-body.session", "the server sent 13 of 100 bytes of body and stalled"},
	} {
		t.Run(strings.TrimSuffix(tc.file, ".session"), func(t *testing.T) {
			srv, url := scripted(t, tc.file, "/")
			var err error
			nettest.Within(t, timeout+nettest.Step, fmt.Sprintf("Get(%q, %v), which should give up at its deadline (conn.SetDeadline) when the server stalls,", url, timeout), func() {
				_, err = Get(url, timeout)
			})
			followed(t, srv, err)
			require.Error(t, err, "Get should fail at its deadline: %s", tc.why)
			assert.True(t, nettest.IsTimeout(err),
				"%s: the error should be the deadline passing. Set a deadline on the connection (conn.SetDeadline) "+
					"and wrap errors with %%w so that errors.Is(err, os.ErrDeadlineExceeded) still holds; got: %v", tc.why, err)
		})
	}

	t.Run("trickle", func(t *testing.T) {
		// The response takes about two seconds to trickle in, a few bytes
		// every 100ms: every read is quick, and only a deadline on the
		// whole exchange stops Get at its timeout.
		const timeout = 500 * time.Millisecond
		srv, url := scripted(t, "trickle.session", "/")
		start := time.Now()
		resp, err := get(t, url, timeout)
		elapsed := time.Since(start)
		followed(t, srv, err)
		require.Error(t, err, "Get(%q, %v) returned after %v with the whole response: a slow server kept it busy for longer than its timeout. "+
			"Set one deadline for the whole exchange, before the first read, not a new one before each read. It returned %+v", url, timeout, elapsed, resp)
		assert.True(t, nettest.IsTimeout(err), "the error should be the deadline passing; got: %v", err)
	})

	t.Run("refused", func(t *testing.T) {
		ln := nettest.Listen(t)
		addr := ln.Addr().String()
		ln.Close() // nobody listens there now
		_, err := get(t, "http://"+addr+"/", getTimeout)
		require.Error(t, err, "nobody listens on %s, so Get should return the connection error", addr)
		assert.Contains(t, err.Error(), addr, "the error should say which address could not be reached")
	})
}

// Save the body to a file, and only a whole 200 OK body, only where told.
func TestTask11Download(t *testing.T) {
	page := "<!doctype html>\n<title>netbook</title>\n<p>保存成功: saved.</p>\n"
	mux := http.NewServeMux()
	mux.HandleFunc("/index.html", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, page)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	var resp *Response
	var err error
	download := func(rawURL, path string) {
		t.Helper()
		nettest.Within(t, getTimeout+nettest.Step, "Download", func() { resp, err = Download(rawURL, path, getTimeout) })
	}
	// only checks that dir holds the files names and nothing else; why
	// says what Download should have left there.
	only := func(dir, why string, names ...string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		require.Equal(t, names, got, "the files in the directory Download was given: %s", why)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "index.html")
	download(srv.URL+"/index.html", path)
	require.NoError(t, err, "Download(%q, %q) returned an error", srv.URL+"/index.html", path)
	require.NotNil(t, resp, "Download should return the response too")
	saved, err := os.ReadFile(path)
	require.NoError(t, err, "Download did not create %s", path)
	require.Equal(t, page, string(saved), "the file should hold the body, exactly")
	assert.Equal(t, page, string(resp.Body))
	only(dir, "Download should write the file it was told to, and nothing else", "index.html")

	// Replacing a longer file leaves nothing of the old one.
	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("old and much longer content\n"), 10), 0o644))
	download(srv.URL+"/index.html", path)
	require.NoError(t, err)
	saved, _ = os.ReadFile(path)
	require.Equal(t, page, string(saved), "Download over an existing, longer file: the file should hold the new body only (os.WriteFile truncates)")

	// A 404 saves nothing.
	dir = t.TempDir()
	download(srv.URL+"/missing.html", filepath.Join(dir, "missing.html"))
	require.Error(t, err, "Download of a page that does not exist should fail")
	assert.ErrorIs(t, err, ErrStatus, "the error should wrap ErrStatus; got: %v", err)
	assert.Contains(t, err.Error(), "404", "the error should give the status")
	if assert.NotNil(t, resp, "Download should return the 404 response along with its error") {
		assert.Equal(t, 404, resp.StatusCode)
	}
	only(dir, "the server answered 404 Not Found, so Download should write nothing: check the status before you create the file")

	// A body cut short saves nothing, and leaves an existing file alone.
	dir = t.TempDir()
	path = filepath.Join(dir, "report.bin")
	require.NoError(t, os.WriteFile(path, []byte("the previous, complete download\n"), 0o644))
	scriptSrv, url := scripted(t, "truncated-body.session", "/download")
	download(url, path)
	followed(t, scriptSrv, err)
	require.Error(t, err, "the server sent 4 of 10 bytes: Download should fail")
	assert.True(t, errors.Is(err, io.ErrUnexpectedEOF), "the error should be Get's; got: %v", err)
	saved, _ = os.ReadFile(path)
	assert.Equal(t, "the previous, complete download\n", string(saved),
		"a failed Download must leave the existing file as it was: four bytes of a ten-byte file would look like a finished download")
	only(dir, "the body was cut short, so Download should leave the directory as it was", "report.bin")

	// A file that cannot be written is an error.
	download(srv.URL+"/index.html", filepath.Join(t.TempDir(), "no-such-dir", "index.html"))
	assert.Error(t, err, "saving into a directory that does not exist should fail")
}
