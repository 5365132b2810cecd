// Package fixedaddr defines an Analyzer that finds fixed ports and
// addresses where the code is handed a listener or an address.
//
// # Analyzer fixedaddr
//
// fixedaddr: a fixed port or a non-loopback address where one is handed to you
//
// A lab's server is handed its listener (Serve(ln net.Listener)) and a
// client the address to dial: the tests open the listener on 127.0.0.1
// port 0, so that the kernel picks a free port each run and tests can run
// side by side. Code that listens on its own fixed port (":8080") fails as
// soon as something else holds that port, another test or a second copy of
// the server, and never talks to the listener the test opened; code that
// dials a fixed address talks to whatever happens to be there, not to the
// test's server. A listener on ":8080" or "0.0.0.0:8080" also accepts
// connections from every network the machine is on, not only from this
// machine, which a program under development rarely means to do.
//
// The fix: use the listener or address you are given. When you do need a
// listener of your own (a test, a helper), listen on "127.0.0.1:0" and ask
// it where it is with ln.Addr().
//
// The analyzer looks at constant addresses given to net.Listen,
// net.ListenPacket, net.ListenConfig, http.ListenAndServe and to net.Dial
// and its relatives, in the labs and in any package with a function that
// takes a net.Listener, a net.PacketConn or an address. It says nothing
// about a main package, whose job may be to pick the port, nor about
// "127.0.0.1:0".
package fixedaddr
