package udpecho

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Answer returns the reply to one request datagram, following the protocol
// in udpecho.go. It never fails: every request, however broken, gets a
// reply, and Answer never returns nil.
//
//   - A well-formed request gets "<id> OK <result>", or "<id> OK" when the
//     result is empty (ECHO with no text, for instance).
//   - A request with a usable id but something else wrong gets
//     "<id> ERR <why>": no verb, an unknown verb, ADD without numbers or
//     with something that is not an int64, a sum that overflows int64, or a
//     datagram that is not valid UTF-8.
//   - A request without a usable id gets "? ERR <why>": an empty datagram,
//     one that starts with a space, or whose first word is longer than
//     MaxID bytes or holds anything but ASCII letters and digits.
//   - A reply that would be longer than MaxDatagram bytes cannot be sent,
//     so it becomes "<id> ERR <why>" instead.
//
// <why> is a short message of your choosing, never empty.
func Answer(request []byte) []byte {
	id, rest, _ := strings.Cut(string(request), " ")
	if why := checkID(id); why != "" {
		return reply("?", "ERR", why)
	}
	// The id is plain ASCII, so it is safe to echo back even when the rest
	// of the datagram is not text.
	if !utf8.Valid(request) {
		return reply(id, "ERR", "the request is not UTF-8 text")
	}
	verb, args, _ := strings.Cut(rest, " ")
	var result string
	switch verb {
	case "":
		return reply(id, "ERR", "no verb: write <id> <VERB> <args>")
	case "ECHO":
		result = args
	case "UPPER":
		result = strings.ToUpper(args)
	case "ADD":
		sum, err := add(args)
		if err != nil {
			return reply(id, "ERR", err.Error())
		}
		result = strconv.FormatInt(sum, 10)
	default:
		return reply(id, "ERR", fmt.Sprintf("unknown verb %.20q: try ECHO, UPPER or ADD", verb))
	}
	out := reply(id, "OK", result)
	if len(out) > MaxDatagram {
		// UPPER can make text longer (ɐ takes two bytes, Ɐ three), and a
		// datagram cannot grow past MaxDatagram: say so instead.
		return reply(id, "ERR", fmt.Sprintf("the reply would take %d bytes, more than a datagram holds (%d)", len(out), MaxDatagram))
	}
	return out
}

// checkID says what is wrong with a request id, or "" if nothing is.
func checkID(id string) string {
	switch {
	case id == "":
		return "no request id: write <id> <VERB> <args>"
	case len(id) > MaxID:
		return fmt.Sprintf("the request id is longer than %d bytes", MaxID)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return "a request id is made of ASCII letters and digits only"
		}
	}
	return ""
}

// add sums the integers in args, refusing anything that is not an int64 and
// a sum that does not fit in one.
func add(args string) (int64, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return 0, fmt.Errorf("ADD needs at least one number")
	}
	var sum int64
	for _, f := range fields {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%.20q is not an integer ADD can add", f)
		}
		sum += n
	}
	return sum, nil
}

// reply formats one reply datagram: "<id> <status> <text>", or
// "<id> <status>" when text is empty.
func reply(id, status, text string) []byte {
	out := make([]byte, 0, len(id)+len(status)+len(text)+2)
	out = append(out, id...)
	out = append(out, ' ')
	out = append(out, status...)
	if text != "" {
		out = append(out, ' ')
		out = append(out, text...)
	}
	return out
}
