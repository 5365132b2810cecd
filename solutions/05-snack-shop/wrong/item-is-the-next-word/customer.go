package shop

import (
	"bufio"
	"io"
	"net"
	"strings"
	"time"
	"unicode"
)

// writeTimeout bounds each reply: a customer who stops reading must not hold
// their goroutine forever once the connection's buffers are full.
const writeTimeout = 5 * time.Second

// serveCustomer is one customer's visit, from the greeting to the goodbye.
// It reads the customer's lines one by one and answers each, until the
// customer says bye (or 拜拜) or leaves, and closes the connection before it
// returns.
//
// The customer's balance is a local variable: every customer has their own,
// in their own goroutine, so it needs no lock. The shelf is the Shop's, and
// only s.menu and s.buy touch it.
func (s *Shop) serveCustomer(conn net.Conn) {
	defer conn.Close()
	balance := StartingBalance

	say := func(reply string) bool {
		conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		_, err := io.WriteString(conn, reply)
		return err == nil
	}

	if !say(Welcome(balance)) {
		return
	}
	lines := bufio.NewScanner(conn) // splits at "\n" and drops a "\r" before it
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" {
			continue // a blank line asks nothing, so it gets no answer
		}
		command, arg := splitCommand(line)

		var reply string
		switch {
		case strings.EqualFold(line, "menu"):
			reply = s.menu()
		case strings.EqualFold(line, "balance"):
			reply = BalanceIs(balance)
		case strings.EqualFold(line, "bye"), line == "拜拜":
			say(Goodbye)
			return // and the deferred Close hangs up
		case strings.EqualFold(command, "buy") && arg == "":
			reply = BuyWhat
		case strings.EqualFold(command, "buy"):
			reply, balance = s.buy(arg, balance)
		default:
			reply = UnknownCommand(line)
		}
		if !say(reply) {
			return
		}
	}
	// Scan returned false: the customer closed the connection (EOF) or it
	// broke. Either way the visit is over; the deferred Close ends our side.
}

// splitCommand splits a trimmed line at its first space or tab into the
// command word and the rest, also trimmed: "buy  西瓜" gives "buy", "西瓜".
func splitCommand(line string) (command, arg string) {
	i := strings.IndexFunc(line, unicode.IsSpace)
	if i < 0 {
		return line, ""
	}
	return line[:i], strings.Fields(line[i:])[0] // the item: the word after the command
}
