package netsim

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Direction is which way data travels through a proxy.
type Direction int

// The two directions.
const (
	ToServer Direction = iota // from a client to the target
	ToClient                  // from the target back to a client
)

// String names the direction for logs and summaries.
func (d Direction) String() string {
	if d == ToServer {
		return "to server"
	}
	return "to client"
}

// EventKind says what an Event records.
type EventKind int

// The things a proxy logs.
const (
	Accepted   EventKind = iota + 1 // a new client: a TCP connection or a UDP source address
	Received                        // a datagram or a read's worth of bytes came in
	Dropped                         // a datagram was thrown away
	Duplicated                      // a datagram will be sent twice
	Delayed                         // a datagram or bytes will wait Event.Delay
	Held                            // a datagram is held back, to go after the next one
	Sent                            // a datagram or a write went out
	HalfClosed                      // end of file was passed on with CloseWrite
	Closed                          // a TCP connection pair ended
	Failed                          // something went wrong; see Event.Err
)

var kindNames = [...]string{Accepted: "accepted", Received: "received", Dropped: "dropped",
	Duplicated: "duplicated", Delayed: "delayed", Held: "held back", Sent: "sent",
	HalfClosed: "half-closed", Closed: "closed", Failed: "failed"}

// String names the kind in the words a log line uses.
func (k EventKind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one thing a proxy did, for a log.
type Event struct {
	At    time.Duration // since the proxy started
	Conn  string        // the client: its address, with a number for TCP ("#2 127.0.0.1:50312")
	Dir   Direction
	Kind  EventKind
	Size  int           // bytes concerned, if any
	Delay time.Duration // for Delayed
	Err   error         // for Failed
}

// String formats e as one log line, such as
// "+1.5ms 127.0.0.1:50312 to server: dropped 12 bytes".
func (e Event) String() string {
	s := fmt.Sprintf("+%v %s", e.At.Round(time.Microsecond), e.Conn)
	switch e.Kind {
	case Accepted, Closed:
		return s + ": " + e.Kind.String()
	}
	s += " " + e.Dir.String() + ": " + e.Kind.String()
	if e.Size > 0 {
		s += " " + count(uint64(e.Size), "byte", "bytes")
	}
	if e.Kind == Delayed {
		s += fmt.Sprintf(" by %v", e.Delay)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// LogTo returns a Log function that writes each event to w as a line.
func LogTo(w io.Writer) func(Event) {
	return func(e Event) { fmt.Fprintln(w, e) }
}

// recorder timestamps events and hands them to the user's function one at a
// time, so that function need not be safe for concurrent use.
type recorder struct {
	start time.Time
	mu    sync.Mutex
	log   func(Event)
}

func (r *recorder) emit(e Event) {
	if r.log == nil {
		return
	}
	e.At = time.Since(r.start)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log(e)
}
