// Package baseline holds the servers netbook bench measures a student's
// against besides the reference solution: the designs a reader of the
// articles would write, done right, so that a student sees where their
// server stands between them and the reference.
//
//   - ThreadRoom is the articles' chat room: a goroutine per client (the
//     articles' thread), which writes each message to every other client
//     itself, one write per client per message, under the room's lock.
//   - HelloLines is the smallest correct hello server (lab 03's protocol):
//     a goroutine per client, a Scanner, a write per reply.
//   - room.py (PythonRoom) is the articles' room in their own language: a
//     thread per client, sendall to every other client under a lock, with
//     proper line framing. netbook bench runs it when python3 is installed.
//
// They run in a process of their own (package serve), as a lab's server
// does, so that the CPU time a benchmark reads is theirs alone.
package baseline

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strings"
	"sync"

	"github.com/netbook/netbook/labs/chatproto"
)

// PythonRoom is room.py: the articles' thread-per-client chat room in
// Python. Run it as python3 room.py [--nodelay]; it prints "listening on
// tcp ADDR" and serves until its standard input ends.
//
//go:embed room.py
var PythonRoom []byte

// ThreadRoom serves the chat protocol of labs 09 and 10 (logins, broadcasts,
// joins and leaves announced) until ln is closed: the articles' design, a
// goroutine per client that writes every message it relays straight to
// each other member's connection while it holds the room's lock. That lock
// keeps the order the same for everyone and two writes from mixing on one
// connection; it also means one write system call per message per member,
// made one after another, which is what this design costs.
func ThreadRoom(ln net.Listener) error {
	r := &threadRoom{members: map[int]net.Conn{}, conns: map[net.Conn]bool{}, next: 1}
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		r.mu.Lock()
		if err != nil {
			for c := range r.conns {
				c.Close()
			}
			r.closed = true
			r.mu.Unlock()
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		r.conns[conn] = true
		r.mu.Unlock()
		wg.Go(func() { r.serve(conn) })
	}
}

type threadRoom struct {
	mu      sync.Mutex
	members map[int]net.Conn
	conns   map[net.Conn]bool // every open connection
	next    int
	closed  bool
}

func (r *threadRoom) serve(conn net.Conn) {
	defer func() {
		r.mu.Lock()
		delete(r.conns, conn)
		r.mu.Unlock()
		conn.Close()
	}()
	id, nickname := 0, ""
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		var req chatproto.Request
		if json.Unmarshal(sc.Bytes(), &req) != nil {
			r.send(conn, chatproto.ErrorMessage("malformed message"))
			continue
		}
		switch {
		case req.Type == chatproto.TypeLogin && id == 0 && strings.TrimSpace(req.Nickname) != "":
			r.mu.Lock()
			if r.closed {
				r.mu.Unlock()
				return
			}
			id, nickname = r.next, req.Nickname
			r.next++
			write(conn, chatproto.LoginReply{ID: id})
			r.toAll(id, chatproto.Announcement(chatproto.JoinedText(id, nickname)))
			r.members[id] = conn
			r.mu.Unlock()
		case req.Type == chatproto.TypeBroadcast && id != 0:
			r.mu.Lock()
			r.toAll(id, chatproto.Message{SenderID: id, SenderNickname: nickname, Message: req.Message})
			r.mu.Unlock()
		default:
			r.send(conn, chatproto.ErrorMessage("not a login or a broadcast after one"))
		}
	}
	if id != 0 {
		r.mu.Lock()
		delete(r.members, id)
		r.toAll(id, chatproto.Announcement(chatproto.LeftText(id, nickname)))
		r.mu.Unlock()
	}
}

// toAll writes msg to every member but skip, encoded once. The caller holds
// r.mu.
func (r *threadRoom) toAll(skip int, msg chatproto.Message) {
	line, _ := chatproto.Encode(msg)
	for id, c := range r.members {
		if id != skip {
			c.Write(line) // a member that has gone is removed by its own goroutine
		}
	}
}

// send writes msg to one connection, under the lock like every write.
func (r *threadRoom) send(conn net.Conn, msg chatproto.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	write(conn, msg)
}

func write(conn net.Conn, v any) {
	line, _ := chatproto.Encode(v)
	conn.Write(line)
}

// HelloLines serves lab 03's protocol until ln is closed, as plainly as Go
// allows: Welcome, then "Hello, NAME!" for each line until "exit" or the
// end of the stream.
func HelloLines(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			io.WriteString(conn, "Welcome!\n")
			sc := bufio.NewScanner(conn)
			for sc.Scan() && sc.Text() != "exit" {
				io.WriteString(conn, "Hello, "+sc.Text()+"!\n")
			}
		}()
	}
}
