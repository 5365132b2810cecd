package udpecho

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Client sends requests to a UDP server and waits for their replies,
// sending a request again when its reply does not come in time.
//
// A Client is for one goroutine at a time: Do must not be called
// concurrently.
type Client struct {
	Conn    net.Conn      // a UDP socket connected to the server: net.Dial("udp", addr)
	Timeout time.Duration // how long one attempt waits for its reply
	Retries int           // how many times a request is sent again after an attempt times out

	id uint64 // the id of the last request Do sent; the next one gets id+1
}

// Do sends request (a verb and its arguments, such as "ECHO hello") to the
// server as one datagram, "<id> <request>", and returns the reply without
// its id and the space after it: "OK hello", or "ERR ..." when the server
// rejects the request.
//
// Ids count up from 1: a Client's first request has id 1, its second id 2,
// and so on, whether or not the requests before it got their replies.
//
// Each attempt waits at most Timeout for the reply, counted from the moment
// it was sent. When the time is up, Do sends the very same datagram again
// (same id), up to Retries more times. After the last attempt times out, Do
// gives up with an error that wraps ErrNoReply. Any other error (the socket
// is closed, the server's port is unreachable) ends Do at once.
//
// A datagram whose id is not this request's is not the reply: it is a
// duplicate or a late reply to an earlier request. Do ignores it and keeps
// waiting, without extending the attempt's deadline. A reply to any attempt
// of this request is the answer (the requests are the same), and a reply of
// up to MaxDatagram bytes must arrive whole.
func (c *Client) Do(request string) (string, error) {
	c.id++
	id := strconv.FormatUint(c.id, 10)
	datagram := []byte(id + " " + request)
	prefix := id + " " // what the reply to this request starts with

	buf := make([]byte, 64*1024) // holds any datagram: nothing is cut short
	attempts := 1 + max(c.Retries, 0)
	for attempt := 1; attempt <= attempts; attempt++ {
		// One deadline per attempt, set once: a stray datagram that wakes
		// the loop below must not buy the attempt more time.
		deadline := time.Now().Add(c.Timeout)
		if err := c.Conn.SetDeadline(deadline); err != nil {
			return "", err
		}
		if _, err := c.Conn.Write(datagram); err != nil {
			return "", fmt.Errorf("request %s: %w", id, err)
		}
		for {
			n, err := c.Conn.Read(buf)
			if err != nil {
				break // no reply this time; send again
			}
			if reply, ours := strings.CutPrefix(string(buf[:n]), prefix); ours {
				return reply, nil
			}
			// A reply to another request (a duplicate, or one that came
			// after its request gave up), or something that is no reply
			// at all: not ours, so keep waiting for ours.
		}
	}
	return "", fmt.Errorf("request %s (%.20q): %w after %d attempts, %v each", id, request, ErrNoReply, attempts, c.Timeout)
}
