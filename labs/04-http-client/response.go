package rawhttp

import (
	"bufio"
	"errors"
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
func ParseResponse(r *bufio.Reader) (*Response, error) {
	// TODO: read the status line with r.ReadString('\n') (a line that does
	// not end in "\n" was cut short), split it, check each part; read header
	// lines until the empty one; then read the body the way the headers say:
	// io.ReadAll(io.LimitReader(r, n)) for Content-Length n (never
	// make([]byte, n): n is the server's word, not a size to trust), and
	// io.ReadAll to the end.
	return nil, errors.New("TODO: implement ParseResponse (tasks 3 to 7)")
}
