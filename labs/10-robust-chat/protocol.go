// Package chat is the chat room of lab 09, made to survive its clients: a
// client that never reads, one that sends a line without end, one that says
// half a message and stalls, one that connects and says nothing. And it
// stops gracefully: Shutdown tells everyone, delivers what is queued, and
// closes.
//
// The protocol is lab 09's, package chatproto
// (github.com/netbook/netbook/labs/chatproto): article 003's JSON
// messages, one per line (or ending at the closing brace of an object, see
// Split), plus one request of this lab's own, {"type":"ping"}, with which a
// client that has nothing to say shows it is still there (the server
// answers nothing).
//
// You write server.go. This file and split.go are given.
package chat

import (
	"net"
	"time"
)

// TypePing is a request that does nothing but show the client is still
// there: it keeps a quiet client from being disconnected as idle. It comes
// as a chatproto.Request whose Type is TypePing.
const TypePing = "ping"

// Defaults for the Server's fields that are left zero.
const (
	DefaultIdleTimeout  = 5 * time.Minute  // no complete message for this long: disconnected
	DefaultWriteTimeout = 10 * time.Second // one write to a client may take this long
	DefaultMaxLine      = 64 * 1024        // the longest message, in bytes, without its newline
	DefaultQueueLen     = 256              // messages that may wait for one client
)

// MaxNickname is the longest nickname, in bytes, that the server accepts. A
// login with a longer one is refused with an error message. It keeps every
// announcement and every relayed message's envelope below a MaxLine of
// 1000 or more, which is what MaxLine is meant to be: the server's own
// lines must fit too, and an error that quotes a long message type, or the
// announcement of a 64-byte nickname, takes up to about 800 bytes.
const MaxNickname = 64

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

// Serve runs a chat room with the default settings on ln until ln is
// closed: new(Server).Serve(ln).
func Serve(ln net.Listener) error {
	return new(Server).Serve(ln)
}
