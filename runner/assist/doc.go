// Package assist is netbook's network debugging assistant, the terminal
// version of the GUI tool article 003 pokes at its servers with: it listens
// or connects over TCP or UDP, shows everything that arrives, and sends what
// the user types.
//
//	netbook assist tcp connect 127.0.0.1:9000
//	netbook assist tcp listen 127.0.0.1:0
//	netbook assist udp connect 127.0.0.1:9000
//	netbook assist udp listen 127.0.0.1:0
//
// # What it shows
//
// Every line it prints starts with the time, to the millisecond. What
// arrives is shown with its sender in brackets: the peer's address, and in
// listen mode a short name for each client (a, b, c...) so that a reply can
// be addressed to one of them:
//
//	listening on tcp 127.0.0.1:41234
//	12:04:05.123 [a 127.0.0.1:54012] connected
//	12:04:05.130 [a 127.0.0.1:54012] Michael
//	12:04:05.131 [a 127.0.0.1:54012] "Tracy\r"
//	12:04:05.131 [a 127.0.0.1:54012]   hex 54 72 61 63 79 0d
//	12:04:05.140 [a 127.0.0.1:54012] Sar (no newline)
//	12:04:06.002 [a 127.0.0.1:54012] closed the connection
//
// A TCP stream is shown as it is read: each line of a read on its own
// output line, without its "\n", and a read that stops in the middle of a
// line marked "(no newline)", so a message that arrives in two reads shows
// as two pieces. When the last piece is the "\n" alone, it shows as
// "(just the newline)"; "(an empty line)" is a "\n" at the start of a
// line. A UDP datagram is shown whole, on one line. Text that is
// not printable (control characters such as "\r" or "\x00", or bytes that
// are not UTF-8) is shown quoted with escapes, followed by a hex line.
//
// # What it sends
//
// In line mode (the default) each line typed is sent over TCP with "\n" at
// the end ("\r\n" with CRLF, as telnet does). Over UDP each line is one
// datagram, sent without its line ending, since the datagram's end is the
// message's. With Escapes, \n \r \t \\ and \xHH in a line stand for those
// bytes, so "PING\n" puts a newline in a datagram and "\x00" a zero byte.
//
// In listen mode a line goes to every connected client (UDP: to the last
// sender), or to one when it starts with @NAME and a space: "@b hello".
// In raw mode the bytes of the input are sent as they are read, with
// nothing added: pipe a file in to send it exactly.
//
// # How it ends
//
// Ctrl-C (the context) ends every mode. connect also ends when the peer
// closes the connection, and when the input ends: TCP then closes its
// sending half (CloseWrite), so the peer reads end of file, and both wait a
// moment (Linger) for the last replies. listen keeps serving after the
// input ends, until Ctrl-C. Every read and write has a deadline or ends
// when the socket is closed, and a listener serves at most MaxClients at
// once.
package assist
