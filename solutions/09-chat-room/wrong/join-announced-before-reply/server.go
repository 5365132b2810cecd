package chat

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/labs/chatproto"
)

// Serve runs the chat room on ln until ln is closed; then it closes every
// client's connection, waits for their goroutines to finish, and returns
// nil.
//
// Each connection gets its own goroutine, which reads messages (framed by
// Split) and acts on them:
//
//   - login: the client gets the next id (1, 2, 3..., never reused) in a
//     chatproto.LoginReply, and everyone already in the room gets a System
//     announcement, chatproto.JoinedText.
//   - broadcast: every other logged-in client gets a chatproto.Message
//     with the sender's id and nickname. The sender gets nothing back. The
//     sender_id the client claims is ignored: the server knows who it is.
//   - anything else (not JSON, not an object, an unknown type, a login
//     without a nickname, with one longer than MaxNickname or a second
//     login, a broadcast before logging in or one whose relayed line would
//     be longer than MaxMessage) gets a chatproto.ErrorMessage back, and
//     the connection carries on.
//
// When a logged-in client goes away, cleanly or not, everyone left gets
// chatproto.LeftText. Nothing one client does stops the others being
// served.
func Serve(ln net.Listener) error {
	r := &room{nextID: 1, members: map[int]*member{}, conns: map[net.Conn]bool{}}
	var wg sync.WaitGroup
	defer wg.Wait() // runs last: every handler has returned
	defer r.closeAll()

	backoff := 5 * time.Millisecond
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			// Out of file descriptors, say. Retrying at once would spin:
			// rest a little, longer each time, and try again.
			time.Sleep(backoff)
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		if !r.add(conn) {
			conn.Close()
			continue
		}
		wg.Go(func() { r.handle(conn) })
	}
}

// member is a client that has logged in.
type member struct {
	id       int
	nickname string
	conn     net.Conn
}

// room is the state every connection's goroutine shares. One mutex guards
// all of it, and every write to a client happens while holding it: so two
// goroutines never write to one connection at once, and every client sees
// the room's messages in the same order.
type room struct {
	mu      sync.Mutex
	nextID  int
	members map[int]*member   // logged in, by id
	conns   map[net.Conn]bool // every open connection, logged in or not
	closed  bool              // Serve is shutting down
}

// add registers a new connection, unless the room is shutting down.
func (r *room) add(conn net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.conns[conn] = true
	return true
}

// closeAll closes every connection, which ends every handler's read.
func (r *room) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for conn := range r.conns {
		conn.Close()
	}
}

// handle serves one connection until it ends.
func (r *room) handle(conn net.Conn) {
	var me *member // nil until the client logs in
	defer func() { r.leave(conn, me) }()

	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 4096), MaxMessage)
	sc.Split(Split)
	for sc.Scan() {
		var req chatproto.Request
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			r.reply(conn, chatproto.ErrorMessage(fmt.Sprintf("malformed message: %.200s", err))) // .200: the error may quote a long number
			continue
		}
		switch req.Type {
		case chatproto.TypeLogin:
			switch {
			case me != nil:
				r.reply(conn, chatproto.ErrorMessage(fmt.Sprintf("already logged in as %s (%d)", me.nickname, me.id)))
			case strings.TrimSpace(req.Nickname) == "":
				r.reply(conn, chatproto.ErrorMessage("login needs a nickname"))
			case len(req.Nickname) > MaxNickname:
				r.reply(conn, chatproto.ErrorMessage(fmt.Sprintf("a nickname may be at most %d bytes long", MaxNickname)))
			default:
				me = r.join(conn, req.Nickname)
			}
		case chatproto.TypeBroadcast:
			if me == nil {
				r.reply(conn, chatproto.ErrorMessage("log in first"))
				continue
			}
			// The sender is the connection's member, whatever sender_id says.
			msg := chatproto.Message{SenderID: me.id, SenderNickname: me.nickname, Message: req.Message}
			// The others read lines of at most MaxMessage bytes: a longer
			// one would cost each of them the connection.
			if line, _ := chatproto.Encode(msg); len(line) > MaxMessage {
				r.reply(conn, chatproto.ErrorMessage(fmt.Sprintf(
					"message too long to relay: with your id and nickname it makes a line of %d bytes, "+
						"and a line may be at most %d: shorten it by at least %d bytes", len(line), MaxMessage, len(line)-MaxMessage)))
				continue
			}
			r.broadcast(me, msg)
		default:
			r.reply(conn, chatproto.ErrorMessage(fmt.Sprintf("unknown message type %.64q", req.Type))) // .64: a long type must not make a long reply
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		r.reply(conn, chatproto.ErrorMessage(fmt.Sprintf("message longer than %d bytes", MaxMessage)))
	}
	// Any other error (EOF, a reset, a closed connection) just ends the
	// conversation: leave, deferred above, tidies up.
}

// join logs conn in: the next id, the announcement to everyone else,
// then the reply.
func (r *room) join(conn net.Conn, nickname string) *member {
	r.mu.Lock()
	m := &member{id: r.nextID, nickname: nickname, conn: conn}
	r.nextID++
	r.sendAll(m, chatproto.Announcement(chatproto.JoinedText(m.id, m.nickname)))
	r.members[m.id] = m
	r.mu.Unlock()

	// The room knows the newcomer now: tell it its id.
	r.mu.Lock()
	defer r.mu.Unlock()
	r.write(conn, chatproto.LoginReply{ID: m.id})
	return m
}

// leave forgets conn, announces that its member left, and closes it.
func (r *room) leave(conn net.Conn, me *member) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.conns, conn)
	if me != nil && r.members[me.id] == me {
		delete(r.members, me.id)
		if !r.closed {
			r.sendAll(me, chatproto.Announcement(chatproto.LeftText(me.id, me.nickname)))
		}
	}
	conn.Close()
}

// broadcast sends msg to every member but from.
func (r *room) broadcast(from *member, msg chatproto.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sendAll(from, msg)
}

// reply sends msg to conn alone.
func (r *room) reply(conn net.Conn, msg chatproto.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.write(conn, msg)
}

// sendAll writes msg to every member except skip. The caller holds r.mu.
func (r *room) sendAll(skip *member, msg chatproto.Message) {
	line, err := chatproto.Encode(msg)
	if err != nil {
		return
	}
	for _, m := range r.members {
		if m != skip {
			r.writeLine(m.conn, line)
		}
	}
}

// write sends v to conn as one line. The caller holds r.mu.
func (r *room) write(conn net.Conn, v any) bool {
	line, err := chatproto.Encode(v)
	if err != nil {
		return false
	}
	return r.writeLine(conn, line)
}

// writeLine writes line to conn within Timeout. A client that cannot take
// it in time, or whose connection is broken, is hung up on: its handler's
// next read fails and it leaves the room. The caller holds r.mu.
func (r *room) writeLine(conn net.Conn, line []byte) bool {
	conn.SetWriteDeadline(time.Now().Add(Timeout))
	if _, err := conn.Write(line); err != nil {
		conn.Close()
		return false
	}
	return true
}
