package rawhttp

import (
	"errors"
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
	// TODO: compute the deadline first (time.Now().Add(timeout)); dial with
	// net.DialTimeout and defer conn.Close(); conn.SetDeadline(deadline);
	// write the request; ParseResponse(bufio.NewReader(conn)), again on the
	// same reader while the status is 1xx (but not 101).
	return nil, errors.New("TODO: implement Get (tasks 8 to 10)")
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
	// TODO: Get, check the status code, then os.WriteFile.
	return nil, errors.New("TODO: implement Download (task 11)")
}
