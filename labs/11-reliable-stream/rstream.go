// Package rstream is a reliable byte stream over a network that loses,
// duplicates, reorders, delays and damages datagrams: TCP's reliability,
// built by hand over UDP.
//
// You write segment.go, receiver.go, sender.go and conn.go. This file and
// rtt.go, link.go, pipe.go and listen.go are given.
//
// # Segments
//
// Everything the two ends say to each other is a segment, carried in one
// datagram: a header of HeaderLen bytes, then the data. Every number is
// big-endian.
//
//	offset  size  field
//	     0     4  checksum: CRC-32 (IEEE, hash/crc32.ChecksumIEEE) of every byte after it
//	     4     4  sequence number: the number of the segment's first byte (or of its SYN)
//	     8     4  acknowledgement number: the next sequence number the sender expects
//	    12     2  window: how many bytes, from the acknowledgement number on, the sender can take
//	    14     2  flags: SYN, ACK, FIN; every other bit is zero
//	    16     -  data, up to the end of the datagram
//
// The acknowledgement number and the window mean something only when the
// ACK flag is set; without it they are zero.
//
// # Sequence numbers
//
// Each end numbers what it sends. It picks a first number, its initial
// sequence number (ISN), at random, and sends it in a SYN. The SYN takes
// that number, the first byte of data takes the next, and so on; the FIN,
// sent after the last byte, takes one number too. So a segment occupies
// len(Data) numbers, plus one for a SYN and one for a FIN (Segment.Len).
//
// Sequence numbers are uint32 and wrap around: after 4294967295 comes 0. So
// never compare two of them with < or >: subtract them, and read the
// difference as an int32. int32(a-b) < 0 means a comes before b, as long as
// the two are less than 2 GiB apart, which they always are here.
//
// # Acknowledgements and the window
//
// Acknowledgements are cumulative: an acknowledgement number n says "I have
// every number before n; n is the next one I need". A segment that arrives
// out of order is kept (when it fits in the window) but does not move n;
// when the gap before it is filled, n jumps over everything that is now
// contiguous.
//
// The window says how much more the receiver can take: the sender may send
// the numbers from n up to, not including, n+window. It shrinks as bytes
// wait in the receiver's buffer unread, and grows as the application reads
// them. That is flow control.
//
// # Opening and closing
//
//	dialer                                  accepter
//	SYN seq=x                     ->
//	                              <-        SYN|ACK seq=y ack=x+1 win=w
//	ACK seq=x+1 ack=y+1 win=w     ->        (both established)
//	... data both ways, each segment with ACK ...
//	FIN|ACK seq=x+1+m             ->        (the dialer will write no more)
//	                              <-        ACK ack=x+2+m
//	                              <-        FIN|ACK seq=y+1+k
//	ACK ack=y+2+k                 ->
//	(the dialer lingers for TimeWait)
//
// Each direction is opened by its own SYN and closed by its own FIN, and
// each SYN and FIN is acknowledged, like data. The handshake has three
// segments, not four, because the accepter's SYN carries the ACK of the
// dialer's. The close is the same exchange, in either order, and a FIN
// may carry the ACK of the other side's FIN. After its FIN, a side may still
// read: only its own direction is closed.
package rstream

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// HeaderLen is the size of a segment's header, in bytes.
const HeaderLen = 16

// MaxWindow is the largest window a segment can advertise: the window field
// has 16 bits. (TCP's has 16 bits too, and an option, window scaling, to
// count it in larger units.)
const MaxWindow = 65535

// Flags is a segment's flags field.
type Flags uint16

// The flags. Their values are TCP's.
const (
	FIN Flags = 1 << 0 // the sender will send no more data after this segment
	SYN Flags = 1 << 1 // opens the sender's direction: Seq is its initial sequence number
	ACK Flags = 1 << 4 // Ack and Window are set
)

// String writes the flags as "SYN|ACK", or "-" when there are none.
func (f Flags) String() string {
	var names []string
	for _, n := range []struct {
		f    Flags
		name string
	}{{SYN, "SYN"}, {FIN, "FIN"}, {ACK, "ACK"}} {
		if f&n.f != 0 {
			names = append(names, n.name)
			f &^= n.f
		}
	}
	if f != 0 {
		names = append(names, fmt.Sprintf("0x%x", uint16(f)))
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, "|")
}

// Segment is one segment, as it is before encoding and after decoding.
type Segment struct {
	Seq    uint32 // the sequence number of the first byte, or of the SYN
	Ack    uint32 // with ACK: the next sequence number expected from the peer
	Window uint16 // with ACK: how many bytes from Ack on the sender can take
	Flags  Flags
	Data   []byte
}

