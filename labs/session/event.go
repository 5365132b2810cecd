package session

import (
	"fmt"
	"time"
)

// Event is one thing that happened on a connection while a session played.
type Event struct {
	At   time.Duration // since Play started
	Conn string        // the connection's name in the session
	Kind EventKind
	Data []byte // bytes sent or received; for Opened, the client's address (the local one after dial, the remote one after accept)
}

// EventKind says what an Event records.
type EventKind int

// The kinds of event in a transcript.
const (
	Opened      EventKind = iota + 1 // the connection was dialed or accepted (TCP) or its socket opened (UDP)
	Sent                             // Data was written
	Received                         // Data arrived for one expect step (possibly less than expected)
	PeerClosed                       // the peer closed: a read returned end of file
	WriteClosed                      // we closed our sending half
	Closed                           // we closed the connection
)

var kindNames = [...]string{Opened: "opened", Sent: "->", Received: "<-",
	PeerClosed: "eof", WriteClosed: "closewrite", Closed: "close"}

// String names the kind the way a session file writes it.
func (k EventKind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// String formats e as one transcript line, such as
// `+1.2ms a -> "Michael\n"`.
func (e Event) String() string {
	s := fmt.Sprintf("+%v %s %s", e.At.Round(time.Microsecond), e.Conn, e.Kind)
	switch e.Kind {
	case Sent, Received:
		s += " " + Quote(e.Data)
	case Opened:
		s += " from " + string(e.Data)
	}
	return s
}
