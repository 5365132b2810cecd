// Package chat is a chat room: a server that relays what each client says
// to every other client, and a client library that speaks its protocol.
//
// The protocol is article 003's, in package chatproto
// (github.com/netbook/netbook/labs/chatproto): the requests a client sends
// (chatproto.Login, chatproto.Broadcast), what the server sends back
// (chatproto.LoginReply, chatproto.Message), chatproto.Encode, which makes
// the exact line to write, and the texts of System's announcements. Lab 10
// speaks it too.
//
// Framing: each message is followed by a newline, "\n". The server also
// accepts an object that is not followed by a newline, as the article's
// client sends them: an object ends at its closing brace as well (see
// Split).
//
// You write split.go, server.go and client.go. This file is given: the
// limits of this lab's room and client.
package chat

import "time"

// MaxMessage is the longest message, in bytes, that the server and the
// client must accept: a whole line, its newline included. The server may
// hang up on a client that sends more, and never sends more itself: a
// broadcast whose relayed line (with the sender's id and nickname) would be
// longer is refused with an error message to its sender, and relayed to
// nobody.
const MaxMessage = 64 * 1024

// MaxNickname is the longest nickname, in bytes, that the server accepts. A
// login with a longer one is refused with an error message. It keeps every
// announcement and every relayed message's envelope far below MaxMessage.
const MaxNickname = 64

// Timeout bounds each wait in the client library: connecting, writing, and
// waiting for the reply to a login. The server uses it as a write deadline,
// so that a client that stops reading cannot hold up the room forever.
const Timeout = 2 * time.Second
