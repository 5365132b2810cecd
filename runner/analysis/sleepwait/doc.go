// Package sleepwait defines an Analyzer that finds time.Sleep used to wait
// for something the code could wait on directly.
//
// # Analyzer sleepwait
//
// sleepwait: time.Sleep used to wait for something the code could wait on
//
// time.Sleep waits for a length of time, which is a guess about how long
// something else takes: a goroutine to start or finish, another client to
// connect, a flag to be set, the peer to read what was sent. On a fast idle
// machine the guess is right; on a loaded one (or a slow network) it is
// wrong, and the program goes on too early; and when it is right, it is
// late by the rest of the sleep. Polling in a loop (check, sleep, check
// again) adds a data race when the flag is a plain variable.
//
// The analyzer reports:
//
//   - a loop that only sleeps and checks something (a variable, a length,
//     an atomic, a non-blocking receive): wait on what changes it instead,
//     a channel that the other goroutine closes or sends on, a
//     sync.WaitGroup, or a sync.Cond;
//   - a sleep right after starting a goroutine, to give it time to start
//     or to finish: have it signal (close a channel when ready or done,
//     wg.Done()) and wait for the signal;
//   - a sleep between writing to a connection and closing it, to give the
//     peer time to read: Close does not throw away what was written before it; to know
//     the peer has read everything, CloseWrite and read until io.EOF.
//
// It says nothing about a sleep that paces work or backs off after an
// error (an accept loop that rests after "too many open files" is right
// to), because there is nothing there to wait on.
package sleepwait
