// Package udpecho is a small request/response service over UDP: a server
// that answers every datagram, to whoever sent it, and a client that gets
// its answer even when the network loses, duplicates or delays datagrams.
//
// You write answer.go, server.go and client.go. This file is given: it
// defines the protocol both sides speak.
//
// # The protocol
//
// One request is one datagram and one reply is one datagram: a datagram
// arrives whole or not at all, so no newline or length is needed to mark
// where a message ends. Both are UTF-8 text.
//
//	request:  <id> <VERB> <args>
//	reply:    <id> OK <result>       (just "<id> OK" when the result is empty)
//	          <id> ERR <why>
//
// The id is 1 to MaxID ASCII letters or digits, chosen by the client; the
// reply carries it back, so the client can tell which request a reply
// answers. The verb follows the first space, the arguments the second (the
// arguments may be empty, and may contain spaces). Verbs are upper case:
//
//	ECHO <text>        the result is the text, byte for byte
//	UPPER <text>       the text in upper case (strings.ToUpper)
//	ADD <n> <n>...     the sum of one or more integers (int64), in decimal
//
// For example:
//
//	7 ECHO hello, 世界   ->  7 OK hello, 世界
//	8 UPPER hello       ->  8 OK HELLO
//	9 ADD 40 2 -1       ->  9 OK 41
//	10 ECHO             ->  10 OK
//	11 FETCH x          ->  11 ERR unknown verb "FETCH"
//
// Every datagram gets exactly one reply. A request that breaks the rules
// gets "<id> ERR <why>", or "? ERR <why>" when it has no usable id (the
// datagram is empty, starts with a space, or its first word is not 1 to
// MaxID letters and digits): "?" can never be an id, so no client mistakes
// that reply for the answer to one of its requests.
package udpecho

import "errors"

// MaxDatagram is the largest UDP payload over IPv4: 65535 bytes (the most
// an IPv4 packet can hold) minus 20 for the IPv4 header and 8 for the UDP
// header. A buffer of 64 KiB (65536 bytes) holds any datagram, so a read
// into it never cuts one short. A reply longer than MaxDatagram cannot be
// sent at all.
const MaxDatagram = 65507

// MaxID is the longest request id, in bytes.
const MaxID = 20

// ErrNoReply is what Client.Do's error wraps when every attempt of a request
// went unanswered: test for it with errors.Is(err, ErrNoReply).
var ErrNoReply = errors.New("no reply")
