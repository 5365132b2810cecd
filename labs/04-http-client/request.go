package rawhttp

import (
	"errors"
)

// BuildRequest returns the bytes of an HTTP/1.1 request with no body, exactly
// these, each line ending in "\r\n" (CR LF):
//
//	METHOD TARGET HTTP/1.1
//	Host: HOST
//	Connection: close
//	(an empty line)
//
// For BuildRequest("GET", "127.0.0.1:8080", "/search?q=go") that is
//
//	"GET /search?q=go HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n"
//
// An empty target means "/". "Connection: close" asks the server to close
// the connection once it has sent its response, so that the client can
// read a body that has no Content-Length until the end of the connection.
func BuildRequest(method, host, target string) []byte {
	// TODO (task 1): put the request line, the two header lines and the
	// empty line together, each ending in "\r\n". fmt.Sprintf or a
	// bytes.Buffer will do.
	return nil
}

// ParseURL tells where rawURL points: the address to dial, the Host header
// and the request target (see Target). It accepts only http:// URLs with a
// host, and returns an error that wraps ErrURL and quotes rawURL for anything
// else: https:// (this client has no TLS), other schemes, a URL without a
// host, or text that is not a URL at all.
//
//	ParseURL("http://127.0.0.1:8080/search?q=go#results")
//	  = Target{Addr: "127.0.0.1:8080", Host: "127.0.0.1:8080", Path: "/search?q=go"}
//	ParseURL("http://example.com")
//	  = Target{Addr: "example.com:80", Host: "example.com", Path: "/"}
func ParseURL(rawURL string) (Target, error) {
	// TODO: url.Parse does the hard part. Check u.Scheme and u.Host; take the
	// port from u.Port(), or "80", and join it to u.Hostname() with
	// net.JoinHostPort (it adds the brackets of IPv6); u.RequestURI() is the
	// path and query, "/" when empty, without the fragment.
	return Target{}, errors.New("TODO: implement ParseURL (task 2)")
}
