package assist

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/netbook/netbook/labs/loopback"
)

// MaxClients is how many clients a TCP listener serves at once, and how
// many UDP senders it names; more are turned away (TCP) or shown without
// a name (UDP).
const MaxClients = 64

// writeTimeout bounds each send, so a peer that stops reading cannot hang
// the assistant.
const writeTimeout = 5 * time.Second

// dialTimeout bounds connecting.
const dialTimeout = 5 * time.Second

// DefaultLinger is how long connect waits for the last replies after the
// input ends.
const DefaultLinger = 2 * time.Second

// Options say what the assistant does.
type Options struct {
	Network string // "tcp" or "udp"
	Mode    string // "listen" or "connect"
	Addr    string // where to listen, or whom to connect to
	Public  bool   // allow an address that is not loopback

	Raw     bool // send the input's bytes as they are read, not a line at a time
	CRLF    bool // end each line with "\r\n" instead of "\n"
	Escapes bool // read \n \r \t \\ \xHH in a typed line as those bytes

	// Linger is how long connect waits for the peer after the input
	// ends; DefaultLinger when zero.
	Linger time.Duration

	In  io.Reader // what the user types
	Out io.Writer // what arrives, and what happens
	// Warn gets the warning for a non-loopback address with Public.
	Warn io.Writer
}

// Run runs the assistant until ctx is done, or, in connect mode, until the
// peer closes or the input ends. A failure to listen or connect is an
// error; everything after that is shown, not returned.
func Run(ctx context.Context, o Options) error {
	if o.Network != "tcp" && o.Network != "udp" {
		return fmt.Errorf("%q is not a network: say tcp or udp", o.Network)
	}
	if o.Mode != "listen" && o.Mode != "connect" {
		return fmt.Errorf("%q is not a mode: say listen or connect", o.Mode)
	}
	if o.Network == "udp" && o.CRLF {
		return fmt.Errorf("--crlf ends TCP lines; over UDP each line is one datagram, sent without its line ending (add one with --escapes and \\r\\n)")
	}
	what := "listen on"
	if o.Mode == "connect" {
		what = "connect to"
	}
	warning, err := loopback.Check(o.Addr, what, o.Public)
	if err != nil {
		return err
	}
	if warning != "" && o.Warn != nil {
		fmt.Fprintln(o.Warn, warning)
	}
	if o.Linger <= 0 {
		o.Linger = DefaultLinger
	}
	if o.In == nil {
		o.In = eofReader{}
	}
	a := &assistant{o: o, pr: &printer{w: o.Out}, in: make(chan message), done: make(chan struct{})}
	defer close(a.done)
	go a.read()
	switch {
	case o.Network == "tcp" && o.Mode == "connect":
		return a.connectTCP(ctx)
	case o.Network == "tcp":
		return a.listenTCP(ctx)
	case o.Mode == "connect":
		return a.connectUDP(ctx)
	}
	return a.listenUDP(ctx)
}

// assistant is one run.
type assistant struct {
	o    Options
	pr   *printer
	in   chan message  // what the user typed; closed when the input ends
	done chan struct{} // closed when Run returns
}

// eofReader is an input that has ended: with no input, nothing is sent.
type eofReader struct{}

// Read reports the end of input.
func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// conversation is connect mode on either network, once connected.
type conversation struct {
	conn     net.Conn
	read     func()            // shows what arrives; returns when the peer is gone or conn is closed
	send     func([]byte) bool // sends what was typed; false ends the conversation
	endInput func()            // once, when the input ends
	lingered func()            // when Linger has passed since the end of input
}

// converse sends what the user types and shows what arrives until ctx is
// done, the peer goes, or Linger passes after the end of input; then it
// closes the connection and waits for the reader.
func (a *assistant) converse(ctx context.Context, cv conversation) error {
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		cv.read()
	}()
	defer func() {
		cv.conn.Close()
		<-closed
	}()
	var linger <-chan time.Time
	in := a.in
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-closed:
			return nil
		case <-linger:
			cv.lingered()
			return nil
		case m, ok := <-in:
			if !ok {
				in = nil
				cv.endInput()
				linger = time.After(a.o.Linger)
				continue
			}
			if !cv.send(m.data) {
				return nil
			}
		}
	}
}
