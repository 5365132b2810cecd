package bench

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/bench/baseline"
)

// These tests prove the load generators' plumbing on servers in the test's
// own process, with small, short runs. They never judge speed: that is
// what netbook bench's output is for.

// inProcess serves with serve on a loopback listener for the test's
// duration, as a Server whose CPU time is the test process's own.
func inProcess(t *testing.T, serve func(net.Listener) error) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- serve(ln) }()
	t.Cleanup(func() {
		ln.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("the server did not return within 5s of its listener closing")
		}
	})
	return &Server{Network: "tcp", Addr: ln.Addr().String(), Pid: os.Getpid()}
}

func checkMeasurement(t *testing.T, m Measurement) {
	t.Helper()
	assert.Positive(t, m.Ops, "operations completed")
	assert.Positive(t, m.Elapsed)
	assert.NotEmpty(t, m.Latency, "latencies sampled")
	assert.False(t, m.Rate() <= 0)
}

func TestRequestWorkload(t *testing.T) {
	s := inProcess(t, baseline.HelloLines)
	w := requestWorkload(3, helloConversation)
	assert.Equal(t, []string{"3 connections"}, w.Phases)
	ms, err := w.run(t.Context(), s, 200*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, ms, 1)
	checkMeasurement(t, ms[0])
}

// A server that serves one client at a time never greets the second while
// the first stays connected: the error says what that looks like.
func TestRequestWorkloadOneClientAtATime(t *testing.T) {
	s := inProcess(t, func(ln net.Listener) error {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return nil
			}
			io.WriteString(conn, "Welcome!\n")
			io.Copy(io.Discard, conn) // until the client hangs up
			conn.Close()
		}
	})
	_, err := requestWorkload(2, helloConversation).run(t.Context(), s, 200*time.Millisecond)
	assert.ErrorContains(t, err, "client 2, as it connected, waited 5s for the server to greet it while 1 other client stayed connected: does the server serve one client at a time?")
	assert.NotContains(t, err.Error(), "i/o timeout", "said in words, without the Go error behind them")
}

// A read or write that passed its deadline is told in words (what the
// server did not do, and for how long), not as "read tcp A->B: i/o
// timeout"; the error still is a deadline error, and any other error is
// left as it is.
func TestInWords(t *testing.T) {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	require.NoError(t, a.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err := a.Read(make([]byte, 1))
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	err = inWords(err, ioTimeout, "answer")
	assert.EqualError(t, err, "the server did not answer within 5s")
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.Equal(t, io.EOF, inWords(io.EOF, ioTimeout, "answer"))
	assert.NoError(t, inWords(nil, ioTimeout, "answer"))
}

// A server that answers something else is reported, with what it said.
func TestRequestWorkloadChecksAnswers(t *testing.T) {
	s := inProcess(t, func(ln net.Listener) error {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return nil
			}
			go func() {
				defer conn.Close()
				io.WriteString(conn, "Welcome!\n")
				sc := bufio.NewScanner(conn)
				for sc.Scan() {
					io.WriteString(conn, "Hi\n")
				}
			}()
		}
	})
	_, err := requestWorkload(1, helloConversation).run(t.Context(), s, 200*time.Millisecond)
	assert.ErrorContains(t, err, `got "Hi", want a line that starts with "Hello, netbook!"`)
}

func TestConnectWorkload(t *testing.T) {
	s := inProcess(t, func(ln net.Listener) error {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return nil
			}
			io.WriteString(conn, "hello\n")
			conn.Close()
		}
	})
	ms, err := connectWorkload(2, checkGreeting).run(t.Context(), s, 100*time.Millisecond)
	require.NoError(t, err)
	checkMeasurement(t, ms[0])
}

func TestDatagramWorkload(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			id, text, _ := strings.Cut(string(buf[:n]), " ECHO ")
			conn.WriteTo(fmt.Appendf(nil, "%s OK %s", id, text), from)
		}
	}()
	s := &Server{Network: "udp", Addr: conn.LocalAddr().String(), Pid: os.Getpid()}
	ms, err := datagramWorkload(2, echoRequest, echoAnswer).run(t.Context(), s, 100*time.Millisecond)
	require.NoError(t, err)
	checkMeasurement(t, ms[0])
	assert.EqualValues(t, -1, ms[0].Writes, "a UDP server's sendto calls are not counted, and its stray writes are not reported")
}

