// Package replproto is how netbook repl talks to its interpreter: netbook
// reads and edits the lines, keeps the time limit and Ctrl-C, and restarts
// the interpreter when an evaluation will not stop; the interpreter
// (cmd/netbook-interp repl, runner/interp.ServeREPL) evaluates.
//
// netbook writes one [Request] per input, a line of JSON, to the
// interpreter's standard input; the interpreter answers each with one
// [Result], a line of JSON, on the file [ResultsEnv] names. What the
// evaluated code prints, and the values and errors the REPL echoes, go to
// the interpreter's standard output and error, which are netbook's own (the
// terminal). netbook stops an evaluation with SIGINT, and kills the
// interpreter when that does not work.
//
// The package is apart from runner/interp so that netbook, which must not
// import the interpreter, and the interpreter share one definition.
package replproto

// Request is one input: Src is the whole input so far (the lines of a
// function, say), Line its last line, and Quiet asks for no echo (a
// definition replayed into a new interpreter).
type Request struct {
	Src   string `json:"src"`
	Line  string `json:"line"`
	Quiet bool   `json:"quiet,omitempty"`
}

// Status is how an evaluation ended.
type Status string

// The statuses of an evaluation. The interpreter prints values and errors
// itself; netbook needs to know whether to read another line (Incomplete),
// whether the input may be replayed (OK), and whether an interruption
// worked (Interrupted).
const (
	OK          Status = "ok"          // it ran; its value, if any, was echoed
	Failed      Status = "failed"      // it did not compile, was refused or panicked; the error was printed
	Incomplete  Status = "incomplete"  // it stops early: send it again with the next line
	Interrupted Status = "interrupted" // SIGINT stopped it (a goroutine it started may run on)
)

// Result is the interpreter's answer to a Request.
type Result struct {
	Status Status `json:"status"`
}

// ResultsEnv names the environment variable that tells the interpreter
// which open file takes its Results: a file descriptor on Unix, a handle on
// Windows.
const ResultsEnv = "NETBOOK_REPL_RESULTS"
