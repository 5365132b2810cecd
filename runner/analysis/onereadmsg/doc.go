// Package onereadmsg defines an Analyzer that finds the bytes of a single
// Read on a stream used as if they were a whole message.
//
// # Analyzer onereadmsg
//
// onereadmsg: one Read is not one message
//
// TCP carries a stream of bytes, not messages. When a client sends
// "alice\n", the server's Read may return "alice\n", or "ali" now and
// "ce\n" on the next call, or "alice\nbob\n" together with the next
// message: Read returns whatever has arrived, at least one byte, and on
// loopback it happens to return each small message whole, which is why
// the tests can pass while the code is wrong. The code is wrong when it
// takes the bytes of one Read (buf[:n]) as the message: compares them
// with a command, trims the newline off them, parses them, answers them.
//
// The fix is to let something collect bytes until the message is
// complete: bufio.Scanner or bufio.Reader.ReadString('\n') for lines,
// io.ReadFull for a known number of bytes (a length prefix), or a loop
// that appends each Read to a buffer until the end of a message is in it.
//
// The analyzer also reports a Read whose byte count is thrown away while
// the buffer is used afterwards: without n, nothing says which bytes of
// buf this Read wrote.
//
// It looks at Read calls on net.Conn values and on other streams
// (bufio.Reader, io.Reader interfaces). It stays quiet about a Read whose
// bytes are appended or copied somewhere (that is collecting, the right
// way), and about packages that work with UDP, where a net.Conn may be a
// datagram socket and one Read is one datagram.
package onereadmsg
