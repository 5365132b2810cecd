// Package greet is a first TCP connection: a server that greets each client
// and closes, and a client that connects, reads everything the server sends
// and closes too.
//
// You write server.go, client.go and text.go. This file is given.
package greet

// Welcome is what the server sends to every client: UTF-8 text, so the
// Chinese characters take three bytes each.
const Welcome = "欢迎访问服务器! Welcome to the server!\n"

// Ends are the two addresses of one TCP connection, as one side sees them:
// its own address and the other side's. The server's Local is the client's
// Remote, and the other way round.
type Ends struct {
	Local  string // this side, like "127.0.0.1:9999"
	Remote string // the other side, like "127.0.0.1:54012"
}
