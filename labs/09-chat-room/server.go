package chat

import (
	"errors"
	"net"
)

// Serve runs the chat room on ln until ln is closed; then it closes every
// client's connection, waits for their goroutines to finish, and returns
// nil.
//
// Each connection gets its own goroutine, which reads messages (framed by
// Split: bufio.NewScanner(conn) and sc.Split(Split)), decodes each one into
// a chatproto.Request with json.Unmarshal, and acts on it:
//
//   - login: the client gets the next id (1, 2, 3..., never reused) in a
//     chatproto.LoginReply, and everyone already in the room gets
//     chatproto.Announcement(chatproto.JoinedText(id, nickname)). The reply
//     must be the first thing the client receives.
//   - broadcast: every other logged-in client gets a chatproto.Message
//     with the sender's id and nickname. The sender gets nothing back. The
//     sender_id the client claims is ignored: the server knows who it is.
//   - anything else (not JSON, not an object, an unknown type, a login
//     without a nickname, with one longer than MaxNickname or a second
//     login, a broadcast before logging in or one whose relayed line,
//     chatproto.Encode of its chatproto.Message, would be longer than
//     MaxMessage) gets chatproto.ErrorMessage(why) back, and the connection
//     carries on.
//
// When a logged-in client goes away, cleanly or not, everyone left gets
// chatproto.Announcement(chatproto.LeftText(id, nickname)). Write each
// message with chatproto.Encode, one line each, with a write deadline
// (Timeout). Nothing one client does may stop the others being served.
//
// The protocol's types and functions are in package chatproto: import
// "github.com/netbook/netbook/labs/chatproto".
func Serve(ln net.Listener) error {
	// TODO: a room shared by all the connections' goroutines (who is logged
	// in, the next id) behind a sync.Mutex; an accept loop that starts one
	// goroutine per connection and returns nil when errors.Is(err,
	// net.ErrClosed); a handler that scans messages and answers them. Two
	// goroutines must never write to the same connection at once. Tasks 5
	// to 11, and task 12 with your Client.
	return errors.New("TODO: implement Serve (tasks 5 to 11)")
}
