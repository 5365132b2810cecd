// Package chat is the chat room of lab 09, made to survive its clients: a
// client that never reads, one that sends a line without end, one that says
// half a message and stalls, one that connects and says nothing. And it
// stops gracefully: Shutdown tells everyone, delivers what is queued, and
// closes.
//
// The protocol is lab 09's, article 003's JSON messages, one per line (or
// ending at the closing brace of an object, see Split), plus one request,
// {"type":"ping"}, with which a client that has nothing to say shows it is
// still there (the server answers nothing).
//
// You write server.go. This file and split.go are given.
package chat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"time"
)

// The System pseudo-user: id 0 is never given to a client. Announcements
// (joins and leaves) and error replies come from it.
const (
	SystemID   = 0
	SystemName = "System"
)

// Request types: the "type" field of what a client sends.
const (
	TypeLogin     = "login"
	TypeBroadcast = "broadcast"
)

// TypePing is a request that does nothing but show the client is still
// there: it keeps a quiet client from being disconnected as idle.
const TypePing = "ping"

// Defaults for the Server's fields that are left zero.
const (
	DefaultIdleTimeout  = 5 * time.Minute  // no complete message for this long: disconnected
	DefaultWriteTimeout = 10 * time.Second // one write to a client may take this long
	DefaultMaxLine      = 64 * 1024        // the longest message, in bytes, without its newline
	DefaultQueueLen     = 256              // messages that may wait for one client
)

// ShutdownText is what System tells every client when the server shuts
// down, just before it hangs up.
const ShutdownText = "the server is shutting down"

// Why the server disconnects a client: the value of the "reason" attribute
// of the slog record (level Warn) that the server logs when it does.
const (
	ReasonIdle    = "idle"     // nothing complete arrived within IdleTimeout
	ReasonTooLong = "too long" // a message longer than MaxLine
	ReasonTooSlow = "too slow" // its queue filled up, or a write took longer than WriteTimeout
)

// Request is anything a client sends, decoded: a login (Type and Nickname)
// or a broadcast (Type, SenderID and Message). A field that is absent stays
// at its zero value. The server ignores SenderID: it knows who is talking.
type Request struct {
	Type     string `json:"type"`
	Nickname string `json:"nickname,omitempty"`
	SenderID int    `json:"sender_id,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Serve runs a chat room with the default settings on ln until ln is
// closed: new(Server).Serve(ln).
func Serve(ln net.Listener) error {
	return new(Server).Serve(ln)
}

// Login is the request a client sends to join the room.
type Login struct {
	Type     string `json:"type"` // TypeLogin
	Nickname string `json:"nickname"`
}

// Broadcast is the request a client sends to say something. SenderID is
// the client's own id; the article's server needs it, this one ignores it.
type Broadcast struct {
	Type     string `json:"type"` // TypeBroadcast
	SenderID int    `json:"sender_id"`
	Message  string `json:"message"`
}

// LoginReply is the server's answer to a login: the client's id.
type LoginReply struct {
	ID int `json:"id"`
}

// Message is what the server relays: who said it and what they said. A
// Message from SystemID is an announcement or, when its text starts with
// "error: ", the answer to a request the server could not accept.
type Message struct {
	SenderID       int    `json:"sender_id"`
	SenderNickname string `json:"sender_nickname"`
	Message        string `json:"message"`
}

// Encode returns v as one line of compact JSON, with its "\n": the exact
// bytes to write. Fields come in the order of the struct, and characters
// such as < > & are written as they are (json.Marshal would escape them), so
// every implementation sends the same bytes.
func Encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode adds the "\n"
		return nil, err
	}
	return b.Bytes(), nil
}

// Announcement returns a message from System with the given text.
func Announcement(text string) Message {
	return Message{SenderID: SystemID, SenderNickname: SystemName, Message: text}
}

// ErrorMessage returns the message the server sends back to a client whose
// request it cannot accept: from System, its text "error: " and why.
func ErrorMessage(why string) Message {
	return Announcement("error: " + why)
}

// JoinedText is the announcement the others see when a client logs in:
// "alice (1) joined the room".
func JoinedText(id int, nickname string) string {
	return fmt.Sprintf("%s (%d) joined the room", nickname, id)
}

// LeftText is the announcement the others see when a client that had
// logged in goes away: "alice (1) left the room".
func LeftText(id int, nickname string) string {
	return fmt.Sprintf("%s (%d) left the room", nickname, id)
}
