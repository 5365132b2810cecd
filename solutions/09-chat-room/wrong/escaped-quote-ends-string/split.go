package chat

import "bytes"

// Split is a bufio.SplitFunc that cuts the bytes a client sends into
// messages, for a bufio.Scanner:
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
// Split does not check that a token is valid JSON: that is the job of
// json.Unmarshal. It only finds where each message ends, so that one bad
// message costs one message, never the rest of the stream.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	start := 0
	for start < len(data) && isBlank(data[start]) {
		start++
	}
	if start == len(data) {
		return start, nil, nil // only blanks so far: drop them, wait for more
	}
	if data[start] == '{' {
		depth, inString := 0, false
		for i := start; i < len(data); i++ {
			c := data[i]
			switch {
			case c == '\n': // a newline ends any message, even an unfinished one
				return i + 1, data[start:i], nil
			case inString:
				if c == '"' {
					inString = false
				}

			case c == '"':
				inString = true
			case c == '{':
				depth++
			case c == '}':
				depth--
				if depth == 0 {
					return i + 1, data[start : i+1], nil
				}
			}
		}
	} else if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		return start + i + 1, data[start : start+i], nil
	}
	if atEOF {
		return len(data), data[start:], nil // the stream ended inside a message
	}
	return start, nil, nil // the message is not complete yet: read more
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n'
}
