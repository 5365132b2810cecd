package rawhttp

import (
	"fmt"
	"net"
	"net/url"
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
	if target == "" {
		target = "/"
	}
	// HTTP's lines end in CR LF, "\r\n", not Go's (or Unix's) plain "\n",
	// and the empty line at the end is what tells the server that the
	// headers are over: without it the server keeps waiting for more.
	return fmt.Appendf(nil, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, host)
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
	u, err := url.Parse(rawURL)
	if err != nil {
		return Target{}, fmt.Errorf("%w %q: %v", ErrURL, rawURL, err)
	}
	switch {
	case u.Scheme == "https":
		return Target{}, fmt.Errorf("%w %q: https needs TLS, and this client speaks plain HTTP only", ErrURL, rawURL)
	case u.Scheme != "http":
		return Target{}, fmt.Errorf("%w %q: the scheme must be http://", ErrURL, rawURL)
	case u.Hostname() == "":
		return Target{}, fmt.Errorf("%w %q: no host to connect to", ErrURL, rawURL)
	}
	port := u.Port()
	if port == "" {
		port = "80" // HTTP's well-known port
	}
	return Target{
		// JoinHostPort puts an IPv6 address back in brackets: [::1]:80.
		Addr: net.JoinHostPort(u.Hostname(), port),
		// The Host header names the site as the URL does, port included
		// when the URL gives one: one server can host many sites.
		Host: u.Hostname(), // the host's name; the port is for dialing
		// RequestURI is the escaped path and query, "/" for an empty
		// path; the fragment (#...) is for the browser and never sent.
		Path: u.RequestURI(),
	}, nil
}
