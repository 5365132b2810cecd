// Package interp runs Go snippets and a REPL with the yaegi interpreter,
// inside the process of cmd/netbook-interp. Nothing else imports it: yaegi's
// symbol tables take about a minute to compile, and the netbook command must
// stay quick to build, so the interpreter lives in a binary of its own that
// netbook builds on first use (see runner/interpbin) and starts as a child
// process. A panic in an interpreted goroutine, a runaway recursion or a
// goroutine stuck in Accept then takes down only that child, and the parent
// kills the child's whole process group at the time limit.
//
// # What the interpreter offers
//
// Go 1.22's standard library as yaegi v0.16.1 knows it, minus what a
// snippet has no business doing (see [Denied] and [DeniedSymbols]). An import
// outside that set fails before anything runs, with a message that names the
// package and says why.
//
// # What is, and is not, a sandbox
//
// It is a fence for honest mistakes, not a security boundary against
// hostile code. What it does:
//
//   - os/exec, syscall, unsafe, plugin and a few packages that start
//     programs or read executables are absent, so interpreted code cannot
//     start a process or make a raw system call.
//   - The os, io/ioutil, path/filepath and net/http functions that take a
//     file name accept only names inside the run's directory, a fresh temp
//     dir that is also TMPDIR and that the parent deletes afterwards.
//     os.Chdir, os.Symlink, os.Link, os.Chown, os.NewFile, os.StartProcess and
//     os.FindProcess are gone, and http.Dir with them.
//   - net's Dial, Listen and their TCP and UDP variants, net.Dialer,
//     net.ListenConfig and http.DefaultTransport reach loopback only
//     (127.0.0.0/8, ::1, localhost), over TCP or UDP; a listener must name its
//     address (127.0.0.1:0, not :0, which is every interface).
//
// What it does not do: reads of system files that the standard library does
// by itself (time zones, /etc/hosts, certificates) still happen; a
// net.Resolver looks names up with the system's resolver; an http.Transport
// built by hand dials with an unchecked dialer; os.File methods work on any
// file the code could open. The process keeps the user's privileges. The
// real limits are the child process, its process group, its time limit and
// its output cap, which the parent enforces (runner/snippets).
package interp
