// Package proc runs netbook's child processes: a lab server, a lab's client
// driver, a chapter's snippet (compiled, or in the interpreter). Each child
// starts in a process group of its own, so that stopping it also stops
// whatever it started (a server's handlers, a shell's background job), and
// nothing a child does can outlive the time netbook gives it:
//
//   - [Start] starts a child with exec.CommandContext: when the context is
//     done (a time limit, Ctrl-C, too much output) the Cmd's Cancel kills
//     the whole group, and its WaitDelay bounds the wait for output that a
//     grandchild holds open. The child's output is kept (up to a cap),
//     copied on a line at a time if asked, and watched for a line such as
//     "listening on tcp 127.0.0.1:41234" ([Process.Listening]).
//   - [Process.Stop] asks the group to stop as Ctrl-C would (SIGINT), waits
//     a grace period, then kills the group.
//   - [Process.Wait] waits for a child to end by itself (or be killed when
//     its context is done).
//
// Options.Setup is the place for what a caller adds to the child before it
// starts (its SysProcAttr: an OS sandbox, a parent-death signal);
// Options.Env and Dir say where and with what environment it runs.
package proc
