// Package proc runs netbook's child processes: a lab server, a lab's client
// driver, a snippet. Each child starts in a process group of its own, so
// that stopping it also stops whatever it started (a server's handlers, a
// go run's program), and nothing a child does can outlive the time netbook
// gives it:
//
//   - [Start] starts a child whose output is kept (up to a cap), copied on
//     a line at a time if asked, and watched for a line such as
//     "listening on tcp 127.0.0.1:41234" ([Process.Match]).
//   - [Process.Stop] asks the group to stop as Ctrl-C would (SIGINT), waits
//     a grace period, then kills the group.
//   - [Process.Wait] waits for a child to end by itself, killing the group
//     at a time limit.
//
// [OwnGroup], [Interrupt] and [Kill] are the underlying operations, for
// callers that manage an exec.Cmd themselves (runner/snippets).
package proc
