//go:build race

package sandbox

// raceShim says that this binary, the shim when it is a test binary, is
// built with -race: ThreadSanitizer holds a few hundred MiB of data of its
// own from the start, which RLIMIT_DATA counts until the shim execs the
// program, so the shim's own bookkeeping could fail under a limit meant
// for the program.
const raceShim = true
