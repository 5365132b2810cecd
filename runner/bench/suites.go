package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"

	"github.com/netbook/netbook/runner/labs"
)

// suite is what netbook bench does with one lab: the workloads, and the
// baselines that run beside the student's server and the reference.
type suite struct {
	workloads []Workload
	baselines []baselineSpec
	// python: the chat rooms also get the articles' room in Python.
	python bool
	// driverSrc, when not nil, is the source of a load program that Run
	// builds (see buildDriver) into driver before the workloads run.
	driverSrc []byte
	driver    *driver
}

// baselineSpec is one of package baseline's servers as a contender.
type baselineSpec struct {
	name, server, about string
}

// DefaultRate is the pace, in deliveries per second, of a chat workload's
// paced phase.
const DefaultRate = 800_000

// suiteFor returns lab l's suite, or an error when netbook bench has no
// workload for it. clients, when not empty, replaces the numbers of
// clients the workloads run with.
func suiteFor(l *labs.Lab, rate float64, clients []int) (*suite, error) {
	counts, chat := []int{1, 10, 100}, []int{10, 100, 500}
	if len(clients) > 0 {
		counts, chat = clients, clients
	}
	var s suite
	switch l.Name {
	case "02-first-connection":
		for _, n := range counts {
			s.workloads = append(s.workloads, connectWorkload(n, checkGreeting))
		}
	case "03-hello-server":
		for _, n := range counts {
			s.workloads = append(s.workloads, requestWorkload(n, helloConversation))
		}
		s.baselines = []baselineSpec{{"go-minimal", "hello-lines", "the smallest correct Go line server: a goroutine, a Scanner, a Write per reply"}}
	case "05-snack-shop":
		for _, n := range counts {
			s.workloads = append(s.workloads, requestWorkload(n, menuConversation))
		}
	case "06-udp-echo":
		for _, n := range counts {
			s.workloads = append(s.workloads, datagramWorkload(n, echoRequest, echoAnswer))
		}
	case "09-chat-room", "10-robust-chat":
		for _, n := range chat {
			if n < 2 {
				return nil, fmt.Errorf("--clients %d: a chat room needs 2 clients or more, one to talk and the others to listen", n)
			}
			s.workloads = append(s.workloads, chatWorkload(n, rate))
		}
		s.baselines = []baselineSpec{{"go-threads", "thread-room", "the articles' design in Go: each client's goroutine writes every message to each member, under the room's lock"}}
		s.python = true
	case "11-reliable-stream":
		s.driverSrc = rstreamDriver
		for _, n := range counts {
			s.workloads = append(s.workloads, streamWorkload(&s.driver, n, 64<<10))
		}
	default:
		return nil, fmt.Errorf("no workload for lab %s: bench measures the server labs (02, 03, 05, 06, 09, 10, 11)", l.Name)
	}
	return &s, nil
}

// Lab 02: a connection is a greeting, then the server hangs up.
func checkGreeting(data []byte) error {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return fmt.Errorf("the server sent %q and hung up, want a greeting that ends in a newline", data)
	}
	return nil
}

// Lab 03: Welcome!, then Hello, NAME! for each name.
var helloConversation = conversation{
	greeting: func(r *bufio.Reader) error { return expectLine(r, "Welcome!") },
	request:  func(int) []byte { return []byte("netbook\n") },
	answer:   func(r *bufio.Reader, _ int) error { return expectLine(r, "Hello, netbook!") },
}

// Lab 05: the menu, a header that says how many lines follow.
var menuConversation = conversation{
	greeting: func(r *bufio.Reader) error { return expectLine(r, "WELCOME") },
	request:  func(int) []byte { return []byte("menu\n") },
	answer: func(r *bufio.Reader, _ int) error {
		line, err := readLine(r)
		if err != nil {
			return err
		}
		rest, ok := bytes.CutPrefix(line, []byte("MENU "))
		n, err := strconv.Atoi(string(bytes.TrimSpace(rest)))
		if !ok || err != nil || n < 0 || n > 100 {
			return fmt.Errorf("got %q, want MENU and the number of items", line)
		}
		for range n {
			if _, err := readLine(r); err != nil {
				return err
			}
		}
		return nil
	},
}

// Lab 06: client C's "ID ECHO netbook-C" is answered "ID OK netbook-C".
// Each client's text is its own, so that an answer that reaches the wrong
// client is seen for what it is, not taken for that client's own request
// of the same ID.
func echoRequest(client, id int) []byte { return fmt.Appendf(nil, "%d ECHO netbook-%d", id, client) }

func echoAnswer(reply []byte, client, id int) error {
	got, rest, _ := bytes.Cut(reply, []byte(" "))
	n, err := strconv.Atoi(string(got))
	text, ok := bytes.CutPrefix(rest, []byte("OK netbook-"))
	from, ferr := strconv.Atoi(string(text))
	switch {
	case err == nil && ok && ferr == nil && from != client:
		return fmt.Errorf("request %d ECHO netbook-%d was answered %q, which answers another client's request: the server sent it to the wrong address, or made it from another request's bytes",
			id, client, reply)
	case err == nil && ok && ferr == nil && n < id:
		return errStale
	case err != nil || n != id || ferr != nil || from != client:
		return fmt.Errorf("request %d ECHO netbook-%d was answered %q, want \"%d OK netbook-%d\"", id, client, reply, id, client)
	}
	return nil
}
