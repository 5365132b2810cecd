// Package rawhttp is a small HTTP/1.1 client written on a bare TCP
// connection, without net/http: it builds the request bytes by hand, sends
// them, and reads the status line, the headers and the body of the response
// itself.
//
// It speaks plain HTTP only (no TLS, so no https://), asks the server to
// close the connection after one response (Connection: close), and reads a
// body that is delimited by Content-Length or by the server closing the
// connection. It does not decode chunked transfer encoding: a response that
// uses it is an error (ErrTransferEncoding).
//
// You write request.go, response.go and client.go. This file is given.
package rawhttp

import (
	"errors"
	"net/textproto"
)

// Target is what a URL tells the client: where to connect, and what to put
// in the request.
type Target struct {
	// Addr is the host and port to dial, the port defaulting to 80:
	// "127.0.0.1:8080", "example.com:80", "[::1]:80".
	Addr string
	// Host is the value of the Host header: the URL's host, with its port
	// if the URL has one, as written: "127.0.0.1:8080", "example.com".
	Host string
	// Path is the request target: the URL's path and query, "/" when the
	// path is empty, never the #fragment: "/", "/search?q=go".
	Path string
}

// Response is one HTTP response, read whole.
type Response struct {
	Proto      string // the protocol of the status line: "HTTP/1.1"
	StatusCode int    // the three-digit status code: 200
	Status     string // the status line after the protocol and its space: "200 OK"
	Header     Header // the header fields, under canonical keys
	Body       []byte // the body, exactly as sent
}

// Header holds a response's header fields. Keys are in canonical form
// ("Content-Type", "Set-Cookie", "X-Request-Id"), whatever case the server
// used, and a field the server sent several times has several values, in
// the order they came.
type Header map[string][]string

// Get returns the first value of the field called key (in any case), or ""
// if there is none.
func (h Header) Get(key string) string {
	if v := h[textproto.CanonicalMIMEHeaderKey(key)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values returns every value of the field called key (in any case), in the
// order the server sent them.
func (h Header) Values(key string) []string {
	return h[textproto.CanonicalMIMEHeaderKey(key)]
}

// The errors of this package. Functions wrap them with %w and add what they
// saw, so a caller can test for the kind of problem with errors.Is and a
// person can read what went wrong.
var (
	// ErrURL: the URL is not one this client can fetch (not http://, no host).
	ErrURL = errors.New("unsupported URL")
	// ErrStatusLine: the first line of the response is not an HTTP status line.
	ErrStatusLine = errors.New("malformed status line")
	// ErrHeaderLine: a header line is not "Name: value".
	ErrHeaderLine = errors.New("malformed header line")
	// ErrContentLength: the Content-Length is not a number, or is given twice
	// with different values.
	ErrContentLength = errors.New("bad Content-Length")
	// ErrTransferEncoding: the response has a Transfer-Encoding (chunked,
	// usually), which this client does not decode.
	ErrTransferEncoding = errors.New("transfer encoding not supported")
	// ErrStatus: Download got a response, but not 200 OK.
	ErrStatus = errors.New("not 200 OK")
)
