package udpecho

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
	// TODO (tasks 1 and 2): split the request at its first space into the
	// id and the rest (strings.Cut), check the id, then split the rest into
	// the verb and its arguments the same way. A switch on the verb does
	// the work: strings.ToUpper for UPPER, strings.Fields and
	// strconv.ParseInt for ADD. Build replies with a small helper so that
	// every path ends in exactly one "<id> OK ..." or "<id> ERR ...".
	return nil
}
