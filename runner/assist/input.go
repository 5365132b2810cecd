package assist

import (
	"bufio"
	"strings"

	"github.com/netbook/netbook/labs/session"
)

// message is one thing to send: a typed line with its ending, or, in raw
// mode, a read's worth of the input.
type message struct {
	to   string // the client named by an @NAME prefix (line mode, listen only)
	data []byte
}

// rawChunk is the most raw mode reads at once.
const rawChunk = 32 << 10

// read turns the input into messages on a.in, and closes it at the end of
// the input. It may block on the input after Run has returned (a terminal
// waits for a key), and then ends at the next thing it reads.
func (a *assistant) read() {
	defer close(a.in)
	if a.o.Raw {
		buf := make([]byte, rawChunk)
		for {
			n, err := a.o.In.Read(buf)
			if n > 0 && !a.send(message{data: append([]byte(nil), buf[:n]...)}) {
				return
			}
			if err != nil {
				return
			}
		}
	}
	br := bufio.NewReader(a.o.In)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			if m, ok := a.line(line); ok && !a.send(m) {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// send hands m to the loop that sends, unless Run has returned.
func (a *assistant) send(m message) bool {
	select {
	case a.in <- m:
		return true
	case <-a.done:
		return false
	}
}

// line makes a message of a typed line: its @NAME prefix taken off in
// listen mode, its escapes read with Escapes, and, over TCP, the line
// ending the options ask for. A UDP datagram is the line without its end.
func (a *assistant) line(line string) (message, bool) {
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	var m message
	if a.o.Mode == "listen" && strings.HasPrefix(line, "@") {
		if name, rest, ok := strings.Cut(line[1:], " "); ok && name != "" {
			m.to, line = name, rest
		}
	}
	data := []byte(line)
	if a.o.Escapes {
		var err error
		if data, err = session.Unescape(line); err != nil {
			a.pr.note("", "not sent: %v (escapes are \\n \\r \\t \\\\ and \\xHH)", err)
			return m, false
		}
	}
	switch {
	case a.o.Network == "udp": // the datagram's end is the message's end
	case a.o.CRLF:
		data = append(data, '\r', '\n')
	default:
		data = append(data, '\n')
	}
	m.data = data
	return m, true
}
