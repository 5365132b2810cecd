// Package grade grades a class: each student's submission of one or more
// labs, against the tests of the book it runs from.
//
// # What runs
//
// Only the files a student edits (a lab's files: in its brief) are taken
// from a submission. Everything else, the tests, testdata, given code and
// shared packages, is the book's as it shipped (labs/book.sum and package
// shipped), plus the instructor's hidden tests (package hidden). They meet
// through go test -overlay in a temp dir of the grade's own: the student's
// files are copied there, and nothing is ever written into a submission.
// A student's edited or added tests are not run; the record names them.
//
// # Bounds
//
// Each lab's tests run with go test -timeout (Options.Timeout): a
// submission that hangs is stopped there and scored on the tasks that
// finished, and the whole run, building included, is killed with its
// process group at Options.Limit. Each test's output is kept up to
// Options.Keep bytes, and the go command gets a pared-down environment
// (the Go and system variables it needs, not the instructor's tokens).
// Submissions are graded Options.Jobs at a time. Identical sets of student
// files (untouched skeletons, a shared solution) are built and run once.
// Every temp file is removed when Run returns, also when ctx is cancelled
// (Ctrl-C): the running go commands are killed with their process groups
// first.
//
// runTests is the one place where a student's code is started, through
// runner/proc (a process group, exec.CommandContext with Cancel and
// WaitDelay). Each test binary runs in runner/sandbox, through go test
// -exec (sandbox.ExecFlag): loopback only, writes only in the run's own
// temp dir, reads only the labs module and the hidden tests.
//
// # A submission
//
// A submission is a folder: a student's clone of the book (its labs are in
// labs/NN-slug/), a folder of lab folders (NN-slug/), or a lab's files
// alone (its .go files at the top, in the lab's package). A submission
// with none of these at its top but one folder inside that holds labs (a
// repository downloaded as a ZIP: alice/netbook-main/labs/...) is graded
// from that folder, one level down only; two such folders are not chosen
// between, and the student's records say which they are. A lab whose
// folder is there is graded; a file of the lab's that is missing is
// reported and the book's skeleton stands in for it, so the rest still
// compiles.
//
// # Points
//
// A task is worth the points its lab's brief gives it (points: {3: 2}), or
// a hidden task's points.yaml entry, or 1. It scores them when its test
// passes, and 0 otherwise.
//
// # A run that is no run
//
// A student's code runs in the test binary and can print the testing
// framework's lines itself. Each run gets a test of grade's own, named at
// random (closingTest), after every other; and its events are read as they
// stream (sequence). A run that ended, with no test failing, before that
// test passed, or whose events have a test start or end twice, end
// without starting, or start inside another, is not graded: the record is
// an Error that says why, with no points. What the code's text does that
// a fake needs (suspect), and a run that failed outside every task
// before that test started (beforeClosing), are notes: the points stand,
// since an honest crash lands there too, now and then.
//
// # Reports
//
// Run returns a Report: one Record per student and lab, with each task's
// status, points and message. WriteTable, WriteJSON, WriteJUnit and
// WriteCSV render it for a terminal, for programs, for CI (JUnit XML, one
// testsuite per student and lab, one testcase per task) and for a
// gradebook (one row per student, its names guarded against formula
// injection). Compile errors and stack traces name a student's file as
// the instructor finds it, the student's folder then its place in the
// submission ("carol/server.go:12:3"), never the temp copy that ran.
//
// Without Options.Labs, a submission that holds no lab is a row all the
// same, missing every lab the others have; when no submission holds one,
// Run says there is nothing to grade. A hidden tests' folder that cannot
// be read, or that has a folder named as no lab, is an error before
// anything runs (hidden.Check). A lab whose hidden tests are not ready
// (hidden.Tests.Problems: tasks out of sequence, points for a task that is
// not hidden) or do not compile with the book's skeleton is not graded:
// every record of it is an Error that says why, never a student's 0.
package grade