// Len returns how many sequence numbers the segment occupies: one per byte
// of data, one for a SYN, one for a FIN. A bare ACK occupies none, so
// nobody acknowledges it.
func (s Segment) Len() int {
	n := len(s.Data)
	if s.Flags&SYN != 0 {
		n++
	}
	if s.Flags&FIN != 0 {
		n++
	}
	return n
}

// String describes the segment in one line, as the tests and LogLink print
// it: "SYN|ACK seq=100 ack=7001 win=65535" or "ACK seq=101 ack=7001 win=65535 len=1024"
// (or "seq=101 len=1024" when it has no flags, as a Sender makes it).
func (s Segment) String() string {
	var b strings.Builder
	if s.Flags != 0 {
		fmt.Fprintf(&b, "%v ", s.Flags)
	}
	fmt.Fprintf(&b, "seq=%d", s.Seq)
	if s.Flags&ACK != 0 {
		fmt.Fprintf(&b, " ack=%d win=%d", s.Ack, s.Window)
	}
	if len(s.Data) > 0 {
		fmt.Fprintf(&b, " len=%d", len(s.Data))
	}
	return b.String()
}

// ErrBadSegment is what Parse's error wraps when a datagram is not a
// segment: too short, damaged on the way (its checksum does not match), or
// with flags this protocol does not have. Test for it with
// errors.Is(err, ErrBadSegment).
var ErrBadSegment = errors.New("rstream: bad segment")

// ErrPeerGone is what a connection's error wraps when the peer stopped
// answering: a segment was sent MaxRetries+1 times and never acknowledged.
// Test for it with errors.Is(err, ErrPeerGone).
var ErrPeerGone = errors.New("rstream: the peer stopped answering")

// Config tunes a connection. A zero field takes its default (see
// WithDefaults), so Config{} is a working configuration.
type Config struct {
	MaxData    int // the most data in one segment, in bytes
	SendBuffer int // the most bytes a Sender keeps, sent or not, until they are acknowledged
	RecvBuffer int // the Receiver's buffer: the largest window it advertises (at most MaxWindow)

	InitialRTO time.Duration // the retransmission timeout before any round trip is measured
	MinRTO     time.Duration // the smallest the timeout may be
	MaxRTO     time.Duration // the largest it may become, however often it doubles
	MaxRetries int           // how many times a segment is sent again before the peer counts as gone
	TimeWait   time.Duration // how long Close lingers after the last FIN, to acknowledge it again if needed

	// ISN chooses each connection's initial sequence number; nil means at
	// random (math/rand/v2's Uint32). Tests set it, to see sequence
	// numbers wrap around.
	ISN func() uint32
}

// The defaults, for a network like the lab's: loopback through a proxy that
// adds a few milliseconds. Linux's TCP starts at an RTO of 1 second, never
// goes below 200 ms nor above 120 s, retries 15 times (about 15 minutes),
// and lingers 60 s in TIME_WAIT.
const (
	DefaultMaxData    = 1024
	DefaultSendBuffer = 256 * 1024
	DefaultRecvBuffer = MaxWindow
	DefaultInitialRTO = 200 * time.Millisecond
	DefaultMinRTO     = 10 * time.Millisecond
	DefaultMaxRTO     = 2 * time.Second
	DefaultMaxRetries = 8
	DefaultTimeWait   = 2 * time.Second
)

// WithDefaults returns c with every zero field set to its default, and
// RecvBuffer lowered to MaxWindow if it is larger.
func (c Config) WithDefaults() Config {
	set := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	set(&c.MaxData, DefaultMaxData)
	set(&c.SendBuffer, DefaultSendBuffer)
	set(&c.RecvBuffer, DefaultRecvBuffer)
	c.RecvBuffer = min(c.RecvBuffer, MaxWindow)
	setD(&c.InitialRTO, DefaultInitialRTO)
	setD(&c.MinRTO, DefaultMinRTO)
	setD(&c.MaxRTO, DefaultMaxRTO)
	set(&c.MaxRetries, DefaultMaxRetries)
	setD(&c.TimeWait, DefaultTimeWait)
	return c
}

// NewISN returns an initial sequence number for a new connection: c.ISN()
// when it is set, else a random one.
func (c Config) NewISN() uint32 {
	if c.ISN != nil {
		return c.ISN()
	}
	return rand.Uint32()
}
