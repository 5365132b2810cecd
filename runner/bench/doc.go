// Package bench measures a student's server under load, side by side with
// the reference solution and with the designs a reader of the articles
// would write: netbook bench.
//
// # What runs
//
// Each contender is a process of its own on 127.0.0.1, started afresh for
// each measurement and killed after it: the student's server and the
// reference, built by runner/labrun as netbook up builds them; for lab 03, a
// minimal Go line server; for the chat labs, the articles' thread-per-client
// room written in Go and, when python3 is installed, in Python (package
// baseline). A process of its own means its CPU time can be read alone,
// from /proc/PID/stat, and nothing one measurement leaves behind weighs on
// the next. The student's server is built first and started once before
// anything else is built, to make one exchange with a first client (a
// request, a connection, a login and one message relayed to a second
// client, or with --idle a second login announced, lab 11's one stream): a
// server that does not build, start or answer, such as the skeleton or a
// room that logs clients in and relays nothing, is reported at once, not
// after the reference's and the baselines' builds.
//
// # What is measured
//
// Each lab has workloads suited to its protocol, driven by load generators
// in this package, in netbook's own process:
//
//   - request/response (labs 03 and 05, lab 06 over UDP): 1, 10 and 100
//     clients, each sending a request and waiting for its answer, as fast as
//     the server answers; a request's latency is its round trip. Lab 06's
//     clients each send a text of their own, so that an answer sent to the
//     wrong client is an error, not another client's answer;
//   - connections (lab 02, whose server greets and hangs up): 1, 10 and 100
//     clients connecting, reading to the end, and connecting again;
//   - chat (labs 09 and 10): 10, 100 and 500 clients log in; one talks and
//     the others listen, first flooding (as fast as the room delivers, never
//     more than a window ahead of the slowest listener, so that no correct
//     room need drop anyone), then paced at a steady rate of deliveries per
//     second. A delivery's latency runs from when the message was sent (when
//     paced: when it was due) until a listener has it;
//   - streams (lab 11, a reliable stream over UDP): 1, 10 and 100 clients
//     each sending streams of 64 KiB and waiting for the server's answer.
//     The clients run the lab's own transport with the reference's files, in
//     a load program built for the purpose (see buildDriver), so that the
//     server under test always meets a correct peer;
//   - idle clients (chat labs, on request): thousands of clients log in and
//     stay silent; how long the logins take, and the server's memory per
//     client, each reading taken after the server (when netbook built it)
//     has collected its garbage, so that it counts what the clients hold
//     and not what the logins left behind.
//
// For each phase it reports the rate (operations per second), the server's
// CPU time per operation (steadier than the rate on a shared machine, since
// it does not count the time the server waited for a CPU), latency
// percentiles, netbook's own CPU per operation, which says whether the
// load generator, not the server, set the pace, and the server's write
// system calls per operation (syscw in /proc/PID/io), which says how well
// it batches. Linux counts write, writev and pwrite there but not send,
// sendto or sendmsg: a server that sends with those (the Python room, a
// UDP server's WriteTo) has no count, and the report leaves it out.
//
// # Fair on a noisy machine
//
// The contenders take turns: every workload runs once on each contender,
// then again, Options.Rounds times, starting with a different contender
// each time. Each figure is the median of the rounds, and each ratio
// (contender / reference) is taken round by round, between two
// measurements made one right after the other, and reported as its median
// with the lowest and highest. A laptop that is busy with something else
// slows both sides of a ratio alike.
//
// # Bounds
//
// Every load loop stops at its phase's time and at a count, every read and
// write has a deadline, and every socket is on 127.0.0.1. The whole run's
// measuring time is Options.Duration (30 s by default), shared out among
// rounds, workloads and contenders; building and logging in come on top.
// The idle workload gives up after idleStall (10 s) without a new
// announcement, and lab 11's streams still under way when a round's time
// is up are counted apart, not lost: as stalled (Measurement.Stalled) when
// the server had not moved them on for 2.5 s or more (longer than the
// transport's longest retransmission timeout), which says how long, and
// as cut short (Measurement.Cut) when they were still moving.
//
// The servers netbook builds (the student's, the reference) run with
// resource limits and nothing else of the sandbox (see serverLimits):
// 512 MiB of memory (more with Options.Idle), and CPU time that only a
// server gone wrong can reach.
// One that dies of a limit is reported in words (labrun.Running.Why); one
// that fails a measurement without dying, its clients timing out, is said
// to be near its memory limit when it has mapped or held three quarters of
// it, with what to look for (a queue that grows without bound).
//
// Before anything is built, Run refuses options that would do nothing
// (CheckFlags) and what it cannot measure: a chat
// room with fewer than 2 clients, Options.Clients with Options.Idle, and,
// on Unix, more clients than a process may have files open (each workload
// says how many connections it holds at once; 64 more are left for the
// rest), which would otherwise stop the run in the middle with "too many
// open files".
//
// # Reports kept
//
// [Save] keeps a lab's latest report in .netbook/bench/LAB.json, and
// [Latest] reads it back for the web book's lab page, which draws its
// chart. netbook bench saves a run that measured something, unless it
// measured the reference in the student's place (--ref). Each save writes
// a temporary file of its own and renames it into place, so two runs
// that end together leave one whole report.
package bench
