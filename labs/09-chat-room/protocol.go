// Package chat is a chat room: a server that relays what each client says
// to every other client, and a client library that speaks its protocol.
//
// The protocol is the one of article 003's command-line chat room, with its
// field names kept so that a client written for the article can talk to this
// server. Every message is a JSON object. A client sends:
//
//	{"type":"login","nickname":"alice"}             log in as alice
//	{"type":"broadcast","sender_id":1,"message":"hi"}  say hi to the room
//
// and the server sends:
//
//	{"id":1}                                                   the reply to a login: your id
//	{"sender_id":1,"sender_nickname":"alice","message":"hi"}   what someone said
//	{"sender_id":0,"sender_nickname":"System","message":"..."} an announcement, or an error
//
// Framing: each message is followed by a newline, "\n" (JSON never needs a
// raw newline inside a value: a newline in a string is written \n). The
// server also accepts an object that is not followed by a newline, as the
// article's client sends them: an object ends at its closing brace as well
// (see Split).
//
// You write split.go, server.go and client.go. This file is given.
package chat

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// MaxMessage is the longest message, in bytes, that the server and the
// client must accept. The server may hang up on a client that sends more.
const MaxMessage = 64 * 1024

// Timeout bounds each wait in the client library: connecting, writing, and
// waiting for the reply to a login. The server uses it as a write deadline,
// so that a client that stops reading cannot hold up the room forever.
const Timeout = 2 * time.Second

// Request is anything a client sends, decoded: a login (Type and Nickname)
// or a broadcast (Type, SenderID and Message). A field that is absent stays
// at its zero value. The server ignores SenderID: it knows who is talking.
type Request struct {
	Type     string `json:"type"`
	Nickname string `json:"nickname,omitempty"`
	SenderID int    `json:"sender_id,omitempty"`
	Message  string `json:"message,omitempty"`
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
