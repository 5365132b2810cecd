// Package session plays scripted conversations against a server and says
// where the server's bytes first differ from the script.
//
// A server lab ships its conversations in testdata/*.session files: what a
// client sends and the exact bytes it must get back. The lab's own tests play
// them with sessiontest.Test, and the runner plays the same files against a student's
// server and the reference (netbook diff), so a student sees the first
// differing byte with a caret under it:
//
//	testdata/greet.session:11: connection a received different bytes
//	  expected: "Hello, Michael!\n"
//	  received: "Hello Michael!\n"
//	                  ^ first difference, at byte 5
//
// Every read has a deadline ([Timeout], 2 s by default), so a server that
// stalls or never answers ends the session with a report, never a hang, and
// every connection the player opened is closed when [Play] returns.
//
// # File format
//
// A session is a text file in UTF-8, read one line at a time. Blank lines
// separate paragraphs of steps, and a line whose first non-blank character
// is # is a comment: neither is a step. The comment that heads a
// paragraph is what its steps check, and a report on one of them shows it
// (Step.Comment). Steps run in file order; steps on different connections
// interleave exactly as written. Indentation is allowed and means nothing.
//
//	dial NAME         open a TCP connection to the server, called NAME
//	udp NAME          open a UDP socket that talks to the server, called NAME
//	accept NAME       play the server: take the next TCP connection the client makes
//	NAME -> DATA      send DATA
//	NAME <- DATA      expect exactly the bytes DATA next
//	NAME <~ PATTERN   expect one line (UDP: one datagram) matching PATTERN
//	NAME eof          expect the server to close: reading gets end of file
//	NAME closewrite   close our sending half (TCP CloseWrite); keep reading
//	NAME close        close the connection
//	pause DURATION    wait, e.g. pause 50ms (a Go duration, at most 1m)
//
// NAME is a letter followed by letters, digits or _, and is not one of the
// words above. A connection must be opened (dial, udp or accept) before it is
// used, and each name is opened once. dial, udp, accept, pause, eof,
// closewrite and close may be followed by a # comment.
//
// After an arrow comes exactly one space, then the data, which runs to the end
// of the line: a # there is data, not a comment. DATA may contain any UTF-8
// text literally (中文 is fine) and these escapes:
//
//	\n  newline        \r  carriage return     \t  tab
//	\\  backslash      \xHH  the byte 0xHH (two hex digits)
//
// Data never ends at an invisible character: a space or tab at the start or
// the end of DATA is an error (editors strip trailing blanks, and a reader
// cannot see them), so write it as \x20 or \t. Line endings are LF or CRLF;
// a carriage return that belongs to the data is written \r. Other control
// characters and bytes that are not UTF-8 must be escaped too.
//
// An exact expect (<-) reads exactly as many bytes as DATA holds, however the
// server splits or joins its writes, so two expects in a row may be answered
// by one write and one expect by several. Once the bytes differ from DATA it
// waits only a moment (50ms) for the rest of them, to show them in the
// report, rather than the whole timeout. On UDP an exact expect reads one
// datagram, which must equal DATA as a whole; each -> sends one datagram.
//
// A pattern (<~) is for values that legitimately vary, such as ids and
// times. It is a Go regular expression (RE2 syntax, see regexp/syntax) that
// must match the whole line including its \n, as if it were written between
// \A and \z; the file's escapes do not apply, since the pattern has its own
// (\n, \t, \x20, \d, ...). On TCP the line is read up to and including the
// next \n (at most 64 KiB); on UDP the datagram is the line.
//
// # Example
//
// A greeting server, two clients at once, a name split across two writes
// on purpose, and a half-close:
//
//	# Two clients are greeted independently.
//	dial a
//	dial b
//	a <- Welcome! What is your name?\n
//	b <- Welcome! What is your name?\n
//
//	# A name that arrives in two pieces is still one name.
//	a -> Mich
//	pause 50ms
//	a -> ael\n
//	a <- Hello, Michael!\n
//
//	b -> 张三\n
//	b <- Hello, 张三!\n
//
//	# Replies carry a number that changes from run to run.
//	b -> id\n
//	b <~ \{"id":\d+\}\n
//
//	# Half-close: the server says goodbye and closes.
//	a closewrite
//	a <- Bye, Michael.\x20\n
//	a eof
//	b close
//
// And a UDP exchange, where every line is one datagram:
//
//	udp u
//	u -> PING 1
//	u <- PONG 1
//	u -> TIME
//	u <~ TIME \d{2}:\d{2}:\d{2}
//
// # Playing the server
//
// A session whose connections are opened with accept plays the server, for a
// lab whose student writes the client. sessiontest.Serve plays such a file on a
// loopback listener; the test points the client under test at its Addr and,
// once the client has returned, asks for the Server's Result. The arrows keep
// their meaning from the session's side: -> is what the server sends, <- and
// <~ what it expects from the client, and eof that the client hangs up. So a
// misbehaving server is a file, not code: this one reads an HTTP request,
// promises ten bytes of body, sends four and stalls until the client gives
// up:
//
//	accept c
//	c <- GET /page HTTP/1.1\r\n
//	c <~ Host: 127\.0\.0\.1:\d+\r\n
//	c <- Connection: close\r\n
//	c <- \r\n
//	c -> HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd
//	c eof
package session