// A UDP server that sends every answer to the first client it heard from
// (as if UDP had a connection) is caught at the first answer that reaches
// the wrong client, not measured as the first client answering the
// others' requests that happen to have the same ID.
func TestDatagramWorkloadSeesAnswersToAnotherClient(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 2048)
		var first net.Addr
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			if first == nil {
				first = from
			}
			id, text, _ := strings.Cut(string(buf[:n]), " ECHO ")
			conn.WriteTo(fmt.Appendf(nil, "%s OK %s", id, text), first)
		}
	}()
	s := &Server{Network: "udp", Addr: conn.LocalAddr().String(), Pid: os.Getpid()}
	_, err = datagramWorkload(3, echoRequest, echoAnswer).run(t.Context(), s, 500*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "which answers another client's request")
}

func TestEchoAnswer(t *testing.T) {
	assert.Equal(t, "7 ECHO netbook-2", string(echoRequest(2, 7)))
	assert.NoError(t, echoAnswer([]byte("7 OK netbook-2"), 2, 7))
	assert.ErrorIs(t, echoAnswer([]byte("6 OK netbook-2"), 2, 7), errStale, "a late answer to request 6")
	assert.ErrorContains(t, echoAnswer([]byte("7 OK NETBOOK-2"), 2, 7), `want "7 OK netbook-2"`)
	assert.ErrorContains(t, echoAnswer([]byte("7 OK netbook"), 2, 7), `want "7 OK netbook-2"`)
	assert.ErrorContains(t, echoAnswer([]byte("ERR bad"), 2, 7), `want "7 OK netbook-2"`)
	for _, reply := range []string{"7 OK netbook-1", "6 OK netbook-3", "9 OK netbook-1"} {
		assert.ErrorContains(t, echoAnswer([]byte(reply), 2, 7), "which answers another client's request", reply)
	}
}

// The chat workload logs clients in, floods, then paces, on the articles'
// room: every message reaches every listener.
func TestChatWorkload(t *testing.T) {
	s := inProcess(t, baseline.ThreadRoom)
	w := chatWorkload(5, 20_000)
	require.Len(t, w.Phases, 2)
	assert.Equal(t, "5 clients, paced at 20k deliveries/s", w.Phases[1])
	ms, err := w.run(t.Context(), s, 400*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, ms, 2)
	for _, m := range ms {
		checkMeasurement(t, m)
		assert.Zero(t, m.Ops%4, "each message is delivered to the 4 listeners: %d deliveries", m.Ops)
		if _, err := os.Stat("/proc/self/io"); err == nil {
			// The room writes each delivery on its own; the count also
			// holds the load generator's writes, in the same process.
			assert.GreaterOrEqual(t, m.Writes, m.Ops, "write system calls, counted in /proc")
		}
	}
	paced := ms[1]
	assert.LessOrEqual(t, paced.Rate(), 40_000.0, "paced at 20k deliveries/s")
}

// A room that hangs up on a listener is reported.
func TestChatWorkloadReportsADisconnectedListener(t *testing.T) {
	s := inProcess(t, func(ln net.Listener) error {
		n := 0
		for {
			conn, err := ln.Accept()
			if err != nil {
				return nil
			}
			n++
			io.WriteString(conn, fmt.Sprintf("{\"id\":%d}\n", n))
			if n == 2 {
				conn.Close()
			} else {
				defer conn.Close()
			}
		}
	})
	_, err := chatWorkload(3, 1000).run(t.Context(), s, 200*time.Millisecond)
	assert.Error(t, err)
}

