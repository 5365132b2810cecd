// Command netbook-interp runs Go snippets and a REPL with the yaegi
// interpreter. netbook builds it on first use and starts it as a child
// process, in its own temp directory, for "netbook run" and "netbook repl";
// it is not meant to be run by hand. "netbook-interp run main.go [ARG...]"
// runs a program; "netbook-interp repl" is the evaluating half of netbook
// repl, which reads requests from netbook (see interp.ServeREPL).
//
// It lives apart from cmd/netbook because yaegi's symbol tables take about a
// minute to compile, and the netbook command must build in seconds.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"

	"github.com/netbook/netbook/runner/interp"
)

// maxStack bounds a goroutine's stack, so that runaway recursion stops at
// once with "stack overflow" instead of growing to the runtime's 1 GB: well
// under the sandbox's memory limit (512 MiB, runner/sandbox), since growing
// a stack copies it, so that the overflow is what stops it.
const maxStack = 64 << 20

// minThreads is the fewest threads NETBOOK_MAX_THREADS may ask for: the Go
// runtime needs a handful of its own.
const minThreads = 32

func main() {
	debug.SetMaxStack(maxStack)
	// netbook's sandbox (runner/sandbox) passes its thread limit here: past
	// it the runtime stops the program with "program exceeds N-thread
	// limit", which netbook explains.
	if n, err := strconv.Atoi(os.Getenv("NETBOOK_MAX_THREADS")); err == nil && n >= minThreads {
		debug.SetMaxThreads(n)
	}
	args := os.Args[1:]
	switch {
	case len(args) >= 2 && args[0] == "run":
		os.Exit(interp.Run(args[1], args[2:], os.Stdin, os.Stdout, os.Stderr))
	case len(args) == 1 && args[0] == "repl":
		os.Exit(interp.ServeREPL())
	}
	fmt.Fprintf(os.Stderr, "usage: netbook-interp run FILE [ARG...] | netbook-interp repl\n"+
		"netbook starts this for \"netbook run\" and \"netbook repl\"; use those.\n")
	os.Exit(2)
}
