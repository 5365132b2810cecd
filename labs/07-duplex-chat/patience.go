// Package chat is a two-way chat over one TCP connection, in which either
// side can type at any time: one goroutine prints what the peer says while
// another sends what the person types, and the two ends agree on how to say
// goodbye.
//
// You write chat.go. This file is given.
package chat

import "time"

// Patience is how long Chat waits for the peer when the peer has to act: to
// take a line Chat is sending (a peer that has stopped reading makes the
// write wait), and to close its end after Chat has said goodbye.
//
// It is not a limit on silence. A chat may be quiet for hours, so Chat never
// gives up on a peer that is merely not talking.
//
// The tests shorten it for the task about stalled peers.
var Patience = 5 * time.Second
