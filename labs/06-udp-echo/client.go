package udpecho

import (
	"errors"
	"net"
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
	// TODO: c.id++ gives this request its id. Send "<id> <request>" with
	// c.Conn.Write. Set a read deadline Timeout from now, then read into a
	// 64 KiB buffer in a loop: a reply that starts with "<id> " is the one;
	// anything else, read again. A timeout
	// (errors.Is(err, os.ErrDeadlineExceeded)) means send again, up to
	// Retries times; then return an error that wraps ErrNoReply
	// (fmt.Errorf with %w). Task 9 runs it with your Serve over a network
	// that loses and duplicates datagrams.
	return "", errors.New("TODO: implement Do (tasks 6 to 8)")
}
