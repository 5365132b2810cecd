// Package labrun builds a lab into a program and runs it: the student's
// implementation as it is in the work tree, or the reference solution, on
// real loopback sockets. It is what netbook up and netbook diff stand on.
//
// # Building without touching the work tree
//
// A lab is a package, not a program. labrun writes a small main package
// into a temp directory and maps it into the labs module with go build
// -overlay, at a path that does not exist on disk:
//
//	labs/internal/netbookrun/NN-slug/server/main.go   a server lab's generated main
//	labs/internal/netbookrun/NN-slug/client/main.go   a client lab's driver
//
// For the reference, the solution's files are mapped over the student's
// files too, exactly as netbook verify does. Nothing is written into the
// work tree, and the build cache keys on the overlay, so a rebuild after an
// edit takes about half a second.
//
// # Server labs
//
// A lab whose brief says serve: tcp has Serve(ln net.Listener) error; serve:
// udp has Serve(conn net.PacketConn) error. The generated main (see
// servermain.go.tmpl) listens on -addr (127.0.0.1:0 by default), prints
//
//	listening on tcp 127.0.0.1:41234
//
// as soon as the socket is open, hands it to Serve, and logs every
// connection and every Read and Write as a line (-quiet turns that off; diff
// uses it, so that the server runs exactly as under the lab's tests). The
// log comes from wrappers around the socket and its connections (which
// keep CloseWrite and CloseRead), so Serve must use them through their
// interfaces, as a lab's Serve does under its tests' wrappers. SIGINT
// or SIGTERM closes the socket, and Serve must then return nil within two
// seconds; the exit status says whether it did. Started by netbook, it
// also stops when netbook dies, since netbook holds its standard input,
// and a line "collect" there (Running.Tell) makes it collect its garbage
// and say "collected: ...", for netbook bench's memory figures. With
// StartOptions.Serving (-serving) it also says when Serve first calls
// Accept or ReadFrom, which closes Running.Serving: netbook up says where
// to talk to the server only then, since a skeleton's Serve returns at
// once instead. With StartOptions.Limits (netbook up and bench), the
// server runs under resource limits (memory, CPU time, file size, open
// files: runner/sandbox's, without its network and file-system fences),
// and Running.Why says in words which one stopped it.
//
// A lab whose package has a Server with a Logger *slog.Logger field and a
// Serve method (lab 10) is served, unless -quiet, by a Server whose Logger
// writes each record as a line of the log ("[log] level=INFO msg=..."), so
// that netbook up shows the room's own words beside its reads and writes.
//
// # Client labs
//
// A lab whose student writes a client ships a driver:
// testdata/netbook/client.go, a package main that imports the lab and is run
// as
//
//	client ADDR SESSION
//
// ADDR is the address of a scripted server (a testdata/*.session file whose
// connections start with accept, played by netbook), and SESSION is that
// file's name without .session, so that the driver can make the request the
// script expects. The driver calls the lab's client API and prints what it
// got on standard output, in words that do not depend on how an
// implementation phrases its errors (which sentinel errors match, not the
// error's text): netbook diff compares the student's output with the
// reference's, line by line, after writing every 127.0.0.1 port as PORT.
// Standard error is shown, never compared. An error returned by the lab is
// an outcome to print, with exit status 0; a driver that cannot do its job
// (an unknown SESSION) exits 2. The go tool ignores testdata, so the driver
// is compiled only by netbook; netbook's own tests build it for every lab
// that has one.
package labrun
