// Command client is netbook diff's driver for lab 04: it fetches a page with
// the lab's Get from the scripted server at ADDR, the way the session named
// SESSION (testdata/SESSION.session) expects, and prints what came back:
//
//	go run ./labs/04-http-client/testdata/netbook ADDR SESSION
//
// netbook diff runs it twice per session, built with your code and with the
// reference solution, and compares the two outputs line by line. So it
// prints what any correct client must agree on (the status, the headers,
// the body, and which of the package's errors an error wraps) and not the
// wording of an error message, which is yours to choose: that goes to
// standard error, which is shown but not compared.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	rawhttp "github.com/netbook/netbook/labs/04-http-client"
	"github.com/netbook/netbook/labs/netsim"
)

// request is what a session's server expects to be asked, and how long the
// client may take: the stalling servers are meant to meet a short deadline.
type request struct {
	path     string
	timeout  time.Duration
	fragment int // put a proxy in front that passes on this many bytes at a time
}

// requests has one entry per testdata/*.session file, as the lab's tests use
// them (TestTask9MisbehavingServers and TestTask10Deadline).
var requests = map[string]request{
	"chunked":             {path: "/stream", timeout: 2 * time.Second},
	"closed-early":        {path: "/", timeout: 2 * time.Second},
	"early-hints":         {path: "/page", timeout: 2 * time.Second},
	"fragmented":          {path: "/search?q=tcp&page=2", timeout: 2 * time.Second, fragment: 3},
	"keep-alive":          {path: "/hello", timeout: 2 * time.Second},
	"no-length":           {path: "/notes.txt", timeout: 2 * time.Second},
	"not-http":            {path: "/", timeout: 2 * time.Second},
	"stall-body":          {path: "/", timeout: 300 * time.Millisecond},
	"stall-silent":        {path: "/", timeout: 300 * time.Millisecond},
	"switching-protocols": {path: "/chat", timeout: 2 * time.Second},
	"trickle":             {path: "/", timeout: 500 * time.Millisecond},
	"truncated-body":      {path: "/download", timeout: 2 * time.Second},
}

// kinds are the errors an outcome is described by, in the order printed.
var kinds = []struct {
	name string
	err  error
}{
	{"rawhttp.ErrURL", rawhttp.ErrURL},
	{"rawhttp.ErrStatusLine", rawhttp.ErrStatusLine},
	{"rawhttp.ErrHeaderLine", rawhttp.ErrHeaderLine},
	{"rawhttp.ErrContentLength", rawhttp.ErrContentLength},
	{"rawhttp.ErrTransferEncoding", rawhttp.ErrTransferEncoding},
	{"rawhttp.ErrStatus", rawhttp.ErrStatus},
	{"io.ErrUnexpectedEOF", io.ErrUnexpectedEOF},
	{"os.ErrDeadlineExceeded", os.ErrDeadlineExceeded},
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: client ADDR SESSION")
		os.Exit(2)
	}
	addr, name := os.Args[1], os.Args[2]
	req, ok := requests[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "no request for session %q: add it to the table in testdata/netbook/client.go\n", name)
		os.Exit(2)
	}
	if req.fragment > 0 {
		p, err := netsim.ListenTCP(addr, netsim.TCPOptions{Fragment: req.fragment})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		defer p.Close()
		addr = p.Addr()
		fmt.Printf("through a proxy that passes on %d bytes at a time\n", req.fragment)
	}

	fmt.Printf("Get(\"http://127.0.0.1:PORT%s\", %v)\n", req.path, req.timeout)
	resp, err := rawhttp.Get("http://"+addr+req.path, req.timeout)
	if err != nil {
		describe(err)
		if resp != nil {
			fmt.Println("and a response, which Get should not return with an error")
		}
		return
	}
	if resp == nil {
		fmt.Println("no response and no error")
		return
	}
	fmt.Printf("proto: %s\nstatus: %d %q\n", resp.Proto, resp.StatusCode, resp.Status)
	keys := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Printf("header %s: %q\n", k, resp.Header[k])
	}
	fmt.Printf("body: %d bytes %q\n", len(resp.Body), resp.Body)
}

// describe prints which of the package's errors err wraps, and the message
// itself on standard error.
func describe(err error) {
	var wraps []string
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			wraps = append(wraps, k.name)
		}
	}
	if len(wraps) == 0 {
		wraps = append(wraps, "none of the errors this driver knows")
	}
	fmt.Printf("error, wrapping %v\n", wraps)
	fmt.Fprintf(os.Stderr, "Get returned: %v\n", err)
}
