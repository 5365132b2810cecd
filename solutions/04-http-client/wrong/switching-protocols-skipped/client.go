package rawhttp

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"time"
)

// Get fetches rawURL with a GET request over a new TCP connection: it parses
// the URL (ParseURL), connects, sends BuildRequest("GET", host, path), reads
// the response with ParseResponse and closes the connection.
//
// A server may send one or more interim responses before the final one:
// status 100 to 199, such as 100 Continue or 103 Early Hints, each a status
// line and headers with no body. Get reads past them, calling ParseResponse
// again on the same bufio.Reader, and returns the first response that is
// not 1xx. 101 Switching Protocols is the exception: it is final, since the
// connection speaks another protocol after it (and a GET that does not ask
// to upgrade never gets one).
//
// The whole exchange, connecting included, takes at most timeout: a server
// that does not answer, stalls in the middle or never closes makes Get
// return an error at the deadline (one that wraps the timeout, so that
// errors.Is(err, os.ErrDeadlineExceeded) holds), never hang. Errors say
// what Get was doing and wrap what went wrong.
func Get(rawURL string, timeout time.Duration) (*Response, error) {
	target, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	// One deadline for the whole exchange, computed before dialing, so that
	// a slow connect leaves less time for the rest instead of more.
	deadline := time.Now().Add(timeout)
	conn, err := net.DialTimeout("tcp", target.Addr, timeout)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	// Write sends every byte or returns an error: there is no partial
	// send to loop over, as there is with Python's socket.send.
	if _, err := conn.Write(BuildRequest("GET", target.Host, target.Path)); err != nil {
		return nil, fmt.Errorf("GET %s: sending the request: %w", rawURL, err)
	}
	// One reader for the whole connection: it reads ahead, so the bytes of
	// the final response may already be in it when an interim one ends.
	br := bufio.NewReader(conn)
	for {
		resp, err := ParseResponse(br)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", rawURL, err)
		}
		// A 1xx response says the final one is coming (100 Continue, 103
		// Early Hints): skip it, as RFC 9110 (section 15.2) asks even of a
		// client that did not expect one. The deadline bounds how many a
		// server can send.
		if resp.StatusCode/100 != 1 {
			return resp, nil
		}
	}
}

// Download fetches rawURL like Get and saves the body in the file at path,
// creating or replacing it (permissions 0644), and returns the response.
//
// It writes the file only when the whole response arrived and its status
// is 200 OK. When Get fails, and for any other status (an error wrapping
// ErrStatus that gives the status, with the response also returned), the
// file at path is neither created nor changed. Nothing else is ever written
// anywhere.
func Download(rawURL, path string, timeout time.Duration) (*Response, error) {
	resp, err := Get(rawURL, timeout)
	if err != nil {
		// Get read the whole body before returning, so a response cut short
		// ends here, before the file is touched: a half page never lands on
		// disk looking like a whole one.
		return nil, err
	}
	if resp.StatusCode != 200 {
		return resp, fmt.Errorf("GET %s: %w: %s", rawURL, ErrStatus, resp.Status)
	}
	if err := os.WriteFile(path, resp.Body, 0o644); err != nil {
		return resp, fmt.Errorf("saving %s: %w", rawURL, err)
	}
	return resp, nil
}