// A room that hangs up on a listener in the middle of the talk is reported
// in words, with how far the listener got.
func TestChatWorkloadSaysTheRoomHungUp(t *testing.T) {
	s := inProcess(t, func(ln net.Listener) error {
		var conns []net.Conn
		var readers []*bufio.Reader
		for len(conns) < 3 {
			conn, err := ln.Accept()
			if err != nil {
				return nil
			}
			defer conn.Close()
			r := bufio.NewReader(conn)
			if _, err := r.ReadString('\n'); err != nil { // the login
				return nil
			}
			fmt.Fprintf(conn, "{\"id\":%d}\n", len(conns)+1)
			conns, readers = append(conns, conn), append(readers, r)
		}
		// The first to log in is the talker: relay its lines to the
		// others, and hang up on the last after the marker and ten more.
		relayed := 0
		for {
			line, err := readers[0].ReadString('\n')
			if err != nil {
				return nil
			}
			for i, c := range conns[1:] {
				if i == 1 && relayed == 11 {
					c.Close()
				}
				if i < 1 || relayed < 11 {
					io.WriteString(c, line)
				}
			}
			relayed++
		}
	})
	_, err := chatWorkload(3, 1000).run(t.Context(), s, 200*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the room hung up on a listener after 10 messages")
}

// loginOnlyRoom answers each client's login, and then nothing more: a
// room half done.
func loginOnlyRoom(ln net.Listener) error {
	n := 0
	for {
		conn, err := ln.Accept()
		if err != nil {
			return nil
		}
		n++
		id := n
		defer conn.Close()
		go func() {
			r := bufio.NewReader(conn)
			if _, err := r.ReadString('\n'); err != nil { // the login
				return
			}
			fmt.Fprintf(conn, "{\"id\":%d}\n", id)
			io.Copy(io.Discard, r) // and nothing more
		}()
	}
}

// A room that logs clients in but relays nothing (a lab half done) fails
// the start check, after one wait of ioTimeout, in words: not in the first
// measurement, after the reference's and the baselines' builds.
func TestChatCheckSaysTheRoomRelaysNothing(t *testing.T) {
	s := inProcess(t, loginOnlyRoom)
	err := chatWorkload(10, 1000).check(t.Context(), s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "client 1's first broadcast")
	assert.Regexp(t, `the server did not relay .*within 5s`, err.Error())
	assert.NotContains(t, err.Error(), "i/o timeout", "said in words")
	assert.NoError(t, chatWorkload(10, 1000).check(t.Context(), inProcess(t, baseline.ThreadRoom)), "a room that relays passes")
}

// A room that logs clients in but announces nobody's arrival (lab 09's
// task 5 half done) fails the idle workload's start check after one wait
// of ioTimeout: the workload itself would wait idleLoginLimit for the
// announcements.
func TestIdleCheckSaysTheRoomAnnouncesNothing(t *testing.T) {
	s := inProcess(t, loginOnlyRoom)
	err := idleWorkload(100).check(t.Context(), s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "client 1, waiting to hear that client 2 joined the room: the server did not announce it within 5s")
	assert.NoError(t, idleWorkload(100).check(t.Context(), inProcess(t, baseline.ThreadRoom)), "a room that announces passes")
	assert.NoError(t, idleWorkload(1).check(t.Context(), inProcess(t, baseline.ThreadRoom)), "one client: its login")
}

func TestMessageNumber(t *testing.T) {
	n, ok := messageNumber([]byte(`{"sender_id":1,"sender_nickname":"bench0","message":"1234"}`))
	assert.True(t, ok)
	assert.Equal(t, 1234, n)
	n, ok = messageNumber([]byte(`{"message": "77", "sender_id": 1}`))
	assert.True(t, ok, "spaces after the colon")
	assert.Equal(t, 77, n)
	_, ok = messageNumber([]byte(`{"sender_id":0,"message":"bench3 (4) joined the room"}`))
	assert.False(t, ok)
}

func TestIdleWorkload(t *testing.T) {
	s := inProcess(t, baseline.ThreadRoom)
	ms, err := idleWorkload(30).run(t.Context(), s, 0)
	require.NoError(t, err)
	checkMeasurement(t, ms[0])
	assert.EqualValues(t, 30, ms[0].Ops)
	if _, err := os.Stat("/proc/self/stat"); err == nil {
		// The server runs in the test's own process here, whose resident
		// set 30 clients may not move: only that it was read is certain.
		assert.NotEqual(t, -1.0, ms[0].MemPerClient, "with /proc, the memory per client is read")
	}
}

// A room that stops announcing logins part way (it announces the first
// ones, then no more) ends the idle workload after idleStall without a
// new announcement, in words; not after idleLoginLimit, 5 minutes.
func TestIdleWorkloadSaysTheRoomStoppedAnnouncing(t *testing.T) {
	defer func(d time.Duration) { idleStall = d }(idleStall)
	idleStall = 300 * time.Millisecond
	s := inProcess(t, announcesFirst(5))
	_, err := idleWorkload(20).run(t.Context(), s, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the room stopped announcing logins: all 20 clients had sent their logins, and for 300ms no client heard of another's arrival "+
		"(the clients had 10 of the 190 announcements)")
}

// announcesFirst is a room that answers every login and announces only the
// first n logins to the clients already in.
func announcesFirst(n int) func(net.Listener) error {
	return func(ln net.Listener) error {
		var mu sync.Mutex
		var in []net.Conn
		logins := 0
		var wg sync.WaitGroup
		defer wg.Wait()
		for {
			conn, err := ln.Accept()
			if err != nil {
				mu.Lock()
				for _, c := range in {
					c.Close()
				}
				mu.Unlock()
				return nil
			}
			wg.Go(func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				if _, err := r.ReadString('\n'); err != nil { // the login
					return
				}
				mu.Lock()
				logins++
				fmt.Fprintf(conn, "{\"id\":%d}\n", logins)
				if logins <= n {
					for _, c := range in {
						fmt.Fprintf(c, "{\"sender_id\":0,\"sender_nickname\":\"System\",\"message\":\"idle (%d) joined the room\"}\n", logins)
					}
				}
				in = append(in, conn)
				mu.Unlock()
				io.Copy(io.Discard, r)
			})
		}
	}
}
