// Package readtoend defines an Analyzer that finds a connection read to
// its end in a protocol where the connection does not end.
//
// # Analyzer readtoend
//
// readtoend: io.ReadAll on a connection that stays open waits for ever
//
// io.ReadAll(conn) (and io.Copy(&buf, conn)) keeps reading until the peer
// closes the connection: it returns when the stream ends, not when a
// message does. That is right for a protocol that ends with the
// connection, such as fetching a page from a server that closes when it
// is done. It is wrong in a conversation: a client of a chat or a hello
// server sends a line and waits for the answer, without closing, while
// the server waits in ReadAll for a close that never comes. Both sides
// wait for ever, or until a deadline cuts the conversation short. A test
// whose client closes right after sending can still pass.
//
// The fix is to read one message at a time (bufio.Scanner for lines, the
// lab's framing otherwise) and answer each as it arrives.
//
// The analyzer reports io.ReadAll, and io.Copy into a bytes.Buffer or a
// strings.Builder, on the connections that carry a conversation: in the
// labs whose protocol is one (every stream of labs 03, 05, 07, 08, 09 and
// 10, the accepted connections of lab 02), and anywhere on a connection
// kept in a struct field, which outlives one exchange. It says nothing
// about a client that reads a reply to its end when the server closes
// after it (labs 02 and 04).
package readtoend
