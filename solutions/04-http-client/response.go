package rawhttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"
)

// ParseResponse reads one HTTP response from r: the status line, the header
// lines up to the empty line that ends them, and the body. Lines end in
// "\r\n"; accept a bare "\n" too.
//
// The status line is "HTTP/d.d", a space, a three-digit code, and then
// normally a space and a reason phrase, which may be empty or missing:
// "HTTP/1.1 200 OK" gives Proto "HTTP/1.1", StatusCode 200 and Status
// "200 OK" (everything after the first space). Anything else is an error
// that wraps ErrStatusLine and quotes the line.
//
// Each header line is "Name: value". Store the value, with the spaces and
// tabs around it trimmed, under the canonical form of the name
// (textproto.CanonicalMIMEHeaderKey: "content-type" -> "Content-Type"),
// appending when a name comes again. A line without a colon, or whose name is
// empty or contains a space or tab, is an error that wraps ErrHeaderLine and
// quotes the line.
//
// The body is:
//   - nothing at all for a 1xx, 204 or 304 response, which never have one,
//     whatever their headers say (a 304 may name the Content-Length or the
//     Transfer-Encoding the page would have had);
//   - an error wrapping ErrTransferEncoding if there is a Transfer-Encoding
//     header (this client does not decode chunked bodies);
//   - exactly Content-Length bytes when that header is present, and not one
//     byte more: read no further than the body, as a keep-alive server leaves
//     the connection open after it. The length is decimal ("010" is ten). A
//     Content-Length that is not made of digits only, does not fit in an
//     int64, or is given twice with different values, is an error wrapping
//     ErrContentLength;
//   - otherwise everything up to the end of the stream (io.EOF): the server
//     marks the end of the body by closing the connection.
//
// If the stream ends early (before the status line is complete, in the
// middle of the headers, or before Content-Length bytes of body have come),
// return an error that wraps io.ErrUnexpectedEOF and says where; for a short
// body, say how many bytes came of how many. Any other read error, such as a
// deadline passing, is returned wrapped with %w, so that callers can still
// recognise it.
//
// The status line and the header lines together may be at most
// maxHeadBytes: past that, stop reading and return an error that wraps
// ErrHeaderLine (ErrStatusLine for a status line that long).
func ParseResponse(r *bufio.Reader) (*Response, error) {
	left := maxHeadBytes // what the status line and the headers may still take
	line, err := readLine(r, "the status line", ErrStatusLine, &left)
	if err != nil {
		return nil, err
	}
	resp, err := parseStatusLine(line)
	if err != nil {
		return nil, err
	}
	if resp.Header, err = readHeader(r, &left); err != nil {
		return nil, err
	}
	if resp.Body, err = readBody(r, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// maxHeadBytes is the most the status line and the header lines may take
// together, line ends included. Their length is the server's to choose: a
// client that reads a line whole, however long, holds in memory whatever a
// server sends it, and a header line that never ends grows it without bound.
// 64 KiB is far more than real responses use (nginx gives a whole response
// head 4 or 8 KiB by default) and little to hold.
const maxHeadBytes = 64 << 10

// readLine reads one line and returns it without its "\r\n" or "\n". A
// stream that ends before the "\n" was cut short: what is a complete line
// and what is half of one cannot be told apart otherwise. The line may take
// at most *left bytes, which it then takes from *left; a longer one is an
// error that wraps tooLong, returned without reading the rest of it.
func readLine(r *bufio.Reader, what string, tooLong error, left *int) (string, error) {
	var line []byte
	for {
		// ReadSlice returns at most the reader's buffer at a time
		// (bufio.ErrBufferFull when the line goes on), so the line is
		// counted as it comes, never read whole first.
		part, err := r.ReadSlice('\n')
		if len(line)+len(part) > *left {
			return "", fmt.Errorf("%w: %s starts %q and runs past %d KiB, the most the status line and headers may take together",
				tooLong, what, cut(append(line, part...), 40), maxHeadBytes>>10)
		}
		line = append(line, part...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil:
			*left -= len(line)
			s := strings.TrimSuffix(string(line), "\n")
			return strings.TrimSuffix(s, "\r"), nil
		case errors.Is(err, io.EOF) && len(line) == 0 && what == "the status line":
			return "", fmt.Errorf("no response: the connection closed before the status line: %w", io.ErrUnexpectedEOF)
		case errors.Is(err, io.EOF):
			return "", fmt.Errorf("the connection closed in the middle of %s (got %q): %w", what, line, io.ErrUnexpectedEOF)
		}
		return "", fmt.Errorf("reading %s: %w", what, err)
	}
}

// cut returns the first n bytes of b, as a string.
func cut(b []byte, n int) string {
	return string(b[:min(n, len(b))])
}

// parseStatusLine splits "HTTP/1.1 200 OK" into a Response's first three
// fields.
func parseStatusLine(line string) (*Response, error) {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrStatusLine, line, why) }
	proto, status, ok := strings.Cut(line, " ")
	if !ok {
		return nil, bad("expected a protocol, a space and a status code")
	}
	if !isVersion(proto) {
		return nil, bad(`it should start with the protocol version, "HTTP/1.1" or "HTTP/1.0"`)
	}
	code, _, _ := strings.Cut(status, " ") // the reason phrase may be missing
	if len(code) != 3 || !isDigits(code) {
		return nil, bad("the status code must be three digits")
	}
	n, _ := strconv.Atoi(code) // three digits always convert
	return &Response{Proto: proto, StatusCode: n, Status: status}, nil
}

