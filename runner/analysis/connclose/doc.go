// Package connclose defines an Analyzer that finds connections a server
// does not close on every way out of the code that serves them.
//
// # Analyzer connclose
//
// connclose: close every connection on every path out of its handler
//
// Each accepted connection holds a socket, which is a file descriptor in
// the server process. Until the server closes it, the client is never hung
// up on (it waits for an end that does not come), and the server keeps the
// descriptor: a server that forgets one connection per client runs out of
// descriptors after a few thousand clients, and Accept starts failing with
// "too many open files". Tests rarely notice, because they are short.
//
// The analyzer follows each connection from the Accept that returns it
// (and into the goroutine or function it is handed to) along every path of
// the code, and reports a return, or the end of the function, or a loop
// back to Accept, that leaves it open. It also reports a defer conn.Close()
// written inside the accept loop itself: a deferred call runs when the
// function returns, which for Serve is when the server stops, so every
// connection stays open until then.
//
// The fix is one line at the top of the handler, which covers every path,
// the early returns and the errors included:
//
//	func handle(conn net.Conn) {
//		defer conn.Close()
//		...
//
// A connection handed on to something that keeps it (stored in a map or a
// struct, sent on a channel, given to another package) is that thing's to
// close, and the analyzer stops following it there.
package connclose
