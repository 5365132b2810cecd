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

// Serve runs the room as a hub: one goroutine owns the members and does
// every write; each connection's goroutine only reads and sends events.
func Serve(ln net.Listener) error {
	h := &hub{
		events:  make(chan event),
		conns:   map[net.Conn]*member{},
		stopped: make(chan struct{}),
	}
	go h.run()
	var wg sync.WaitGroup
	defer func() {
		h.events <- event{kind: stop}
		<-h.stopped
		wg.Wait()
	}()
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		h.events <- event{kind: connected, conn: conn}
		wg.Add(1)
		go func() {
			defer wg.Done()
			read(h, conn)
		}()
	}
}

type kind int

const (
	connected kind = iota
	line
	gone
	stop
)

type event struct {
	kind kind
	conn net.Conn
	data []byte
}

type member struct {
	id       int
	nickname string
}

// hub is owned by its run goroutine: nothing else touches its fields.
type hub struct {
	events  chan event
	conns   map[net.Conn]*member // every connection; a nil member is not logged in
	nextID  int
	stopped chan struct{}
}

// read turns what one client sends into events for the hub.
func read(h *hub, conn net.Conn) {
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 4096), MaxMessage)
	sc.Split(Split)
	for sc.Scan() {
		h.events <- event{kind: line, conn: conn, data: append([]byte(nil), sc.Bytes()...)}
	}
	h.events <- event{kind: gone, conn: conn}
}

func (h *hub) run() {
	defer close(h.stopped)
	h.nextID = 1
	for ev := range h.events {
		switch ev.kind {
		case connected:
			h.conns[ev.conn] = nil
		case line:
			h.handle(ev.conn, ev.data)
		case gone:
			if m := h.conns[ev.conn]; m != nil {
				h.sendAll(ev.conn, chatproto.Announcement(chatproto.LeftText(m.id, m.nickname)))
			}
			delete(h.conns, ev.conn)
			ev.conn.Close()
		case stop:
			for c := range h.conns {
				c.Close()
			}
			// Drain the readers' last events until they are all gone.
			for len(h.conns) > 0 {
				if ev := <-h.events; ev.kind == gone {
					delete(h.conns, ev.conn)
				}
			}
			return
		}
	}
}

func (h *hub) handle(conn net.Conn, data []byte) {
	var req chatproto.Request
	if err := json.Unmarshal(data, &req); err != nil {
		h.send(conn, chatproto.ErrorMessage("malformed message: "+err.Error()))
		return
	}
	me := h.conns[conn]
	switch {
	case req.Type == chatproto.TypeLogin && me != nil:
		h.send(conn, chatproto.ErrorMessage(fmt.Sprintf("already logged in as %s (%d)", me.nickname, me.id)))
	case req.Type == chatproto.TypeLogin && strings.TrimSpace(req.Nickname) == "":
		h.send(conn, chatproto.ErrorMessage("login needs a nickname"))
	case req.Type == chatproto.TypeLogin:
		m := &member{id: h.nextID, nickname: req.Nickname}
		h.nextID++
		h.send(conn, chatproto.LoginReply{ID: m.id})
		h.sendAll(conn, chatproto.Announcement(chatproto.JoinedText(m.id, m.nickname)))
		h.conns[conn] = m
	case req.Type == chatproto.TypeBroadcast && me == nil:
		h.send(conn, chatproto.ErrorMessage("log in first"))
	case req.Type == chatproto.TypeBroadcast:
		h.sendAll(conn, chatproto.Message{SenderID: me.id, SenderNickname: me.nickname, Message: req.Message})
	default:
		h.send(conn, chatproto.ErrorMessage(fmt.Sprintf("unknown message type %q", req.Type)))
	}
}

// sendAll writes msg to every logged-in member but skip.
func (h *hub) sendAll(skip net.Conn, msg chatproto.Message) {
	for c, m := range h.conns {
		if m != nil && c != skip {
			h.send(c, msg)
		}
	}
}

// send writes v to conn within Timeout, and hangs up on a client that
// cannot take it.
func (h *hub) send(conn net.Conn, v any) {
	data, err := chatproto.Encode(v)
	if err != nil {
		return
	}
	conn.SetWriteDeadline(time.Now().Add(Timeout))
	if _, err := conn.Write(data); err != nil {
		conn.Close()
	}
}