// isVersion reports whether s is "HTTP/" followed by digit, dot, digit.
func isVersion(s string) bool {
	v, ok := strings.CutPrefix(s, "HTTP/")
	return ok && len(v) == 3 && isDigits(v[:1]) && v[1] == '.' && isDigits(v[2:])
}

// isDigits reports whether s is made of ASCII digits only, and not empty.
// strconv.Atoi alone would also take "+5" and "-5".
func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// readHeader reads "Name: value" lines up to the empty line, taking their
// bytes from *left.
func readHeader(r *bufio.Reader, left *int) (Header, error) {
	h := Header{}
	for {
		line, err := readLine(r, "the headers", ErrHeaderLine, left)
		if err != nil {
			return nil, err
		}
		if line == "" {
			return h, nil // the empty line: the headers are over
		}
		// Cut at the first colon only: values can hold colons, as in
		// "Location: http://127.0.0.1:8080/".
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%w %q: no colon between the name and the value", ErrHeaderLine, line)
		}
		if name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("%w %q: the name must not be empty or contain blanks", ErrHeaderLine, line)
		}
		key := textproto.CanonicalMIMEHeaderKey(name)
		h[key] = append(h[key], strings.Trim(value, " \t"))
	}
}

// readBody reads the body the way the status code and headers say.
func readBody(r *bufio.Reader, resp *Response) ([]byte, error) {
	code := resp.StatusCode
	if code/100 == 1 || code == 204 || code == 304 {
		return nil, nil // these responses end at the empty line, always
	}
	if te := resp.Header.Values("Transfer-Encoding"); len(te) > 0 {
		return nil, fmt.Errorf("%w: Transfer-Encoding: %s", ErrTransferEncoding, strings.Join(te, ", "))
	}
	lengths := resp.Header.Values("Content-Length")
	if len(lengths) == 0 {
		// No length: the body is everything until the server closes.
		// io.ReadAll treats io.EOF as the normal end and returns any other
		// error, a deadline for instance.
		body, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("reading the body (%d bytes so far): %w", len(body), err)
		}
		return body, nil
	}
	for _, l := range lengths[1:] {
		if l != lengths[0] {
			return nil, fmt.Errorf("%w: two different lengths, %q and %q", ErrContentLength, lengths[0], l)
		}
	}
	n, err := strconv.ParseInt(lengths[0], 10, 64)
	if err != nil || !isDigits(lengths[0]) {
		return nil, fmt.Errorf("%w %q: not a number of bytes", ErrContentLength, lengths[0])
	}
	// Read exactly n bytes and no more: LimitReader stops there, so the
	// bytes of whatever follows stay in r. Growing the buffer as bytes
	// arrive, rather than allocating n bytes up front, means a server that
	// announces a terabyte cannot make the client allocate one.
	body, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, fmt.Errorf("reading the body (%d of %d bytes): %w", len(body), n, err)
	}
	if int64(len(body)) < n {
		return nil, fmt.Errorf("the connection closed in the body after %d of %d bytes (Content-Length): %w", len(body), n, io.ErrUnexpectedEOF)
	}
	return body, nil
}
