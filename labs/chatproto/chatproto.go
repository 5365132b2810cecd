// Package chatproto is the chat room's protocol, shared by lab 09 (the chat
// room) and lab 10 (the robust chat room): article 003's JSON messages, one
// per line, with the article's field names kept so that a client written
// for the article can talk to either lab's server.
//
// Every message is a JSON object. A client sends a request:
//
//	{"type":"login","nickname":"alice"}                log in as alice: Login
//	{"type":"broadcast","sender_id":1,"message":"hi"}  say hi to the room: Broadcast
//
// and the server answers:
//
//	{"id":1}                                                    the reply to a login, your id: LoginReply
//	{"sender_id":1,"sender_nickname":"alice","message":"hi"}    what someone said: Message
//	{"sender_id":0,"sender_nickname":"System","message":"..."}  an announcement, or an error: Announcement, ErrorMessage
//
// A server decodes whatever arrives into a Request, whose Type says which
// request it is. Lab 10 adds one request of its own, a ping.
//
// Each message is followed by a newline, "\n". JSON never needs a raw
// newline inside a value (a newline in a string is written \n), so a line is
// a message. Encode writes one, exactly. Reading is each lab's business:
// its Split cuts the stream into messages, at a newline or at the brace that
// closes an object, since the article's client sends no newline at all.
package chatproto

import (
	"bytes"
	"encoding/json"
	"fmt"
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
// the client's own id; the article's server needs it, the labs' servers
// ignore it.
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
