// Package diff runs a student's lab and the reference solution side by side
// on loopback and shows where they part ways: netbook diff.
//
// # Server labs
//
// Both implementations are built (labrun: the student's files as they are,
// the reference's through -overlay) and, for each of the lab's scripted
// sessions (testdata/*.session, see labs/session), each is started afresh as
// a child process on 127.0.0.1:0 and the session is played against it, the
// two at the same time. A session is the same when the student's server
// follows it as the reference does; otherwise the report is the session's
// first mismatch: the session's comment on the failing step (what it
// checks), what the script expected and what the server sent, escaped,
// with a caret under the first byte that differs, and the steps that led
// there, named by their line. With --json the same report comes with its
// parts (Mismatch: the step, its comment, the bytes expected and
// received). A server that crashes, or does not stop cleanly on
// SIGINT, also differs, with what it printed. When the reference itself
// does not follow a session, the session file (or the reference) is wrong:
// the report says so rather than blame the student.
//
// # Client labs
//
// For a lab whose student writes a client (labrun.Client: it ships a
// driver, testdata/netbook/client.go), the roles turn round. Each session
// whose connections start with accept plays the server, on its own loopback
// listener, once for the student's client and once for the reference's,
// both driven by the lab's driver. Two things are compared: what each
// client sent, judged by the session's expectations (the request the script
// waits for, with a caret under the first wrong byte), and what each
// driver printed (the response or the kind of error it got), the student's
// against the reference's, line by line. A client may hang up while the
// server is still sending, as a client that gives up at its deadline must;
// that is not a difference.
//
// Every step waits at most the session's timeout, every child process runs
// in its own process group and is killed at a time limit, so a diff ends in
// a bounded time whatever the student's code does. Each server, the
// student's and the reference's, also runs under the sandbox's resource
// limits alone (ServerLimits: memory, CPU time, file size, open files; its
// network and files are the host's), so that a server that leaks is
// stopped at 512 MiB rather than eat the machine; the report then says
// which limit stopped it, in words (Side.Limit), with what it printed up to
// the Go runtime's fatal error and not the stack dumps after it.
//
// The text report follows Advice.Lang, and a Side's problem is said in any
// language by Side.ProblemIn; the JSON report is English. The session
// files' own reports (expected, received, the steps so far) are the lab
// tests' words and stay English, as check shows them.
package diff
