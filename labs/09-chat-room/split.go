package chat

import "errors"

// Split is a bufio.SplitFunc that cuts the bytes a client sends into
// messages, for a bufio.Scanner (sc.Split(Split)):
//
//   - Blanks between messages (space, tab, "\r", "\n") are skipped: a blank
//     line is no message.
//   - A newline always ends a message. The token is what came before it,
//     without the "\n".
//   - A message that starts with "{" also ends at the "}" that closes it,
//     newline or not, so that {"a":1}{"b":2} is two messages. Braces inside
//     JSON strings do not count ("{\"}\"}" is one message), and a string
//     ends at a quote that is not escaped with a backslash.
//   - At the end of the stream (atEOF), whatever is left is the last token.
//
// Split does not check that a token is valid JSON: json.Unmarshal does
// that. It only finds where each message ends, so that one bad message
// costs one message, never the rest of the stream.
//
// The contract of a SplitFunc: return how many bytes of data you used up
// (advance) and the token, if you found one. To ask for more data, return
// (n, nil, nil), where n counts only the bytes you want to drop (the blanks
// you skipped). data is the scanner's buffer: a token may point into it.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	// TODO: skip the blanks; find the newline (bytes.IndexByte) or, for a
	// message that starts with "{", walk the bytes counting { and } while
	// keeping track of whether you are inside a string (and just after a
	// backslash). Tasks 1 and 2.
	return 0, nil, errors.New("TODO: implement Split (tasks 1 and 2)")
}
